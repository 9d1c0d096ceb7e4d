"""The weekly log as Markdown: readable in any editor, or pasted into a note."""

from __future__ import annotations

from store.labels import load_labels
from store.weeklog import SessionLog, WeekLog, duration_text, patterns_phrases


def _escape(text: str) -> str:
    # Keep a transcript on one line and stop it from turning into markup.
    flat = " ".join(text.split())
    for char in "\\`*_[]<>#|":
        flat = flat.replace(char, "\\" + char)
    return flat


def _quote(text: str) -> str:
    return f"\u201c{_escape(text)}\u201d"


def _title(log: WeekLog) -> str:
    summary = log.summary
    if summary.first_day is None or summary.last_day is None:
        return "# Our check-ins"
    span = f"{summary.first_day:%a %d %b} \u2013 {summary.last_day:%a %d %b %Y}"
    if log.week is None:
        return f"# Our check-ins, {span}"
    year, number = log.week.split("-W")
    return f"# Our check-ins: week {int(number)} of {year} ({span})"


def _session(session: SessionLog) -> list[str]:
    answers = load_labels().answers
    status = "completed" if session.completed else "stopped early"
    minutes = f", {duration_text(session.duration_s)}" if session.duration_s else ""
    lines = [f"*Check-in at {session.started:%H:%M}{minutes}, {status}.*", ""]
    if session.appreciations:
        lines.append("**Appreciations**")
        lines.append("")
        for partner, texts in session.appreciations.items():
            for text in texts:
                lines.append(f"- {_escape(partner)}: {_quote(text)}")
        lines.append("")
    if session.needs:
        lines.append("**Felt brushed off or unheard**")
        lines.append("")
        for need in session.needs:
            lines.append(f"- {_escape(need.partner)} ({need.category_label}): {_quote(need.text)}")
            answer = answers[need.answer]
            if need.responder is not None and need.response_text is not None:
                lines.append(
                    f"  - {_escape(need.responder)} answered "
                    f"{_quote(need.response_text)}: *{answer}*"
                )
            else:
                lines.append(f"  - *{answer}*")
        lines.append("")
    if not session.appreciations and not session.needs:
        lines.extend(["Nothing was logged.", ""])
    return lines


def render_week_md(log: WeekLog) -> str:
    """One week (or the whole log) as Markdown."""
    lines = [_title(log), ""]
    if not log.days:
        lines.extend([patterns_phrases()["no_checkins"], ""])
    for day in log.days:
        lines.extend([f"## {day.day:%A %d %B}", ""])
        for session in day.sessions:
            lines.extend(_session(session))
    lines.extend(["## Patterns", ""])
    lines.extend(f"- {line}" for line in log.patterns)
    lines.append("")
    if log.suggestions_title:
        lines.extend([f"### {log.suggestions_title}", ""])
        lines.extend(f"- {text}" for text in log.suggestions)
        lines.append("")
    return "\n".join(lines)


def render_md(logs: list[WeekLog]) -> str:
    """Several weeks, one after the other."""
    return "\n".join(render_week_md(log) for log in logs)
