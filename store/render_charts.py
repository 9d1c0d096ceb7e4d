"""Inline SVG charts for the html log: no script, no network, readable on a phone.

Every chart is drawn in a viewBox about 330 units wide and scales to the width
it is given (never wider than it is drawn), so at 390 px its 12-unit text is
still about 12 px. Each bar carries its number, and the two series differ by
shape (filled against outlined) as well as by colour, so the legend does not
rest on telling red from green.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from store.labels import load_labels
from store.summary import WeekSummary

OUTLINED = ("needs", "started")
"""Bar classes drawn as an outline: their stroke is kept inside the bar."""

WIDTH = 332
"""The drawing width of every chart (viewBox units; about CSS px at phone width)."""

CSS = """
svg.chart { display: block; width: 100%; height: auto; margin: .4em 0; }
svg text { font-family: system-ui, sans-serif; font-size: 12px; fill: #333; }
svg text.small { font-size: 11px; }
.appreciations { fill: #2f6eb5; }
.needs { fill: #fff; stroke: #c4561d; stroke-width: 2; }
.target { stroke: #222; stroke-width: 1.5; stroke-dasharray: 4 3; fill: none; }
.kept { fill: #4d4d4d; } .started { fill: #fff; stroke: #4d4d4d; stroke-width: 2; }
.cell { fill: #c4561d; }
.key { list-style: none; padding: 0; margin: .3em 0; display: flex; flex-wrap: wrap;
       gap: .2em 1.2em; font-size: .9em; }
.key svg { width: 1.8em; height: 1em; vertical-align: -.15em; margin-right: .3em; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(15em, 1fr)); gap: 0 1.2em; }
figure { margin: 1em 0; } figcaption { font-size: .95em; }
"""


def e(text: object) -> str:
    """Escaped for html text and attributes."""
    return escape(str(text), quote=True)


def svg(label: str, height: int, body: Sequence[str], width: int = WIDTH) -> str:
    """A scalable chart: role=img with its label, drawn `width` wide at most."""
    return (
        f'<svg class="chart" role="img" aria-label="{e(label)}" viewBox="0 0 {width} {height}" '
        f'style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg"><title>{e(label)}</title>'
        + "".join(body)
        + "</svg>"
    )


def text(x: float, y: float, content: object, anchor: str = "start", css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{cls}>{e(content)}</text>'


def rect(
    css: str, x: float, y: float, width: float, height: float, opacity: float | None = None
) -> str:
    shade = f' fill-opacity="{opacity:.2f}"' if opacity is not None else ""
    return (
        f'<rect class="{css}" x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}"{shade}/>'
    )


def bar(css: str, x: float, bottom: float, width: float, height: float) -> str:
    """A bar standing on `bottom`; an outlined one is inset so its stroke stays inside."""
    if height <= 0:
        return ""
    inset = 1 if css in OUTLINED else 0
    return rect(css, x + inset, bottom - height + inset, width - 2 * inset, height - inset)


def key(*items: tuple[str, str]) -> str:
    """The legend: each swatch drawn like the marks it names, then its words."""
    swatches = {
        "appreciations": rect("appreciations", 1, 1, 24, 12),
        "kept": rect("kept", 1, 1, 24, 12),
        "needs": rect("needs", 2, 2, 22, 10),
        "started": rect("started", 2, 2, 22, 10),
        "target": '<line class="target" x1="0" y1="7" x2="26" y2="7"/>',
    }
    parts = []
    for kind, words in items:
        swatch = f'<svg viewBox="0 0 26 14" aria-hidden="true">{swatches[kind]}</svg>'
        parts.append(f"<li>{swatch}{e(words)}</li>")
    return f'<ul class="key">{"".join(parts)}</ul>'


def pair_columns(
    label: str,
    names: Sequence[str],
    pairs: Sequence[tuple[int, int]],
    targets: Sequence[float | None] = (),
) -> str:
    """Columns of two bars (filled, outlined) with their numbers; optional dashed targets."""
    column = WIDTH // max(1, len(names))
    width = min(22, (column - 8) // 2)
    top, area = 18, 96
    peak = max([1.0] + [max(a, b) for a, b in pairs] + [t for t in targets if t is not None])
    body = []
    for index, (name, (first, second)) in enumerate(zip(names, pairs, strict=True)):
        x = index * column + (column - 2 * width - 2) / 2
        for offset, (value, css) in enumerate(((first, "appreciations"), (second, "needs"))):
            h = round(area * value / peak)
            left = x + offset * (width + 2)
            body.append(bar(css, left, top + area, width, h))
            body.append(text(left + width / 2, top + area - h - 4, value, "middle", "small"))
        target = targets[index] if index < len(targets) else None
        if target is not None:
            y = top + area - round(area * target / peak)
            body.append(f'<line class="target" x1="{x - 2:g}" y1="{y}" '
                        f'x2="{x + 2 * width + 4:g}" y2="{y}"/>')
        body.append(text(index * column + column / 2, top + area + 16, name, "middle"))
    return svg(label, top + area + 22, body)


def _day_chart(summary: WeekSummary) -> str:
    page = load_labels().page
    days = summary.days
    return pair_columns(
        page["days_chart"],
        [f"{day.day:%a}" for day in days],
        [(day.appreciations, day.unmet_needs) for day in days],
    )


def category_bars(label: str, counts: dict[str, int]) -> str:
    """One row per category, most frequent first: its label, then its bar and number."""
    labels = load_labels()
    peak = max(counts.values())
    row, room = 38, WIDTH - 34
    body = []
    for index, (code, count) in enumerate(counts.items()):
        y = index * row
        length = max(3, round(room * count / peak))
        body.append(text(0, y + 13, labels.category(code)))
        body.append(bar("needs", 0, y + 33, length, 14))
        body.append(text(length + 6, y + 31, count))
    return svg(label, row * len(counts), body)


def week_charts(summary: WeekSummary) -> str:
    """The week's figure: the days, then the kinds of need (most frequent first)."""
    if not summary.days:
        return ""
    page = load_labels().page
    charts = [_day_chart(summary)]
    if summary.unmet_needs:
        charts.append(category_bars(page["categories_chart"], summary.unmet_needs))
    legend = key(("appreciations", page["key_appreciations"]), ("needs", page["key_needs"]))
    return f"<figure>{''.join(charts)}<figcaption>{legend}</figcaption></figure>"
