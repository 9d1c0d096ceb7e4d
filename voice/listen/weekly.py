"""The spoken weekly summary a couple gets by asking "how was our week" after the wake phrase.

Its words live in weekly.toml beside it; the store only counts.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from functools import cache
from pathlib import Path

from store import Store, WeekSummary, current_week, week_summary
from store.labels import load_labels

PHRASES_FILE = Path(__file__).with_name("weekly.toml")


@cache
def _phrases() -> dict[str, str]:
    return dict(tomllib.loads(PHRASES_FILE.read_text("utf-8"))["spoken"])


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def spoken_summary(summary: WeekSummary) -> str:
    """A few sentences for the assistant to say when asked "how was our week"."""
    labels = load_labels()
    phrases = _phrases()
    if summary.sessions == 0:
        return phrases["none"]
    count = summary.total_appreciations
    parts = [
        phrases["appreciations"].format(
            count=count, appreciation_word=_plural(count, "appreciation", "appreciations")
        )
    ]
    top = summary.top_category
    if top is None:
        parts.append(phrases["no_needs"])
    else:
        parts.append(
            phrases["top"].format(
                label=labels.category(top).lower(),
                count=summary.top_count,
                times=_plural(summary.top_count, "time", "times"),
            )
        )
        ratio = summary.ratio or 0.0
        parts.append(phrases["ratio"].format(ratio=f"{ratio:.1f}".rstrip("0").rstrip(".")))
    return " ".join(parts)


def weekly_summary_text(store: Store, now: datetime) -> str:
    """What the assistant says: this ISO week's appreciations, top micro-rejection and ratio.

    `now` is the wall-clock moment (aware), so the week and its days are cut in
    the couple's own timezone.
    """
    week = current_week(now.date())
    return spoken_summary(week_summary(store, week, now.tzinfo))
