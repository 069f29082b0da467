"""Playbook regexes: compile them only if they cannot backtrack catastrophically.

Python's `re` has no timeout, so patterns are checked before use. Rejected: nested unbounded
quantifiers such as `(a+)+` or `(\\w*\\s?)*` (the classic exponential shapes) and backreferences.
Matching also never sees more than `MAX_MATCH_CHARS` of one text, which bounds even linear work.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    import re._parser as _sre_parse  # type: ignore[import-not-found]
    from re._constants import MAXREPEAT  # type: ignore[import-not-found]
except ImportError:  # Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]
    from sre_constants import MAXREPEAT  # type: ignore[no-redef]

MAX_PATTERN_CHARS = 1000
MAX_MATCH_CHARS = 16384

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class UnsafeRegex(ValueError):
    """The pattern is invalid, or of a shape known to backtrack catastrophically."""


def _walk(items, inside_repeat: bool) -> None:
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            _low, high, sub = arg
            unbounded = high == MAXREPEAT or high > 16
            if unbounded and inside_repeat:
                raise UnsafeRegex("nested quantifiers like (a+)+ can backtrack catastrophically")
            _walk(sub, inside_repeat or unbounded)
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise UnsafeRegex("backreferences are not allowed")
        elif name == "SUBPATTERN":
            _walk(arg[-1], inside_repeat)
        elif name == "BRANCH":
            for alternative in arg[1]:
                _walk(alternative, inside_repeat)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _walk(arg[1], inside_repeat)
        elif name == "ATOMIC_GROUP":
            _walk(arg, inside_repeat)


def compile_safe(pattern: str) -> re.Pattern[str]:
    """Compile a playbook regex, or raise UnsafeRegex with a one-line reason."""
    if not isinstance(pattern, str):
        raise UnsafeRegex("must be a string")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise UnsafeRegex(f"longer than {MAX_PATTERN_CHARS} characters")
    try:
        compiled = re.compile(pattern)
        parsed = _sre_parse.parse(pattern)
    except re.error as exc:
        raise UnsafeRegex(f"invalid regex: {exc}") from None
    _walk(parsed, False)
    return compiled


def bounded(text: str) -> str:
    """The part of a text that matching looks at."""
    return text if len(text) <= MAX_MATCH_CHARS else text[:MAX_MATCH_CHARS]
