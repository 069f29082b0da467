"""YAML as `kubectl get -o yaml` writes it, byte for byte.

kubectl marshals the object to JSON, reads that JSON back as YAML (so numbers keep their type) and writes
it with sigs.k8s.io/yaml's copy of go-yaml v2 (kubectl 1.32). What that writer does, and what this module
does for JSON data (dicts with string keys, lists, str, int, float, bool, None):

- keys in go-yaml's natural order (runs of digits compare as numbers, other characters before letters);
- block style, two spaces per level, a sequence inside a mapping not indented (`- ` under its key), empty
  collections as `{}` and `[]`;
- a string plain when it would read back as the same string, double-quoted when plain text would read
  back as another type (`"80"`, `"true"`, `"y"`, `"2024-05-01T10:00:00Z"`, `"1:20"`), a literal block
  (`|`, `|-`, `|+`) when it holds a line break; the writer falls back from plain to single quotes and from
  single quotes or a block to double quotes when the text needs it;
- plain and quoted strings folded at a space once the line is past 80 columns;
- in double quotes, escapes for what go-yaml does not print (controls, characters beyond the Basic
  Multilingual Plane, line separators) as `\\xXX`, `\\uXXXX`, `\\UXXXXXXXX` or the short forms.

Written from go-yaml's behaviour (emitterc.go, encode.go, resolve.go, sorter.go), not from its code;
tests/actions/test_kubectl_yaml.py compares the output with kubectl's on the local API server.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from functools import cmp_to_key

BEST_INDENT = 2
BEST_WIDTH = 80
SIMPLE_KEY_BYTES = 128  # a longer key is written as a complex key ("? key" / ": value")

PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"

_BREAKS = "\r\n\x85\u2028\u2029"
_ESCAPES = {
    "\x00": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}
_FIRST_INDICATORS = set("#,[]{}&*!|>'\"%@`")

# ---- what plain text reads back as (go-yaml's resolver) -------------------------------------------
_BOOL_NULL = {
    *("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"),
    *("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"),
    *("", "~", "null", "Null", "NULL"),
    *(".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<"),
}
_MAP_HINTS = set("yYnNtTfFoO~")
_NUMBER_HINTS = set("+-0123456789")
_GO_INT = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_TIMESTAMP = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:(?:[Tt](?P<H>[0-9]{1,2}):(?P<M>[0-9]{1,2}):(?P<S>[0-9]{1,2})(?:[.,][0-9]+)?(?:Z|(?P<zone>[+-][0-9]{2}:[0-9]{2})))"
    r"|(?: (?P<h>[0-9]{1,2}):(?P<mi>[0-9]{1,2}):(?P<s>[0-9]{1,2})(?:[.,][0-9]+)?))?"
)


def _go_int(text: str) -> bool:
    """strconv.ParseInt(text, 0, 64), then ParseUint(text, 0, 64), succeeds."""
    if not _GO_INT.fullmatch(text):
        return False
    sign, digits = (text[0], text[1:]) if text[0] in "+-" else ("", text)
    if len(digits) > 1 and digits[0] == "0" and digits[1] not in "xXbBoO":
        value = int(digits, 8)
    else:
        value = int(digits, 0)
    if sign == "-":
        return value <= 2**63
    return value < 2**63 or (not sign and value < 2**64)


def _timestamp(text: str) -> bool:
    """go-yaml's timestamp forms, with Go's time.Parse range checks."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    hour, minute, second = match["H"] or match["h"], match["M"] or match["mi"], match["S"] or match["s"]
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second) > 59):
        return False
    zone = match["zone"]
    return zone is None or (int(zone[1:3]) <= 24 and int(zone[4:6]) <= 60)


