"""Trends across weeks: what adds up over time, for the couple and for each partner.

Micro-rejections do their harm by adding up, so the log shows a run of weeks
side by side: appreciations against needs (and the 5:1 mark), each kind of
micro-rejection, how many shared needs were validated, and how many check-ins
were kept. Every figure exists together and per partner: a partner's
appreciations and needs are the ones they said, so their ratio is how the
relationship felt to them; their check-ins are those they answered in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any

from store.labels import load_labels
from store.records import Records, answered_needs, span_records
from store.store import Store
from store.summary import by_count, rank
from store.timefmt import parse_utc_text
from store.weeks import parse_week, week_of, weeks_ending


@dataclass
class Figures:
    """One week's figures, for both partners together or for one of them."""

    appreciations: int = 0
    needs: int = 0
    needs_validated: int = 0
    """Shared needs the other partner answered with validation."""
    checkins: int = 0
    kept: int = 0
    """Check-ins that ran to their end."""
    categories: Counter[str] = field(default_factory=Counter)

    @property
    def validated_share(self) -> float | None:
        """The share of shared needs that were validated; None when no need was shared."""
        return self.needs_validated / self.needs if self.needs else None

    def as_json(self) -> dict[str, Any]:
        return {
            "appreciations": self.appreciations,
            "needs": self.needs,
            "needs_validated": self.needs_validated,
            "checkins": self.checkins,
            "kept": self.kept,
            "categories": by_count(self.categories),
        }


@dataclass(frozen=True)
class WeekTrend:
    """The figures of one ISO week."""

    week: str
    monday: date
    together: Figures
    partners: dict[str, Figures]

    def of(self, partner: str | None) -> Figures:
        """Together (None) or one partner's figures (zeros if they said nothing)."""
        if partner is None:
            return self.together
        return self.partners.get(partner) or Figures()


@dataclass(frozen=True)
class Trends:
    """A run of consecutive weeks, oldest first."""

    weeks: list[WeekTrend]
    partners: list[str]
    research_ratio: float

    @property
    def first(self) -> str:
        return self.weeks[0].week

    @property
    def last(self) -> str:
        return self.weeks[-1].week

    @property
    def has_checkins(self) -> bool:
        return any(week.together.checkins for week in self.weeks)

    def categories(self) -> list[str]:
        """The kinds of micro-rejection that came up, most frequent over all weeks first."""
        total: Counter[str] = Counter()
        for week in self.weeks:
            total.update(week.together.categories)
        return sorted((code for code in total if total[code]), key=lambda c: (-total[c], rank(c)))

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.first,
            "to": self.last,
            "partners": list(self.partners),
            "research_ratio": self.research_ratio,
            "weeks": [
                {
                    "week": week.week,
                    "monday": week.monday.isoformat(),
                    "together": week.together.as_json(),
                    "partners": {name: week.of(name).as_json() for name in self.partners},
                }
                for week in self.weeks
            ],
        }


def trends(store: Store, last_week: str, count: int, tz: tzinfo | None = None) -> Trends:
    """The `count` weeks ending with `last_week` (ISO "YYYY-Www"), in local time."""
    weeks = weeks_ending(last_week, max(1, count))
    first_day = parse_week(weeks[0])[0]
    last_day = parse_week(weeks[-1])[1]
    return trends_of(span_records(store, first_day, last_day, tz), weeks, tz)


def trends_of(records: Records, weeks: list[str], tz: tzinfo | None = None) -> Trends:
    """Bucket already-read records into `weeks` (records outside them are ignored)."""
    figures = {week: WeekTrend(week, parse_week(week)[0], Figures(), {}) for week in weeks}
    by_session: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in records.entries:
        by_session[entry["session_id"]].append(entry)
    for session in records.sessions:
        started = parse_utc_text(session["started_at"]).astimezone(tz).date()
        trend = figures.get(week_of(started))
        if trend is not None:
            _add_session(trend, session, by_session[session["id"]])
    return Trends(
        [figures[week] for week in weeks], records.partners, load_labels().research_ratio
    )


def _add_session(trend: WeekTrend, session: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    kept = bool(session["completed"])
    spoke = {entry["partner"] for entry in entries}
    people = [trend.together, *(_partner(trend, name) for name in sorted(spoke))]
    for figures in people:
        figures.checkins += 1
        figures.kept += kept
    for entry in entries:
        if entry["kind"] == "appreciation":
            for figures in (trend.together, _partner(trend, entry["partner"])):
                figures.appreciations += 1
    for slot in answered_needs(entries):
        category = slot.need["category"] or "other"
        validated = slot.answer == "validated"
        for figures in (trend.together, _partner(trend, slot.need["partner"])):
            figures.needs += 1
            figures.needs_validated += validated
            figures.categories[category] += 1


def _partner(trend: WeekTrend, name: str) -> Figures:
    if name not in trend.partners:
        trend.partners[name] = Figures()
    return trend.partners[name]
