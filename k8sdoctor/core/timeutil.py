"""Kubernetes timestamps and human durations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def parse_time(value: object) -> datetime | None:
    """Parse an RFC 3339 timestamp as the API writes it ("2024-05-01T10:00:00Z", with or without a
    fraction). Returns None for anything else, never raises."""
    if not isinstance(value, str) or not value:
        return None
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        # Python 3.10 accepts only 3 or 6 fraction digits; the API may send others (eventTime).
        head, dot, rest = text.partition(".")
        if not dot:
            return None
        digits = "".join(ch for ch in rest if ch.isdigit())
        tz = rest[len(digits):]
        try:
            parsed = datetime.fromisoformat(f"{head}.{(digits + '000000')[:6]}{tz}")
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def human_duration(seconds: float) -> str:
    """kubectl's short duration: 45s, 3m, 2m30s, 5h, 3d, 2y — as `kubectl get` prints ages."""
    s = int(max(seconds, 0))
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rem = s % 60
        return f"{minutes}m{rem}s" if rem else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rem = minutes % 60
        return f"{hours}h{rem}m" if rem else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = s // 86400
    if days < 8:
        rem = hours % 24
        return f"{days}d{rem}h" if rem else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    return f"{days // 365}y"


def age(since: datetime | None, now: datetime) -> str:
    """Human age of a timestamp, or "<unknown>" as kubectl prints it."""
    if since is None:
        return "<unknown>"
    return human_duration((now - since).total_seconds())


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def resolve_relative_times(value: object, now: datetime) -> object:
    """Replace strings like "-5m", "-2h30m" or "-90s" (anywhere in nested data) with RFC 3339 times
    that far before `now`. Used by playbook examples and scenarios so fixtures stay fresh."""
    if isinstance(value, dict):
        return {k: resolve_relative_times(v, now) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_relative_times(v, now) for v in value]
    if isinstance(value, str) and len(value) > 2 and value[0] == "-" and value[-1] in _UNITS:
        total, number = 0, ""
        for ch in value[1:]:
            if ch.isdigit():
                number += ch
            elif ch in _UNITS and number:
                total += int(number) * _UNITS[ch]
                number = ""
            else:
                return value
        if number:
            return value
        return format_time(now - timedelta(seconds=total))
    return value


def format_time(when: datetime) -> str:
    """RFC 3339 in UTC with a Z, as the API writes it."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