def _finite_float(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def reads_back_as_string(text: str) -> bool:
    """Whether `text`, written plain, reads back as this string (not a bool, null, number or time)."""
    hint = text[:1]
    if text and hint not in _MAP_HINTS and hint not in _NUMBER_HINTS and hint != ".":
        return True
    if text in _BOOL_NULL:
        return False
    if hint == ".":
        return not (_DOT_FLOAT.fullmatch(text) and _finite_float(text))
    if hint in _NUMBER_HINTS:
        if _timestamp(text):
            return False
        plain = text.replace("_", "")
        if plain and _go_int(plain):
            return False
        if _YAML_FLOAT.fullmatch(plain) and _finite_float(plain):
            return False
    return True


def string_style(text: str) -> str:
    """The style go-yaml's encoder asks for (the writer may still fall back, see `_select`)."""
    if "\n" in text:
        return LITERAL
    if reads_back_as_string(text) and not (":" in text and _BASE60.fullmatch(text)):
        return PLAIN
    return DOUBLE


# ---- key order (go-yaml's sorter) -------------------------------------------------------------------
def _digit(ch: str) -> bool:
    return ch.isdecimal()


def _key_compare(a: str, b: str) -> int:
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        la, lb = ca.isalpha(), cb.isalpha()
        if la and lb:
            return -1 if ca < cb else 1
        if la or lb:
            return 1 if la else -1  # what is not a letter comes first
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and _digit(a[j]):
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and _digit(a[ai]):
            an = an * 10 + ord(a[ai]) - 48
            ai += 1
        bi = i
        while bi < len(b) and _digit(b[bi]):
            bn = bn * 10 + ord(b[bi]) - 48
            bi += 1
        if an != bn:
            return -1 if an < bn else 1
        if ai != bi:
            return -1 if ai < bi else 1
        return -1 if ca < cb else 1
    return (len(a) > len(b)) - (len(a) < len(b))


_KEY = cmp_to_key(_key_compare)


def sorted_keys(mapping: dict) -> list[str]:
    return sorted(mapping, key=_KEY)


# ---- numbers ----------------------------------------------------------------------------------------
def go_float(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 64), as go-yaml writes a float."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    digits = digits.rstrip("0") or "0"
    exp = point - 1
    if exp < -4 or exp >= 6:
        tail = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{tail}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


# ---- the writer -------------------------------------------------------------------------------------
def _item_name(item: object, index: int) -> str | int:
    """How a field path names a list item: containers[web], conditions[Ready], else its index."""
    if isinstance(item, dict):
        for key in ("name", "type"):
            if isinstance(item.get(key), str):
                return item[key]
    return index


def _printable(ch: str) -> bool:
    o = ord(ch)
    return o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)


class _Analysis:
    __slots__ = ("block", "block_plain", "flow_plain", "multiline", "single_quoted")

    def __init__(self, text: str) -> None:
        if not text:
            self.multiline, self.flow_plain, self.block_plain, self.single_quoted, self.block = False, False, True, True, False
            return
        block_ind = flow_ind = line_breaks = special = False
        leading_space = leading_break = trailing_space = trailing_break = break_space = space_break = False
        previous_space = previous_break = False
        if text.startswith(("---", "...")):
            block_ind = flow_ind = True
        preceded_by_ws = True
        last = len(text) - 1
        for i, ch in enumerate(text):
            followed_by_ws = i == last or text[i + 1] in " \t"
            if i == 0:
                if ch in _FIRST_INDICATORS:
                    flow_ind = block_ind = True
                elif ch in "?:":
                    flow_ind = True
                    block_ind = block_ind or followed_by_ws
                elif ch == "-" and followed_by_ws:
                    flow_ind = block_ind = True
            elif ch in ",?[]{}":
                flow_ind = True
            elif ch == ":":
                flow_ind = True
                block_ind = block_ind or followed_by_ws
            elif ch == "#" and preceded_by_ws:
                flow_ind = block_ind = True
            if not _printable(ch):  # a tab too
                special = True
            if ch == " ":
                leading_space = leading_space or i == 0
                trailing_space = trailing_space or i == last
                break_space = break_space or previous_break
                previous_space, previous_break = True, False
            elif ch in _BREAKS:
                line_breaks = True
                leading_break = leading_break or i == 0
                trailing_break = trailing_break or i == last
                space_break = space_break or previous_space
                previous_space, previous_break = False, True
            else:
                previous_space = previous_break = False
            preceded_by_ws = ch in " \t\x00" or ch in _BREAKS
        plain = not (leading_space or leading_break or trailing_space or trailing_break)
        self.multiline = line_breaks
        self.flow_plain = self.block_plain = plain
        self.single_quoted = True
        self.block = not trailing_space
        if break_space:
            self.flow_plain = self.block_plain = self.single_quoted = False
        if space_break or special:
            self.flow_plain = self.block_plain = self.single_quoted = False
        if space_break or special:
            self.block = False
        if line_breaks:
            self.flow_plain = self.block_plain = False
        if flow_ind:
            self.flow_plain = False
        if block_ind:
            self.block_plain = False


