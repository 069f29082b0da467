"""Label selectors as `kubectl get -l` takes them, parsed once into a predicate over a labels mapping.

`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`, joined by commas. Errors
are worded as the API server words them (it answers 400 with the same text).
"""

from __future__ import annotations

import re
from collections.abc import Callable

LabelPredicate = Callable[[dict], bool]

_TOKEN = re.compile(r"\s*(==|!=|=|!|\(|\)|,|<|>|[^\s,()=!<>]+)")


class SelectorError(ValueError):
    """A selector the server would reject with 400 BadRequest; `str()` is the message."""


def _all(_: dict) -> bool:
    return True


def parse_label_selector(text: str | None) -> LabelPredicate:
    """A predicate over a labels mapping (not over an object)."""
    if not text or not text.strip():
        return _all
    tokens = _tokenize(text)
    tests: list[LabelPredicate] = []
    pos = 0
    while pos < len(tokens):
        test, pos = _requirement(tokens, pos)
        tests.append(test)
        if pos < len(tokens):
            if tokens[pos] != ",":
                raise SelectorError(f"found '{tokens[pos]}', expected: ',' or 'end of string'")
            pos += 1
            if pos == len(tokens):
                raise SelectorError("found '', expected: !, identifier, or 'end of string'")
    if len(tests) == 1:
        return tests[0]
    return lambda labels: all(test(labels) for test in tests)


def _tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            break
        tokens.append(match.group(1))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


def _is_identifier(token: str) -> bool:
    return token not in ("==", "!=", "=", "!", "(", ")", ",", "<", ">")


def _requirement(tokens: list[str], pos: int) -> tuple[LabelPredicate, int]:
    if tokens[pos] == "!":
        if pos + 1 >= len(tokens) or not _is_identifier(tokens[pos + 1]):
            raise SelectorError("found '', expected: identifier after '!'")
        key = tokens[pos + 1]
        return (lambda labels: key not in labels), pos + 2
    key = tokens[pos]
    if not _is_identifier(key):
        raise SelectorError(f"found '{key}', expected: !, identifier, or 'end of string'")
    pos += 1
    if pos == len(tokens) or tokens[pos] == ",":
        return (lambda labels: key in labels), pos
    op = tokens[pos]
    if op in ("in", "notin"):
        values, pos = _value_set(tokens, pos + 1)
        if op == "in":
            return (lambda labels: labels.get(key) in values), pos
        return (lambda labels: labels.get(key) not in values), pos
    if op not in ("=", "==", "!=", "<", ">"):
        raise SelectorError(f"found '{op}', expected: in, notin, =, ==, !=, gt, lt")
    pos += 1
    value = ""
    if pos < len(tokens) and _is_identifier(tokens[pos]):
        value, pos = tokens[pos], pos + 1
    if op == "!=":
        return (lambda labels: labels.get(key) != value), pos
    if op in ("<", ">"):
        try:
            bound = int(value)
        except ValueError:
            raise SelectorError("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer") from None
        return (lambda labels: _compare(labels.get(key), bound, op)), pos
    return (lambda labels: labels.get(key) == value), pos


def _compare(value: str | None, bound: int, op: str) -> bool:
    try:
        number = int(value or "")
    except ValueError:
        return False
    return number < bound if op == "<" else number > bound


def _value_set(tokens: list[str], pos: int) -> tuple[frozenset[str], int]:
    if pos >= len(tokens) or tokens[pos] != "(":
        raise SelectorError("found '', expected: '('")
    pos += 1
    values: set[str] = set()
    while pos < len(tokens) and tokens[pos] != ")":
        if tokens[pos] != ",":
            values.add(tokens[pos])
        pos += 1
    if pos == len(tokens):
        raise SelectorError("found '', expected: ')'")
    return frozenset(values), pos + 1


def string_map(value: object) -> dict[str, str]:
    """A labels-like mapping with only its string entries (a Service's `spec.selector`, `matchLabels`)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def label_selector_matches(selector: object, labels: object) -> bool:
    """A metav1.LabelSelector (`matchLabels` and `matchExpressions`) against a labels mapping, as the API
    server evaluates it. An empty selector matches everything; a malformed requirement matches nothing."""
    labels = labels if isinstance(labels, dict) else {}
    if not isinstance(selector, dict):
        return False
    if any(labels.get(k) != v for k, v in string_map(selector.get("matchLabels")).items()):
        return False
    expressions = selector.get("matchExpressions")
    for expr in expressions if isinstance(expressions, list) else ():
        if not isinstance(expr, dict):
            return False
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if not isinstance(key, str) or not isinstance(values, list):
            return False
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
        if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
            return False
    return True
