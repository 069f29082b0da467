"""`FilterBar`: the `/` filter input, shown while a filter is being typed or is in force."""

from __future__ import annotations

from textual.widgets import Input


class FilterBar(Input):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="filter: words of a name, namespace, status or cause (fuzzy) · enter keeps it · esc clears",
            id=id,
        )
        self.cursor_blink = False
