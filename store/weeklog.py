"""The weekly log as a couple reads it: days, appreciations by partner, needs and
how each was answered, then the patterns. Markdown and HTML render this model."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from store.labels import load_labels
from store.records import Records, answered_needs
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


def patterns_phrases() -> dict[str, str]:
    """The templates of the Patterns section."""
    return load_labels().patterns


def build_week_log(records: Records, summary: WeekSummary, tz: tzinfo | None = None) -> WeekLog:
    """Arrange one period's records into days and sessions, and phrase its patterns."""
    by_session: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in records.entries:
        by_session[entry["session_id"]].append(entry)
    days: dict[date, list[SessionLog]] = defaultdict(list)
    for session in records.sessions:
        started = parse_utc_text(session["started_at"]).astimezone(tz)
        days[started.date()].append(_session_log(session, by_session[session["id"]], started))
    title, suggestions = _suggestions(summary)
    return WeekLog(
        week=records.week,
        summary=summary,
        days=[DayLog(day, days[day]) for day in sorted(days)],
        patterns=_patterns(summary),
        suggestions_title=title,
        suggestions=suggestions,
    )


def _session_log(
    session: dict[str, Any], entries: list[dict[str, Any]], started: datetime
) -> SessionLog:
    labels = load_labels()
    appreciations: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if entry["kind"] == "appreciation":
            appreciations[entry["partner"]].append(entry["text"])
    lines = [
        NeedLine(
            partner=slot.need["partner"],
            category_label=labels.category(slot.need["category"]),
            text=slot.need["text"],
            answer=slot.answer,
            responder=slot.response["partner"] if slot.response else None,
            response_text=slot.response["text"] if slot.response else None,
        )
        for slot in answered_needs(entries)
    ]
    return SessionLog(
        started, bool(session["completed"]), session["duration_s"], dict(appreciations), lines
    )


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _quoted(codes: tuple[str, ...]) -> str:
    labels = load_labels()
    return labels.join([f'"{labels.category(code)}"' for code in codes])


def _suggestions(summary: WeekSummary) -> tuple[str | None, tuple[str, ...]]:
    """The suggestions for the top category; in a tie, the first suggestion of each."""
    labels = load_labels()
    top = summary.top_categories
    if not top or summary.sessions == 0:
        return None, ()
    title = labels.patterns["suggestions_title"].format(labels=_quoted(top))
    if len(top) == 1:
        return title, labels.suggestions.get(top[0], ())
    return title, tuple(labels.suggestions[code][0] for code in top if labels.suggestions.get(code))


def ratio_words(appreciations: int, needs: int) -> str:
    """"5 to 4", or "10 to 2, that is 5 to 1" when the counts divide evenly."""
    phrases = patterns_phrases()
    simplified = ""
    if needs > 1 and appreciations and appreciations % needs == 0:
        simplified = phrases["simplified"].format(ratio=appreciations // needs)
    return f"{appreciations} to {needs}{simplified}"


def _patterns(summary: WeekSummary) -> list[str]:
    labels = load_labels()
    phrases = patterns_phrases()
    if summary.sessions == 0:
        # No check-in is not "nobody felt brushed off": nobody was asked.
        return [phrases["no_checkins_patterns"]]
    lines = []
    top, count = summary.top_categories, summary.top_count
    times = phrases["once"] if count == 1 else phrases["times"].format(count=count)
    if not top:
        lines.append(phrases["no_needs"])
    elif len(top) > 1:
        template = phrases["top_tie"] if summary.week is not None else phrases["top_tie_all"]
        lines.append(template.format(times=times, labels=_quoted(top)))
    else:
        before = summary.top_count_before
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
            template.format(label=labels.category(top[0]), times=times, change=change)
        )
    appreciations, needs = summary.total_appreciations, summary.total_unmet_needs
    note = labels.ratio_note
    if needs:
        verdict = (
            phrases["above"] if appreciations / needs >= labels.research_ratio else phrases["below"]
        )
        simplified = ratio_words(appreciations, needs).removeprefix(f"{appreciations} to {needs}")
        lines.append(
            phrases["ratio"].format(
                appreciations=appreciations, needs=needs, simplified=simplified, note=note
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
