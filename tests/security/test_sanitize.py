"""The sanitising boundary itself: which characters it rewrites, how, and that machine formats stay
exact (valid JSON and YAML that parse back to the very strings the cluster holds)."""

from __future__ import annotations

import sys
import unicodedata

import orjson
import yaml
from hypothesis import given
from hypothesis import strategies as st

from k8sdoctor.sanitize import UNSAFE_CHARS, json_escape, one_line, printable, yaml_dump

#: The categories a terminal must never receive raw: controls, format characters (bidi, zero-width,
#: tags), surrogates, line and paragraph separators.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def unsafe_code_points() -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in UNSAFE_CATEGORIES and chr(c) not in "\n\t"]


def test_every_control_format_and_separator_character_is_covered():
    missing = [f"U+{ord(ch):04X}" for ch in unsafe_code_points() if not UNSAFE_CHARS.fullmatch(ch)]
    assert not missing, f"sanitize.py misses {missing[:20]}"


def test_osc52_clipboard_write_shows_as_text():
    event = 'Error: secret "d\x1b]52;c;aWQ=\x1b\\" not found'
    assert printable(event) == 'Error: secret "d\\x1b]52;c;aWQ=\\x1b\\" not found'


def test_c1_controls_and_del_are_escaped():
    assert printable("a\x9b31mb\x7fc\x90d") == "a\\x9b31mb\\x7fc\\x90d"


def test_bidi_overrides_and_zero_width_characters_are_shown():
    assert printable("invoice\u202egpj.exe") == "invoice<U+202E>gpj.exe"
    assert printable("web\u200b-1") == "web<U+200B>-1"
    assert printable("\ufeffbom\u2066iso\u2069") == "<U+FEFF>bom<U+2066>iso<U+2069>"
    assert printable("tag\U000e0041") == "tag<U+E0041>"


def test_newline_and_tab_stay_in_printable_and_are_escaped_in_one_line():
    assert printable("a\nb\tc\r") == "a\nb\tc\\x0d"
    assert one_line("a\nb\tc\u202e") == "a\\nb\\tc<U+202E>"


def test_plain_unicode_is_untouched():
    text = "café … — 日本語 emoji 🚀 e\u0301"
    assert printable(text) == text and one_line(text) == text


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(unsafe_code_points()[:400]), max_size=60))
def test_no_unsafe_character_survives_printable(text):
    assert not UNSAFE_CHARS.search(printable(text))
    assert not UNSAFE_CHARS.search(one_line(text)) and "\n" not in one_line(text)


@given(
    st.dictionaries(
        st.text(max_size=8), st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x1b\x9b\x7f\u202e\u200b\U000e0001"))
    )
)
def test_json_is_valid_round_trips_and_carries_no_raw_unsafe_character(payload):
    text = json_escape(orjson.dumps(payload)).decode()
    assert not UNSAFE_CHARS.search(text)
    assert orjson.loads(text) == payload


@given(
    st.dictionaries(
        st.text(max_size=8), st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x1b\x9b\x7f\u202e\u200b\U000e0001"))
    )
)
def test_yaml_is_valid_round_trips_and_carries_no_raw_unsafe_character(payload):
    text = yaml_dump(payload)
    assert not UNSAFE_CHARS.search(text.replace("\n", ""))
    assert (yaml.safe_load(text) or {}) == payload


def test_yaml_keeps_readable_unicode_where_nothing_is_unsafe():
    assert yaml_dump({"m": "café …"}) == "m: café …\n"
