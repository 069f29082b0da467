"""`SavePathScreen`: ask where to save (an Input prefilled with a file name), and ask again before an
existing file is replaced. Dismissed with (path, replace) or None when cancelled; the caller writes."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from k8sdoctor.tui.text import one_line

HINT = "enter: save · esc: cancel"


class SavePathScreen(ModalScreen[tuple[Path, bool] | None]):
    CSS_PATH = "menu.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, default: str) -> None:
        super().__init__()
        self.title_text, self.default = title, default
        self._replace: Path | None = None  # the existing file the user was asked about

    def compose(self) -> ComposeResult:
        with Vertical(id="menu"):
            yield Static(one_line(self.title_text), id="menu-title", markup=False)
            yield Input(self.default, id="save-path")
            yield Static(HINT, id="menu-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def path_changed(self) -> None:
        self._replace = None
        self.query_one("#menu-hint", Static).update(HINT)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        hint = self.query_one("#menu-hint", Static)
        try:
            path = Path(text).expanduser()
            is_dir, exists = path.is_dir(), path.exists()
        except (OSError, RuntimeError, ValueError) as exc:  # ~nosuchuser, a path it may not look into, a NUL
            hint.update(one_line(f"cannot use {text}: {exc}"))
            return
        if is_dir:
            hint.update(one_line(f"{text} is a directory: type a file name"))
            return
        if exists and self._replace != path:
            self._replace = path
            hint.update("that file exists: enter again to replace it · esc: cancel")
            return
        self.dismiss((path, self._replace == path))
