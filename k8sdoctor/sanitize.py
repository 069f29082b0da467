"""The one boundary between cluster text and a terminal: every object name, event message, log line,
annotation or image that k8sdoctor prints, shows in a widget, a toast or a title, passes through here.

Cluster text is tenant-controlled. Shown raw, a control character moves the cursor, recolours the
screen, sets the window title or writes the clipboard (OSC 52); a bidi override makes `txt.exe` read
as `exe.txt`; a zero-width character makes two different names look the same. So:

* C0 and C1 control characters (and DEL) become visible escapes, `\\x1b`, `\\x9b`; newline and tab are
  kept by `printable` and escaped by `one_line`. An ESC sequence thus shows as text, `\\x1b]52;c;...`.
* Invisible format characters (bidi embeddings, overrides and isolates, zero-width spaces and joiners,
  the BOM, soft hyphen, Unicode tags), line and paragraph separators and lone surrogates become
  `<U+202E>`: visible, and impossible to confuse with text that was really there.

Machine formats keep the value exact instead (`json_escape`, `yaml_dump`): the same characters are
written as JSON `\\u` escapes or YAML double-quoted escapes, so the output parses back to the very
string the cluster holds, and a terminal showing it never receives the raw character.
"""

from __future__ import annotations

import re

#: C0 controls but newline and tab, DEL, C1 controls.
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
#: Unicode format characters (category Cf), line and paragraph separators (Zl, Zp), surrogates (Cs).
#: tests/security/test_sanitize.py checks this against the running Python's unicodedata.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{_C0_C1}{_INVISIBLE}]")
_UNSAFE_ONE_LINE = re.compile(f"[{_C0_C1}{_INVISIBLE}\n\t]")
#: What `printable` rewrites: what a JSON or YAML writer must escape.
UNSAFE_CHARS = _UNSAFE
#: The ASCII ones, as the bytes a bytes.translate deletes.
_ASCII_UNSAFE = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])


def _visible(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def printable(text: str) -> str:
    """`text` with every control and invisible format character (but newline and tab) made visible."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """Printable, and on one line (newlines and tabs shown as \\n and \\t)."""
    if not _UNSAFE_ONE_LINE.search(text):
        return text
    return _UNSAFE_ONE_LINE.sub(_visible, text)


def safe(value: object) -> str:
    """`printable(str(value))`: for messages that mix our words with cluster text (exceptions)."""
    return printable(str(value))


# ---- machine formats ---------------------------------------------------------------------------------
def _json_escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code > 0xFFFF:  # a surrogate pair, as JSON spells characters beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_escape(data: bytes) -> bytes:
    """Serialized JSON (UTF-8) with the characters `printable` rewrites written as `\\u` escapes.

    Valid only on serialized JSON: outside strings JSON has nothing but ASCII punctuation and
    whitespace, so every such character sits inside a string, where the escape means the same
    character. Parsing the result gives exactly the values that were serialized."""
    # Checked in C first, on the bytes as they are (the regex search costs about 40 ns a character, 1 s
    # on 24 MB of JSON): every character it looks for is a control, format or separator character,
    # which `isprintable` rejects.
    if data.isascii() and len(data.translate(None, _ASCII_UNSAFE)) == len(data):
        return data
    text = data.decode()
    if text.replace("\n", " ").isprintable() or not UNSAFE_CHARS.search(text):
        return data
    return UNSAFE_CHARS.sub(_json_escape_char, text).encode()


def yaml_dump(data: object, **options: object) -> str:
    """`yaml.safe_dump` whose strings holding control or invisible characters are double-quoted with
    those characters escaped (other strings keep readable Unicode). Loads back to the same data."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def analyze_scalar(self, scalar: str):
            with _ascii_only(self, scalar):
                return super().analyze_scalar(scalar)

        def write_double_quoted(self, text: str, split: bool = True) -> None:
            with _ascii_only(self, text):
                super().write_double_quoted(text, split)

    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, **options)  # type: ignore[call-overload]


class _ascii_only:
    """While writing one string that holds unsafe characters, the YAML emitter escapes all non-ASCII."""

    def __init__(self, emitter: object, text: str) -> None:
        self.emitter = emitter
        self.unsafe = bool(UNSAFE_CHARS.search(text))
        self.saved = getattr(emitter, "allow_unicode", False)

    def __enter__(self) -> None:
        if self.unsafe:
            self.emitter.allow_unicode = False  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        self.emitter.allow_unicode = self.saved  # type: ignore[attr-defined]
