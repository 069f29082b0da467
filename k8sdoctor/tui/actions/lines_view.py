"""`LinesView`: a scrollable view of many plain-text lines (Textual's Line API, so 10,000 lines cost only
what is on screen), with line kinds (headings, cited fields, evidence lines), a gutter mark per line,
search matches, and an optional wrap. Lines are untrusted text: `show` makes each printable (one line:
no control character, escape sequence or newline reaches the screen; tabs become spaces) and they are rendered as
`Text`, never as markup; `lines` is what is shown, so searches run on the same text."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from k8sdoctor.actions.search import Match
from k8sdoctor.tui.text import one_line

GUTTER = 2
TAB_SIZE = 8  # a tab in a log line (a Java stack trace's "\tat ...") becomes spaces, as a terminal shows it
KINDS = ("heading", "critical", "warning", "info", "marked")
HIGHLIGHTS = ("key", "string", "constant")  # what a highlighted stretch of a line is (the YAML view's syntax)


class LinesView(ScrollView, can_focus=True):
    COMPONENT_CLASSES = (
        {f"lines-view--{kind}" for kind in KINDS} | {f"lines-view--{h}" for h in HIGHLIGHTS} | {"lines-view--match", "lines-view--current"}
    )

    class ScrolledBack(Message):
        """The reader scrolled up (wheel or keys): a view following new lines should stop doing so."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[str] = []
        self._kinds: dict[int, str] = {}
        self._marks: dict[int, str] = {}
        self._highlights: dict[int, list[tuple[int, int, str]]] = {}
        self._matches: dict[int, list[Match]] = {}
        self._current: Match | None = None
        self._rows: list[tuple[int, int]] = []  # wrap mode: (line, first cell) per screen row
        self._wrap = False
        self._widest = 0
        self._cache: LRUCache[int, Strip] = LRUCache(2048)

    # ---- content -------------------------------------------------------------------------------------
    @property
    def lines(self) -> list[str]:
        return self._lines

    def show(
        self,
        lines: list[str],
        *,
        kinds: dict[int, str] | None = None,
        marks: dict[int, str] | None = None,
        highlights: dict[int, list[tuple[int, int, str]]] | None = None,
    ) -> None:
        """Replace the lines (`kinds`: line → one of KINDS; `marks`: line → a one-cell gutter mark;
        `highlights`: line → (start, end, one of HIGHLIGHTS) in the columns of the shown line)."""
        self._lines = [one_line(line.expandtabs(TAB_SIZE)) for line in lines]
        self._kinds = kinds or {}
        self._marks = marks or {}
        self._highlights = highlights or {}
        self._widest = max((cell_len(line) for line in self._lines), default=0)
        self._cache.clear()
        self._relayout()

    def set_matches(self, matches: Sequence[Match], current: Match | None) -> None:
        by_line: dict[int, list[Match]] = {}
        for match in matches:
            by_line.setdefault(match.line, []).append(match)
        self._matches, self._current = by_line, current
        self._cache.clear()
        self.refresh()

    @property
    def wrap(self) -> bool:
        return self._wrap

    @wrap.setter
    def wrap(self, value: bool) -> None:
        top = self.top_line
        self._wrap = value
        self._relayout()
        self.scroll_to_line(top, center=False)

    # ---- geometry ------------------------------------------------------------------------------------
    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - GUTTER, 1)

    def _relayout(self) -> None:
        if self._wrap:
            width = self._text_width()
            self._rows = [(i, start) for i, line in enumerate(self._lines) for start in range(0, max(cell_len(line), 1), width)]
            self.virtual_size = Size(width + GUTTER, len(self._rows))
        else:
            self._rows = []
            self.virtual_size = Size(self._widest + GUTTER, len(self._lines))
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        if self._wrap:
            self._relayout()

    def row_of(self, line: int) -> int:
        if not self._wrap:
            return line
        return bisect_left(self._rows, (line, 0))

    @property
    def top_line(self) -> int:
        row = round(self.scroll_offset.y)
        if not self._wrap:
            return row
        return self._rows[row][0] if row < len(self._rows) else len(self._lines)

    @property
    def at_end(self) -> bool:
        return self.scroll_offset.y >= self.max_scroll_y

    def scroll_to_line(self, line: int, *, center: bool = True) -> None:
        """Bring a line into view; centred, so the lines around it are seen too."""
        row = self.row_of(line)
        if center:
            row -= max(self.scrollable_content_region.height // 2 - 1, 0)
        self.scroll_to(y=max(row, 0), animate=False)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.post_message(self.ScrolledBack())
        super()._on_mouse_scroll_up(event)

    def action_scroll_up(self) -> None:
        self.post_message(self.ScrolledBack())
        super().action_scroll_up()

    def action_page_up(self) -> None:
        self.post_message(self.ScrolledBack())
        super().action_page_up()

    def action_scroll_home(self) -> None:
        self.post_message(self.ScrolledBack())
        super().action_scroll_home()

    # ---- rendering -----------------------------------------------------------------------------------
    def _full_strip(self, index: int) -> Strip:
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        line = self._lines[index]
        base = self.rich_style
        text = Text(line, no_wrap=True, end="")
        text.stylize(base)
        for start, end, what in self._highlights.get(index, ()):
            text.stylize(self.get_component_rich_style(f"lines-view--{what}"), start, end)
        kind = self._kinds.get(index)
        if kind == "heading":  # the label only: "Containers:", "QoS Class:"
            text.stylize(self.get_component_rich_style("lines-view--heading"), 0, line.find(":") + 1 or len(line))
        elif kind:
            text.stylize(self.get_component_rich_style(f"lines-view--{kind}"))
        for match in self._matches.get(index, ()):
            name = "lines-view--current" if match == self._current else "lines-view--match"
            text.stylize(self.get_component_rich_style(name), match.start, match.end)
        strip = Strip(text.render(self.app.console), cell_len(line))
        self._cache[index] = strip
        return strip

    def _row_style(self, index: int):
        """The style of the cells past the text: a marked line is marked across the whole width."""
        kind = self._kinds.get(index)
        if not kind or kind == "heading":
            return self.rich_style
        return self.rich_style + self.get_component_rich_style(f"lines-view--{kind}")

    def _gutter(self, index: int, first_row: bool) -> Strip:
        mark = self._marks.get(index, "") if first_row else ""
        text = Text(mark.ljust(GUTTER)[:GUTTER], end="")
        text.stylize(self.rich_style)
        kind = self._kinds.get(index)
        if kind and mark:
            text.stylize(self.get_component_rich_style(f"lines-view--{kind}"))
        return Strip(text.render(self.app.console), GUTTER)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        if self._wrap:
            if row >= len(self._rows):
                return Strip.blank(width, self.rich_style)
            index, start = self._rows[row]
            body = self._full_strip(index).crop_extend(start, start + self._text_width(), self._row_style(index))
            return Strip.join([self._gutter(index, start == 0), body]).apply_offsets(0, row)
        if row >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        full = Strip.join([self._gutter(row, True), self._full_strip(row)])
        return full.crop_extend(scroll_x, scroll_x + width, self._row_style(row)).apply_offsets(scroll_x, row)
