"""`PodDetail`: the selected pod in depth: a title line, then its findings, containers and events.

A `RichLog` (line API): the detail is rendered once per change into lines at the pane's width, so a
new selection repaints the pane without a layout pass over the screen.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import RichLog

from k8sdoctor.model.batch import PodDetail as PodDetailData
from k8sdoctor.tui.format import SEVERITY_MARK
from k8sdoctor.tui.palette import Palette
from k8sdoctor.tui.text import printable
from k8sdoctor.tui.widgets.detail.containers import containers_renderable
from k8sdoctor.tui.widgets.detail.findings import CommandLine, Part, findings_parts
from k8sdoctor.tui.widgets.detail.pod_events import events_renderable


def title_renderable(detail: PodDetailData, palette: Palette, now: datetime) -> Text:
    row, facts = detail.row, detail.facts
    mark = SEVERITY_MARK.get(row.severity or "", "✔") if row.problem else "✔"
    style = palette.severity(row.severity) if row.problem else palette.success
    title = Text(f"{mark} ", style=style + Style(bold=True))
    title.append(printable(row.name), style=Style(bold=True))
    parts = [printable(row.namespace)]
    if facts.workload is not None:
        workload = f"{facts.workload.kind.lower()}/{printable(facts.workload.name)}"
        parts.append(f"{workload} rev {printable(facts.workload.revision)}" if facts.workload.revision else workload)
    parts.append(f"node {printable(facts.node_name)}" if facts.node_name else "not scheduled")
    title.append("  " + " · ".join(parts), style=palette.muted)
    title.append("\n")
    title.append(printable(row.status), style=style)
    title.append(f"   ready {row.ready}   restarts {row.restarts}   age {row.age(now)}", style=palette.muted)
    return title


def detail_parts(detail: PodDetailData, palette: Palette, now: datetime) -> list[Part]:
    def section(name: str) -> Text:
        return Text(f"\n{name}", style=palette.accent + Style(bold=True))

    return [
        title_renderable(detail, palette, now),
        section("Diagnosis"),
        *findings_parts(detail.row.diagnosis, palette),
        section("Containers"),
        containers_renderable(detail.facts.containers, palette, now),
        section("Events"),
        events_renderable(detail.facts.events, palette, now, detail.events_unread),
    ]


class PodDetail(RichLog):
    """Scrollable; focus it (tab, or enter on the table to zoom it) to scroll with the keyboard."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, wrap=True, markup=False, highlight=False, auto_scroll=False)
        self.detail: PodDetailData | None = None
        self._shown: tuple | None = None  # what is rendered: (detail, palette, now, width)
        self._message = ""

    def show(self, detail: PodDetailData, palette: Palette, now: datetime, *, force: bool = False) -> None:
        width = self.scrollable_content_region.width
        key = (detail.row, detail.facts.containers, detail.facts.events, palette, now, width)
        if key == self._shown and not force:
            return
        same_pod = self.detail is not None and self.detail.row.key == detail.row.key
        scroll_y = self.scroll_y if same_pod else 0
        self.detail, self._shown = detail, key
        self.remove_class("-empty")
        self.clear()
        width = max(width, 20)
        prose: list[RenderableType] = []
        for part in detail_parts(detail, palette, now):
            if isinstance(part, CommandLine):  # whole, at its own width: the pane scrolls sideways
                if prose:
                    self.write(Group(*prose), width=width)
                    prose = []
                self.write(part.text, width=max(width, part.width))
            else:
                prose.append(part)
        if prose:
            self.write(Group(*prose), width=width)
        self.scroll_to(y=scroll_y, animate=False)

    def clear_detail(self, message: str) -> None:
        if self.detail is None and self._message == message and self.lines:
            return
        self.detail, self._shown, self._message = None, None, message
        self.add_class("-empty")
        self.clear()
        self.write(Text(message), width=max(self.scrollable_content_region.width, 20))

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        if self.detail is not None and self._shown is not None and self._shown[-1] != self.scrollable_content_region.width:
            self.show(self.detail, self._shown[3], self._shown[4], force=True)
