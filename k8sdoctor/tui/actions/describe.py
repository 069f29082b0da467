"""The describe screen (`d`): everything `kubectl describe pod` shows, with section headings, `/` search,
and the fields the diagnosis cites highlighted (`c` jumps from one to the next)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from k8sdoctor.actions.citations import Citation, cited_lines
from k8sdoctor.actions.context import ActionContext
from k8sdoctor.actions.describe import describe_pod, read_for_describe
from k8sdoctor.actions.describe_doc import DescribeDocument
from k8sdoctor.actions.search import Search
from k8sdoctor.core.inventory import Inventory
from k8sdoctor.errors import ClusterError, NotFoundError
from k8sdoctor.tui.actions.document_keys import DOCUMENT_BINDINGS, DocumentKeys, citation_marks
from k8sdoctor.tui.actions.lines_view import LinesView
from k8sdoctor.tui.actions.search_bar import SearchBar
from k8sdoctor.tui.text import one_line


class DescribeScreen(DocumentKeys, Screen[None]):
    CSS_PATH = "actions.tcss"
    BINDINGS = [
        *DOCUMENT_BINDINGS,
        Binding("right_square_bracket", "section(True)", "Section", key_display="]", tooltip="Next section"),
        Binding("left_square_bracket", "section(False)", "Previous section", show=False),
        Binding("r", "reload", "Reload", show=False),
    ]
    KEYS_HELP = (
        (
            "Describe",
            (
                ("↑ ↓  j k", "scroll (pgup/pgdn; g/home: top, G/end: bottom)"),
                ("c / C", "next / previous field the diagnosis cites (marked ✖ ▲ ● in the margin)"),
                ("] / [", "next / previous section (Containers:, Conditions:, Events:...)"),
                ("/", "search (plain text; a capital letter makes it case-sensitive)"),
                ("n / N", "next / previous match"),
                ("r", "read the pod and its events again"),
                ("esc / q", "back to the pods"),
            ),
        ),
    )

    def __init__(self, ctx: ActionContext, namespace: str, name: str) -> None:
        super().__init__()
        self.ctx, self.namespace, self.pod_name = ctx, namespace, name
        self.doc: DescribeDocument | None = None
        self.citations: dict[int, list[Citation]] = {}
        self.search = Search()
        self.stale: str | None = None  # why what is shown is not the pod as it is now (a failed read)

    def compose(self) -> ComposeResult:
        yield Static(f"describe pod {one_line(self.namespace)}/{one_line(self.pod_name)}", classes="action-title", markup=False)
        yield LinesView(id="describe")
        yield SearchBar()
        yield Static("", id="status", classes="action-status", markup=False)
        yield Footer(show_command_palette=False)  # ctrl+p still opens it; see MainScreen

    def on_mount(self) -> None:
        self.action_reload()
        self.view.focus()

    def _status(self, text: str) -> None:
        """The status line; while what is shown is stale, it says so first, whatever else it says."""
        if self.stale and not text.startswith(self.stale):
            text = f"{self.stale} · {text}"
        self.query_one("#status", Static).update(one_line(text))

    def action_reload(self) -> None:
        self.stale = None
        if self.ctx.client is None:
            self._show(self.ctx.inventory)
        else:
            self._status("reading the pod and its events…")
            self._read_live()

    @work(thread=True, exclusive=True, group="describe")
    def _read_live(self) -> None:
        """Like `kubectl describe`: the pod and its events as they are now, read off the UI thread."""
        client = self.ctx.client
        assert client is not None  # only started on a live cluster (see action_reload)
        try:
            inventory = read_for_describe(client, self.namespace, self.pod_name)
        except NotFoundError:
            inventory = Inventory()
        except ClusterError as exc:
            self.app.call_from_thread(self._show, self.ctx.inventory, f"could not read the pod ({exc}); showing what the app knows")
            return
        self.app.call_from_thread(self._show, inventory)

    def _show(self, inventory: Inventory, stale: str | None = None) -> None:
        self.stale = stale
        try:
            self.doc = describe_pod(inventory, self.namespace, self.pod_name, self.ctx.clock())
        except NotFoundError:
            self.doc = None
            self.view.show([one_line(f"pod {self.namespace}/{self.pod_name} is no longer in the cluster")])
            self._status("the pod is gone")
            return
        self.citations = cited_lines(self.doc.lines, self.ctx.diagnosis(self.namespace, self.pod_name))
        kinds, marks = citation_marks(self.citations)
        kinds = {i: "heading" for i, line in enumerate(self.doc.lines) if line.heading} | kinds
        self.view.show([line.text for line in self.doc.lines], kinds=kinds, marks=marks)
        if self.search.query:
            self.search.refresh(self.view.lines)
            self._show_search()
        else:
            count = len(self.citations)
            self._status(
                f"{count} line{'s' if count != 1 else ''} cited by the diagnosis (c: next)"
                if count
                else "no field here is cited by the diagnosis"
            )

    # ---- navigation -----------------------------------------------------------------------------------
    def action_section(self, forward: bool) -> None:
        if self.doc is None:
            return
        starts = [s.start for s in self.doc.sections]
        top = self.view.top_line
        after = [s for s in starts if (s > top if forward else s < top)]
        if after:
            self.view.scroll_to_line(after[0] if forward else after[-1], center=False)

    def action_back(self) -> None:
        self.dismiss(None)
