"""`VirtualTable`: a keyboard- and mouse-driven table over a plain list of rows, rendered with the line
API. Only the lines on screen are rendered, and replacing the row list is O(rows) with no per-cell
widgets or measurements, so ten thousand rows update in place at ten batches a second (Textual's
DataTable measures every cell it is given, which takes seconds at that size).

The cursor follows its row's key across updates: when the rows re-sort, the same pod stays selected.
Subclasses say what a row's key and cells are, and how wide the fixed columns need to be.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from k8sdoctor.tui.text import one_line

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def gap_for(width: int) -> int:
    """Spaces between columns: two when there is room, one on narrow terminals."""
    return 2 if width >= 100 else 1


def level(want: list[int], minimum: list[int], available: int) -> list[int]:
    """Cut the widest widths down to a common level until they fit `available` (never below their
    minimum)."""
    if sum(want) <= available:
        return list(want)
    low, high = 0, max(want)
    while low < high:  # the highest level that fits
        mid = (low + high + 1) // 2
        if sum(max(m, min(w, mid)) for w, m in zip(want, minimum, strict=False)) <= available:
            low = mid
        else:
            high = mid - 1
    widths = [max(m, min(w, low)) for w, m in zip(want, minimum, strict=False)]
    spare = available - sum(widths)
    for i, w in enumerate(want):
        if spare <= 0:
            break
        if widths[i] < w:
            widths[i] += 1
            spare -= 1
    return widths


@dataclass(frozen=True)
class Column:
    """A column. When the row does not fit, columns give way in stages, lowest first: at its `shrink`
    stage a column is cut down to its content's short form (when the table names one, see
    `content_widths`; else to `min_width`), at its `squeeze` stage (if any) down to `min_width`, at its
    `drop` stage (if any) it is hidden."""

    key: str
    label: str
    min_width: int = 3
    max_width: int = 60
    flex: bool = False  # takes the width that is left (one column)
    shrink: int = 1
    squeeze: int | None = None

    drop: float | None = None  # None: never hidden (stages order as numbers: 2.01 goes before 2.02)
    cut: str = "end"  # where a cell too long loses characters: "end" or "middle" (names: the unique suffix stays)


#: A cell: its text (or texts, longest first, the first that fits is shown) and the component class
#: that styles it (or None).
Cell = tuple[str | tuple[str, ...], str | None]


def cut_middle(text: str, width: int) -> str:
    """`text` cut to `width` cells in the middle: "kestra-7sx…th-bvjlm" keeps the start and the suffix
    that tells pods of one workload apart."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    head_cells = (width - 1) // 2
    tail_cells = width - 1 - head_cells
    tail = ""
    for char in reversed(text):
        if cell_len(char + tail) > tail_cells:
            break
        tail = char + tail
    head = set_cell_size(text, width - 1 - cell_len(tail))
    return head + "…" + tail


def fit(text: str | tuple[str, ...], width: int, cut: str = "end") -> str:
    """Pad or cut `text` to exactly `width` cells, marking a cut with an ellipsis. Of alternative texts
    the first that fits is taken, else the last is cut. Every cell passes here: it is made printable
    on one line (cluster text never reaches the terminal raw, whatever a row's cells hold)."""
    if width <= 0:
        return ""
    if isinstance(text, tuple):
        text = next((one_line(t) for t in text if cell_len(one_line(t)) <= width), one_line(text[-1]))
    else:
        text = one_line(text)
    if cell_len(text) > width:
        if cut == "middle":
            return set_cell_size(cut_middle(text, width), width)
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def layout_widths(columns: list[Column], want: dict[str, int], short: dict[str, int], width: int) -> list[tuple[Column, int]]:
    """Column widths for a table `width` cells wide: every column as wide as its content wants when
    that fits; otherwise columns give way stage by stage (see `Column`); the flex column takes what is
    left over."""
    shown = list(columns)
    widths = dict(want)

    def overflow() -> int:
        return sum(widths[c.key] for c in shown) + gap_for(width) * (len(shown) - 1) - width

    stages = sorted(
        {c.shrink for c in columns} | {c.squeeze for c in columns if c.squeeze is not None} | {c.drop for c in columns if c.drop}
    )
    for stage in stages:
        if overflow() <= 0:
            break
        group = [c for c in shown if stage in (c.shrink, c.squeeze)]
        if group:
            floor = [c.min_width if stage == c.squeeze or c.key not in short else max(c.min_width, short[c.key]) for c in group]
            current = [widths[c.key] for c in group]
            target = max(sum(current) - overflow(), 0)
            for c, w in zip(group, level(current, [min(f, w) for f, w in zip(floor, current, strict=True)], target), strict=True):
                widths[c.key] = w
        for c in [c for c in shown if c.drop == stage]:
            if overflow() <= 0:
                break
            shown.remove(c)
    spare = -overflow()
    flex = next((c for c in shown if c.flex), None)
    if flex is not None and spare > 0:
        widths[flex.key] += spare
    return [(c, widths[c.key]) for c in shown]


