"""The evening reminder: said once a day, at or after the reminder time, if no check-in yet.

Wall-clock time enters here and nowhere else in the loop, through an injected
clock (a callable returning an aware datetime), so tests move time by hand.
Quiet hours may wrap midnight ("23:00-07:00"); inside them nothing is said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

WallClock = Callable[[], datetime]
"""Returns now, timezone-aware (tests pass a fake)."""

CheckinOn = Callable[[date, datetime], bool]
"""Whether a check-in started on a local day (given that day and now, for its timezone)."""


def parse_clock_time(text: str) -> time:
    """ "21:00" -> time(21, 0); the config has already checked the form."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(moment: time, quiet: tuple[time, time] | None) -> bool:
    """Whether `moment` falls in [start, end), which may wrap past midnight."""
    if quiet is None:
        return False
    start, end = quiet
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


@dataclass
class EveningReminder:
    """Decides when `listen` says the evening reminder."""

    at: time
    clock: WallClock
    had_checkin: CheckinOn
    quiet_hours: tuple[time, time] | None = None
    said_on: date | None = None
    """The local day the reminder was last said (once per day)."""

    @classmethod
    def from_config(
        cls, reminder: str, quiet_hours: tuple[str, str] | None, clock: WallClock,
        had_checkin: CheckinOn,
    ) -> EveningReminder:
        """From the config's "HH:MM" reminder and ("HH:MM", "HH:MM") quiet hours."""
        quiet = None
        if quiet_hours is not None:
            quiet = (parse_clock_time(quiet_hours[0]), parse_clock_time(quiet_hours[1]))
        return cls(parse_clock_time(reminder), clock, had_checkin, quiet)

    def due(self) -> bool:
        """True when the reminder should be said now: call `said()` once it has been."""
        now = self.clock()
        today = now.date()
        moment = now.time().replace(tzinfo=None)
        if self.said_on == today or moment < self.at or in_quiet_hours(moment, self.quiet_hours):
            return False
        return not self.had_checkin(today, now)

    def said(self) -> None:
        """Remember that today's reminder was given."""
        self.said_on = self.clock().date()
