"""The trends section of the html log: one small chart per figure and per person.

Weeks run left to right, at most eight to a chart (more weeks make more rows
of charts, never a chart too wide to read on a phone). Together comes first,
then each partner, so a couple sees at a glance whose evenings carry the needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from store.labels import load_labels
from store.render_charts import WIDTH, bar, e, key, pair_columns, rect, svg, text
from store.render_trends import week_label
from store.trends import Figures, Trends, WeekTrend

CHUNK = 8
"""Weeks per chart."""


def _chunks(weeks: list[WeekTrend]) -> list[list[WeekTrend]]:
    return [weeks[start : start + CHUNK] for start in range(0, len(weeks), CHUNK)]


def share_columns(
    label: str, names: Sequence[str], parts: Sequence[tuple[int, int]], css: tuple[str, str],
    relative: bool,
) -> str:
    """Columns of an outlined whole with its filled part inside, labelled "part/whole".

    relative: every whole is the full height (a share); otherwise wholes are to scale.
    """
    column = WIDTH // max(1, len(names))
    width = min(26, column - 10)
    top, area = 18, 80
    peak = max([1] + [whole for _, whole in parts])
    body = []
    for index, (name, (part, whole)) in enumerate(zip(names, parts, strict=True)):
        x = index * column + (column - width) / 2
        full = area if relative and whole else round(area * whole / peak)
        filled = round(full * part / whole) if whole else 0
        body.append(bar(css[1], x, top + area, width, full))
        body.append(bar(css[0], x + 2, top + area - 1, width - 4, filled - 1 if filled else 0))
        caption = f"{part}/{whole}" if whole else load_labels().trends["none"]
        body.append(text(x + width / 2, top + area - full - 4, caption, "middle", "small"))
        body.append(text(index * column + column / 2, top + area + 16, name, "middle"))
    return svg(label, top + area + 22, body)


def category_grid(label: str, trends: Trends, weeks: list[WeekTrend]) -> str:
    """Each kind of micro-rejection: a row of weekly counts together, then per partner."""
    labels = load_labels()
    words = labels.trends
    left, row = 70, 20
    cell = (WIDTH - left) / max(1, len(weeks))
    people: list[tuple[str | None, str]] = [(None, words["together"])]
    people += [(name, name) for name in trends.partners]
    peak = max([1] + [w.of(who).categories.get(c, 0) for w in weeks for who, _ in people
                      for c in trends.categories()])
    body = [text(left + cell * (i + 0.5), 13, week_label(w.week), "middle", "small")
            for i, w in enumerate(weeks)]
    y = row
    for code in trends.categories():
        body.append(text(0, y + 15, labels.category(code)))
        y += row
        for who, name in people:
            counts = [w.of(who).categories.get(code, 0) for w in weeks]
            if who is not None and not any(counts):
                continue
            body.append(text(4, y + 14, name, css="small"))
            for i, count in enumerate(counts):
                x = left + cell * i
                if count:
                    shade = 0.15 + 0.5 * count / peak
                    body.append(rect("cell", x + 1, y + 1, cell - 2, row - 2, shade))
                body.append(text(x + cell / 2, y + 14, count or words["none"], "middle", "small"))
            y += row
        y += 6
    return svg(label, y, body)


def _per_person(
    trends: Trends, title: str, draw: Callable[[str, list[str], list[Figures]], str],
    legend: str, note: str = "", level: int = 3,
) -> str:
    words = load_labels().trends
    people: list[tuple[str | None, str]] = [(None, words["together"])]
    people += [(name, name) for name in trends.partners]
    figures = []
    for who, name in people:
        charts = []
        for chunk in _chunks(trends.weeks):
            names = [week_label(week.week) for week in chunk]
            charts.append(draw(f"{title}: {name}", names, [week.of(who) for week in chunk]))
        figures.append(f"<figure><figcaption>{e(name)}</figcaption>{''.join(charts)}</figure>")
    extra = f"<p class=\"note\">{e(note)}</p>" if note else ""
    return (f"<h{level}>{e(title)}</h{level}>{legend}<div class=\"charts\">{''.join(figures)}"
            f"</div>{extra}")


def trends_section(trends: Trends, level: int = 2) -> str:
    """The whole section: ratio, kinds of micro-rejection, needs validated, check-ins kept."""
    labels = load_labels()
    words, page = labels.trends, labels.page
    heading = f"<h{level}>{e(words['title'].format(count=len(trends.weeks)))}</h{level}>"
    if not trends.has_checkins:
        return f'<section class="trends">{heading}<p>{e(words["no_weeks"])}</p></section>'
    ratio = trends.research_ratio
    sub = level + 1
    parts = [
        _per_person(
            trends, words["ratio_chart"],
            lambda label, names, figs: pair_columns(
                label, names, [(f.appreciations, f.needs) for f in figs],
                [ratio * f.needs if f.needs else None for f in figs],
            ),
            key(("appreciations", page["key_appreciations"]), ("needs", page["key_needs"]),
                ("target", page["key_target"])),
            level=sub,
        )
    ]
    if trends.categories():
        grids = "".join(category_grid(words["categories"], trends, chunk)
                        for chunk in _chunks(trends.weeks))
        parts.append(f"<h{sub}>{e(words['categories'])}</h{sub}><figure>{grids}<figcaption>"
                     f"{e(words['categories_note'])}</figcaption></figure>")
    parts.append(_per_person(
        trends, words["validated_chart"],
        lambda label, names, figs: share_columns(
            label, names, [(f.needs_validated, f.needs) for f in figs],
            ("appreciations", "needs"), relative=True,
        ),
        key(("appreciations", page["key_validated"]), ("needs", page["key_shared"])),
        words["validated_note"], level=sub,
    ))
    parts.append(_per_person(
        trends, words["kept_chart"],
        lambda label, names, figs: share_columns(
            label, names, [(f.kept, f.checkins) for f in figs], ("kept", "started"),
            relative=False,
        ),
        key(("kept", page["key_kept"]), ("started", page["key_started"])),
        words["kept_note"], level=sub,
    ))
    return f'<section class="trends">{heading}{"".join(parts)}</section>'
