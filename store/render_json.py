"""The json export: a complete backup of a period that `checkin import` reads back."""

from __future__ import annotations

import json

from store.records import Records
from store.summary import WeekSummary


def render_json(records: Records, summary: WeekSummary) -> str:
    """{"week", "from", "to", "sessions", "entries", "summary"}; every column of every row."""
    document = {
        "week": records.week,
        "from": records.first_day.isoformat() if records.first_day else None,
        "to": records.last_day.isoformat() if records.last_day else None,
        "sessions": records.sessions,
        "entries": records.entries,
        "summary": summary.as_json(),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
