"""`ObjectDetail`: the selected object of a resource view in depth: what it is (kind, namespace, status and
kubectl's columns), then its findings, as the pods' detail shows them: evidence, why, next steps; a
finding about another object names it, and the findings of other objects it carries are listed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import RichLog

from k8sdoctor.core.findings import SEVERITY_MARK
from k8sdoctor.core.kube.columns import COLUMNS, cell_text
from k8sdoctor.tui.palette import Palette
from k8sdoctor.tui.text import printable
from k8sdoctor.tui.widgets.detail.findings import Part, findings_parts, write_parts

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import ObjectRow


def object_parts(row: ObjectRow, palette: Palette, now: datetime, drill: str) -> list[Part]:
    mark = SEVERITY_MARK.get(row.severity or "", "✔") if row.problem else "✔"
    style = palette.severity(row.severity) if row.problem else palette.success
    title = Text(f"{mark} ", style=style + Style(bold=True))
    title.append(f"{row.kind.lower()}/{printable(row.name)}", style=Style(bold=True))
    where = [printable(row.namespace)] if row.namespace else []
    if row.diagnosis.owner:
        where.append(f"{printable(str(row.diagnosis.owner.get('kind', '')).lower())}/{printable(str(row.diagnosis.owner.get('name', '')))}")
    if where:
        title.append("  " + " · ".join(where), style=palette.muted)
    title.append("\n")
    columns = COLUMNS.get(row.kind)
    if columns is not None:  # kubectl's columns, which hold the status too
        shown = [f"{label.lower()} {printable(cell_text(cell, now))}" for label, cell in zip(columns.labels, row.cells, strict=False)]
        title.append("   ".join(shown), style=palette.muted)
    else:
        title.append(printable(row.diagnosis.status), style=style)
    parts: list[Part] = [title, Text("\nDiagnosis", style=palette.accent + Style(bold=True))]
    parts += findings_parts(row.diagnosis, palette, healthy="✔ No problems found.")
    if drill:
        parts.append(Text(f"\n{drill}", style=palette.muted))
    return parts


class ObjectDetail(RichLog):
    DEFAULT_CSS = """
    ObjectDetail {
        height: 1fr;
        padding: 0 1;
        border-top: solid $panel-lighten-2;
        background: $background;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
        scrollbar-gutter: stable;
        overflow-x: auto;
    }
    ObjectDetail:focus {
        border-top: solid $accent;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, wrap=True, markup=False, highlight=False, auto_scroll=False)
        self.row: ObjectRow | None = None
        self._shown: tuple | None = None

    def show(self, row: ObjectRow | None, palette: Palette, now: datetime, drill: str = "", *, force: bool = False) -> None:
        width = self.scrollable_content_region.width
        key = (row, palette, drill, width)
        if key == self._shown and not force:
            return
        same = row is not None and self.row is not None and self.row.ref == row.ref
        scroll_y = self.scroll_y if same else 0
        self.row, self._shown = row, key
        self.clear()
        if row is None:
            return
        write_parts(self, object_parts(row, palette, now, drill), max(width, 20))
        self.scroll_to(y=scroll_y, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        if self._shown is not None and self._shown[-1] != self.scrollable_content_region.width:
            self.show(self.row, self._shown[1], self.app.clock(), self._shown[2], force=True)  # type: ignore[attr-defined]
