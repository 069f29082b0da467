"""Defensive reads of raw API dicts: a missing or oddly typed field reads as empty, never raises."""

from __future__ import annotations

from typing import Any


def as_dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list:
    return value if isinstance(value, list) else []


def as_str(value: object) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return value if isinstance(value, str) else str(value)


def as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def dicts(value: object) -> list[dict]:
    """The dict items of a list (anything else is skipped)."""
    return [item for item in as_list(value) if isinstance(item, dict)]


def dig(obj: object, *keys: str) -> Any:
    """obj[k1][k2]...; None as soon as a level is missing or not a dict."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def name_of(obj: object) -> str:
    return as_str(dig(obj, "metadata", "name"))
