"""Predicates of the playbook match language: what a field's value must be.

A predicate is a scalar (equals), a list (one of), or a mapping of operators: `equals`, `in`, `not_in`,
`regex`, `contains`, `startswith`, `gt`, `gte`, `lt`, `lte`, `exists`, `not`. A compiled predicate returns
the regex captures (maybe none) when it holds, None when it does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from k8sdoctor.core.playbooks.regex_safety import UnsafeRegex, bounded, compile_linear, compile_safe

#: Set while compiling playbooks that were validated before (the cache): their regexes are known to be
#: safe, so they are compiled when first used, and capture names are not collected for template checks.
TRUSTED: ContextVar[bool] = ContextVar("trusted_playbook", default=False)


class MatchSpecError(ValueError):
    """A clause or predicate is malformed. `path` is the field path inside the playbook."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class _LazyPattern:
    """A regex compiled on first use (a one-shot run evaluates few of the playbooks' patterns)."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: Any = None

    def search(self, text: str) -> Any:
        if self._compiled is None:
            self._compiled = compile_linear(self.source)  # linear-time (RE2): see regex_safety
        return self._compiled.search(text)


Predicate = Callable[[Any], "dict[str, str] | None"]  # returns captures (maybe empty) when it holds

_OPS = ("equals", "in", "not_in", "regex", "contains", "startswith", "gt", "gte", "lt", "lte", "exists", "not")


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if _num(a) is not None and _num(b) is not None:
        return a == b
    return str(a) == str(b)


def compile_predicate(spec: Any, path: str) -> Predicate:
    if isinstance(spec, str):  # the common case, kept cheap: a value equal as text (never a boolean)
        return lambda v: {} if v == spec or (not isinstance(v, (str, bool)) and str(v) == spec) else None
    if isinstance(spec, (int, float, bool)):
        return lambda v: {} if _same(v, spec) else None
    if isinstance(spec, list):
        if not all(isinstance(s, (str, int, float, bool)) for s in spec):
            raise MatchSpecError(path, "a list predicate may hold only plain values")
        if all(isinstance(s, str) for s in spec):  # the common case, kept cheap
            words = frozenset(spec)
            return lambda v: {} if (v in words if isinstance(v, str) else not isinstance(v, bool) and str(v) in words) else None
        items = list(spec)
        return lambda v: {} if any(_same(v, s) for s in items) else None
    if not isinstance(spec, dict) or not spec:
        raise MatchSpecError(path, f"expected a value, a list or a mapping of operators ({', '.join(_OPS)})")
    tests: list[Predicate] = []
    for op, arg in spec.items():
        where = f"{path}.{op}"
        if op not in _OPS:
            raise MatchSpecError(where, f"unknown operator; expected one of {', '.join(_OPS)}")
        tests.append(_compile_op(op, arg, where))
    if len(tests) == 1:
        return tests[0]

    def all_of(v: Any) -> dict[str, str] | None:
        captures: dict[str, str] = {}
        for t in tests:
            got = t(v)
            if got is None:
                return None
            captures.update(got)
        return captures

    return all_of


def _compile_op(op: str, arg: Any, path: str) -> Predicate:
    if op == "equals":
        return compile_predicate(arg if not isinstance(arg, (list, dict)) else _bad(path, "expects a plain value"), path)
    if op in ("in", "not_in"):
        if not isinstance(arg, list):
            raise MatchSpecError(path, "expects a list")
        inner = compile_predicate(arg, path)
        return inner if op == "in" else (lambda v: {} if inner(v) is None else None)
    if op == "regex":
        if TRUSTED.get() and isinstance(arg, str):
            rx: Any = _LazyPattern(arg)
        else:
            try:
                rx = compile_safe(arg)
            except UnsafeRegex as exc:
                raise MatchSpecError(path, str(exc)) from None

        def regex(v: Any) -> dict[str, str] | None:
            if not isinstance(v, str):
                return None
            m = rx.search(bounded(v))
            if m is None:
                return None
            return {k: val for k, val in m.groupdict().items() if val is not None}

        return regex
    if op in ("contains", "startswith"):
        if not isinstance(arg, str):
            raise MatchSpecError(path, "expects a string")
        if op == "contains":
            return lambda v: {} if isinstance(v, str) and arg in v else None
        return lambda v: {} if isinstance(v, str) and v.startswith(arg) else None
    if op in ("gt", "gte", "lt", "lte"):
        if _num(arg) is None:
            raise MatchSpecError(path, "expects a number")
        cmp = {
            "gt": lambda a: a > arg,
            "gte": lambda a: a >= arg,
            "lt": lambda a: a < arg,
            "lte": lambda a: a <= arg,
        }[op]
        return lambda v: {} if _num(v) is not None and cmp(v) else None
    if op == "exists":
        if not isinstance(arg, bool):
            raise MatchSpecError(path, "expects true or false")
        # handled by FieldTest (it needs to see "no value"); as a predicate on a value, it holds.
        return (lambda v: {}) if arg else (lambda v: None)
    if op == "not":
        inner = compile_predicate(arg, path)
        return lambda v: {} if inner(v) is None else None
    raise MatchSpecError(path, "unknown operator")  # pragma: no cover - guarded above


def _bad(path: str, reason: str):
    raise MatchSpecError(path, reason)


def regex_captures(spec: Any, path: str) -> frozenset[str]:
    """Names of the regex groups inside a predicate spec (empty for trusted playbooks)."""
    try:
        return frozenset(n for rx in _regexes(spec) for n in rx.groupindex)
    except UnsafeRegex as exc:  # pragma: no cover - compile_predicate reports it first
        raise MatchSpecError(path, str(exc)) from None


def _regexes(spec: Any) -> Iterable[Any]:
    """Compiled regexes inside a predicate spec (for listing capture names; none when trusted)."""
    if TRUSTED.get():
        return
    if isinstance(spec, dict):
        for op, arg in spec.items():
            if op == "regex" and isinstance(arg, str):
                yield compile_safe(arg)
            elif isinstance(arg, (dict, list)):
                yield from _regexes(arg)
    elif isinstance(spec, list):
        for item in spec:
            yield from _regexes(item)
