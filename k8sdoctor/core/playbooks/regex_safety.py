"""Playbook regexes: matched in linear time by RE2, and checked for risky shapes when a playbook loads.

Playbook patterns run over tenant-controlled text (event messages, log lines). Python's `re`
backtracks, and has no timeout: `(a|aa)*c` over one 120-character log line ran for over a minute. So
matching uses RE2 (`google-re2`), whose time is linear in the text whatever the pattern; and no text
longer than `MAX_MATCH_CHARS` is searched.

The shape check stays as a first line: `playbooks validate` rejects the patterns that would backtrack
catastrophically in a backtracking engine — nested variable quantifiers (`(a+)+`, `(?:a{1,16})*`),
alternatives inside a repeat that can start alike (`(a|aa)*`), a repeated group whose inner unbounded
part can swallow what follows it (`(.*,){12}`), adjacent unbounded repeats over overlapping characters
(`.*.*`), backreferences — so a playbook stays safe wherever it is copied. RE2 itself refuses
lookarounds and backreferences.

RE2 syntax is Python's for everything playbooks use (named groups `(?P<name>...)`, `(?i)`, classes),
with two differences: `\\d`, `\\w`, `\\s` and `\\b` are ASCII-only, and `$` matches only at the very end.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    import re._parser as _sre_parse  # type: ignore[import-not-found]
    from re._constants import MAXREPEAT  # type: ignore[import-not-found]
except ImportError:  # Python 3.10
    import sre_parse as _sre_parse
    from sre_constants import MAXREPEAT

MAX_PATTERN_CHARS = 1000
MAX_MATCH_CHARS = 16384

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
_ANY_CHAR = object()  # a set of characters we do not enumerate: overlaps everything


class UnsafeRegex(ValueError):
    """The pattern is invalid, of a shape known to backtrack catastrophically, or not RE2 syntax."""


# ---- the linear-time matcher -------------------------------------------------------------------------
def _re2_options():
    import re2

    options = re2.Options()
    options.log_errors = False  # a bad pattern is our one-line error, not RE2's stderr
    options.max_mem = 8 << 20
    return options


def compile_linear(pattern: str):
    """Compile with RE2: `.search(text)` returns a match with `groupdict()`; `.groupindex` names groups."""
    import re2

    try:
        return re2.compile(pattern, _re2_options())
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise UnsafeRegex(f"not supported by the linear-time matcher (RE2): {reason}") from None


# ---- the shape check -------------------------------------------------------------------------------
def _category_member(category: str, ch: str) -> bool:
    probe = {
        "CATEGORY_DIGIT": r"\d",
        "CATEGORY_NOT_DIGIT": r"\D",
        "CATEGORY_SPACE": r"\s",
        "CATEGORY_NOT_SPACE": r"\S",
        "CATEGORY_WORD": r"\w",
        "CATEGORY_NOT_WORD": r"\W",
    }.get(category)
    return probe is None or re.fullmatch(probe, ch) is not None


#: Characters that stand for every class when two sets are compared: ASCII, and a few beyond it.
_SAMPLE = [chr(c) for c in range(128)] + ["\u00e9", "\u00a0", "\u2028", "\u4e2d"]


def _member(items: list, ch: str) -> bool:
    """Whether `ch` is in the set an IN node describes."""
    negate = False
    hit = False
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            hit = hit or ord(ch) == arg
        elif name == "RANGE":
            hit = hit or arg[0] <= ord(ch) <= arg[1]
        elif name == "CATEGORY":
            hit = hit or _category_member(str(arg), ch)
        else:
            hit = True
    return hit != negate


def _chars(op, arg) -> Any:
    """The characters one item can start with: a frozenset, or _ANY_CHAR."""
    name = str(op)
    if name == "LITERAL":
        return frozenset({chr(arg)})
    if name == "NOT_LITERAL":
        return frozenset(ch for ch in _SAMPLE if ord(ch) != arg)
    if name == "IN":
        return frozenset(ch for ch in _SAMPLE if _member(arg, ch))
    return _ANY_CHAR


def _first(items) -> tuple[Any, bool]:
    """(characters a sequence can start with, whether it can match the empty string)."""
    first: set = set()
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            low, _high, sub = arg
            chars, empty = _first(sub)
            if chars is _ANY_CHAR:
                return _ANY_CHAR, False
            first |= chars
            if low > 0 and not empty:
                return frozenset(first), False
        elif name == "SUBPATTERN":
            chars, empty = _first(arg[-1])
            if chars is _ANY_CHAR:
                return _ANY_CHAR, False
            first |= chars
            if not empty:
                return frozenset(first), False
        elif name == "BRANCH":
            any_empty = False
            for alternative in arg[1]:
                chars, empty = _first(alternative)
                if chars is _ANY_CHAR:
                    return _ANY_CHAR, False
                first |= chars
                any_empty = any_empty or empty
            if not any_empty:
                return frozenset(first), False
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            chars = _chars(op, arg)
            if chars is _ANY_CHAR:
                return _ANY_CHAR, False
            return frozenset(first | chars), False
    return frozenset(first), True


def _overlap(a: Any, b: Any) -> bool:
    if a is _ANY_CHAR or b is _ANY_CHAR:
        return bool(a) and bool(b)
    return bool(a & b)


def _repeat_chars(sub) -> Any:
    """Every character the body of a repeat can consume (approximated by what each item can start with)."""
    chars: set = set()
    for op, arg in sub:
        name = str(op)
        if name in _REPEATS:
            inner = _repeat_chars(arg[2])
        elif name == "SUBPATTERN":
            inner = _repeat_chars(arg[-1])
        elif name == "BRANCH":
            inner = frozenset()
            for alternative in arg[1]:
                got = _repeat_chars(alternative)
                if got is _ANY_CHAR:
                    return _ANY_CHAR
                inner |= got
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            inner = _chars(op, arg)
        if inner is _ANY_CHAR:
            return _ANY_CHAR
        chars |= inner
    return frozenset(chars)


def _is_variable(low: int, high: int) -> bool:
    return high == MAXREPEAT or high > low


def _contains_variable_repeat(items) -> bool:
    for op, arg in items:
        name = str(op)
        if name in _REPEATS and _is_variable(arg[0], arg[1]):
            return True
        children = _children(name, arg)
        if any(_contains_variable_repeat(c) for c in children):
            return True
    return False


def _children(name: str, arg) -> list:
    if name in _REPEATS:
        return [arg[2]]
    if name == "SUBPATTERN":
        return [arg[-1]]
    if name == "BRANCH":
        return list(arg[1])
    if name in ("ASSERT", "ASSERT_NOT"):
        return [arg[1]]
    if name == "ATOMIC_GROUP":
        return [arg]
    return []


def _check_sequence(items) -> None:
    """Adjacent unbounded repeats that can take the same characters (`.*.*`, `\\s*.*`): a backtracking
    engine tries every way to split a run between them."""
    previous: Any = None
    for op, arg in items:
        name = str(op)
        if name in _REPEATS and arg[1] == MAXREPEAT:
            chars = _repeat_chars(arg[2])
            if previous is not None and _overlap(previous, chars):
                raise UnsafeRegex("adjacent unbounded repeats like .*.* can backtrack catastrophically")
            previous = chars
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            chars, empty = _first([(op, arg)])
            if not empty:
                previous = None


def _check_repeat(low: int, high: int, sub) -> None:
    if high <= 1:
        return
    if high == MAXREPEAT and _contains_variable_repeat(sub):
        raise UnsafeRegex("nested quantifiers like (a+)+ can backtrack catastrophically")
    for op, arg in sub:
        if str(op) == "SUBPATTERN":
            _check_repeat(low, high, arg[-1])
        elif str(op) == "BRANCH":
            seen: list = []
            for alternative in arg[1]:
                chars, empty = _first(alternative)
                if empty or any(_overlap(chars, other) for other in seen):
                    raise UnsafeRegex("alternatives that can start alike inside a repeat, like (a|aa)*, can backtrack catastrophically")
                seen.append(chars)
    # A repeated group whose unbounded part can also take what comes after it, e.g. (.*,){12}.
    body = list(sub)
    for i, (op, arg) in enumerate(body):
        if str(op) in _REPEATS and arg[1] == MAXREPEAT:
            rest = body[i + 1 :] + body
            after, _empty = _first(rest)
            if _overlap(_repeat_chars(arg[2]), after):
                raise UnsafeRegex("a repeated group with an unbounded part, like (.*,){12}, can backtrack catastrophically")


def _walk(items) -> None:
    _check_sequence(items)
    for op, arg in items:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise UnsafeRegex("backreferences are not allowed")
        if name in ("ASSERT", "ASSERT_NOT"):
            raise UnsafeRegex("lookahead and lookbehind are not supported (matching is linear-time, by RE2): match without them")
        if name in _REPEATS:
            _check_repeat(*arg)
        for child in _children(name, arg):
            _walk(child)


def compile_safe(pattern: str):
    """Check a playbook regex and compile it for linear-time matching, or raise UnsafeRegex with a
    one-line reason."""
    if not isinstance(pattern, str):
        raise UnsafeRegex("must be a string")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise UnsafeRegex(f"longer than {MAX_PATTERN_CHARS} characters")
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error as exc:
        raise UnsafeRegex(f"invalid regex: {exc}") from None
    _walk(parsed)
    return compile_linear(pattern)


def bounded(text: str) -> str:
    """The part of a text that matching looks at."""
    return text if len(text) <= MAX_MATCH_CHARS else text[:MAX_MATCH_CHARS]
