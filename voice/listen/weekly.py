"""The spoken summary a couple gets by asking "how was our week" after the wake phrase.

It covers the last seven days, not the ISO week: asked on a Monday evening,
"this week" would be one day old and empty. Its words live in weekly.toml
beside it; the store only counts.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from functools import cache
from pathlib import Path

from store import Store, WeekSummary

PHRASES_FILE = Path(__file__).with_name("weekly.toml")
DAYS = 7


@cache
def _phrases() -> dict[str, str]:
    return dict(tomllib.loads(PHRASES_FILE.read_text("utf-8"))["spoken"])


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _times(count: int) -> str:
    phrases = _phrases()
    if count == 1:
        return phrases["once"]
    return phrases["twice"] if count == 2 else phrases["times"].format(count=count)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_phrases()['and']} {items[-1]}"


def spoken_summary(summary: WeekSummary) -> str:
    """A few sentences for the assistant to say when asked "how was our week"."""
    from store.labels import load_labels

    labels = load_labels()
    phrases = _phrases()
    if summary.sessions == 0:
        return phrases["none"]
    count, needs = summary.total_appreciations, summary.total_unmet_needs
    checkins = (
        phrases["checkin_one"]
        if summary.sessions == 1
        else phrases["checkin_many"].format(count=summary.sessions)
    )
    parts = [
        phrases["appreciations"].format(
            checkins=checkins,
            count=count,
            appreciation_word=_plural(count, "appreciation", "appreciations"),
        )
    ]
    top = summary.top_categories
    if not top:
        parts.append(phrases["no_needs"])
    else:
        names = [labels.category(code).lower() for code in top]
        if len(top) == 1:
            parts.append(phrases["top"].format(label=names[0], times=_times(summary.top_count)))
        else:
            line = phrases["top_tie"].format(labels=_join(names), times=_times(summary.top_count))
            parts.append(line[0].upper() + line[1:])
        if count % needs == 0 and count:
            every = count // needs
            parts.append(phrases["ratio_every"].format(
                count=every, appreciation_word=_plural(every, "appreciation", "appreciations")
            ))
        else:
            parts.append(phrases["ratio_counts"].format(
                appreciations=count, needs=needs,
                appreciation_word=_plural(count, "appreciation", "appreciations"),
                need_word=_plural(needs, "need", "needs"),
            ))
    return " ".join(parts)


def weekly_summary_text(store: Store, now: datetime) -> str:
    """What the assistant says: the last seven local days, today included.

    `now` is the wall-clock moment (aware), so the days are cut in the
    couple's own timezone.
    """
    from store.records import span_records
    from store.summary import summarize
    from store.weeks import last_days

    first, last = last_days(now.date(), DAYS)
    return spoken_summary(summarize(span_records(store, first, last, now.tzinfo), tz=now.tzinfo))
