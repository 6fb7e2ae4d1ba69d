"""Report periods: from/to as unix seconds, ISO dates or ISO date-times, both ends inclusive.

A date means the whole day in the tax authority's time zone (a fixed UTC offset, e.g. ``+05:00``
for Kazakhstan): ``--from 2026-01-01 --to 2026-03-31`` is the first quarter, midnight to midnight
local time. Internally a period is half-open, ``start <= block time < end``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from tenge.errors import InvalidInput

_OFFSET = re.compile(r"^(?:UTC|Z|([+-])(\d{2}):?(\d{2}))$", re.IGNORECASE)
_DAY = timedelta(days=1)


def parse_utc_offset(text: str) -> timezone:
    """``+05:00``, ``+0500``, ``-03:30``, ``UTC`` or ``Z`` -> a fixed-offset time zone."""
    match = _OFFSET.match(str(text).strip())
    if not match:
        raise InvalidInput(f"{text!r} is not a UTC offset (e.g. +05:00, -03:30, UTC)")
    if match.group(1) is None:
        return timezone.utc
    hours, minutes = int(match.group(2)), int(match.group(3))
    if hours > 14 or minutes > 59:
        raise InvalidInput(f"{text!r} is not a UTC offset (at most +14:00)")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if match.group(1) == "-" else delta)


def parse_instant(text: str, tz: tzinfo = timezone.utc, *, end_of_day: bool = False) -> int:
    """Unix seconds for ``text``; a date is its day's first second, or (``end_of_day``) the next day's."""
    value = str(text).strip()
    if value.isdigit():
        return int(value)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is not None:
        start = datetime(day.year, day.month, day.day, tzinfo=tz)
        return int((start + _DAY if end_of_day else start).timestamp())
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a time: give unix seconds, a date (2026-01-31) or a date-time (2026-01-31T18:00+05:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return int(moment.timestamp())


@dataclass(frozen=True)
class Period:
    """Block times ``start <= t < end``; None leaves a side open (since deployment / up to now)."""

    start: int | None = None
    end: int | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end <= self.start:
            from tenge.times import iso

            raise InvalidInput(f"the period is empty: it ends ({iso(self.end)}) at or before it starts "
                               f"({iso(self.start)})")  # fmt: skip

    @classmethod
    def parse(cls, start: str | None, end: str | None, tz: tzinfo = timezone.utc) -> "Period":
        """From CLI text, both ends inclusive: a date ``end`` takes in its whole day, a unix-seconds or
        date-time ``end`` takes in that second."""
        start_ts = None if start is None else parse_instant(start, tz)
        end_ts = None
        if end is not None:
            end_ts = parse_instant(end, tz, end_of_day=True)
            if not _is_date(end):
                end_ts += 1  # inclusive of the second named
        return cls(start_ts, end_ts)

    def contains(self, timestamp: int) -> bool:
        return (self.start is None or timestamp >= self.start) and (self.end is None or timestamp < self.end)

    def describe(self, tz: tzinfo = timezone.utc) -> str:
        start = "deployment" if self.start is None else datetime.fromtimestamp(self.start, tz).isoformat()
        end = "now" if self.end is None else datetime.fromtimestamp(self.end, tz).isoformat()
        return f"{start} .. {end} (end excluded)"


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(str(text).strip())
    except ValueError:
        return False
    return not str(text).strip().isdigit()
