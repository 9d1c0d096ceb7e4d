"""One CSV row per entry, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from store.records import Records

COLUMNS = (
    "session_uuid",
    "session_started_at",
    "entry_uuid",
    "at",
    "partner",
    "kind",
    "category",
    "text",
    "validated",
    "confidence",
)
# A cell starting with one of these is run as a formula by spreadsheet apps.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> str:
    """The cell text, prefixed with ' when a spreadsheet would treat it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_csv(records: Records) -> str:
    """Every entry of the period with its session's start time."""
    started = {session["id"]: session["started_at"] for session in records.sessions}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in records.entries:
        row = {
            "session_uuid": entry["session_uuid"],
            "session_started_at": started[entry["session_id"]],
            "entry_uuid": entry["uuid"],
            **{name: entry[name] for name in COLUMNS[3:]},
        }
        writer.writerow([neutralize(row[name]) for name in COLUMNS])
    return out.getvalue()
