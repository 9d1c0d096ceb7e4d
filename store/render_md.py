"""The weekly log as Markdown: readable in any editor, or pasted into a note.

The Patterns come first in each week: they are what the couple opens the log for.
"""

from __future__ import annotations

from store.labels import load_labels
from store.render_trends import render_trends_md
from store.trends import Trends
from store.weeklog import SessionLog, WeekLog, duration_text
from store.weeks import week_parts


def _escape(text: str) -> str:
    # Keep a transcript on one line and stop it from turning into markup.
    flat = " ".join(text.split())
    for char in "\\`*_[]<>#|":
        flat = flat.replace(char, "\\" + char)
    return flat


def _quote(text: str) -> str:
    return f"\u201c{_escape(text)}\u201d"


def span_text(log: WeekLog) -> str | None:
    """ "Mon 09 Feb – Sun 15 Feb 2026", or None for an empty log of everything."""
    summary = log.summary
    if summary.first_day is None or summary.last_day is None:
        return None
    return f"{summary.first_day:%a %d %b} \u2013 {summary.last_day:%a %d %b %Y}"


def week_heading(log: WeekLog) -> str:
    """ "Week 7 of 2026 (Mon 09 Feb – Sun 15 Feb 2026)"."""
    span = span_text(log)
    if log.week is None:
        return span or ""
    year, number = week_parts(log.week)
    heading = load_labels().page["week_heading"].format(number=number, year=year)
    return f"{heading} ({span})" if span else heading


def _session(session: SessionLog) -> list[str]:
    labels = load_labels()
    page, answers = labels.page, labels.answers
    status = page["completed"] if session.completed else page["stopped"]
    length = f", {duration_text(session.duration_s)}" if session.duration_s else ""
    line = page["checkin"].format(time=f"{session.started:%H:%M}", length=length, status=status)
    lines = [f"*{line}*", ""]
    if session.appreciations:
        lines.extend([f"**{page['appreciations']}**", ""])
        for partner, texts in session.appreciations.items():
            for text in texts:
                lines.append(f"- {_escape(partner)}: {_quote(text)}")
        lines.append("")
    if session.needs:
        lines.extend([f"**{page['needs']}**", ""])
        for need in session.needs:
            lines.append(f"- {_escape(need.partner)} ({need.category_label}): {_quote(need.text)}")
            answer = answers[need.answer]
            if need.responder is not None and need.response_text is not None:
                who = page["answered"].format(responder=_escape(need.responder))
                lines.append(f"  - {who} {_quote(need.response_text)}: *{answer}*")
            else:
                lines.append(f"  - *{answer}*")
        lines.append("")
    if not session.appreciations and not session.needs:
        lines.extend([page["nothing_logged"], ""])
    return lines


def render_week_md(log: WeekLog, level: int = 2) -> str:
    """One week's Patterns, suggestions and days, with headings from `level` down."""
    labels = load_labels()
    head = "#" * level
    lines = [f"{head} {labels.page['patterns']}", ""]
    lines.extend(f"- {line}" for line in log.patterns)
    lines.append("")
    if log.suggestions_title:
        lines.extend([f"{head}# {log.suggestions_title}", ""])
        lines.extend(f"- {text}" for text in log.suggestions)
        lines.append("")
    for day in log.days:
        lines.extend([f"{head} {day.day:%A %d %B}", ""])
        for session in day.sessions:
            lines.extend(_session(session))
    return "\n".join(lines)


def render_md(logs: list[WeekLog], title: str, trends: Trends | None = None) -> str:
    """One week under the title; or the trends, then each week (the latest first)."""
    if trends is None and len(logs) == 1:
        span = span_text(logs[0])
        heading = f"# {title} ({span})" if span else f"# {title}"
        return "\n".join([heading, "", render_week_md(logs[0])])
    parts = [f"# {title}", ""]
    if trends is not None:
        parts.append(render_trends_md(trends))
    if not logs:
        parts.extend([load_labels().patterns["no_checkins"], ""])
    for log in logs:
        parts.extend([f"## {week_heading(log)}", "", render_week_md(log, level=3)])
    return "\n".join(parts)
