"""`PickerScreen`: choose a namespace or a context from a list, filtered as you type. The list loads in a
worker (it may take an API call); when listing is not allowed, a typed name is accepted as is."""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from k8sdoctor.errors import UserError
from k8sdoctor.tui.text import one_line

ALL = "(all namespaces)"


class PickerScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("down", "focus_list", show=False)]

    def __init__(
        self,
        title: str,
        load: Callable[[], list[str]],
        *,
        current: str | None = None,
        extra: list[str] | None = None,
        free_text: bool = False,
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.load = load
        self.current = current
        self.extra = extra or []
        self.free_text = free_text
        self.check = check  # a typed name that is not in the list: None to accept it, else why not
        self.choices: list[str] = list(self.extra)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(f"{self.title_text}: type to filter · enter: choose · esc: cancel", id="picker-title")
            search = Input(placeholder=f"{self.title_text.lower()} name", id="picker-input")
            search.cursor_blink = False
            yield search
            yield Static("", id="picker-error", markup=False)
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._fill("")
        self.load_choices()

    @work(thread=True)
    def load_choices(self) -> None:
        try:
            names = self.load()
        except UserError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            names = []
        self.app.call_from_thread(self._loaded, names)

    def _loaded(self, names: list[str]) -> None:
        self.choices = self.extra + [n for n in names if n not in self.extra]
        self._fill(self.query_one(Input).value)

    def _fill(self, query: str) -> None:
        words = query.lower().split()
        shown = [c for c in self.choices if all(w in c.lower() for w in words)]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(one_line(c) + ("  ◀ current" if c == self.current else ""), id=c) for c in shown])
        if shown:
            options.highlighted = shown.index(self.current) if self.current in shown and not words else 0

    @on(Input.Changed, "#picker-input")
    def filter_choices(self, event: Input.Changed) -> None:
        self.query_one("#picker-error", Static).display = False
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def choose_typed(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)
        elif self.free_text and event.value.strip():
            typed = event.value.strip()
            problem = self.check(typed) if self.check is not None else None
            if problem is None:
                self.dismiss(typed)
                return
            error = self.query_one("#picker-error", Static)
            error.update(one_line(problem))
            error.display = True

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()
