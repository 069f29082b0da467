"""Where a snapshot went wrong: the internal error the readers raise, and how places are written."""

from __future__ import annotations


class BadInput(Exception):
    """Part of a snapshot cannot be read. `load_snapshot` turns it into a one-line SnapshotError.

    `where` is a place such as "document 3 (line 41, col 7)" or "shop/pods.json: items[12]" ("" for the
    whole file); `why` says what is wrong. Neither ever quotes the snapshot's content.
    """

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}" if where else why)


def place(source: str, doc_no: int, line: int | None = None, col: int | None = None) -> str:
    """A place such as 'ns/pods.json: document 3 (line 41, col 7)'. `source` (the file inside a dump
    directory) is "" for a single-file snapshot; "document 1" is left out, as most files hold one document."""
    at = f"line {line}, col {col}" if line is not None else ""
    if doc_no > 1:
        at = f"document {doc_no} ({at})" if at else f"document {doc_no}"
    return ": ".join(part for part in (source, at) if part)


def line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def not_utf8(data: bytes, start: int, end: int) -> tuple[int, str]:
    """Offset and description of the first byte in data[start:end] that is not UTF-8."""
    try:
        data[start:end].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = start + err.start
        return offset, f"not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset})"
    return start, "not UTF-8 text"
