"""`export_week`: one week, a run of weeks, or everything, in md, html, csv or json."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Literal

from store.errors import StoreError
from store.labels import load_labels
from store.records import Records, all_records, couple_names, span_records, week_records
from store.render_csv import render_csv
from store.render_html import render_html
from store.render_json import render_json
from store.render_md import render_md
from store.store import Store
from store.summary import summarize, week_summary
from store.timefmt import parse_utc_text
from store.trends import Trends, trends_of
from store.vocabulary import FORMATS
from store.weeklog import WeekLog, build_week_log
from store.weeks import current_week, parse_week, previous_week, week_of, week_parts, weeks_ending

Format = Literal["md", "html", "csv", "json"]


@dataclass(frozen=True)
class Export:
    """The text of an export, and a note on the week chosen when none was given."""

    text: str
    week: str | None
    note: str | None = None


def default_week(
    store: Store, today: date | None = None, tz: tzinfo | None = None
) -> tuple[str, str | None]:
    """This week; early in a week with no check-in yet, the week just ended (and a note why).

    On a Monday evening the couple means the week they just lived, not one
    that started this morning.
    """
    this = current_week(today)
    if week_records(store, this, tz).sessions:
        return this, None
    last = previous_week(this)
    if not week_records(store, last, tz).sessions:
        return this, None
    return last, load_labels().notes["last_week"].format(week=this, last=last)


def export(
    store: Store,
    fmt: Format | str,
    *,
    week: str | None = None,
    weeks: int = 1,
    all_weeks: bool = False,
    tz: tzinfo | None = None,
    today: date | None = None,
) -> Export:
    """One week (default: see `default_week`), the `weeks` weeks ending with it, or all."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if weeks < 1:
        raise StoreError(f"--weeks must be 1 or more, not {weeks}")
    note = None
    if all_weeks:
        records = all_records(store, tz)
        span = _weeks_of(records, tz)
    else:
        if week is None:
            week, note = default_week(store, today, tz)
        try:
            parse_week(week)
        except ValueError as error:
            raise StoreError(f"{error}; pass --week like 2026-W07") from None
        span = weeks_ending(week, weeks)
        if weeks == 1:
            records = week_records(store, week, tz)
        else:
            records = span_records(store, parse_week(span[0])[0], parse_week(span[-1])[1], tz)
    several = all_weeks or weeks > 1
    trends = trends_of(records, span, tz) if several and span else None
    if fmt == "csv":
        return Export(render_csv(records), week, note)
    if fmt == "json":
        from store.corrections import corrections_of

        fixes = corrections_of(store, [session["uuid"] for session in records.sessions])
        return Export(render_json(records, summarize(records, tz=tz), trends, fixes), week, note)
    logs = _week_logs(store, records, span if several else [week or ""], tz)
    title = _title(store, records, span, all_weeks)
    if fmt == "md":
        return Export(render_md(logs, title, trends), week, note)
    return Export(render_html(logs, title, trends), week, note)


def export_week(
    store: Store,
    week: str | None,
    fmt: Format | str,
    all_weeks: bool = False,
    tz: tzinfo | None = None,
    *,
    weeks: int = 1,
    today: date | None = None,
) -> str:
    """The text of an export (see `export`)."""
    return export(
        store, fmt, week=week, weeks=weeks, all_weeks=all_weeks, tz=tz, today=today
    ).text


def _weeks_of(records: Records, tz: tzinfo | None) -> list[str]:
    """Every week from the first check-in's to the last's (gaps included: they are trends too)."""
    if records.first_day is None or records.last_day is None:
        return []
    last = week_of(records.last_day)
    span = [last]
    while span[0] != week_of(records.first_day):
        span.insert(0, previous_week(span[0]))
    return span


def _title(store: Store, records: Records, span: list[str], all_weeks: bool) -> str:
    labels = load_labels()
    couple = labels.couple(records.partners or couple_names(store))
    if all_weeks or not span:
        return labels.page["title_all"].format(couple=couple)

    (first_year, first), (last_year, last) = week_parts(span[0]), week_parts(span[-1])
    if len(span) == 1:
        week = labels.page["week_name"].format(number=first, year=first_year)
        return labels.page["title_week"].format(couple=couple, week=week)
    if first_year == last_year:
        return labels.page["title_weeks"].format(
            couple=couple, first=first, last=last, year=first_year
        )
    return labels.page["title_weeks_years"].format(
        couple=couple, first=first, first_year=first_year, last=last, last_year=last_year
    )


def _week_logs(
    store: Store, records: Records, span: list[str], tz: tzinfo | None
) -> list[WeekLog]:
    """One log per week, the latest first; in a run of weeks only those with check-ins."""
    if len(span) == 1 and not records.whole:
        return [build_week_log(records, week_summary(store, span[0], tz), tz)]
    started = {
        week_of(parse_utc_text(s["started_at"]).astimezone(tz).date()) for s in records.sessions
    }
    return [
        build_week_log(week_records(store, week, tz), week_summary(store, week, tz), tz)
        for week in reversed(span)
        if week in started
    ]


__all__ = ["Export", "Trends", "default_week", "export", "export_week"]
