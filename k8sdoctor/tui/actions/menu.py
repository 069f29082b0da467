"""`MenuScreen`: a short list to choose from (the container and shell `s` opens). Each item may have a key
of its own that chooses it at once; ↑ ↓ and enter choose the highlighted one; esc or q cancels. Labels
are cluster text: shown as plain text, on one line."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from k8sdoctor.tui.text import one_line


@dataclass(frozen=True)
class MenuItem:
    id: str
    label: str
    key: str = ""  # one character that chooses it at once ("" none)
    note: str = ""  # shown dimmed after the label
    enabled: bool = True


class MenuScreen(ModalScreen[str | None]):
    CSS_PATH = "menu.tcss"
    BINDINGS = [Binding("escape,q", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, items: list[MenuItem], *, hint: str = "", highlighted: str | None = None) -> None:
        super().__init__()
        self.title_text, self.items, self.hint = title, items, hint
        self.highlighted_id = highlighted
        self._keys = {item.key: item.id for item in items if item.key and item.enabled}

    def compose(self) -> ComposeResult:
        with Vertical(id="menu"):
            yield Static(one_line(self.title_text), id="menu-title", markup=False)
            yield OptionList(*[self._option(item) for item in self.items], id="menu-options")
            keys = "a key or ↑ ↓ enter: choose · esc: cancel"
            yield Static(one_line(f"{self.hint} · {keys}" if self.hint else keys), id="menu-hint", markup=False)

    @staticmethod
    def _option(item: MenuItem) -> Option:
        text = Text()
        text.append(f"{item.key or ' '}  ", style="bold")
        text.append(one_line(item.label))
        if item.note:
            text.append(f"  {one_line(item.note)}", style="dim")
        return Option(text, id=item.id, disabled=not item.enabled)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [item.id for item in self.items if item.enabled]
        if ids:
            options.highlighted = next(
                i for i, item in enumerate(self.items) if item.id == (self.highlighted_id if self.highlighted_id in ids else ids[0])
            )
        options.focus()

    def on_key(self, event: events.Key) -> None:
        chosen = self._keys.get(event.character or "")
        if chosen is not None and event.key not in ("up", "down", "enter", "escape"):
            event.stop()
            self.dismiss(chosen)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
