"""A deterministic year of nightly check-ins (365 sessions, about 2,500 entries).

Used by the benchmarks (export one week, import the year) and by tests that need
realistic volume. Built as a json export, so loading it goes through the real
import path: `fill_year(open_store(path))`.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from store.importing import ImportResult, import_export
from store.store import Store
from store.timefmt import to_utc_text
from store.vocabulary import CATEGORIES

_NAMESPACE = uuid.UUID("0b5c7a52-3c5e-4f57-8a8e-2b1f4e6d9c10")
_APPRECIATIONS = (
    "made me tea when I got home",
    "listened to my whole story about work",
    "picked up the kids without being asked",
    "left me a sweet note",
    "cooked dinner",
    "gave me a long hug this morning",
    "fixed the bike",
    "called my mum with me",
    "let me sleep in",
    "remembered my meeting and asked how it went",
)
_NEEDS = {
    "no_response": "I felt ignored when you didn't answer my texts all afternoon",
    "dismissed": "I felt brushed off when you interrupted my idea at dinner",
    "unacknowledged_effort": "I felt unseen when nobody mentioned the dinner I cooked",
    "avoided_affection": "I felt rejected when you pulled away from my hug",
    "distracted": "I felt unheard when you kept checking your phone while I talked",
    "cancelled_plans": "I felt unimportant when you cancelled our walk at the last minute",
    "sarcasm": "I felt belittled by that joke about my driving",
    "other": "I felt a bit alone this evening",
}
_VALIDATIONS = (
    "I understand how you feel.",
    "I can see how that might be upsetting.",
    "I'm here for you.",
)
_DISMISSALS = ("You're overreacting.", "It was just a joke.", "Whatever.")


class _Evening:
    """The entries of one generated check-in, with its own clock."""

    def __init__(self, rng: random.Random, make_uuid: Callable[[], str], begin: datetime) -> None:
        self.rng = rng
        self.make_uuid = make_uuid
        self.uuid = make_uuid()
        self.begin = self.clock = begin
        self.entries: list[dict[str, Any]] = []

    def add(
        self,
        partner: str,
        kind: str,
        text: str,
        category: str | None = None,
        validated: bool | None = None,
    ) -> None:
        self.clock += timedelta(seconds=self.rng.randrange(8, 20))
        self.entries.append(
            {
                "uuid": self.make_uuid(),
                "session_uuid": self.uuid,
                "at": to_utc_text(self.clock),
                "partner": partner,
                "kind": kind,
                "category": category,
                "text": text,
                "validated": validated,
                "confidence": round(self.rng.uniform(0.6, 0.99), 2),
            }
        )


def year_export(
    start: date = date(2025, 1, 6),
    days: int = 365,
    partners: tuple[str, str] = ("Ana", "Ben"),
    seed: int = 7,
) -> dict[str, Any]:
    """A json export document holding `days` nightly check-ins from `start`."""
    rng = random.Random(seed)
    sessions: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    counter = 0

    def make_uuid() -> str:
        nonlocal counter
        counter += 1
        return str(uuid.uuid5(_NAMESPACE, f"{seed}:{counter}"))

    for offset in range(days):
        begin = datetime.combine(start + timedelta(days=offset), datetime.min.time(), UTC)
        evening = _Evening(
            rng, make_uuid, begin + timedelta(hours=20, minutes=rng.randrange(0, 90))
        )
        for partner in partners:
            for _ in range(rng.choice((1, 1, 2, 2, 2))):
                evening.add(partner, "appreciation", rng.choice(_APPRECIATIONS))
        for partner, other in (partners, partners[::-1]):
            if rng.random() < 0.9:
                category = rng.choices(CATEGORIES, weights=(3, 4, 3, 2, 5, 2, 1, 1))[0]
                evening.add(partner, "unmet_need", _NEEDS[category], category=category)
                validated = rng.random() < 0.75
                reply = rng.choice(_VALIDATIONS if validated else _DISMISSALS)
                evening.add(other, "response", reply, validated=validated)
        duration = (evening.clock - evening.begin).total_seconds() + 10
        sessions.append(
            {
                "uuid": evening.uuid,
                "started_at": to_utc_text(evening.begin),
                "ended_at": to_utc_text(evening.begin + timedelta(seconds=duration)),
                "completed": rng.random() < 0.95,
                "partners": list(partners),
                "engine": "pocketsphinx",
                "duration_s": duration,
            }
        )
        entries.extend(evening.entries)
    return {
        "week": None,
        "from": start.isoformat(),
        "to": (start + timedelta(days=days - 1)).isoformat(),
        "sessions": sessions,
        "entries": entries,
        "summary": {},
    }


def year_export_json(**kwargs: Any) -> str:
    """`year_export` serialised, as `checkin import` would read it."""
    return json.dumps(year_export(**kwargs), ensure_ascii=False)


def fill_year(store: Store, **kwargs: Any) -> ImportResult:
    """Load a sample year into `store` through the real import."""
    return import_export(store, year_export_json(**kwargs), source="the sample year")
