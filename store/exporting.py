"""`export_week`: one period of the log in md, html, csv or json."""

from __future__ import annotations

from datetime import tzinfo
from typing import Literal

from store.errors import StoreError
from store.records import Records, all_records, week_records
from store.render_csv import render_csv
from store.render_html import render_html
from store.render_json import render_json
from store.render_md import render_md
from store.store import Store
from store.summary import summarize, week_summary
from store.timefmt import parse_utc_text
from store.vocabulary import FORMATS
from store.weeklog import WeekLog, build_week_log
from store.weeks import current_week, parse_week, week_of

Format = Literal["md", "html", "csv", "json"]


def export_week(
    store: Store,
    week: str | None,
    fmt: Format | str,
    all_weeks: bool = False,
    tz: tzinfo | None = None,
) -> str:
    """The text of an export; `week` defaults to the current one, all_weeks takes everything."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if all_weeks:
        records = all_records(store, tz)
    else:
        week = week or current_week()
        try:
            parse_week(week)
        except ValueError as error:
            raise StoreError(f"{error}; pass --week like 2026-W07") from None
        records = week_records(store, week, tz)
    if fmt == "csv":
        return render_csv(records)
    if fmt == "json":
        return render_json(records, summarize(records, tz=tz))
    logs = _week_logs(store, records, tz)
    if fmt == "md":
        return render_md(logs)
    title = f"Our check-ins, {records.week}" if records.week else "Our check-ins"
    return render_html(logs, title)


def _week_logs(store: Store, records: Records, tz: tzinfo | None) -> list[WeekLog]:
    if records.week is not None:
        return [build_week_log(records, week_summary(store, records.week, tz), tz)]
    weeks = sorted(
        {week_of(parse_utc_text(s["started_at"]).astimezone(tz).date()) for s in records.sessions}
    )
    logs = []
    for week in weeks:
        one = week_records(store, week, tz)
        logs.append(build_week_log(one, week_summary(store, week, tz), tz))
    return logs
