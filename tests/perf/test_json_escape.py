"""`json_escape` checks whole outputs in C before it searches them: that is exact only if every character
it escapes is one `str.isprintable` rejects, which this checks against the running Python."""

from __future__ import annotations

import sys

from k8sdoctor.sanitize import UNSAFE_CHARS, json_escape


def test_every_character_json_escape_rewrites_is_not_printable():
    assert not [c for c in range(sys.maxunicode + 1) if UNSAFE_CHARS.match(chr(c)) and chr(c).isprintable()]


def test_unsafe_characters_in_non_ascii_json_are_still_escaped():
    assert json_escape('{"a": "→ \u202e \x9b \x7f"}\n') == '{"a": "→ \\u202e \\u009b \\u007f"}\n'
    assert json_escape('{"a": "→ —"}\n') == '{"a": "→ —"}\n'
