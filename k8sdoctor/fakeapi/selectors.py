"""Label and field selectors, parsed once per request into predicates over raw objects.

Label selectors: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`, joined by
commas. Field selectors: `f=v`, `f==v`, `f!=v`, joined by commas, with `\\,` `\\=` `\\\\` escapes. Each
kind accepts only its own field labels; an unknown label is a 400, worded as the real server words it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from k8sdoctor.core.kube.selectors import SelectorError
from k8sdoctor.core.kube.selectors import parse_label_selector as parse_labels
from k8sdoctor.fakeapi.resources import META_FIELDS, ResourceType

Predicate = Callable[[dict], bool]

_BOOLEAN_FIELDS = ("spec.hostNetwork", "spec.unschedulable")
_COUNT_FIELDS = ("status.replicas", "status.succeeded")
_FIELD_PATHS = {
    "source": "source.component",
    "status.successful": "status.succeeded",
    "status.podIPs": "status.podIP",
    "reportingController": "reportingComponent",
}


def everything(_: dict) -> bool:
    return True


# ---- label selectors -----------------------------------------------------------------------------
def parse_label_selector(text: str | None) -> Predicate:
    """The core's label selector, applied to an object's metadata.labels."""
    if not text or not text.strip():
        return everything
    match = parse_labels(text)
    return lambda obj: match((obj.get("metadata") or {}).get("labels") or {})


# ---- field selectors -----------------------------------------------------------------------------
def parse_field_selector(text: str | None, rtype: ResourceType) -> Predicate:
    if not text or not text.strip():
        return everything
    tests: list[Predicate] = []
    for term in _split_unescaped(text, ","):
        if not term.strip():
            continue
        label, op, value = _field_term(term)
        _check_field_label(label, rtype)
        path = _field_path(label)
        tests.append(_field_test(path, value, negate=op == "!="))
    if not tests:
        return everything
    return lambda obj: all(test(obj) for test in tests)


def _field_test(path: str, value: object, *, negate: bool) -> Predicate:
    if negate:
        return lambda obj: field_value(obj, path) != value
    return lambda obj: field_value(obj, path) == value


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _field_term(term: str) -> tuple[str, str, str]:
    for op in ("!=", "==", "="):
        index = _find_unescaped(term, op)
        if index >= 0:
            return term[:index].strip(), op, _unescape(term[index + len(op) :])
    raise SelectorError(f"invalid selector: '{term}'; can't understand '{term}'")


def _find_unescaped(term: str, op: str) -> int:
    index = term.find(op)
    while index > 0 and term[index - 1] == "\\":
        index = term.find(op, index + 1)
    return index


def _check_field_label(label: str, rtype: ResourceType) -> None:
    if rtype.field_labels is None:
        if label not in META_FIELDS:
            raise SelectorError(f'"{label}" is not a known field selector: only "metadata.name", "metadata.namespace"')
    elif label not in rtype.field_labels and label not in META_FIELDS:
        raise SelectorError(f"field label not supported: {label}")
    if label == "metadata.namespace" and not rtype.namespaced and rtype.field_labels is not None:
        raise SelectorError(f"field label not supported: {label}")


def _field_path(label: str) -> str:
    if label.startswith("regarding."):
        return "involvedObject." + label[len("regarding.") :]
    return _FIELD_PATHS.get(label, label)


def field_value(obj: dict, path: str) -> str:
    """The string a field selector compares: booleans as true/false, counts as integers, absent as ''."""
    value: object = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        if path in _BOOLEAN_FIELDS:
            return "false"
        if path in _COUNT_FIELDS:
            return "0"
        return ""
    return str(value)
