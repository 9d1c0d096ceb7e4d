"""The spoken weekly summary a couple gets by asking "how was our week" after the wake phrase."""

from __future__ import annotations

from datetime import datetime

from store import Store, current_week, spoken_summary, week_summary


def weekly_summary_text(store: Store, now: datetime) -> str:
    """What the assistant says: this ISO week's appreciations, top micro-rejection and ratio.

    `now` is the wall-clock moment (aware), so the week and its days are cut in
    the couple's own timezone.
    """
    week = current_week(now.date())
    return spoken_summary(week_summary(store, week, now.tzinfo))
