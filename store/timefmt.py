"""Timestamps as stored: UTC ISO 8601 text with a trailing "Z", to the second.

One format everywhere means the text sorts in time order, so SQL can compare
timestamps as strings and sqlite-utils / Datasette show them readably.
"""

from __future__ import annotations

from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def to_utc_text(moment: datetime) -> str:
    """Store form of a datetime; a naive datetime is taken as local time (Python's convention)."""
    return moment.astimezone(UTC).strftime(_FORMAT)


def parse_utc_text(text: str) -> datetime:
    """Read a stored (or imported) timestamp back as an aware UTC datetime.

    Accepts any ISO 8601 form with an offset ("Z" or "+02:00"), so exports
    from other tools still import; raises ValueError otherwise.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no UTC offset")
    return moment.astimezone(UTC)


def normalize_utc_text(text: str) -> str:
    """Any accepted timestamp text rewritten in the store's one format."""
    return to_utc_text(parse_utc_text(text))
