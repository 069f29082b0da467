"""The containers of the detail pane: each one's image, state, last termination, readiness and restarts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from k8sdoctor.tui.format import ago
from k8sdoctor.tui.palette import Palette
from k8sdoctor.tui.text import printable

if TYPE_CHECKING:
    from k8sdoctor.core.facts import ContainerFact

KIND_LABEL = {"init": " (init)", "sidecar": " (sidecar)", "ephemeral": " (debug)"}


def _exit(code: int | None, signal: int | None) -> str:
    if signal:
        return f"signal {signal}"
    return "" if code is None else f"exit code {code}"


def _waiting_style(reason: str, palette: Palette) -> Style:
    bad = reason.endswith(("BackOff", "Error")) or reason.startswith("Err") or reason in ("InvalidImageName", "RunContainerError")
    return palette.critical if bad else palette.warning


def _state(c: ContainerFact, palette: Palette, now: datetime) -> Text:
    if c.state == "running":
        text = Text(
            f"Running for {ago(c.started_at, now)}" if c.started_at else "Running", style=palette.success if c.ready else palette.warning
        )
    elif c.state == "waiting":
        text = Text(f"Waiting: {printable(c.waiting_reason) or '?'}", style=_waiting_style(c.waiting_reason, palette))
        if c.waiting_message:
            text.append(f" — {printable(c.waiting_message)}", style=Style())
    elif c.state == "terminated":
        ok = c.terminated_exit_code == 0 and not c.terminated_signal
        detail = ", ".join(p for p in (printable(c.terminated_reason), _exit(c.terminated_exit_code, c.terminated_signal)) if p)
        text = Text(f"Terminated: {detail}", style=palette.muted if ok else palette.critical)
        if c.finished_at:
            text.append(f", {ago(c.finished_at, now)} ago", style=palette.muted)
        if c.terminated_message:
            text.append(f" — {printable(c.terminated_message)}", style=Style())
    else:
        text = Text("no status yet", style=palette.muted)
    return text


def _last(c: ContainerFact, palette: Palette, now: datetime) -> Text | None:
    if not (c.last_reason or c.last_exit_code is not None):
        return None
    detail = ", ".join(p for p in (printable(c.last_reason), _exit(c.last_exit_code, c.last_signal)) if p)
    text = Text(f"Terminated: {detail}", style=palette.critical if c.last_exit_code else palette.muted)
    if c.last_finished_at:
        text.append(f", {ago(c.last_finished_at, now)} ago", style=palette.muted)
        if c.last_started_at:
            text.append(f" after running {ago(c.last_started_at, c.last_finished_at)}", style=palette.muted)
    if c.last_message:
        text.append(f" — {printable(c.last_message)}", style=Style())
    return text


def containers_renderable(containers: list[ContainerFact], palette: Palette, now: datetime) -> RenderableType:
    if not containers:
        return Text("No containers in the pod spec.", style=palette.muted)
    parts: list[RenderableType] = []
    for c in containers:
        head = Text(printable(c.name) + KIND_LABEL.get(c.kind, ""), style=Style(bold=True))
        head.append(f"  {printable(c.image)}", style=palette.muted)
        grid = Table.grid(padding=(0, 1), pad_edge=False)
        grid.add_column(width=10, no_wrap=True, style=palette.muted)
        grid.add_column(ratio=1)
        grid.add_row("  state", _state(c, palette, now))
        last = _last(c, palette, now)
        if last is not None:
            grid.add_row("  last", last)
        ready = Text("yes" if c.ready else "no", style=palette.success if c.ready else palette.warning)
        ready.append(f"   restarts {c.restarts}", style=palette.critical if c.restarts else Style())
        grid.add_row("  ready", ready)
        parts += [head, grid]
    return Group(*parts)
