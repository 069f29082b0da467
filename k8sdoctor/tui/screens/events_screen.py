"""`EventsScreen`: the scope's event stream, newest first, the message of the event under the cursor in
full below it; `w` keeps only Warnings, `/` filters, enter opens the pod an event is about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.model.commands import VIEWS
from k8sdoctor.tui.format import repeats
from k8sdoctor.tui.text import one_line, printable
from k8sdoctor.tui.widgets.events.event_table import EventTable
from k8sdoctor.tui.widgets.header.cluster_header import ClusterHeader


class EventFilter(Input):
    """The events view's `/` filter (hidden until `/`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="filter events: words of the object, reason, message or source · enter keeps it · esc clears", id=id)
        self.cursor_blink = False


if TYPE_CHECKING:
    from k8sdoctor.model.batch import EventRow
    from k8sdoctor.tui.state import DoctorState


class EventsScreen(Screen):
    app: DoctorState
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("enter", "open", "Open pod", tooltip="Select the pod of this event on the main screen"),
        Binding("slash", "filter", "Filter", key_display="/", priority=True),  # before the keys typed after it
        Binding("w", "toggle_warnings", "Warnings only"),
        Binding("e", "back", "Back", show=False),
    ]
    KEYS_HELP = (
        (
            "Events",
            (
                ("↑ ↓  j k", "move; the whole message of the event under the cursor shows below the table"),
                ("enter", "go to the pod the event is about (on the main screen)"),
                ("/", "filter: every word must be in the event (namespace, object, reason, message, source)"),
                ("w", "Warnings only"),
                ("esc / q / e", "back to the pods"),
            ),
        ),
    )

    def compose(self) -> ComposeResult:
        yield ClusterHeader(self.app.monotonic, id="header")
        yield EventFilter(id="events-filter")
        yield EventTable(self.app.clock, id="events")
        yield Static(id="events-empty", markup=False)
        yield Static(id="event-message")
        yield Footer(show_command_palette=False)  # ctrl+p still opens it; see MainScreen

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

    # ---- keys ---------------------------------------------------------------------------------------
    def action_back(self) -> None:
        """esc: leave the filter input, else go back to the pods."""
        bar = self.query_one(EventFilter)
        if bar.has_focus:
            bar.value = ""
            bar.display = False
            self.query_one(EventTable).focus()
            return
        self.app.pop_screen()

    def action_filter(self) -> None:
        bar = self.query_one(EventFilter)
        if bar.has_focus:
            raise SkipAction()  # a "/" typed in the filter is text
        bar.display = True
        self.set_focus(bar)

    @on(Input.Changed, "#events-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.query_one(EventTable).filter_text = event.value
        self._refresh_header()

    @on(Input.Submitted, "#events-filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one(EventFilter).display = False
        self.query_one(EventTable).focus()

    @on(EventTable.RowActivated)
    def row_activated(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """The pod the event under the cursor is about, selected on the main screen; an event about
        another kind of object says so (its whole message is already shown below the table)."""
        table = self.query_one(EventTable)
        row = next((r for r in table.rows if r.id == table.cursor_key), None)
        if row is None or not self.is_current:
            return
        kind, _, name = row.object.partition("/")
        key = (row.namespace, name)
        view = next((k for k in VIEWS.values() if k.lower() == kind and k != "Pod"), None)
        if view is not None:
            ref = (view, row.namespace if BY_KIND[view].namespaced else "", name)
            if ref in self.app.rows.rows(view):
                self.app.pop_screen()
                self.app.navigate(view, select=ref)
                return
        main = self.app.main_screen
        if kind != "pod" or key not in main.table.all_rows:  # type: ignore[attr-defined]
            what = "is about an object this view does not show" if kind != "pod" else "is about a pod that is not in the table"
            self.notify(f"This event {what} ({row.object}); its whole message is below the table.", timeout=4)
            return
        self.app.pop_screen()
        main.select_pod(key)  # type: ignore[attr-defined]

    def action_toggle_warnings(self) -> None:
        table = self.query_one(EventTable)
        table.warnings_only = not table.warnings_only
        self._refresh_header()

    def _refresh_header(self) -> None:
        app, table = self.app, self.query_one(EventTable)
        flags = tuple(
            f for f in ("warnings only" if table.warnings_only else "", f"filter: {table.filter_text}" if table.filter_text else "") if f
        )
        header = self.query_one(ClusterHeader)
        header.flags, header.view = flags, "events"
        empty = self.query_one("#events-empty", Static)
        empty.display = table.row_count == 0
        table.display = table.row_count > 0
        if table.row_count == 0:
            what = "Warning events" if table.warnings_only else "events"
            if table.filter_text:
                what += f' matching "{one_line(table.filter_text)}"'
            where = f'namespace "{one_line(app.namespace)}"' if app.namespace else "any namespace"
            empty.update(f"No {what} in {where} (the API server keeps events for one hour by default).")
