"""Counts in the app's printed sentences: "1 entry", "2 entries", never "1 entries"."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """`count` with the noun that fits it: plural(1, "session") == "1 session"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def entries_saved(count: int) -> str:
    """ "1 entry saved", "3 entries saved": said after a check-in."""
    return f"{plural(count, 'entry', 'entries')} saved"
