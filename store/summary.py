"""The week in numbers: what the md/html log, the json export and the spoken
"how was our week" all report, computed once here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any

from store.records import Records, week_records
from store.store import Store
from store.timefmt import parse_utc_text
from store.vocabulary import CATEGORIES
from store.weeks import previous_week


@dataclass(frozen=True)
class DayCount:
    """Appreciations and unmet needs said on one local day."""

    day: date
    appreciations: int
    unmet_needs: int


@dataclass(frozen=True)
class WeekSummary:
    """Counts for one ISO week (or a span of days, or everything, when week is None)."""

    week: str | None
    first_day: date | None
    last_day: date | None
    sessions: int
    completed: int
    appreciations: dict[str, int]  # partner -> count, non-zero only
    unmet_needs: dict[str, int]  # category -> count, non-zero only, most frequent first
    responses: int
    validated_responses: int
    days: tuple[DayCount, ...] = ()
    # The category from the week before, for "up from 1 last week".
    previous_unmet_needs: dict[str, int] = field(default_factory=dict)

    @property
    def total_appreciations(self) -> int:
        """All appreciations, both partners."""
        return sum(self.appreciations.values())

    @property
    def total_unmet_needs(self) -> int:
        """All unmet needs, every category."""
        return sum(self.unmet_needs.values())

    @property
    def top_categories(self) -> tuple[str, ...]:
        """The most frequent micro-rejections: one, or several when they tie; () for none."""
        if not self.unmet_needs:
            return ()
        most = max(self.unmet_needs.values())
        return tuple(code for code in self.unmet_needs if self.unmet_needs[code] == most)

    @property
    def top_count(self) -> int:
        """How often the top category (each of them, in a tie) came up this week."""
        return max(self.unmet_needs.values(), default=0)

    @property
    def top_count_before(self) -> int:
        """How often the single top category came up the week before (0 in a tie)."""
        top = self.top_categories
        return self.previous_unmet_needs.get(top[0], 0) if len(top) == 1 else 0

    @property
    def ratio(self) -> float | None:
        """Appreciations per unmet need; None when there were no needs."""
        needs = self.total_unmet_needs
        return self.total_appreciations / needs if needs else None

    def as_json(self) -> dict[str, Any]:
        """The export's "summary" object: dicts hold only non-zero counts."""
        return {
            "sessions": self.sessions,
            "completed": self.completed,
            "appreciations": dict(self.appreciations),
            "unmet_needs": dict(self.unmet_needs),
            "responses": self.responses,
            "validated_responses": self.validated_responses,
        }


def rank(code: str) -> int:
    """A category's place in the catalogue (unknown codes last): the order of ties."""
    return CATEGORIES.index(code) if code in CATEGORIES else len(CATEGORIES)


def by_count(counts: Counter[str] | dict[str, int]) -> dict[str, int]:
    """Non-zero category counts, most frequent first (ties in catalogue order)."""
    return {
        code: counts[code]
        for code in sorted(counts, key=lambda c: (-counts[c], rank(c)))
        if counts[code]
    }


def summarize(
    records: Records, previous_unmet_needs: dict[str, int] | None = None, tz: tzinfo | None = None
) -> WeekSummary:
    """Count the records of one period."""
    appreciations: Counter[str] = Counter()
    needs: Counter[str] = Counter()
    per_day: dict[date, list[int]] = {}
    if not records.whole and records.first_day is not None and records.last_day is not None:
        for offset in range((records.last_day - records.first_day).days + 1):
            per_day[records.first_day + timedelta(days=offset)] = [0, 0]
    started = {
        s["id"]: parse_utc_text(s["started_at"]).astimezone(tz).date() for s in records.sessions
    }
    responses = validated = 0
    for entry in records.entries:
        day = per_day.setdefault(started[entry["session_id"]], [0, 0])
        if entry["kind"] == "appreciation":
            appreciations[entry["partner"]] += 1
            day[0] += 1
        elif entry["kind"] == "unmet_need":
            needs[entry["category"] or "other"] += 1
            day[1] += 1
        elif entry["kind"] == "response":
            responses += 1
            validated += bool(entry["validated"])
    return WeekSummary(
        week=records.week,
        first_day=records.first_day,
        last_day=records.last_day,
        sessions=len(records.sessions),
        completed=sum(1 for s in records.sessions if s["completed"]),
        appreciations=dict(appreciations),
        # Most frequent first: the order the log shows them in (ties: catalogue order).
        unmet_needs=by_count(needs),
        responses=responses,
        validated_responses=validated,
        days=tuple(DayCount(day, a, n) for day, (a, n) in sorted(per_day.items())),
        previous_unmet_needs=dict(previous_unmet_needs or {}),
    )


def week_summary(store: Store, week: str, tz: tzinfo | None = None) -> WeekSummary:
    """The counts for ISO week `week` ("YYYY-Www"), with the week before for comparison."""
    before = summarize(week_records(store, previous_week(week), tz), tz=tz)
    return summarize(week_records(store, week, tz), before.unmet_needs, tz)
