"""The weekly log as one self-contained HTML page: no script, no network, inline CSS and
SVG, readable on a phone and printable. Every piece of user text goes through html.escape.

The page opens with the couple's names and the week, then the Patterns (what
the page is for), then the charts, then the evenings themselves.
"""

from __future__ import annotations

from store.labels import load_labels
from store.render_charts import CSS as CHART_CSS
from store.render_charts import e, week_charts
from store.render_md import span_text, week_heading
from store.render_trends_html import trends_section
from store.trends import Trends
from store.weeklog import SessionLog, WeekLog, duration_text

_CSS = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 0 auto;
       padding: .5em 1em 2em; color: #2b2b2b; line-height: 1.5; overflow-wrap: anywhere; }
h1 { font-size: 1.5em; line-height: 1.25; margin-bottom: .2em; }
h2 { border-bottom: 1px solid #ddd; margin-top: 1.6em; } h3 { margin-bottom: .3em; }
.meta, .note { color: #595959; font-style: italic; }
ul { padding-left: 1.3em; }
.patterns li { margin-bottom: .3em; }
.answer { font-size: .9em; padding: 0 .4em; border-radius: .3em; white-space: nowrap; }
.validated { background: #e3eefa; } .dismissed { background: #fbe6dc; }
.no_response { background: #eee; }
@media print { body { margin: 0; max-width: none; } section, figure { break-inside: avoid; }
  h2, h3 { break-after: avoid; } }
"""


def _session(session: SessionLog, level: int) -> str:
    labels = load_labels()
    page, answers = labels.page, labels.answers
    status = page["completed"] if session.completed else page["stopped"]
    length = f", {duration_text(session.duration_s)}" if session.duration_s else ""
    line = page["checkin"].format(time=f"{session.started:%H:%M}", length=length, status=status)
    html = [f'<p class="meta">{e(line)}</p>']
    h = f"h{level}"
    if session.appreciations:
        html.append(f"<{h}>{e(page['appreciations'])}</{h}><ul>")
        for partner, texts in session.appreciations.items():
            html.extend(
                f"<li><strong>{e(partner)}</strong>: \u201c{e(t)}\u201d</li>" for t in texts
            )
        html.append("</ul>")
    if session.needs:
        html.append(f"<{h}>{e(page['needs'])}</{h}><ul>")
        for need in session.needs:
            answer = f'<span class="answer {need.answer}">{e(answers[need.answer])}</span>'
            reply = (
                f"<br>{e(page['answered'].format(responder=need.responder))} "
                f"\u201c{e(need.response_text)}\u201d: {answer}"
                if need.responder is not None
                else f"<br>{answer}"
            )
            html.append(
                f"<li><strong>{e(need.partner)}</strong> ({e(need.category_label)}): "
                f"\u201c{e(need.text)}\u201d{reply}</li>"
            )
        html.append("</ul>")
    if not session.appreciations and not session.needs:
        html.append(f"<p>{e(page['nothing_logged'])}</p>")
    return "".join(html)


def _week(log: WeekLog, level: int) -> str:
    """Patterns and suggestions, the charts, then day by day."""
    page = load_labels().page
    h, sub = f"h{level}", f"h{level + 1}"
    parts = [f'<{h}>{e(page["patterns"])}</{h}><ul class="patterns">']
    parts.extend(f"<li>{e(line)}</li>" for line in log.patterns)
    parts.append("</ul>")
    if log.suggestions_title:
        parts.append(f"<{sub}>{e(log.suggestions_title)}</{sub}><ul>")
        parts.extend(f"<li>{e(text)}</li>" for text in log.suggestions)
        parts.append("</ul>")
    if log.days:
        parts.append(week_charts(log.summary))
    for day in log.days:
        parts.append(f"<{h}>{e(f'{day.day:%A %d %B}')}</{h}>")
        parts.extend(_session(session, level + 1) for session in day.sessions)
    return "".join(parts)


def render_html(logs: list[WeekLog], title: str, trends: Trends | None = None) -> str:
    """A complete page: one week, or the trends and then each week (the latest first)."""
    body = [f"<header><h1>{e(title)}</h1>"]
    if trends is None and len(logs) == 1:
        span = span_text(logs[0])
        if span:
            body.append(f'<p class="meta">{e(span)}</p>')
        body.append("</header>")
        body.append(f"<section>{_week(logs[0], 2)}</section>")
    else:
        body.append("</header>")
        if trends is not None:
            body.append(trends_section(trends))
        if not logs:
            body.append(f"<p>{e(load_labels().patterns['no_checkins'])}</p>")
        for log in logs:
            body.append(f"<section><h2>{e(week_heading(log))}</h2>{_week(log, 3)}</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{_CSS}{CHART_CSS}</style></head>\n"
        "<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
