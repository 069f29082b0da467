"""CronJob schedules as the CronJob controller reads them (robfig/cron's standard parser): five fields
(minute, hour, day of month, month, day of week) with `*`, `?`, ranges, lists, steps and month and
weekday names; the macros @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and
`@every DURATION`; a `CRON_TZ=` or `TZ=` prefix, or the CronJob's `spec.timeZone`.

Only what diagnosis needs: when a schedule fires next after a given time. As in robfig/cron, when both
day fields are restricted a day matches either of them; when one is `*` or `?`, both must match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_WEEKDAYS = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
#: (lowest, highest, names) of each field, in order.
_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = ((0, 59, {}), (0, 23, {}), (1, 31, {}), (1, 12, _MONTHS), (0, 6, _WEEKDAYS))
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
#: How far ahead a schedule is searched before it is called impossible (robfig gives up after 5 years).
_YEARS_AHEAD = 5
MAX_SCHEDULE_CHARS = 200


class CronError(ValueError):
    """A schedule the controller would not parse either; str() says what is wrong."""


@dataclass(frozen=True, slots=True)
class Schedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool  # day of month or day of week is `*`/`?`: both must match
    zone: tzinfo
    every: timedelta | None = None  # `@every DURATION`

    def next_after(self, t: datetime) -> datetime:
        """The first time strictly after `t` the schedule fires (aware, in the schedule's zone)."""
        if self.every is not None:
            return (t + self.every).astimezone(self.zone)
        t = t.astimezone(self.zone).replace(second=0, microsecond=0) + timedelta(minutes=1)
        last_year = t.year + _YEARS_AHEAD
        while t.year <= last_year:
            if t.month not in self.months:
                t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            elif not self._day_matches(t):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
            elif t.hour not in self.hours:
                t = t.replace(minute=0) + timedelta(hours=1)
            elif t.minute not in self.minutes:
                t += timedelta(minutes=1)
            else:
                return t
        raise CronError("the schedule never fires")

    def _day_matches(self, t: datetime) -> bool:
        dom = t.day in self.days
        dow = (t.isoweekday() % 7) in self.weekdays
        return (dom and dow) if self.any_day else (dom or dow)

    def fires_between(self, start: datetime, end: datetime, limit: int) -> int:
        """How many times it fires in (start, end], counting at most `limit`."""
        n, t = 0, start
        while n < limit:
            t = self.next_after(t)
            if t > end:
                break
            n += 1
        return n


def parse_schedule(schedule: str, time_zone: str | None = None) -> Schedule:
    """Parse a CronJob's `spec.schedule` (and `spec.timeZone`); raise CronError."""
    text = schedule.strip()[: MAX_SCHEDULE_CHARS + 1]
    if len(text) > MAX_SCHEDULE_CHARS:
        raise CronError("the schedule is too long")
    zone_name = time_zone
    if text.startswith(("CRON_TZ=", "TZ=")):
        prefix, _, text = text.partition(" ")
        zone_name = prefix.split("=", 1)[1]
        text = text.strip()
    zone = _zone(zone_name)
    if text.startswith("@every "):
        return Schedule(frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), True, zone, _duration(text[7:].strip()))
    text = _MACROS.get(text.lower(), text)
    parts = text.split()
    if len(parts) != 5:
        raise CronError(f"expected 5 fields, found {len(parts)}")
    minutes, hours, days, months, weekdays = (frozenset(_field(part, *spec)) for part, spec in zip(parts, _FIELDS, strict=True))
    star = [part in ("*", "?", "*/1", "?/1") for part in parts]
    return Schedule(minutes, hours, days, months, weekdays, any_day=star[2] or star[4], zone=zone)


def _zone(name: str | None) -> tzinfo:
    if not name or name in ("UTC", "Etc/UTC"):
        return timezone.utc
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CronError(f"unknown time zone {name!r}") from None


def _field(text: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    out: set[int] = set()
    for item in text.split(","):
        out |= _range(item, low, high, names)
    return out


def _range(item: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    span, _, step_text = item.partition("/")
    step = _number(step_text, names) if step_text else 1
    if step < 1:
        raise CronError(f"step of {item!r} must be at least 1")
    if span in ("*", "?"):
        start, end = low, high
    elif "-" in span:
        first, last = span.split("-", 1)
        start, end = _number(first, names), _number(last, names)
    else:
        start = _number(span, names)
        end = high if step_text else start
    if start < low or end > high or start > end:
        raise CronError(f"{item!r} is out of range {low}-{high}")
    return set(range(start, end + 1, step))


def _number(text: str, names: dict[str, int]) -> int:
    word = text.strip().lower()
    if word in names:
        return names[word]
    if not word.isdigit():
        raise CronError(f"{text!r} is not a number")
    return int(word)


def _duration(text: str) -> timedelta:
    """A Go duration (`1h30m`, `90s`) for `@every`."""
    seconds, pos = 0.0, 0
    for m in _DURATION_PART.finditer(text):
        if m.start() != pos:
            break
        seconds += float(m.group(1)) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[m.group(2)]
        pos = m.end()
    if pos != len(text) or seconds <= 0:
        raise CronError(f"{text!r} is not a duration")
    return timedelta(seconds=seconds)
