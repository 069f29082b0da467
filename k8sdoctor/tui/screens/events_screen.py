"""`EventsScreen`: the scope's event stream, newest first; `w` keeps only Warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from k8sdoctor.tui.format import repeats
from k8sdoctor.tui.text import one_line, printable
from k8sdoctor.tui.widgets.events.event_table import EventTable
from k8sdoctor.tui.widgets.header.cluster_header import ClusterHeader

if TYPE_CHECKING:
    from k8sdoctor.model.batch import EventRow
    from k8sdoctor.tui.app import DoctorApp


class EventsScreen(Screen):
    app: DoctorApp
    BINDINGS = [
        Binding("w", "toggle_warnings", "Warnings only"),
        Binding("escape,e", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield ClusterHeader(self.app.monotonic, id="header")
        yield EventTable(self.app.clock, id="events")
        yield Static(id="events-empty", markup=False)
        yield Static(id="event-message")
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        table = self.query_one(EventTable)
        table.show_namespace = app.namespace is None
        table.focus()
        self.show_events(app.events)
        if app.feed is not None:
            app.feed.want_events(True)

    def on_unmount(self) -> None:
        if self.app.feed is not None:
            self.app.feed.want_events(False)

    def show_events(self, rows: list[EventRow]) -> None:
        table = self.query_one(EventTable)
        table.show_events(rows)
        self._refresh_header()

    @on(EventTable.CursorMoved)
    def show_message(self, event: EventTable.CursorMoved) -> None:
        """The whole message of the event under the cursor (the table cuts it to the column)."""
        table = self.query_one(EventTable)
        row = next((r for r in table.rows if r.id == event.key), None) if event.key is not None else None
        message = self.query_one("#event-message", Static)
        message.display = row is not None
        if row is not None:
            e = row.fact
            text = Text(one_line(f"{row.object}  {e.type} {e.reason}"), style="bold")
            if e.count > 1:
                text.append(f"  {repeats(e)}", style="dim")
            if e.source:
                text.append(f"  from {printable(e.source)}", style="dim")
            text.append("\n" + printable(e.message))
            message.update(text)

    def action_toggle_warnings(self) -> None:
        table = self.query_one(EventTable)
        table.warnings_only = not table.warnings_only
        self._refresh_header()

    def _refresh_header(self) -> None:
        app, table = self.app, self.query_one(EventTable)
        main = app.main_screen.table
        flags = ("warnings only",) if table.warnings_only else ()
        self.query_one(ClusterHeader).show(
            app.info, app.namespace, app.options.selector, app.health, len(main.all_rows), main.problem_count, flags
        )
        empty = self.query_one("#events-empty", Static)
        empty.display = table.row_count == 0
        table.display = table.row_count > 0
        if table.row_count == 0:
            what = "Warning events" if table.warnings_only else "events"
            where = f'namespace "{one_line(app.namespace)}"' if app.namespace else "any namespace"
            empty.update(f"No {what} in {where} (the API server keeps events for one hour by default).")
