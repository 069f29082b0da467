"""The text report without Rich, for output that is not a terminal (a pipe, a file, a CI log).

There Rich writes no colour, so its output is the words laid out at the page width; importing and
running Rich costs a one-shot `diagnose pod` about a fifth of its time. `PlainWriter` lays the report
out as Rich does, to the byte, for the text it can measure without Rich: every character one cell wide
(`NARROW_RANGES`), no tab where Rich would wrap, no word too long for a numbered step (Rich cuts those
with an ellipsis). For anything else it raises `NeedsRich` before writing a byte, and the caller
renders with Rich. tests/cli/test_plain_text.py compares the two.

Cluster text passes `sanitize.printable` on its way here, as on its way to Rich: the report makes its
prose printable, `quote` and `command` do it for what they quote.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from itertools import pairwise
from typing import IO

from k8sdoctor.sanitize import printable

#: A styled piece of a line: (text, Rich style). Styles are ignored here: no colour on a pipe.
Span = tuple[str, str]
#: Characters one cell wide for Rich, none of them a space but " ": printable ASCII, Latin, Greek and
#: Cyrillic letters, punctuation (dashes, quotes, "…", "›"), arrows, box drawing and geometric shapes
#: (the report's "│", "▲", "●"), and its marks "✔" and "✖". Anything else goes to Rich.
NARROW_RANGES = (
    (0x20, 0x7E),
    (0xA1, 0xAC),
    (0xAE, 0x2FF),
    (0x370, 0x482),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x2190, 0x21FF),
    (0x2500, 0x25FC),
    (0x2714, 0x2714),
    (0x2716, 0x2716),
)
_NARROW = re.compile("[\n" + "".join(f"{chr(a)}-{chr(b)}" for a, b in NARROW_RANGES) + "]*")  # and line breaks
_WORD = re.compile(r"\s*\S+\s*")  # Rich's word: leading space, the word, trailing space
_TAB_SIZE = 8


class NeedsRich(Exception):
    """Text this writer cannot lay out exactly as Rich would."""


def plain_width(stream: IO[str]) -> int | None:
    """The page width Rich would use on `stream` when it would write no terminal codes to it; None when
    it would treat `stream` as a terminal (or where its rules are not the ones followed here)."""
    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):  # Windows consoles, Jupyter: Rich's own rules
        return None
    environ = os.environ
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible == "1":
        return None
    if compatible != "0":
        force = environ.get("FORCE_COLOR")
        if force is not None:
            if force != "":
                return None
        else:
            try:
                if stream.isatty():
                    return None
            except ValueError:
                pass
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    for fd in (0, 1, 2):  # as Rich: the first standard stream that is a terminal gives its width
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        return width or 80
    return 80


def _check(text: str, wraps: bool) -> None:
    if _NARROW.fullmatch(text) is None or (wraps and "\t" in text):
        raise NeedsRich


def wrap(text: str, width: int) -> list[str]:
    """Rich's word wrap (`rich._wrap.divide_line`, overflow "fold") of one-cell characters, line by line:
    a word that does not fit starts a new line, a word wider than the page is cut into page-wide pieces."""
    lines: list[str] = []
    for line in text.split("\n"):
        starts: list[int] = []
        offset = 0
        for m in _WORD.finditer(line):
            start, word = m.start(), m.group()
            length = len(word.rstrip())
            if width - offset >= length:
                offset += len(word)
            elif length > width:
                pieces = [word[i : i + width] for i in range(0, len(word), width)]
                for i, piece in enumerate(pieces):
                    if start:
                        starts.append(start)
                    if i == len(pieces) - 1:
                        offset = len(piece)
                    else:
                        start += len(piece)
            elif offset and start:
                starts.append(start)
                offset = len(word)
        bounds = [0, *starts, len(line)]
        lines += [line[a:b] for a, b in pairwise(bounds)]
    return lines


class PlainWriter:
    """Collects the report's lines; `flush` writes them, each without trailing spaces (as `Printer`)."""

    def __init__(self, stream: IO[str], width: int) -> None:
        if width < 20:  # a page too narrow for the layout below to be worth matching
            raise NeedsRich
        self.stream = stream
        self.width = width
        self.lines: list[str] = []

    def line(self, spans: list[Span], indent: int = 0, style: str = "") -> None:
        """Text that may wrap, each line indented (`style`: the whole line's, for Rich)."""
        text = "".join(s for s, _style in spans)
        _check(text, wraps=True)
        self.lines += [" " * indent + part for part in wrap(text, self.width - indent)]

    def numbered(self, number: int, text: str, indent: int) -> None:
        """A numbered step whose wrapped lines hang under its text (Rich: a two-column grid)."""
        _check(text, wraps=True)
        label = f"{number}."
        width = self.width - indent - len(label) - 1
        if width < 1 or any(len(w) > width for w in text.split()):
            raise NeedsRich  # Rich cuts a word wider than the column with an ellipsis
        for i, part in enumerate(wrap(text, width)):
            self.lines.append(" " * indent + (label if i == 0 else " " * len(label)) + " " + part)

    def quote(self, text: str, style: str, indent: int) -> None:
        """Quoted text, each line whole behind a bar (a pipe never wraps a quote)."""
        for part in printable(text).split("\n"):
            row = " " * indent + "│ " + part
            _check(row, wraps=False)
            self.lines.append(row.expandtabs(_TAB_SIZE))

    def command(self, command: str, indent: int) -> None:
        for part in printable(command).split("\n"):
            row = " " * indent + "$ " + part
            _check(row, wraps=False)
            self.lines.append(row.expandtabs(_TAB_SIZE))

    def blank(self) -> None:
        self.lines.append("")

    def flush(self) -> None:
        self.stream.write("".join(line.rstrip(" ") + "\n" for line in self.lines))
        self.stream.flush()
