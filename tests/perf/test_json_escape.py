"""`json_escape` checks whole outputs in C before it searches them: that is exact only if every character
it escapes is one `str.isprintable` rejects, which this checks against the running Python."""

from __future__ import annotations

import sys

from k8sdoctor.sanitize import UNSAFE_CHARS, json_escape


def test_every_character_json_escape_rewrites_is_not_printable():
    assert not [c for c in range(sys.maxunicode + 1) if UNSAFE_CHARS.match(chr(c)) and chr(c).isprintable()]


def test_unsafe_characters_in_non_ascii_json_are_still_escaped():
    assert json_escape('{"a": "→ \u202e \x9b \x7f"}\n'.encode()) == '{"a": "→ \\u202e \\u009b \\u007f"}\n'.encode()
    assert json_escape('{"a": "→ —"}\n'.encode()) == '{"a": "→ —"}\n'.encode()


def test_ascii_json_is_checked_as_bytes_and_kept_as_it_is():
    clean = b'{\n  "a": "web-7d4b9c \\u001b[31m"\n}\n'
    assert json_escape(clean) is clean  # nothing to escape: the very bytes, not a copy
    assert json_escape(b'{"a": "x\x7fy"}') == b'{"a": "x\\u007fy"}'  # DEL, which orjson writes raw
