"""The evening reminder on a fake wall clock: when it is due, and that it is said once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from voice.listen.reminder import EveningReminder, in_quiet_hours

TZ = timezone(timedelta(hours=2))


class FakeClock:
    """Wall time moved by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class CheckinDays:
    """Which local days had a check-in (stands in for Store.had_checkin_on)."""

    def __init__(self) -> None:
        self.days: set[date] = set()
        self.asked: list[tuple[date, object]] = []

    def __call__(self, day: date, now: datetime) -> bool:
        self.asked.append((day, now.tzinfo))
        return day in self.days


def reminder(clock: FakeClock, days: CheckinDays) -> EveningReminder:
    return EveningReminder.from_config("21:00", ("23:00", "07:00"), clock, days)


def test_due_at_the_reminder_time_then_once_per_day() -> None:
    clock, days = FakeClock(datetime(2026, 3, 2, 20, 59, tzinfo=TZ)), CheckinDays()
    evening = reminder(clock, days)
    assert not evening.due()
    clock.now = clock.now.replace(hour=21, minute=0)
    assert evening.due()
    evening.said()
    clock.now += timedelta(minutes=30)
    assert not evening.due()
    clock.now = datetime(2026, 3, 3, 21, 15, tzinfo=TZ)  # the next evening
    assert evening.due()
    assert days.asked[-1] == (date(2026, 3, 3), TZ)


def test_not_due_once_the_couple_checked_in_today() -> None:
    clock, days = FakeClock(datetime(2026, 3, 2, 21, 30, tzinfo=TZ)), CheckinDays()
    days.days.add(date(2026, 3, 2))
    assert not reminder(clock, days).due()


def test_never_in_quiet_hours_even_if_never_said() -> None:
    clock, days = FakeClock(datetime(2026, 3, 2, 23, 5, tzinfo=TZ)), CheckinDays()
    evening = reminder(clock, days)
    assert not evening.due()
    clock.now = datetime(2026, 3, 3, 1, 0, tzinfo=TZ)
    assert not evening.due()


def test_quiet_hours_may_wrap_midnight_or_not() -> None:
    night = (time(23, 0), time(7, 0))
    assert in_quiet_hours(time(23, 0), night) and in_quiet_hours(time(6, 59), night)
    assert not in_quiet_hours(time(7, 0), night) and not in_quiet_hours(time(22, 59), night)
    afternoon = (time(13, 0), time(15, 0))
    assert in_quiet_hours(time(14, 0), afternoon) and not in_quiet_hours(time(15, 0), afternoon)
    assert not in_quiet_hours(time(3, 0), None)
