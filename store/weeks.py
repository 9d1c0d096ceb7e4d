"""ISO weeks ("2026-W48") and the days they cover, in the couple's local time.

A check-in at 23:30 belongs to that evening wherever the clock is, so days and
weeks are cut in local time (the system's, or an explicit tzinfo) and only then
turned into UTC bounds for the stored timestamps.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def current_week(today: date | None = None) -> str:
    """The ISO week of `today` (default: the local date now) as "YYYY-Www"."""
    day = today if today is not None else date.today()
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_of(day: date) -> str:
    """The ISO week containing `day`."""
    return current_week(day)


def parse_week(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week; ValueError naming the expected form if invalid."""
    match = _WEEK.match(week.strip())
    if match is None:
        raise ValueError(f"week {week!r} is not in the form YYYY-Www, e.g. 2026-W07")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(f"week {week!r} does not exist: {year} has no week {number}") from None
    return monday, monday + timedelta(days=6)


def previous_week(week: str) -> str:
    """The ISO week before `week`."""
    monday, _ = parse_week(week)
    return week_of(monday - timedelta(days=7))


def local_day_start(day: date, tz: tzinfo | None = None) -> datetime:
    """Local midnight starting `day`, as an aware datetime (system zone when tz is None)."""
    midnight = datetime.combine(day, time())
    return midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()


def week_parts(week: str) -> tuple[int, int]:
    """The year and number of an ISO week: "2026-W07" -> (2026, 7)."""
    monday, _ = parse_week(week)
    year, number, _ = monday.isocalendar()
    return year, number


def weeks_ending(last_week: str, count: int) -> list[str]:
    """`count` ISO weeks, oldest first, the last of them `last_week`."""
    monday, _ = parse_week(last_week)
    return [week_of(monday - timedelta(days=7 * back)) for back in range(count - 1, -1, -1)]


def last_days(today: date, count: int = 7) -> tuple[date, date]:
    """The first and last local day of the `count` days ending with `today`."""
    return today - timedelta(days=count - 1), today
