"""`EventTable`: the event stream of the scope, newest first, as `kubectl get events` shows it, with
Warnings coloured and repeats counted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.reactive import reactive

from k8sdoctor.model.batch import EventRow
from k8sdoctor.tui.format import ago, repeats
from k8sdoctor.tui.text import one_line
from k8sdoctor.tui.widgets.table.virtual_table import Cell, Column, VirtualTable

#: The message is the point of the view: OBJECT and REASON give way first (the object's name cut in the
#: middle), then NAMESPACE; the message keeps at least 30 cells until everything else is at its minimum.
COLUMNS = (
    Column("last", "LAST SEEN", min_width=5, max_width=9, shrink=4),
    Column("namespace", "NAMESPACE", min_width=6, max_width=20, shrink=2, cut="middle"),
    Column("type", "TYPE", min_width=7, max_width=7, shrink=4),
    Column("reason", "REASON", min_width=8, max_width=20, shrink=1),
    Column("object", "OBJECT", min_width=20, max_width=40, shrink=1, cut="middle"),
    Column("message", "MESSAGE", min_width=30, flex=True, shrink=3, squeeze=3),
)


def event_haystack(row: EventRow) -> str:
    """What the `/` filter of the events view looks in: every word must be in it."""
    e = row.fact
    return f"{row.namespace} {row.object} {e.type} {e.reason} {e.message} {e.source}".lower()


class EventTable(VirtualTable[str, "EventRow"]):
    COMPONENT_CLASSES = VirtualTable.COMPONENT_CLASSES | {"event-table--warning"}

    warnings_only: reactive[bool] = reactive(False)
    show_namespace: reactive[bool] = reactive(True)
    filter_text: reactive[str] = reactive("")

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(COLUMNS, id=id)
        self.clock = clock
        self.all_rows: list[EventRow] = []

    def show_events(self, rows: list[EventRow]) -> None:
        self.all_rows = rows
        self.rebuild()

    def key_enter(self) -> None:
        """Nothing: enter is the events screen's binding (in its footer); a second activation from the
        table made every enter act twice. A double click still activates the row."""

    def watch_warnings_only(self) -> None:
        self.rebuild()

    def watch_show_namespace(self) -> None:
        self.rebuild()

    def watch_filter_text(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        rows = [r for r in self.all_rows if r.fact.type == "Warning"] if self.warnings_only else self.all_rows
        words = self.filter_text.lower().split()
        if words:
            rows = [r for r in rows if all(w in event_haystack(r) for w in words)]
        self.set_rows(rows)

    def row_key(self, row: EventRow) -> str:
        return row.id

    def shown_columns(self) -> list[Column]:
        return [c for c in COLUMNS if c.key != "namespace" or self.show_namespace]

    def content_widths(self, rows: list[EventRow]) -> dict[str, int]:
        sample = rows[:2000]  # the newest decide the widths; older rows are cut if wider
        if not sample:
            return {}
        return {
            "last": 5,
            "namespace": max(len(r.namespace) for r in sample),
            "type": 7,
            "reason": max(len(r.fact.reason) for r in sample),
            "object": max(len(r.object) for r in sample),
        }

    def row_cells(self, row: EventRow) -> list[Cell]:
        e = row.fact
        style = "event-table--warning" if e.type == "Warning" else None
        message = one_line(e.message)
        if e.count > 1:
            message = f"{message} {repeats(e)}"
        cells: list[Cell] = [
            (ago(e.last, self.clock()), None),
            (one_line(e.type), style),
            (one_line(e.reason), style),
            (one_line(row.object), None),
            (message, style),
        ]
        if self.show_namespace:
            cells.insert(1, (one_line(row.namespace), None))
        return cells
