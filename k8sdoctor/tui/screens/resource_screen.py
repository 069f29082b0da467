"""`ResourceScreen`: one kind's view (`:deploy`, `:svc`, `:pvc`, `:nodes`...): the header, the objects as
`kubectl get` shows them plus DIAGNOSIS, the selected object's detail and the footer. Enter shows the pods
it stands for (a workload's, a Service's, a node's, a claim's); esc goes back the way came.

One screen per kind, installed once and kept: its cursor and filter survive leaving and coming back.
The rows come from the app (`ViewRows`); the screen rebuilds its table when its kind's rows changed and it
is the one shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from k8sdoctor.core.kube.kinds import BY_KIND
from k8sdoctor.model.commands import VIEWS
from k8sdoctor.model.forbidden import missing_permission
from k8sdoctor.model.relations import DRILLABLE
from k8sdoctor.tui.palette import Palette
from k8sdoctor.tui.text import one_line
from k8sdoctor.tui.widgets.header.cluster_header import ClusterHeader
from k8sdoctor.tui.widgets.header.connection_banner import ConnectionBanner
from k8sdoctor.tui.widgets.resources.object_detail import ObjectDetail
from k8sdoctor.tui.widgets.resources.object_table import ObjectTable

if TYPE_CHECKING:
    from k8sdoctor.cluster.view import ObjectRow
    from k8sdoctor.core.inventory import Key, Ref
    from k8sdoctor.tui.state import DoctorState

SELECT_DELAY = 0.08  # render the detail once the cursor rests (not while a key is held down)
Section = tuple[str, tuple[tuple[str, str], ...]]


def view_title(kind: str) -> str:
    """What the header calls the view: "deployments", "persistentvolumeclaims"."""
    return BY_KIND[kind].plural


def drill_hint(kind: str) -> str:
    if kind not in DRILLABLE:
        return ""
    whose = {"Node": "the pods on it", "PersistentVolumeClaim": "the pods that mount it", "Service": "the pods it selects"}
    return f"enter: {whose.get(kind, 'its pods')} · esc: back"


class ResourceScreen(Screen):
    app: DoctorState
    AUTO_FOCUS = "ObjectTable"  # not the hidden filter input, which comes first
    DEFAULT_CSS = """
    ResourceScreen #resource-body {
        height: 1fr;
    }
    ResourceScreen #resource-body ObjectTable {
        height: 45%;
    }
    ResourceScreen #resource-empty {
        display: none;
        height: 1fr;
        padding: 1 2;
        content-align: center middle;
        text-align: center;
        background: $surface;
    }
    ResourceScreen #resource-body.-no-rows #resource-empty {
        display: block;
    }
    ResourceScreen #resource-body.-no-rows ObjectTable, ResourceScreen #resource-body.-no-rows ObjectDetail,
    ResourceScreen #resource-body.-zoom ObjectTable {
        display: none;
    }
    ResourceScreen #resource-filter {
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    ResourceScreen #resource-filter:focus {
        border: none;
        background: $surface;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
        Binding("J", "open_owner", "Owner", key_display="J", tooltip="The object's workload (a ReplicaSet's Deployment, a Job's CronJob)"),
        Binding("z", "zoom", "Zoom", tooltip="The detail alone (z again: back)"),
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        Binding("ctrl+z", "toggle_problems", "Problems", tooltip="Show problems only"),
    ]
    KEYS_HELP: tuple[Section, ...] = (
        (
            "This view",
            (
                ("↑ ↓  j k", "move in the table (pgup/pgdn, home/end or g/G)"),
                ("enter", "the pods of the selected object (a workload's, a Service's, a node's, a claim's)"),
                ("J", "the selected object's workload (a ReplicaSet's Deployment, a Job's CronJob)"),
                ("z", "zoom the detail (z or esc: back)"),
                ("/", "filter: words of a name, namespace, status or cause"),
                ("ctrl+z", "show problems only"),
                ("tab", "move focus between the table and the detail (to scroll it)"),
                ("esc / q", "back to the view before"),
            ),
        ),
        (
            "Views (: then a name, tab completes)",
            (
                (":pods :deploy :sts :ds :rs", "pods, Deployments, StatefulSets, DaemonSets, ReplicaSets"),
                (":jobs :cj :svc :ing", "Jobs, CronJobs, Services, Ingresses"),
                (":pvc :nodes :hpa", "claims, nodes, autoscalers (kubectl's names work too)"),
                (":problems", "every object of every kind with a problem, worst first"),
                (":ns NAME  :ctx NAME", "another namespace (ns all: every one) / context"),
            ),
        ),
    )

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._version = -1
        self._select: Ref | None = None  # a row to put the cursor on once it is shown
        self._filter: str | None = None  # a filter to set once it is shown
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield ClusterHeader(self.app.monotonic, id="header")
        yield ConnectionBanner(self.app.monotonic, id="banner")
        yield Input(placeholder="filter: words of a name, namespace, status or cause · enter keeps it · esc clears", id="resource-filter")
        with Vertical(id="resource-body"):
            yield ObjectTable(self.kind, self.app.clock, id="objects")
            yield Static(id="resource-empty")
            yield ObjectDetail(id="object-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.focused is None:  # a key typed as the view appeared (/ opens the filter) keeps its focus
            self.table.focus()
        self.watch(self.app, "health", self._health_changed, init=False)
        self.watch(self.app, "namespace", self._namespace_changed, init=False)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._show_detail(force=True))
        if self._filter is not None:
            self.set_filter(self._filter)
            self._filter = None
        self.rows_changed()

    def on_screen_resume(self) -> None:
        self.rows_changed()
        if self.focused is None:
            self.table.focus()

    # ---- parts -------------------------------------------------------------------------------------
    @property
    def table(self) -> ObjectTable:
        return self.query_one(ObjectTable)

    @property
    def detail(self) -> ObjectDetail:
        return self.query_one(ObjectDetail)

    @property
    def cursor_ref(self) -> Ref | None:
        return self.table.cursor_key

    # ---- data from the app -------------------------------------------------------------------------
    def current_rows(self) -> list[ObjectRow]:
        return list(self.app.rows.rows(self.kind).values())

    def rows_version(self) -> int:
        return self.app.rows.version(self.kind)

    def rows_changed(self) -> None:
        """The app applied a batch (or the screen is shown again): rebuild when this view's rows changed."""
        if not self.is_mounted:
            return
        version = self.rows_version()
        if version != self._version:
            self._version = version
            self.table.show_namespace = self.app.namespace is None
            self.table.show_rows(self.current_rows())
            self._apply_pending_select()
        self.refresh_view()

    def select_later(self, ref: Key | Ref) -> None:
        """Put the cursor on this row, now or as soon as it is shown (clearing what hides it)."""
        self._select = ref  # type: ignore[assignment]
        if self.is_mounted:
            self._apply_pending_select()

    def _apply_pending_select(self) -> None:
        ref, table = self._select, self.table
        if ref is None or ref not in table.all_rows:
            return
        self._select = None
        if not table.select_key(ref):
            table.problems_only = False
            self.set_filter("")
            table.select_key(ref)
        self._show_detail()

    def filter_later(self, text: str) -> None:
        """Filter the rows by `text`, now or as soon as the view is shown."""
        if self.is_mounted:
            self.set_filter(text)
        else:
            self._filter = text

    def set_filter(self, text: str) -> None:
        bar = self.query_one("#resource-filter", Input)
        bar.value = text
        bar.display = bool(text)
        self.table.set_filter(text)
        self.refresh_view()

    def _health_changed(self) -> None:
        self.refresh_view()

    def _namespace_changed(self) -> None:
        self._version = -1
        self.rows_changed()

    def refresh_view(self) -> None:
        table, app = self.table, self.app
        flags = tuple(
            f for f in ("problems only" if table.problems_only else "", f"filter: {table.filter_text}" if table.filter_text else "") if f
        )
        header = self.query_one(ClusterHeader)
        header.flags, header.view = flags, self.title_text()
        self.query_one(ConnectionBanner).show(app.health, app.clock())
        body = self.query_one("#resource-body")
        if table.row_count:
            body.remove_class("-no-rows")
            self._show_detail()
            return
        body.add_class("-no-rows")
        self.query_one("#resource-empty", Static).update(self.empty_content())

    def title_text(self) -> str:
        return view_title(self.kind)

    def empty_content(self) -> Content:
        """Why the view has no rows: not listed yet, not allowed, none there, or none matching."""
        app, table = self.app, self.table
        plural = view_title(self.kind)
        where = f'namespace "{one_line(app.namespace)}"' if app.namespace and BY_KIND[self.kind].namespaced else "the cluster"
        forbidden = dict(app.health.forbidden).get(self.kind)
        if forbidden is not None:
            parts: list[str | tuple[str, str]] = [
                (f"Not allowed to list {BY_KIND[self.kind].resource}", "bold $text-error"),
                f" in {where}.\n",
            ]
            parts += [("The API server said: ", "$text-muted"), one_line(forbidden)]
            perm = missing_permission(forbidden)
            if perm is not None:
                parts += [("\nMissing permission: ", "$text-muted"), (perm.needed, "bold")]
                parts += [("\nCheck it with: ", "$text-muted"), (perm.can_i, "$text-accent")]
            parts.append(("\nThe other views go on without it.", "$text-muted"))
            return Content.assemble(*parts)
        if table.all_rows:
            if table.filter_text:
                return Content.assemble(
                    (f'No {plural} match "{one_line(table.filter_text)}".', "bold"), ("\nPress esc to clear the filter.", "$text-muted")
                )
            return Content.assemble(
                (f"No problems: all {len(table.all_rows)} {plural} are healthy.", "bold $text-success"),
                ("\nPress ctrl+z to show them all.", "$text-muted"),
            )
        if app.health.state in ("connecting", "syncing"):
            return Content.assemble((f"Listing {plural}…", "bold"))
        return Content.assemble((f"No {plural} in {where}.", "bold"), ("\nPress : for another view, esc to go back.", "$text-muted"))

    # ---- selection and detail ----------------------------------------------------------------------
    @on(ObjectTable.CursorMoved)
    def cursor_moved(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SELECT_DELAY, self._show_detail)

    def _show_detail(self, force: bool = False) -> None:
        row = self.table.selected
        self.detail.show(row, Palette.from_app(self.app), self.app.clock(), self._drill_text(row), force=force)

    def _drill_text(self, row: ObjectRow | None) -> str:
        return drill_hint(row.kind) if row is not None else ""

    # ---- keys --------------------------------------------------------------------------------------
    @on(ObjectTable.RowActivated)
    def row_activated(self) -> None:
        self.action_drill()

    def action_drill(self) -> None:
        row = self.table.selected
        if row is None:
            return
        if row.kind not in DRILLABLE:
            self.notify(f"A {row.kind} has no pods of its own; its detail names the objects it depends on.", timeout=4)
            return
        self.app.navigate("Pod", scope=row.ref)

    def action_open_owner(self) -> None:
        row = self.table.selected
        owner = row.diagnosis.owner if row is not None else None
        if row is None or not owner or not owner.get("kind") or not owner.get("name"):
            self.notify("Nothing owns this object.", timeout=4)
            return
        kind = str(owner["kind"])
        if kind not in VIEWS.values():
            self.notify(f"Its owner is a {kind}, which has no view here.", timeout=4)
            return
        self.app.navigate(kind, select=(kind, row.namespace, str(owner["name"])))

    def action_back(self) -> None:
        """esc: leave the filter input (clearing it), else un-zoom, else go back."""
        bar, body = self.query_one("#resource-filter", Input), self.query_one("#resource-body")
        if bar.has_focus or bar.value:
            self.set_filter("")
            self.table.focus()
        elif body.has_class("-zoom"):
            body.remove_class("-zoom")
            self.table.focus()
        else:
            self.app.go_back()

    def action_zoom(self) -> None:
        if self.table.selected is None:
            return
        body = self.query_one("#resource-body")
        body.toggle_class("-zoom")
        (self.detail if body.has_class("-zoom") else self.table).focus()

    def action_filter(self) -> None:
        bar = self.query_one("#resource-filter", Input)
        if bar.has_focus:
            raise SkipAction()
        bar.display = True
        self.set_focus(bar)

    @on(Input.Changed, "#resource-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self.refresh_view()

    @on(Input.Submitted, "#resource-filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#resource-filter", Input).display = False
        self.table.focus()

    def action_toggle_problems(self) -> None:
        self.table.problems_only = not self.table.problems_only
        self.refresh_view()
