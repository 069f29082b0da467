"""The `/` search prompt shared by the describe and logs screens."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

#: The keys every searchable action screen shares: back, open the search, next and previous match.
SEARCH_BINDINGS = [
    Binding("escape,q", "back", "Back"),
    # priority: the search prompt takes the keys typed right after "/" (see MainScreen's filter)
    Binding("slash", "search", "Search", key_display="/", priority=True),
    Binding("n", "match(True)", "Next", tooltip="Next match"),
    Binding("N", "match(False)", "Previous match", show=False),
]


class SearchBar(Input):
    """Hidden until `/`; enter searches, escape closes it. The query is plain text, never markup."""

    BINDINGS = [Binding("escape", "close", "Close search", show=False)]

    class Search(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self) -> None:
        super().__init__(placeholder="search (plain text; a capital letter makes it case-sensitive)", id="search")

    def open(self) -> None:
        """Show the prompt and take the keys now; a "/" typed in the prompt itself is text."""
        if self.has_focus:
            raise SkipAction()
        self.display = True
        self.screen.set_focus(self)

    def action_close(self) -> None:
        self.display = False
        self.screen.set_focus(None)
        self.screen.focus_next()

    async def action_submit(self) -> None:
        self.post_message(self.Search(self.value))
        self.action_close()
