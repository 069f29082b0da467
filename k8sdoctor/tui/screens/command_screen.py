"""`CommandScreen`: the `:` command line over the current view, as in k9s. It returns what was typed
(enter) or None (esc); the app carries it out (`model.commands.parse_command`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from k8sdoctor.tui.widgets.command.command_input import CommandInput

if TYPE_CHECKING:
    from k8sdoctor.tui.state import DoctorState


class CommandScreen(ModalScreen[str | None]):
    app: DoctorState
    DEFAULT_CSS = """
    CommandScreen {
        align: center top;
        background: $background 40%;
    }
    CommandScreen > #command {
        width: 100%;
        height: auto;
        margin-top: 1;
        border: round $accent;
        background: $panel;
        padding: 0 1;
    }
    CommandScreen #command-input {
        height: 1;
        border: none;
        padding: 0;
        background: $panel;
    }
    CommandScreen #command-hint {
        height: 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """
    BINDINGS = [Binding("escape", "dismiss_prompt", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="command"):
            yield CommandInput(id="command-input")
            yield Static("", id="command-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(CommandInput).focus()
        self._show_hint("")
        self._learn_names()

    @work(thread=True, group="command-names", exclusive=True)
    def _learn_names(self) -> None:
        """Namespaces (the cluster's, or those seen) and contexts, for completion."""
        app = self.app
        source = app.source
        namespaces = source.namespaces() if source is not None else []
        contexts: list[str] = []
        if app.info is not None and app.info.live:
            from k8sdoctor.errors import UserError
            from k8sdoctor.model.live_source import kube_contexts

            try:
                contexts = kube_contexts(getattr(source, "kubeconfig", app.options.kubeconfig))[0]
            except UserError:
                contexts = []
        self.app.call_from_thread(self.query_one(CommandInput).learn, namespaces, contexts)

    @on(Input.Changed, "#command-input")
    def typed(self, event: Input.Changed) -> None:
        self._show_hint(event.value)

    def _show_hint(self, value: str) -> None:
        found = self.query_one(CommandInput).completions.candidates(value.strip()) if value.strip() else []
        hint = "  ".join(found[:12]) if found else "tab completes · enter runs · esc cancels"
        self.query_one("#command-hint", Static).update(hint)

    @on(Input.Submitted, "#command-input")
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_dismiss_prompt(self) -> None:
        self.dismiss(None)
