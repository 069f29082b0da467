"""`MainScreen`: the header, the pods table (or the state panel in its place), the selected pod's detail
and the footer. Its keys act on the selected pod or change what the table shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input

from k8sdoctor.model.commands import VIEWS
from k8sdoctor.model.sorting import COLUMN_SORTS, column_sort, next_sort, sort_by_column, sort_label
from k8sdoctor.tui.commands import ActionCommands, NamespaceCommands, PodCommands
from k8sdoctor.tui.palette import Palette
from k8sdoctor.tui.screens import help_screen
from k8sdoctor.tui.widgets.detail.pod_detail import PodDetail
from k8sdoctor.tui.widgets.header.cluster_header import ClusterHeader
from k8sdoctor.tui.widgets.header.connection_banner import ConnectionBanner
from k8sdoctor.tui.widgets.pods.filter_bar import FilterBar
from k8sdoctor.tui.widgets.pods.pod_table import PodTable
from k8sdoctor.tui.widgets.pods.state_panel import (
    NamespaceFact,
    StatePanel,
    no_rows_content,
    scope_empty_content,
    scope_name,
    state_panel_content,
    with_not_created,
)

if TYPE_CHECKING:
    from k8sdoctor.actions.context import ActionContext
    from k8sdoctor.core.inventory import Key, Ref
    from k8sdoctor.model.batch import Batch
    from k8sdoctor.tui.state import DoctorState

SELECT_DELAY = 0.12  # load a pod's detail once the cursor rests this long (not while a key is held down)
ACTIONS = {
    "describe": "describe_screen",
    "logs": "logs_screen",
    "previous_logs": "logs_screen",
    "debug": "debug_screen",
    "yaml": "yaml_screen",
}
POD_ACTIONS = {"describe", "logs", "previous_logs", "debug", "copy", "zoom", "yaml", "shell", "open_owner", "open_link"}


class MainScreen(Screen):
    app: DoctorState
    COMMANDS = App.COMMANDS | {PodCommands, NamespaceCommands, ActionCommands}
    BINDINGS = [
        Binding("question_mark", "app.help", "Help", key_display="?", tooltip="Keys and what the screens show"),
        Binding("q", "app.quit", "Quit"),
        Binding("d", "describe", "Describe", tooltip="Everything kubectl describe shows, findings highlighted"),
        Binding("l", "logs", "Logs", tooltip="Logs of the failing container"),
        Binding("p", "previous_logs", "Prev", tooltip="Logs of the previous (crashed) run"),
        Binding("x", "debug", "Debug", tooltip="Attach an ephemeral debug container (asks first)"),
        # priority, as "/": the menu is up before the keys typed after it are passed on ("cc": the top command)
        Binding(
            "c",
            "copy",
            "Copy",
            priority=True,
            tooltip="Copy a remediation command, the pod's name or the finding (c c: the top command)",
        ),
        # priority: handled before the keys typed after it are passed on, so "/kestra" typed in one burst
        # is a filter, not keys on the table (a plain binding runs only once "/" has bubbled up)
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        Binding("e", "events", "Events"),
        Binding("n", "pick_namespace", "Namespace"),
        Binding("ctrl+z", "toggle_problems", "Problems", tooltip="Show problems only"),
        Binding("ctrl+p", "app.command_palette", "Palette", tooltip="Pods, namespaces and actions by name"),
        Binding("C", "pick_context", "Context", key_display="C", show=False),
        # priority, as "/": the menu is up before the keys typed after it are passed on ("sb": bash)
        Binding("s", "shell", "Shell", show=False, priority=True, tooltip="A shell in a running container (kubectl exec -it)"),
        Binding("o", "cycle_sort", "Sort", show=False),
        Binding("O", "sort_by_column", "Sort by column", key_display="O", show=False, priority=True),
        Binding("r", "reconnect", "Reconnect", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding(
            "J", "open_owner", "Owner", key_display="J", show=False, tooltip="The pod's workload, as k9s jumps to an owner (esc: back)"
        ),
        *(Binding(str(n), f"open_link({n})", show=False) for n in range(1, 10)),
        Binding("y", "yaml", "YAML", show=False, tooltip="The pod as kubectl get -o yaml shows it"),
    ]
    KEYS_HELP = help_screen.KEYS

    def __init__(self) -> None:
        super().__init__()
        self._select_timer: Timer | None = None
        self._pending_action: tuple[Key, str, dict] | None = None  # an action waiting for its row's detail
        self._pod_selected = False
        self._ticks = 0
        self._namespaces: dict[str, NamespaceFact | None] = {}  # empty namespaces checked for existence
        self.scope: Ref | None = None  # the drill-down: only the pods of this object

    def compose(self) -> ComposeResult:
        yield ClusterHeader(self.app.monotonic, id="header")
        yield ConnectionBanner(self.app.monotonic, id="banner")
        yield FilterBar(id="filter")
        with Vertical(id="body"):
            yield PodTable(self.app.clock, id="pods")
            yield StatePanel(id="state")
            yield PodDetail(id="detail")
        # the palette's key is a binding of its own (last), not Footer's right-docked item, which the
        # keys overlapped below 120 columns and left a stale cell in the bottom-right corner
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(PodTable).focus()
        self.set_interval(1.0, self._tick)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw_detail())
        self.call_after_refresh(self._first_paint_done)

    def on_screen_resume(self) -> None:
        """Back from a modal (help, the palette, a picker): the keys are the table's again, never a
        hidden filter's."""
        bar = self.filter_bar
        if self.focused is None or (self.focused is bar and not bar.display):
            self.set_focus(self.table)

    def _first_paint_done(self) -> None:
        self.refresh_view()
        self.app.open_source()

    # ---- parts ---------------------------------------------------------------------------------------
    @property
    def table(self) -> PodTable:
        return self.query_one(PodTable)

    @property
    def detail(self) -> PodDetail:
        return self.query_one(PodDetail)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    # ---- data from the app -------------------------------------------------------------------------
    def apply_batch(self, batch: Batch, fresh: bool) -> None:
        table = self.table
        if fresh:
            table.clear()
            self.detail.clear_detail("Select a pod to see what is wrong with it.")
        table.apply(batch.changed, batch.removed, batch.provisional)
        if batch.scope is not None and batch.scope.ref == self.scope:
            table.set_scope(batch.scope.keys if batch.scope.ref is not None else None)
        detail = batch.detail
        if detail is not None and detail.row.key == table.cursor_key:
            self.detail.show(detail, Palette.from_app(self.app), self.app.clock())
            self._run_pending_action()
        self.refresh_view()

    def scope_changed(self) -> None:
        """The namespace or context is about to change: say so at once."""
        self._namespaces.clear()
        self.table.show_namespace = self.app.namespace is None
        self.refresh_view()
        self.refresh_bindings()

    def refresh_view(self) -> None:
        app, table = self.app, self.table
        table.show_namespace = app.namespace is None
        flags = tuple(
            f
            for f in (
                f"diagnosing {len(table.pending)}…" if table.pending else "",
                "problems only" if table.problems_only else "",
                sort_label(table.sort_mode, {c.key: c.label for c in table.columns}),
                "read-only" if app.options.read_only and (app.info is None or app.info.live) else "",
            )
            if f
        )
        header = self.query_one(ClusterHeader)
        header.flags, header.view = flags, scope_name(self.scope)
        waiting = header.waiting_for()
        self.query_one(ConnectionBanner).show(app.health, app.clock())
        body = self.query_one("#body")
        if table.row_count:
            if body.has_class("-no-rows"):
                body.remove_class("-no-rows")
                if self.focused is None:
                    table.focus()
            return
        state = self.query_one(StatePanel)
        if self.scope is not None:
            state.update(scope_empty_content(self.scope, app.rows.rows(self.scope[0]).get(self.scope)))
        elif table.all_rows:
            state.update(no_rows_content(table.filter.query, table.problems_only, len(table.all_rows)))
        else:
            namespace = self._namespace_fact(app.namespace) if app.health.state == "empty" else None
            content = state_panel_content(app.health, app.info, app.namespace, app.options.selector, app.monotonic, namespace, waiting)
            state.update(with_not_created(content, app.summary.not_created) if app.health.state == "empty" else content)
        body.add_class("-no-rows")
        self.detail.clear_detail("")

    def _namespace_fact(self, namespace: str | None) -> NamespaceFact | None:
        """Whether an empty namespace exists (None until known: a worker asks the cluster once)."""
        if namespace is None or self.app.source is None:
            return None
        fact = self._namespaces.get(namespace)
        if fact is None and namespace not in self._namespaces:
            self._namespaces[namespace] = None
            self._check_namespace(namespace)
        return fact

    @work(thread=True, group="namespace-check")
    def _check_namespace(self, namespace: str) -> None:
        source = self.app.source
        listed = source.namespaces() if source is not None else []
        self.app.call_from_thread(self._namespace_checked, namespace, NamespaceFact.from_list(namespace, listed))

    def _namespace_checked(self, namespace: str, fact: NamespaceFact) -> None:
        self._namespaces[namespace] = fact
        self.refresh_view()

    def _tick(self) -> None:
        """Once a second: countdowns and staleness; every ten seconds the AGE column."""
        self._ticks += 1
        health = self.app.health
        if health.retry_at is not None or health.stale_since is not None or health.state in ("connecting", "syncing"):
            self.refresh_view()
        if self._ticks % 10 == 0:
            self.table.refresh()

    def _redraw_detail(self) -> None:
        detail = self.detail.detail
        if detail is not None:
            self.detail.show(detail, Palette.from_app(self.app), self.app.clock(), force=True)

    # ---- selection ---------------------------------------------------------------------------------
    @on(PodTable.CursorMoved)
    def cursor_moved(self, event: PodTable.CursorMoved) -> None:
        """Load the detail of the row the cursor rests on. Keys typed in a burst are handled before the
        messages of the moves they made arrive, so this looks at where the cursor is now, not at the
        row the message names, and keeps an action that is waiting for the row the cursor is on."""
        if self._select_timer is not None:
            self._select_timer.stop()
        key = self.table.cursor_key
        if self._pending_action is not None and self._pending_action[0] != key:
            self._pending_action = None
        if (key is not None) != self._pod_selected:  # pod actions become available or not: redraw the footer
            self._pod_selected = key is not None
            self.refresh_bindings()
        if key is None:
            return
        if key in self.table.pending:
            self.detail.clear_detail(f"Diagnosing {key[1]}…")
        self._select_timer = self.set_timer(SELECT_DELAY, self._select_cursor)

    def _select_cursor(self) -> None:
        key = self.table.cursor_key
        if key is not None:
            self._select(key)

    def _select(self, key: Key) -> None:
        if self.app.feed is not None:
            self.app.feed.select(key)

    @on(PodTable.RowActivated)
    def row_activated(self) -> None:
        self.action_zoom()

    def select_pod(self, key: Key) -> None:
        """Put the cursor on a pod (from the command palette), clearing what would hide it."""
        table = self.table
        if key not in table.all_rows:
            return
        if not table.select_key(key):
            table.problems_only = False
            table.set_filter("")
            self.filter_bar.value = ""
            self.filter_bar.display = False
            table.select_key(key)
        table.focus()

    # ---- filter ------------------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Filter the pods by `text` (`:pods web`), shown in the filter bar."""
        self.filter_bar.value = text
        self.filter_bar.display = bool(text)
        self.table.set_filter(text)
        self.refresh_view()

    def action_filter(self) -> None:
        bar = self.filter_bar
        if bar.has_focus:
            raise SkipAction()  # a "/" typed in the filter is text
        bar.display = True
        self.set_focus(bar)  # now, not after a refresh: keys typed right after "/" are the filter's

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self.refresh_view()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.filter_bar.display = False
        self.table.focus()

    def action_back(self) -> None:
        """esc: leave the filter input (clearing it), else leave the zoomed detail, else clear the filter,
        else go back to the view shown before (a drill-down's workload, a linked object's view)."""
        body, bar = self.query_one("#body"), self.filter_bar
        if bar.has_focus or (bar.value and not body.has_class("-zoom")):
            bar.value = ""
            bar.display = False
            self.table.focus()
        elif body.has_class("-zoom"):
            body.remove_class("-zoom")
            self.table.focus()
        elif self.scope is not None or self.app.history:
            self.app.go_back()

    # ---- views: drill-down and links ---------------------------------------------------------------
    def show_pods(self, scope: Ref | None, select: Key | Ref | None) -> None:
        """Every pod (scope None) or only those of one object, the cursor on `select` when given."""
        if scope != self.scope:
            self.scope = scope
            self.table.set_scope(None if scope is None else frozenset())
            if self.app.feed is not None:
                self.app.feed.scope_pods(scope)
            self.refresh_view()
        if select is not None and len(select) == 2:
            self.select_pod(select)
        self.table.focus()

    def action_open_owner(self) -> None:
        links = self._links()
        link = next((link for link in links if link.relation == "workload"), None)
        if link is None:
            self.notify("This pod has no workload: nothing owns it.", timeout=4)
        else:
            self._open(link.ref)

    def action_open_link(self, number: int) -> None:
        links = self._links()
        if not 0 < number <= len(links):
            self.notify(f"No related object {number}: the detail lists {len(links)}.", timeout=4)
            return
        self._open(links[number - 1].ref)

    def _open(self, ref: Ref) -> None:
        """The view of a related object's kind, on it; a kind with no view (a CNPG Cluster, a Tekton
        TaskRun owning the pod) says so."""
        if ref[0] not in VIEWS.values():
            self.notify(f"It is a {ref[0]}, which has no view here.", timeout=4)
            return
        self.app.navigate(ref[0], select=ref)

    def _links(self) -> tuple:
        detail = self.detail.detail
        row = self.table.selected
        return detail.links if detail is not None and row is not None and detail.row.key == row.key else ()

    def action_zoom(self) -> None:
        if self.table.selected is None:
            return
        body = self.query_one("#body")
        body.toggle_class("-zoom")
        (self.detail if body.has_class("-zoom") else self.table).focus()

    # ---- view toggles ------------------------------------------------------------------------------
    def action_toggle_problems(self) -> None:
        self.table.problems_only = not self.table.problems_only
        self.refresh_view()

    def action_cycle_sort(self) -> None:
        self.table.sort_mode = next_sort(self.table.sort_mode)
        self.refresh_view()

    def action_sort_by_column(self) -> None:
        """A menu of the shown columns; the column sorted now, chosen again, reverses."""
        if self.filter_bar.has_focus:
            raise SkipAction()  # an "O" typed in the filter is text
        from k8sdoctor.tui.actions.menu import MenuItem, MenuScreen

        sorted_now = column_sort(self.table.sort_mode)
        columns = [c for c in self.table.shown_columns() if c.key in COLUMN_SORTS]
        items = [
            MenuItem(
                c.key,
                c.label,
                key,
                ("▼ now: again for ▲" if sorted_now[1] else "▲ now: again for ▼") if sorted_now and sorted_now[0] == c.key else "",
            )
            for c, key in zip(columns, "123456789", strict=False)
        ]
        highlighted = sorted_now[0] if sorted_now else None
        self.app.push_screen(MenuScreen("Sort the pods by", items, hint="o: the usual orders", highlighted=highlighted), self._sort_chosen)

    def _sort_chosen(self, column: str | None) -> None:
        if column is None:
            return
        self.table.sort_mode = sort_by_column(self.table.sort_mode, column)
        self.refresh_view()

    def action_events(self) -> None:
        from k8sdoctor.tui.screens.events_screen import EventsScreen

        self.app.push_screen(EventsScreen())

    def action_reconnect(self) -> None:
        self.app.reconnect()

    # ---- scope -------------------------------------------------------------------------------------
    def action_pick_namespace(self) -> None:
        from k8sdoctor.core.suggest import close_matches
        from k8sdoctor.tui.screens.picker_screen import ALL, PickerScreen

        app = self.app
        known = sorted({key[0] for key in self.table.all_rows})
        source = app.source
        listed: list[str] = []

        def load() -> list[str]:
            listed[:] = source.namespaces() if source is not None else []
            return sorted(set(listed) | set(known) | ({app.namespace} if app.namespace else set()))

        def check(typed: str) -> str | None:
            """A typed namespace must exist, when the cluster lets us list them."""
            if not listed or typed in listed:
                return None
            near = close_matches(typed, listed)
            return f'Namespace "{typed}" does not exist.' + (f" Did you mean {', '.join(near)}?" if near else "")

        def chosen(value: str | None) -> None:
            if value is not None:
                app.change_namespace(None if value == ALL else value)

        picker = PickerScreen("Namespace", load, current=app.namespace or ALL, extra=[ALL], free_text=True, check=check)
        app.push_screen(picker, chosen)

    def action_pick_context(self) -> None:
        from k8sdoctor.model.live_source import kube_contexts
        from k8sdoctor.tui.screens.picker_screen import PickerScreen

        app = self.app

        def chosen(value: str | None) -> None:
            if value is not None and app.info is not None and value != app.info.context:
                app.switch_context(value)

        current = app.info.context if app.info else None
        kubeconfig = getattr(app.source, "kubeconfig", app.options.kubeconfig)
        app.push_screen(PickerScreen("Context", lambda: kube_contexts(kubeconfig)[0], current=current), chosen)

    # ---- actions on the selected pod ---------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        info = self.app.info
        if action in POD_ACTIONS and self.table.selected is None:
            return None
        if action in ("pick_context", "reconnect") and (info is None or not info.live):
            return None
        return True

    # ---- keys that cannot act say why --------------------------------------------------------------
    def action_yaml(self) -> None:
        self._open_action("yaml", {})

    def action_shell(self) -> None:
        if self.filter_bar.has_focus:
            raise SkipAction()  # an "s" typed in the filter is text
        self._open_action("shell", {})

    def action_describe(self) -> None:
        self._open_action("describe", {})

    def action_logs(self) -> None:
        self._open_action("logs", {"previous": False})

    def action_previous_logs(self) -> None:
        self._open_action("previous_logs", {"previous": True})

    def action_debug(self) -> None:
        info = self.app.info
        if self.app.options.read_only:
            self.notify("Debug is off: k8sdoctor runs with --read-only (adding a debug container is its one write).", timeout=5)
        elif info is not None and not info.live:
            self.notify("Debug needs a live cluster: a snapshot is read-only.", timeout=5)
        else:
            self._open_action("debug", {})

    def _open_action(self, action: str, kwargs: dict) -> None:
        row = self.table.selected
        if row is None:
            return
        shown = self.detail.detail
        if shown is None or shown.row.key != row.key:
            self._pending_action = (row.key, action, kwargs)  # opens as soon as this pod's detail arrives
            self._select(row.key)
            return
        if action == "shell":  # a menu, then the terminal: no screen of its own
            from k8sdoctor.tui.actions.shell import ShellLauncher

            ShellLauncher(self.app, self.action_context(), row.namespace, row.name).start()
            return
        try:
            from k8sdoctor.tui import actions

            factory = getattr(actions, ACTIONS[action])
        except (ImportError, AttributeError):
            self.notify(f"{action.replace('_', ' ')} is not available in this build", severity="error")
            return
        self.app.push_screen(factory(self.action_context(), row.namespace, row.name, **kwargs))

    def _run_pending_action(self) -> None:
        pending = self._pending_action
        if pending is not None and pending[0] == self.table.cursor_key:
            self._pending_action = None
            self._open_action(pending[1], pending[2])

    def action_context(self) -> ActionContext:
        from k8sdoctor.actions.context import ActionContext

        app, detail, rows = self.app, self.detail.detail, self.table.all_rows
        assert detail is not None

        def diagnosis(namespace: str, name: str):
            row = rows.get((namespace, name))
            return row.diagnosis if row is not None else None

        def rediagnose(namespace: str, name: str) -> None:
            if app.feed is not None:
                app.feed.rediagnose((namespace, name))

        source = app.source
        return ActionContext(
            inventory=detail.inventory,
            client=source.client if source is not None else None,
            read_only=app.options.read_only,
            diagnosis=diagnosis,
            clock=app.clock,
            rediagnose=rediagnose,
            choices=app.choices,
        )

    def action_copy(self) -> None:
        if self.filter_bar.has_focus:
            raise SkipAction()  # a "c" typed in the filter is text
        row = self.table.selected
        if row is not None:
            from k8sdoctor.tui.actions.copy import CopyMenu

            CopyMenu(self.app, row).start()
