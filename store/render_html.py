"""The weekly log as one self-contained HTML page: no network, inline CSS and SVG,
print-friendly. Every piece of user text goes through html.escape."""

from __future__ import annotations

from html import escape

from store.labels import load_labels
from store.summary import WeekSummary
from store.weeklog import SessionLog, WeekLog, duration_text, patterns_phrases

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto;
       padding: 0 1em; color: #2b2b2b; line-height: 1.5; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ddd; margin-top: 1.6em; }
.meta { color: #666; font-style: italic; }
.answer { font-size: .9em; padding: 0 .4em; border-radius: .3em; }
.validated { background: #e3f4e1; } .dismissed { background: #fbe3e1; }
.no_response { background: #eee; }
svg text { font-family: sans-serif; font-size: 11px; fill: #444; }
.appreciations { fill: #5b9a68; } .needs { fill: #c8735c; }
@media print { body { margin: 0; max-width: none; } section { break-inside: avoid; }
  h2 { break-after: avoid; } }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _day_chart(summary: WeekSummary) -> str:
    days = summary.days
    if not days:
        return ""
    peak = max([1] + [max(d.appreciations, d.unmet_needs) for d in days])
    bar, gap, height = 14, 18, 100
    width = len(days) * (2 * bar + gap) + gap
    parts = [
        f'<svg role="img" aria-label="Appreciations and unmet needs per day" '
        f'width="{width}" height="{height + 40}" viewBox="0 0 {width} {height + 40}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, day in enumerate(days):
        x = gap + index * (2 * bar + gap)
        for offset, (value, css) in enumerate(
            ((day.appreciations, "appreciations"), (day.unmet_needs, "needs"))
        ):
            h = round(height * value / peak)
            parts.append(
                f'<rect class="{css}" x="{x + offset * bar}" y="{height - h + 10}" '
                f'width="{bar - 2}" height="{h}"><title>{value}</title></rect>'
            )
        parts.append(f'<text x="{x}" y="{height + 26}">{_e(f"{day.day:%a}")}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _category_chart(summary: WeekSummary) -> str:
    if not summary.unmet_needs:
        return ""
    labels = load_labels()
    peak = max(summary.unmet_needs.values())
    row, label_width, bar_width = 22, 260, 200
    height = row * len(summary.unmet_needs) + 10
    width = label_width + bar_width + 40
    parts = [
        f'<svg role="img" aria-label="Unmet needs by category" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (code, count) in enumerate(summary.unmet_needs.items()):
        y = 5 + index * row
        w = round(bar_width * count / peak)
        parts.append(f'<text x="0" y="{y + 14}">{_e(labels.category(code))}</text>')
        parts.append(
            f'<rect class="needs" x="{label_width}" y="{y}" width="{w}" height="{row - 6}"/>'
        )
        parts.append(f'<text x="{label_width + w + 4}" y="{y + 14}">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _session(session: SessionLog) -> str:
    answers = load_labels().answers
    status = "completed" if session.completed else "stopped early"
    minutes = f", {duration_text(session.duration_s)}" if session.duration_s else ""
    html = [f'<p class="meta">Check-in at {session.started:%H:%M}{minutes}, {status}.</p>']
    if session.appreciations:
        html.append("<h3>Appreciations</h3><ul>")
        for partner, texts in session.appreciations.items():
            html.extend(
                f"<li><strong>{_e(partner)}</strong>: \u201c{_e(t)}\u201d</li>" for t in texts
            )
        html.append("</ul>")
    if session.needs:
        html.append("<h3>Felt brushed off or unheard</h3><ul>")
        for need in session.needs:
            answer = f'<span class="answer {need.answer}">{_e(answers[need.answer])}</span>'
            reply = (
                f"<br>{_e(need.responder)} answered \u201c{_e(need.response_text)}\u201d: {answer}"
                if need.responder is not None
                else f"<br>{answer}"
            )
            html.append(
                f"<li><strong>{_e(need.partner)}</strong> ({_e(need.category_label)}): "
                f"\u201c{_e(need.text)}\u201d{reply}</li>"
            )
        html.append("</ul>")
    if not session.appreciations and not session.needs:
        html.append("<p>Nothing was logged.</p>")
    return "".join(html)


def _week(log: WeekLog) -> str:
    summary = log.summary
    if summary.first_day and summary.last_day:
        span = f"{summary.first_day:%a %d %b} \u2013 {summary.last_day:%a %d %b %Y}"
        title = f"Week {int(log.week.split('-W')[1])}: {span}" if log.week else span
    else:
        title = "Our check-ins"
    parts = [f"<section><h1>{_e(title)}</h1>"]
    if not log.days:
        parts.append(f"<p>{_e(patterns_phrases()['no_checkins'])}</p>")
    charts = _day_chart(summary) + _category_chart(summary)
    if charts:
        parts.append(
            f"<figure>{charts}<figcaption>Green: appreciations. Red: unmet needs."
            "</figcaption></figure>"
        )
    for day in log.days:
        parts.append(f"<h2>{_e(f'{day.day:%A %d %B}')}</h2>")
        parts.extend(_session(session) for session in day.sessions)
    parts.append("<h2>Patterns</h2><ul>")
    parts.extend(f"<li>{_e(line)}</li>" for line in log.patterns)
    parts.append("</ul>")
    if log.suggestions_title:
        parts.append(f"<h3>{_e(log.suggestions_title)}</h3><ul>")
        parts.extend(f"<li>{_e(text)}</li>" for text in log.suggestions)
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def render_html(logs: list[WeekLog], title: str) -> str:
    """A complete page for one or more weeks."""
    body = "\n".join(_week(log) for log in logs)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