class VirtualTable(ScrollView, Generic[K, R], can_focus=True):
    COMPONENT_CLASSES = {"virtual-table--header", "virtual-table--cursor", "virtual-table--cursor-blurred"}
    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("pagedown,ctrl+f,space", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class CursorMoved(Message):
        """The cursor is on another row (`key` None: the table is empty)."""

        def __init__(self, table: VirtualTable, key: Hashable | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowActivated(Message):
        """Enter or a double click on a row."""

        def __init__(self, table: VirtualTable, key: Hashable) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(self, columns: Iterable[Column], *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.rows: list[R] = []
        self._index: dict[K, int] | None = None
        self._widths: dict[str, int] = {}
        self._column_widths: tuple[tuple, list[tuple[Column, int]]] | None = None
        self._base_style = Style()
        self._cursor_key: K | None = None

    # ---- for subclasses ----------------------------------------------------------------------------
    def row_key(self, row: R) -> K:
        raise NotImplementedError

    def row_cells(self, row: R) -> list[Cell]:
        """The cells of the shown columns, in order."""
        raise NotImplementedError

    def content_widths(self, rows: list[R]) -> dict[str, int]:
        """The widest cell of each column (labels are accounted for by the layout); "KEY.short" is the
        widest short form of a column whose cells have one."""
        return {}

    def shown_columns(self) -> list[Column]:
        return self.columns

    # ---- rows --------------------------------------------------------------------------------------
    @property
    def cursor_key(self) -> K | None:
        return self._cursor_key

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: list[R]) -> None:
        """Show these rows, keeping the cursor on the same key when it is still there."""
        self.rows = rows
        self._widths = self.content_widths(rows)
        self.rows_changed()

    def rows_changed(self) -> None:
        """`rows` (or the widths) changed in place: resize, and put the cursor back on its key."""
        self._index = None
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        index = self.index_of(self._cursor_key) if self._cursor_key is not None else None
        self.cursor_row = self.cursor_row if index is None else index
        self.refresh()

    def index_of(self, key: K) -> int | None:
        """Where the row with this key is shown (None: it is not)."""
        if self._index is None:
            self._index = {self.row_key(r): i for i, r in enumerate(self.rows)}
        return self._index.get(key)

    def select_key(self, key: K) -> bool:
        index = self.index_of(key)
        if index is None:
            return False
        self.cursor_row = index
        return True

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.rows) - 1))

    def watch_cursor_row(self, row: int) -> None:
        key = self.row_key(self.rows[row]) if self.rows else None
        self._scroll_to_cursor()
        self.refresh()
        if key != self._cursor_key:
            self._cursor_key = key
            self.post_message(self.CursorMoved(self, key))

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.size.height - 1)
        top = round(self.scroll_offset.y)
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False)

    # ---- actions -----------------------------------------------------------------------------------
    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= max(1, self.size.height - 2)

    def action_page_down(self) -> None:
        self.cursor_row += max(1, self.size.height - 2)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self.rows) - 1

    def key_enter(self) -> None:
        if self._cursor_key is not None:
            self.post_message(self.RowActivated(self, self._cursor_key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = round(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < len(self.rows):
            self.cursor_row = index
            if event.chain == 2 and self._cursor_key is not None:
                self.post_message(self.RowActivated(self, self._cursor_key))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ---- rendering ---------------------------------------------------------------------------------
    def header_label(self, column: Column) -> str:
        """The column's header text (a subclass adds the sort mark)."""
        return column.label

    def _layout(self, width: int) -> list[tuple[Column, int]]:
        """Column widths for this width (cached until the rows, the columns or the width change)."""
        columns = self.shown_columns()
        key = (width, tuple(self.header_label(c) for c in columns), tuple(sorted(self._widths.items())))
        if self._column_widths is None or self._column_widths[0] != key:
            self._column_widths = (key, self._compute_layout(width, columns))
        return self._column_widths[1]

    def _compute_layout(self, width: int, columns: list[Column]) -> list[tuple[Column, int]]:
        label = {c.key: cell_len(self.header_label(c)) for c in columns}
        want = {
            c.key: max(c.min_width, min(max(c.max_width, label[c.key]), max(label[c.key], self._widths.get(c.key, 0)))) for c in columns
        }
        short = {c.key: max(label[c.key], self._widths[f"{c.key}.short"]) for c in columns if f"{c.key}.short" in self._widths}
        return layout_widths(columns, want, short, width)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base_style = self.rich_style  # computed once per paint, not once per line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style
        layout = self._layout(width)
        if y == 0:
            style = base + self.get_component_rich_style("virtual-table--header")
            cells: list[Cell] = [(self.header_label(col), None) for col, _ in layout]
            return self._strip(cells, layout, style, width, row_style=style, header=True)
        index = round(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row_style = base
        if index == self.cursor_row:
            cursor = "virtual-table--cursor" if self.has_focus else "virtual-table--cursor-blurred"
            row_style = base + self.get_component_rich_style(cursor)
        cells = self.row_cells(self.rows[index])
        if len(cells) != len(layout):  # columns were dropped for room
            by_key = dict(zip((c.key for c in self.shown_columns()), cells, strict=False))
            cells = [by_key[c.key] for c, _ in layout]
        return self._strip(cells, layout, base, width, row_style=row_style, cursor=index == self.cursor_row)

    def _strip(
        self,
        cells: list[Cell],
        layout: list[tuple[Column, int]],
        base: Style,
        width: int,
        *,
        row_style: Style,
        cursor: bool = False,
        header: bool = False,
    ) -> Strip:
        segments = []
        gap = Segment(" " * gap_for(width), row_style)
        for i, ((text, component), (column, w)) in enumerate(zip(cells, layout, strict=False)):
            if i:
                segments.append(gap)
            style = row_style
            if component is not None:
                style = base + self.get_component_rich_style(component)
                if cursor and self.app.native_ansi_color:
                    style = style + Style(reverse=True, bold=True)  # the cell keeps its colour, reversed
                elif cursor:
                    style = style + row_style
            segments.append(Segment(fit(text, w, "end" if header else column.cut), style))
        return Strip(segments).adjust_cell_length(width, row_style).crop(0, width)
