"""The keys the describe and YAML screens share: `/` search with `n`/`N`, `c`/`C` from one cited field
to the next, `g`/`G` top and bottom. A screen that mixes this in has a `LinesView` (`view`), a `Search`
(`search`), its citations by line (`citations`) and a status line (`_status`)."""

from __future__ import annotations

from textual.binding import Binding

from k8sdoctor.actions.citations import Citation
from k8sdoctor.actions.search import Search
from k8sdoctor.core.findings import SEVERITY_RANK
from k8sdoctor.tui.actions.lines_view import LinesView
from k8sdoctor.tui.actions.search_bar import SEARCH_BINDINGS, SearchBar
from k8sdoctor.tui.format import SEVERITY_MARK
from k8sdoctor.tui.text import one_line

DOCUMENT_BINDINGS = [
    *SEARCH_BINDINGS,
    Binding("c", "cited(True)", "Cited", tooltip="Next field the diagnosis cites"),
    Binding("C", "cited(False)", "Previous cited field", show=False),
    Binding("g,home", "top", "Top", show=False),
    Binding("G,end", "bottom", "Bottom", show=False),
]


def citation_marks(citations: dict[int, list[Citation]]) -> tuple[dict[int, str], dict[int, str]]:
    """(kinds, gutter marks) of the cited lines: the worst severity citing each."""
    kinds, marks = {}, {}
    for i, cites in citations.items():
        worst = min((c.severity for c in cites), key=lambda s: SEVERITY_RANK.get(s, 9))
        kinds[i], marks[i] = worst, SEVERITY_MARK.get(worst, "●")
    return kinds, marks


class DocumentKeys:
    """Search and cited-field navigation over a `LinesView`."""

    search: Search
    citations: dict[int, list[Citation]]

    @property
    def view(self) -> LinesView:
        return self.query_one(LinesView)  # type: ignore[attr-defined]

    def _status(self, text: str) -> None:
        raise NotImplementedError

    def action_search(self) -> None:
        self.query_one(SearchBar).open()  # type: ignore[attr-defined]

    def on_search_bar_search(self, message: SearchBar.Search) -> None:  # by name: a mixin's @on is not collected
        match = self.search.run(self.view.lines, message.query, self.view.top_line)
        self._show_search()
        if match is not None:
            self.view.scroll_to_line(match.line)

    def _show_search(self) -> None:
        current = self.search.matches[self.search.current] if self.search.matches else None
        self.view.set_matches(self.search.matches, current)
        self._status(self.search.status)

    def action_match(self, forward: bool) -> None:
        match = self.search.step(forward)
        if match is not None:
            self._show_search()
            self.view.scroll_to_line(match.line)

    def action_cited(self, forward: bool) -> None:
        lines = sorted(self.citations)
        if not lines:
            return
        top = self.view.top_line + max(self.view.scrollable_content_region.height // 2 - 1, 0)
        after = [i for i in lines if (i > top if forward else i < top)]
        line = (after[0] if forward else after[-1]) if after else (lines[0] if forward else lines[-1])
        self.view.scroll_to_line(line)
        cite = self.citations[line][0]
        self._status(one_line(f"{SEVERITY_MARK.get(cite.severity, '●')} {cite.title}: {cite.text}"))

    def action_top(self) -> None:
        self.view.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.view.scroll_end(animate=False)
