"""The events of the detail pane: the pod's events, newest first, Warnings marked and coloured, with
kubectl's "(x5 over 3m)" for repeated events."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from k8sdoctor.tui.format import ago, repeats
from k8sdoctor.tui.palette import Palette
from k8sdoctor.tui.text import printable

if TYPE_CHECKING:
    from k8sdoctor.core.facts import EventFact

MAX_EVENTS = 50


def events_renderable(events: list[EventFact], palette: Palette, now: datetime, unread: str = "") -> RenderableType:
    """The events table; `unread`: why the events could not be read, said instead of "no events"."""
    if not events and unread:
        return Text(f"Events could not be read: {printable(unread)}", style=palette.warning)
    if not events:
        return Text("No events for this pod (the API server keeps them for one hour by default).", style=palette.muted)
    newest = sorted(events, key=lambda e: (e.last or e.first or now, e.first or now, e.type, e.reason, e.message), reverse=True)
    shown = newest[:MAX_EVENTS]
    grid = Table.grid(padding=(0, 1), pad_edge=False)
    grid.add_column(no_wrap=True, justify="right")  # age
    grid.add_column(no_wrap=True)  # type
    grid.add_column(no_wrap=True)  # reason
    grid.add_column(ratio=1)  # message
    for e in shown:
        warning = e.type == "Warning"
        style = palette.warning if warning else Style()
        message = Text(printable(e.message), style=style)
        if e.count > 1:
            message.append(f" {repeats(e)}", style=palette.muted)
        if e.source:
            message.append(f"  {printable(e.source)}", style=palette.muted)
        grid.add_row(
            Text(ago(e.last, now), style=palette.muted),
            Text(f"{'⚠' if warning else ' '} {printable(e.type) or '?'}", style=style),
            Text(printable(e.reason), style=style + Style(bold=warning)),
            message,
        )
    if len(newest) > len(shown):
        return Group(grid, Text(f"… {len(newest) - len(shown)} older events", style=palette.muted))
    return grid
