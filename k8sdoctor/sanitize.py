"""Make untrusted text (event messages, log lines, object names) safe to print on a terminal.

Control characters other than newline and tab would let a hostile log line or event message move the
cursor, change colours or set the window title (terminal injection). They are shown as visible
escapes instead: ESC becomes `\\x1b`.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character (except \\n and \\t) replaced by a visible \\xNN escape."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """Printable, and on one line (newlines and tabs shown as \\n and \\t)."""
    return printable(text).replace("\n", "\\n").replace("\t", "\\t")
