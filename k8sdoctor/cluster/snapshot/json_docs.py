"""JSON documents out of snapshot bytes, parsed by orjson in place (no copy of the bytes).

A file may hold several documents back to back (`kubectl cluster-info dump` prints one list per resource).
orjson cannot parse one document and say where it ended, and it checks all the bytes it is given first. So
the first document is parsed with the rest of the file: orjson then reports "unexpected content after
document" where the next one starts, and the document is parsed again up to there. A lone document (a List)
thus costs one parse. How that first document ended ("}" alone on a line, as kubectl's json.MarshalIndent
writes, or a newline after a one-line document, as `jq -c` writes) is then the guess for the next ones, so
that each costs one parse of its own bytes instead of one of the whole rest.
"""

from __future__ import annotations

import orjson

from .problems import BadInput, line_col, not_utf8, place

_MORE_FOLLOWS = "unexpected content after document"
_INDENTED_END = b"\n}\n"
_LINE_END = b"\n"


class JsonReader:
    """Reads the JSON documents of one file, in order."""

    def __init__(self, data: bytes, source: str) -> None:
        self._data = data
        self._view = memoryview(data)
        self._source = source
        self._ends_with: bytes | None = None  # how the documents of this file end, once one has been read

    def read(self, start: int, limit: int, doc_no: int) -> tuple[object, int]:
        """The document that starts at data[start] and ends by `limit`, and the offset just past it."""
        if self._ends_with is not None:
            guess = self._data.find(self._ends_with, start, limit)
            if guess != -1:
                end = guess + len(self._ends_with)
                try:
                    return orjson.loads(self._view[start:end]), end
                except orjson.JSONDecodeError:
                    pass  # this document ends otherwise
        doc, end = self._read_first(start, limit, doc_no)
        self._ends_with = self._ending(start, end)
        return doc, end

    def _read_first(self, start: int, limit: int, doc_no: int) -> tuple[object, int]:
        try:
            return orjson.loads(self._view[start:limit]), limit
        except orjson.JSONDecodeError as err:
            if err.msg != _MORE_FOLLOWS:
                raise self._located(start, limit, err, doc_no) from None
            end = start + self._byte_offset(start, limit, err.pos)
        return orjson.loads(self._view[start:end]), end

    def _ending(self, start: int, end: int) -> bytes | None:
        if self._data.startswith(_INDENTED_END, end - len(_INDENTED_END)):
            return _INDENTED_END
        if self._data.find(_LINE_END, start, end) == end - 1:
            return _LINE_END
        return None

    def _byte_offset(self, start: int, limit: int, char_pos: int) -> int:
        """orjson counts positions in characters; turn one into a byte count from `start`."""
        if self._data[start : start + char_pos].isascii():
            return char_pos
        return len(self._data[start:limit].decode("utf-8")[:char_pos].encode("utf-8"))

    def _located(self, start: int, limit: int, err: orjson.JSONDecodeError, doc_no: int) -> BadInput:
        data = self._data
        if "UTF-8" in err.msg:
            offset, why = not_utf8(data, start, limit)
            return BadInput(place(self._source, doc_no, *line_col(data, offset)), why)
        line, col = line_col(data, start)
        if err.lineno > 1:
            line, col = line + err.lineno - 1, err.colno
        else:
            col += err.colno - 1
        why = "unexpected end of JSON (truncated file?)" if err.msg.startswith("unexpected end of data") else err.msg
        return BadInput(place(self._source, doc_no, line, col), why)
