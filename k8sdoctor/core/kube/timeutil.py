"""Kubernetes timestamps: RFC 3339 parsing and formatting, kubectl's human durations, relative times.

Pure functions, no I/O. `human_duration` follows apimachinery's `duration.HumanDuration`, which is what
the AGE and LAST SEEN columns of `kubectl get` show.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

_RELATIVE = re.compile(r"^\s*(now)?\s*(?:([+-])\s*((?:\d+[smhd])+))?\s*$")
_TERM = re.compile(r"(\d+)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_TIME_KEY_SUFFIXES = ("Time", "Timestamp", "At")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def parse_time(value: object) -> datetime | None:
    """An RFC 3339 timestamp as the API writes it ("2024-05-01T10:00:00Z", with or without a fraction
    or offset). None for anything else; never raises."""
    return _parse_text(value) if type(value) is str else None


@lru_cache(maxsize=4096)  # a cluster's objects repeat their timestamps (a pod's conditions, a rollout's replicas)
def _parse_text(value: str) -> datetime | None:
    if not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if "." in text:  # Python 3.10 wants exactly 6 fractional digits
        head, _, rest = text.partition(".")
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{head}.{rest[: min(digits, 6)].ljust(6, '0')}{rest[digits:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def format_time(moment: datetime) -> str:
    """`metav1.Time` form: second precision, UTC, `Z` suffix."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_micro_time(moment: datetime) -> str:
    """`metav1.MicroTime` form (events' `eventTime`): microsecond precision."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def format_log_time(moment: datetime) -> str:
    """The prefix kubelet writes for `timestamps=true`: RFC 3339 with nanoseconds."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f000Z")


def parse_relative(value: str, now: datetime) -> datetime | None:
    """`now`, `-5m`, `now-1h30m`, `+10s`, `-2d` (units s, m, h, d) → an absolute time; else None."""
    match = _RELATIVE.match(value)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    seconds = sum(int(amount) * _UNIT_SECONDS[unit] for amount, unit in _TERM.findall(match.group(3) or ""))
    return now + timedelta(seconds=-seconds if match.group(2) == "-" else seconds)


def resolve_relative_times(value: object, now: datetime) -> object:
    """Copy nested data, turning relative times (see `parse_relative`) in time fields — keys ending in
    Time, Timestamp or At — into RFC 3339 strings. Used by playbook examples and the demo."""
    if isinstance(value, list):
        return [resolve_relative_times(v, now) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict = {}
    for key, item in value.items():
        if isinstance(item, str) and isinstance(key, str) and key.endswith(_TIME_KEY_SUFFIXES):
            moment = parse_relative(item, now)
            out[key] = format_time(moment) if moment is not None else item
        else:
            out[key] = resolve_relative_times(item, now)
    return out


def human_duration(seconds: float) -> str:
    """apimachinery's HumanDuration: `45s`, `3m20s`, `15m`, `5h2m`, `30h`, `3d4h`, `40d`, `2y3d`."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d{rest}h" if rest else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = (hours // 24) % 365
        return f"{hours // 24 // 365}y{rest}d" if rest else f"{hours // 24 // 365}y"
    return f"{hours // 24 // 365}y"


def age(value: str | datetime | None, now: datetime) -> str:
    """kubectl's translateTimestampSince: `<unknown>` for a missing time."""
    moment = value if isinstance(value, datetime) else parse_time(value)
    if moment is None:
        return "<unknown>"
    return human_duration((now - moment).total_seconds())
