"""Reading sessions and entries back out, for a week or for everything.

Rows come back as plain dicts with every column, partners decoded to a list and
booleans as bools, so exports are complete backups and renderers need no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any

from store.store import Store, decode_partners
from store.timefmt import to_utc_text
from store.weeks import local_day_start, parse_week

SESSION_COLUMNS = (
    "id",
    "uuid",
    "started_at",
    "ended_at",
    "completed",
    "partners",
    "engine",
    "duration_s",
)
ENTRY_COLUMNS = (
    "id",
    "uuid",
    "session_id",
    "session_uuid",
    "at",
    "partner",
    "kind",
    "category",
    "text",
    "validated",
    "confidence",
)


@dataclass(frozen=True)
class Records:
    """The sessions and entries of one period, in time order."""

    week: str | None  # None for "everything" or a span of days
    first_day: date | None
    last_day: date | None
    sessions: list[dict[str, Any]]
    entries: list[dict[str, Any]]
    whole: bool = False
    """True for "everything": first_day and last_day are then just the first and last check-in."""

    @property
    def partners(self) -> list[str]:
        """Every name in these check-ins, in the order they first appear."""
        return partner_names(self.sessions)


@dataclass(frozen=True)
class AnsweredNeed:
    """An unmet need with the response that answered it (None: nobody answered)."""

    need: dict[str, Any]
    response: dict[str, Any] | None

    @property
    def answer(self) -> str:
        """validated | dismissed | no_response."""
        if self.response is None:
            return "no_response"
        return "validated" if self.response["validated"] else "dismissed"


def answered_needs(entries: list[dict[str, Any]]) -> list[AnsweredNeed]:
    """Pair the needs of ONE session with their responses, in order.

    A response answers the latest need not yet answered before it (see the schema).
    """
    slots: list[list[dict[str, Any] | None]] = []
    for entry in entries:
        if entry["kind"] == "unmet_need":
            slots.append([entry, None])
        elif entry["kind"] == "response":
            for slot in reversed(slots):
                if slot[1] is None:
                    slot[1] = entry
                    break
    return [AnsweredNeed(need, response) for need, response in slots if need is not None]


def partner_names(sessions: list[dict[str, Any]]) -> list[str]:
    """The names in `sessions` (partners decoded), first appearance first, no repeats."""
    names: list[str] = []
    for session in sessions:
        for name in session["partners"]:
            if name not in names:
                names.append(name)
    return names


def couple_names(store: Store) -> list[str]:
    """Every partner name in the database, in the order they first appear."""
    with store._errors():
        rows = store.conn.execute(
            "SELECT partners FROM sessions GROUP BY partners ORDER BY MIN(started_at)"
        ).fetchall()
    return partner_names([{"partners": decode_partners(row[0])} for row in rows])


def utc_bounds(first_day: date, last_day: date, tz: tzinfo | None) -> tuple[str, str]:
    """Stored-text bounds [start, end) covering local days first_day..last_day."""
    start = to_utc_text(local_day_start(first_day, tz))
    end = to_utc_text(local_day_start(last_day + timedelta(days=1), tz))
    return start, end


def week_records(store: Store, week: str, tz: tzinfo | None = None) -> Records:
    """Everything from the check-ins that started in local ISO week `week`."""
    first_day, last_day = parse_week(week)
    start, end = utc_bounds(first_day, last_day, tz)
    sessions, entries = _fetch(store, "s.started_at >= ? AND s.started_at < ?", [start, end])
    return Records(week, first_day, last_day, sessions, entries)


def span_records(
    store: Store, first_day: date, last_day: date, tz: tzinfo | None = None
) -> Records:
    """Everything from the check-ins that started on local days first_day..last_day."""
    start, end = utc_bounds(first_day, last_day, tz)
    sessions, entries = _fetch(store, "s.started_at >= ? AND s.started_at < ?", [start, end])
    return Records(None, first_day, last_day, sessions, entries)


def all_records(store: Store, tz: tzinfo | None = None) -> Records:
    """Everything in the database."""
    from store.timefmt import parse_utc_text

    sessions, entries = _fetch(store, "1", [])
    days = [parse_utc_text(s["started_at"]).astimezone(tz).date() for s in sessions]
    return Records(
        None, min(days, default=None), max(days, default=None), sessions, entries, whole=True
    )


def _fetch(
    store: Store, where: str, params: list[Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with store._errors():
        sessions = [
            _session(row)
            for row in store.db.query(
                f"SELECT {', '.join(SESSION_COLUMNS)} FROM sessions s WHERE {where} "
                "ORDER BY s.started_at, s.id",
                params,
            )
        ]
        entry_columns = ", ".join(
            "s.uuid AS session_uuid" if name == "session_uuid" else f"e.{name}"
            for name in ENTRY_COLUMNS
        )
        entries = [
            _entry(row)
            for row in store.db.query(
                f"SELECT {entry_columns} FROM entries e JOIN sessions s ON s.id = e.session_id "
                f"WHERE {where} ORDER BY s.started_at, s.id, e.at, e.id",
                params,
            )
        ]
    return sessions, entries


def _session(row: dict[str, Any]) -> dict[str, Any]:
    row["completed"] = bool(row["completed"])
    row["partners"] = decode_partners(row["partners"])
    return row


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    if row["validated"] is not None:
        row["validated"] = bool(row["validated"])
    return row
