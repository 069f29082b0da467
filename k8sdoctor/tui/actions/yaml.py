"""The YAML screen (`y`): the object as `kubectl get -o yaml` prints it, highlighted, searchable, with the
fields the diagnosis cites marked as in describe. managedFields are hidden, as kubectl hides them; `m`
shows them. Live, the object is read again from the API server (as kubectl reads it); from a snapshot,
it is the object the snapshot holds."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from k8sdoctor.actions.citations import Citation, cited_lines
from k8sdoctor.actions.context import ActionContext
from k8sdoctor.actions.search import Search
from k8sdoctor.actions.yaml_view import YamlDocument, read_object, yaml_document
from k8sdoctor.errors import UserError
from k8sdoctor.tui.actions.document_keys import DOCUMENT_BINDINGS, DocumentKeys, citation_marks
from k8sdoctor.tui.actions.lines_view import LinesView
from k8sdoctor.tui.actions.search_bar import SearchBar
from k8sdoctor.tui.text import one_line


class YamlScreen(DocumentKeys, Screen[None]):
    CSS_PATH = "actions.tcss"
    BINDINGS = [
        *DOCUMENT_BINDINGS,
        Binding("m", "managed_fields", "managedFields", tooltip="Show or hide metadata.managedFields"),
        Binding("r", "reload", "Reload", show=False),
    ]
    KEYS_HELP = (
        (
            "YAML",
            (
                ("↑ ↓  j k", "scroll (pgup/pgdn; g/home: top, G/end: bottom; ← → for long lines)"),
                ("c / C", "next / previous field the diagnosis cites (marked ✖ ▲ ● in the margin)"),
                ("/", "search (plain text; a capital letter makes it case-sensitive)"),
                ("n / N", "next / previous match"),
                ("m", "show / hide metadata.managedFields (hidden by default, as kubectl does)"),
                ("r", "read the object again"),
                ("esc / q", "back"),
            ),
        ),
    )

    def __init__(self, ctx: ActionContext, kind: str, namespace: str, name: str) -> None:
        super().__init__()
        self.ctx, self.kind, self.namespace, self.object_name = ctx, kind, namespace, name
        self.obj: dict | None = None
        self.doc: YamlDocument | None = None
        self.managed_fields = False
        self.citations: dict[int, list[Citation]] = {}
        self.search = Search()
        self.note = ""  # why what is shown may not be the object as it is now

    def compose(self) -> ComposeResult:
        yield Static(f"yaml {self.kind.lower()} {self._where()}", id="title", classes="action-title", markup=False)
        yield LinesView(id="yaml")
        yield SearchBar()
        yield Static("", id="status", classes="action-status", markup=False)
        yield Footer(show_command_palette=False)  # ctrl+p still opens it; see MainScreen

    def _where(self) -> str:
        return one_line(f"{self.namespace}/{self.object_name}" if self.namespace else self.object_name)

    def _status(self, text: str) -> None:
        if self.note and not text.startswith(self.note):
            text = f"{self.note} · {text}"
        self.query_one("#status", Static).update(one_line(text))

    def on_mount(self) -> None:
        self.action_reload()
        self.view.focus()

    # ---- reading ------------------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.note = ""
        if self.ctx.client is None:
            obj = self.ctx.inventory.get(self.kind, self.namespace, self.object_name)
            self.note = "from the snapshot"
            self._show(obj, None if obj is not None else f"{self.kind.lower()} {self._where()} is not in the snapshot")
        else:
            self._status(f"reading {self.kind.lower()} {self._where()}…")
            self._read_live()

    @work(thread=True, exclusive=True, group="yaml")
    def _read_live(self) -> None:
        client = self.ctx.client
        assert client is not None  # only started on a live cluster (see action_reload)
        obj: dict | None
        try:
            obj, error = read_object(client, self.kind, self.namespace, self.object_name), None
        except UserError as exc:
            obj, error = self.ctx.inventory.get(self.kind, self.namespace, self.object_name), str(exc)
            if obj is not None:
                self.note = f"could not read it ({exc}); showing what the app knows"
        self.app.call_from_thread(self._show, obj, error)

    def _show(self, obj: dict | None, error: str | None) -> None:
        if obj is None:
            self.obj = self.doc = None
            self.view.show([f"Nothing to show: {error or 'not found'}."], kinds={0: "heading"})
            self._status("esc: back")
            return
        self.obj = obj
        self._show_document()

    def _show_document(self) -> None:
        assert self.obj is not None
        doc = self.doc = yaml_document(self.kind, self.obj, managed_fields=self.managed_fields)
        diagnosis = self.ctx.diagnosis(self.namespace, self.object_name) if self.kind == "Pod" else None
        self.citations = cited_lines(doc.lines, diagnosis)
        kinds, marks = citation_marks(self.citations)
        self.view.show([line.text for line in doc.lines], kinds=kinds, marks=marks, highlights=doc.highlights)
        if self.search.query:
            self.search.refresh(self.view.lines)
            self._show_search()
        else:
            self._status(self._summary())

    def _summary(self) -> str:
        doc = self.doc
        assert doc is not None
        parts = []
        count = len(self.citations)
        if count:
            parts.append(f"{count} line{'s' if count != 1 else ''} cited by the diagnosis (c: next)")
        if doc.shows_managed_fields:
            parts.append(f"managedFields shown ({doc.managed_fields}; m: hide)")
        elif doc.managed_fields:
            parts.append(f"managedFields hidden ({doc.managed_fields} entries; m: show)")
        return " · ".join(parts) or f"kubectl get {self.kind.lower()} -o yaml"

    # ---- keys ---------------------------------------------------------------------------------------
    def action_managed_fields(self) -> None:
        if self.doc is None:
            return
        if not self.doc.managed_fields:
            why = "a snapshot does not keep them" if not self.ctx.live else "the object has none"
            self.notify(f"No managedFields to show: {why}.", timeout=4)
            return
        self.managed_fields = not self.managed_fields
        top = self.view.top_line
        self._show_document()
        self.view.scroll_to_line(top if not self.managed_fields else 0, center=False)

    def action_back(self) -> None:
        self.dismiss(None)
