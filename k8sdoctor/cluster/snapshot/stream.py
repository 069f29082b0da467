"""Everything in one snapshot file: JSON documents, YAML documents and cluster-info dump log blocks,
told apart by content (never by file name) and fed to an InventoryFiller as they are parsed."""

from __future__ import annotations

import codecs
import re

from .fill import InventoryFiller
from .json_docs import JsonReader
from .log_blocks import LOG_START, read_log_block
from .problems import BadInput, place

_WHITESPACE = re.compile(rb"[ \t\r\n]*")
_JSON_OPENERS = b"{["
_SNIFF_BYTES = 8192
_LOG_START_LINE = b"\n" + LOG_START


def skip_whitespace(data: bytes, pos: int) -> int:
    match = _WHITESPACE.match(data, pos)  # matches the empty string: never None
    return match.end() if match else pos


def read_stream(data: bytes, filler: InventoryFiller, source: str = "") -> None:
    """Feed every document and log block in `data` to `filler`. `source` names the file inside a dump
    directory, for error messages."""
    data = _utf8(data, source)
    json_reader = JsonReader(data, source)
    doc_no = 0
    next_block = -1  # where the log block after `pos` starts: documents end before it
    pos = skip_whitespace(data, 0)
    while pos < len(data):
        if data.startswith(LOG_START, pos):
            block, pos = read_log_block(data, pos, source)
            filler.add_logs(block)
        else:
            if next_block <= pos:
                next_block = _next_log_block(data, pos)
            if data[pos] in _JSON_OPENERS:
                doc_no += 1
                doc, pos = json_reader.read(pos, next_block, doc_no)
                filler.add_document(doc, place(source, doc_no))
            else:
                from .yaml_docs import yaml_documents  # PyYAML only for YAML: a JSON snapshot never loads it

                for doc in yaml_documents(data, pos, next_block, source, doc_no):
                    doc_no += 1
                    if doc is not None:  # an empty document, e.g. after a trailing "---"
                        filler.add_document(doc, place(source, doc_no))
                pos = next_block
        pos = skip_whitespace(data, pos)


def _next_log_block(data: bytes, pos: int) -> int:
    """Where the next log block starts (a START line is always at the start of a line), or the end."""
    found = data.find(_LOG_START_LINE, pos)
    return len(data) if found == -1 else found + 1


def _utf8(data: bytes, source: str) -> bytes:
    """The bytes as UTF-8 without a byte-order mark (PowerShell's `>` writes UTF-16); binary data is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise BadInput(source, "not UTF-16 text despite its byte-order mark") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\0", 0, _SNIFF_BYTES)
    if nul != -1:
        raise BadInput(source, f"binary data (NUL byte at offset {nul}), not JSON, YAML or a cluster-info dump")
    return data
