"""The json export: a complete backup of a period that `checkin import` reads back."""

from __future__ import annotations

import json
from typing import Any

from store.records import Records
from store.summary import WeekSummary
from store.trends import Trends


def render_json(records: Records, summary: WeekSummary, trends: Trends | None = None,
                corrections: list[dict[str, Any]] | None = None) -> str:
    """{"week", "from", "to", "sessions", "entries", "summary"}; every column of every row.

    An export of several weeks adds "trends" (import ignores it: it is derived).
    """
    document: dict[str, Any] = {
        "week": records.week,
        "from": records.first_day.isoformat() if records.first_day else None,
        "to": records.last_day.isoformat() if records.last_day else None,
        "sessions": records.sessions,
        "entries": records.entries,
        "summary": summary.as_json(),
    }
    if trends is not None:
        document["trends"] = trends.as_json()
    if corrections:
        # Entries deleted or edited by hand or in the check-in (store/corrections.py).
        document["corrections"] = corrections
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
