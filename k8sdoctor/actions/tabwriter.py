"""Column alignment as Go's text/tabwriter does it for kubectl describe.

kubectl writes describe output through `tabwriter.Writer.Init(buf, 0, 8, 2, ' ', 0)`: cells end with a
tab, a column is as wide as its widest cell plus two spaces, and the width holds over a *block* of
consecutive lines that have that column. A line without any tab, or an explicit flush, ends every block.
The text after a line's last tab is not a cell and is never padded. Widths count characters (runes; a
byte that is not UTF-8, kept as a surrogate escape, counts as one, as in Go). A vertical tab ends a cell
as a tab does.
"""

from __future__ import annotations

import re

PADDING = 2
_CELL_END = re.compile("[\t\v]")


def _format(rows: list[list[str]], widths: list[int], first: int, last: int, out: list[str]) -> None:
    """Go's Writer.format: find the blocks of column len(widths), recurse into them, write the rest."""
    column = len(widths)
    start = first
    line = first
    while line < last:
        if column >= len(rows[line]) - 1:
            line += 1
            continue
        _write(rows, widths, start, line, out)
        start = line
        width = 0
        while line < last and column < len(rows[line]) - 1:
            width = max(width, len(rows[line][column]) + PADDING)
            line += 1
        _format(rows, [*widths, width], start, line, out)
        start = line
    _write(rows, widths, start, last, out)


def _write(rows: list[list[str]], widths: list[int], first: int, last: int, out: list[str]) -> None:
    for cells in rows[first:last]:
        parts = []
        for j, cell in enumerate(cells):
            parts.append(cell)
            if j < len(widths):
                parts.append(" " * (widths[j] - len(cell)))
        out.append("".join(parts))


def align(lines: list[str | None]) -> list[str]:
    """Align tab-separated lines; a None entry is an explicit flush and produces no output line."""
    out: list[str] = []
    segment: list[list[str]] = []

    def flush() -> None:
        _format(segment, [], 0, len(segment), out)
        segment.clear()

    for line in lines:
        if line is None:
            flush()
            continue
        cells = _CELL_END.split(line)
        segment.append(cells)
        if len(cells) == 1:
            flush()
    flush()
    return out