@dataclass(frozen=True, slots=True)
class Span:
    """A key or a value as written: its kind (key, string, constant) from (line, column) to (line, column)."""

    kind: str
    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Rendered:
    """The YAML text, the field each line belongs to ("spec.containers[web].image"), and its spans."""

    text: str
    paths: list[str]
    spans: list[Span]


class _Writer:
    """go-yaml's emitter state (column, whether the line so far is white space or indentation, the
    indent stack, the context of the node being written), and what each line shows."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.line = 0
        self.path: list[str] = []
        self.line_paths: dict[int, str] = {}
        self.spans: list[Span] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.open_ended = False
        self.indent = -1
        self.indents: list[int] = []
        self.mapping_context = False
        self.simple_key_context = False
        self.root_context = False

    # ---- primitives ----
    def put(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0
        self.line += 1

    def indicator(self, text: str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) -> None:
        if need_whitespace and not self.whitespace:
            self.put(" ")
        self.put(text)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention
        self.open_ended = False

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        if self.column < indent:
            self.put(" " * (indent - self.column))
        self.whitespace = self.indention = True

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += BEST_INDENT

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    # ---- nodes ----
    def node(self, value: object, *, root: bool = False, mapping: bool = False, kind: str = "string") -> None:
        self.root_context, self.mapping_context, self.simple_key_context = root, mapping, False
        if isinstance(value, dict):
            self.mapping(value)
        elif isinstance(value, list):
            self.sequence(value)
        elif isinstance(value, str):
            self.scalar(value, string_style(value), kind=kind)
        elif value is None:
            self.scalar("null", PLAIN, kind="constant")
        elif isinstance(value, bool):
            self.scalar("true" if value else "false", PLAIN, kind="constant")
        elif isinstance(value, int):
            self.scalar(str(value), PLAIN, kind="constant")
        elif isinstance(value, float):
            self.scalar(go_float(value), PLAIN, kind="constant")
        else:
            raise TypeError(f"cannot write {type(value).__name__} as YAML")

    def empty(self, opening: str, closing: str) -> None:
        self.indicator(opening, True, True, False)
        self.indicator(closing, False, False, False)

    def mapping(self, value: dict) -> None:
        if not value:
            self.empty("{", "}")
            return
        self.increase_indent(False, False)
        for key in sorted_keys(value):
            if not isinstance(key, str):
                raise TypeError("mapping keys must be strings")
            self.write_indent()
            self.path.append(key)
            self.line_paths[self.line] = ".".join(self.path)
            analysis = _Analysis(key)
            if not analysis.multiline and len(key.encode("utf-8", "surrogatepass")) <= SIMPLE_KEY_BYTES:
                self.root_context, self.mapping_context, self.simple_key_context = False, True, True
                self.scalar(key, string_style(key), analysis, kind="key")
                self.indicator(":", False, False, False)
            else:
                self.indicator("?", True, False, True)
                self.node(key, mapping=True, kind="key")
                self.write_indent()
                self.indicator(":", True, False, True)
            self.node(value[key], mapping=True)
            self.path.pop()
        self.pop_indent()

    def sequence(self, value: list) -> None:
        if not value:
            self.empty("[", "]")
            return
        self.increase_indent(False, self.mapping_context and not self.indention)
        parent = self.path.pop() if self.path else ""
        for index, item in enumerate(value):
            self.write_indent()
            self.path.append(f"{parent}[{_item_name(item, index)}]")
            self.line_paths[self.line] = ".".join(self.path)
            self.indicator("-", True, False, True)
            self.node(item)
            self.path.pop()
        self.path.append(parent)
        self.pop_indent()

    def scalar(self, text: str, style: str, analysis: _Analysis | None = None, *, kind: str = "string") -> None:
        analysis = analysis or _Analysis(text)
        style = self._select(text, style, analysis)
        start = (self.line, self.column + (0 if self.whitespace else 1))
        self.increase_indent(True, False)
        breaks = not self.simple_key_context
        if style == PLAIN:
            self.plain(text, breaks)
        elif style == SINGLE:
            self.single_quoted(text, breaks)
        elif style == DOUBLE:
            self.double_quoted(text, breaks)
        else:
            self.literal(text)
        self.pop_indent()
        self.spans.append(Span(kind, start, (self.line, self.column)))

    def _select(self, text: str, style: str, analysis: _Analysis) -> str:
        """The style the writer can use: plain, else single quotes, else double; a block only where
        it can stand (not in a key)."""
        if self.simple_key_context and analysis.multiline:
            style = DOUBLE
        if style == PLAIN and (not analysis.block_plain or (not text and self.simple_key_context)):
            style = SINGLE
        if style == SINGLE and not analysis.single_quoted:
            style = DOUBLE
        if style == LITERAL and (not analysis.block or self.simple_key_context):
            style = DOUBLE
        return style

    # ---- scalar styles ----
    def plain(self, text: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        spaces = False
        for i, ch in enumerate(text):
            if ch == " ":
                next_space = i + 1 < len(text) and text[i + 1] == " "
                if allow_breaks and not spaces and self.column > BEST_WIDTH and not next_space:
                    self.write_indent()
                else:
                    self.put(ch)
                spaces = True
            else:
                self.put(ch)
                self.indention = False
                spaces = False
        self.whitespace = self.indention = False
        if self.root_context:
            self.open_ended = True

    def single_quoted(self, text: str, allow_breaks: bool) -> None:
        self.indicator("'", True, False, False)
        spaces = breaks = False
        last = len(text) - 1
        for i, ch in enumerate(text):
            if ch == " ":
                if allow_breaks and not spaces and self.column > BEST_WIDTH and 0 < i < last and text[i + 1] != " ":
                    self.write_indent()
                else:
                    self.put(ch)
                spaces = True
            elif ch in _BREAKS:
                if not breaks and ch == "\n":
                    self.put_break()
                self._write_break(ch)
                self.indention = breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put("''" if ch == "'" else ch)
                self.indention = spaces = breaks = False
        self.indicator("'", False, False, False)
        self.whitespace = self.indention = False

    def double_quoted(self, text: str, allow_breaks: bool) -> None:
        self.indicator('"', True, False, False)
        spaces = False
        last = len(text) - 1
        bom = text.startswith("\ufeff")  # go-yaml then escapes every character (its BOM test looks at the start)
        for i, ch in enumerate(text):
            if bom or not _printable(ch) or ch in _BREAKS or ch in '"\\':
                short = _ESCAPES.get(ch)
                if short is not None:
                    self.put("\\" + short)
                else:
                    code = ord(ch)
                    self.put(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
                spaces = False
            elif ch == " ":
                if allow_breaks and not spaces and self.column > BEST_WIDTH and 0 < i < last:
                    self.write_indent()
                    if text[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(ch)
                spaces = True
            else:
                self.put(ch)
                spaces = False
        self.indicator('"', False, False, False)
        self.whitespace = self.indention = False

    def literal(self, text: str) -> None:
        self.indicator("|", True, False, False)
        if text and (text[0] == " " or text[0] in _BREAKS):
            self.indicator(str(BEST_INDENT), False, False, False)
        self.open_ended = False
        chomp = ""
        if not text or text[-1] not in _BREAKS:
            chomp = "-"
        elif len(text) == 1 or text[-2] in _BREAKS:
            chomp = "+"
        if chomp:
            self.indicator(chomp, False, False, False)
        self.put_break()
        self.indention = self.whitespace = True
        breaks = True
        for ch in text:
            if ch in _BREAKS:
                self._write_break(ch)
                self.indention = breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(ch)
                self.indention = breaks = False

    def _write_break(self, ch: str) -> None:
        if ch == "\n":
            self.put_break()
        else:
            self.out.append(ch)
            self.column = 0
            self.line += 1

    def document(self, value: object) -> Rendered:
        self.node(value, root=True)
        self.indent = -1
        self.write_indent()
        if self.open_ended:
            self.indicator("...", True, False, False)
            self.write_indent()
        text = "".join(self.out)
        paths, current = [], ""
        for line in range(text.count("\n") + (not text.endswith("\n"))):
            current = self.line_paths.get(line, current)
            paths.append(current)
        return Rendered(text, paths, self.spans)


def render(value: object) -> Rendered:
    """`value` (JSON data) as kubectl's YAML printer writes it, with what each line shows."""
    return _Writer().document(value)


def dump(value: object) -> str:
    """`value` (JSON data) as kubectl's YAML printer writes it."""
    return render(value).text
