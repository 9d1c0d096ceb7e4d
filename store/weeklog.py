"""The weekly log as a couple reads it: days, appreciations by partner, needs and
how each was answered, then the patterns. Markdown and HTML render this model."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import cache
from importlib import resources
from typing import Any

from store.labels import load_labels
from store.records import Records
from store.summary import WeekSummary
from store.timefmt import parse_utc_text


@dataclass(frozen=True)
class NeedLine:
    """An unmet need and how the other partner answered it."""

    partner: str
    category_label: str
    text: str
    answer: str  # "validated" | "dismissed" | "no_response"
    responder: str | None
    response_text: str | None


@dataclass(frozen=True)
class SessionLog:
    """One evening's check-in."""

    started: datetime  # local time
    completed: bool
    duration_s: float | None
    appreciations: dict[str, list[str]]  # partner -> what they appreciated
    needs: list[NeedLine]


@dataclass(frozen=True)
class DayLog:
    """The check-ins that started on one local day."""

    day: date
    sessions: list[SessionLog]


@dataclass(frozen=True)
class WeekLog:
    """Everything the md and html exports show for one week."""

    week: str | None
    summary: WeekSummary
    days: list[DayLog]
    patterns: list[str]
    suggestions_title: str | None
    suggestions: tuple[str, ...]


@cache
def _phrases() -> dict[str, Any]:
    text = resources.files("store").joinpath("labels.toml").read_text("utf-8")
    return tomllib.loads(text)


def patterns_phrases() -> dict[str, str]:
    """The templates of the Patterns section."""
    return dict(_phrases()["patterns"])


def build_week_log(records: Records, summary: WeekSummary, tz: tzinfo | None = None) -> WeekLog:
    """Arrange one period's records into days and sessions, and phrase its patterns."""
    labels = load_labels()
    by_session: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in records.entries:
        by_session[entry["session_id"]].append(entry)
    days: dict[date, list[SessionLog]] = defaultdict(list)
    for session in records.sessions:
        started = parse_utc_text(session["started_at"]).astimezone(tz)
        days[started.date()].append(_session_log(session, by_session[session["id"]], started))
    top = summary.top_category
    return WeekLog(
        week=records.week,
        summary=summary,
        days=[DayLog(day, days[day]) for day in sorted(days)],
        patterns=_patterns(summary),
        suggestions_title=(
            patterns_phrases()["suggestions_title"].format(label=labels.category(top))
            if top
            else None
        ),
        suggestions=labels.suggestions.get(top, ()) if top else (),
    )


def _session_log(
    session: dict[str, Any], entries: list[dict[str, Any]], started: datetime
) -> SessionLog:
    labels = load_labels()
    appreciations: dict[str, list[str]] = defaultdict(list)
    needs: list[dict[str, Any]] = []
    for entry in entries:
        if entry["kind"] == "appreciation":
            appreciations[entry["partner"]].append(entry["text"])
        elif entry["kind"] == "unmet_need":
            needs.append({"need": entry, "response": None})
        elif entry["kind"] == "response":
            # A response answers the latest need not yet answered in this session.
            for slot in reversed(needs):
                if slot["response"] is None:
                    slot["response"] = entry
                    break
    lines = []
    for slot in needs:
        need, response = slot["need"], slot["response"]
        if response is None:
            answer = "no_response"
        else:
            answer = "validated" if response["validated"] else "dismissed"
        lines.append(
            NeedLine(
                partner=need["partner"],
                category_label=labels.category(need["category"]),
                text=need["text"],
                answer=answer,
                responder=response["partner"] if response else None,
                response_text=response["text"] if response else None,
            )
        )
    return SessionLog(
        started, bool(session["completed"]), session["duration_s"], dict(appreciations), lines
    )


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _patterns(summary: WeekSummary) -> list[str]:
    labels = load_labels()
    phrases = patterns_phrases()
    lines = []
    top = summary.top_category
    if top is None:
        lines.append(phrases["no_needs"])
    else:
        before, count = summary.top_count_before, summary.top_count
        if before == 0:
            change = phrases["change_new"]
        elif count > before:
            change = phrases["change_up"].format(before=before)
        elif count < before:
            change = phrases["change_down"].format(before=before)
        else:
            change = phrases["change_same"]
        template = phrases["top"] if summary.week is not None else phrases["top_all"]
        lines.append(
            template.format(
                label=labels.category(top),
                count=count,
                times=_plural(count, "time", "times"),
                change=change,
            )
        )
    appreciations, needs = summary.total_appreciations, summary.total_unmet_needs
    note = labels.ratio_note
    if needs:
        ratio = appreciations / needs
        verdict = phrases["above"] if ratio >= labels.research_ratio else phrases["below"]
        lines.append(
            phrases["ratio"].format(
                appreciations=appreciations,
                needs=needs,
                ratio=f"{ratio:.1f}".rstrip("0").rstrip("."),
                note=note,
            )
            + " "
            + verdict
        )
    else:
        lines.append(
            phrases["ratio_no_needs"].format(
                appreciations=appreciations,
                appreciation_word=_plural(appreciations, "appreciation", "appreciations"),
                note=note,
            )
        )
    if summary.responses:
        lines.append(
            phrases["validated"].format(
                validated=summary.validated_responses, responses=summary.responses
            )
        )
    return lines


def duration_text(seconds: float) -> str:
    """A check-in's length as people say it: "2 min", "1 min 30 s", "45 s"."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")
