"""The trends as two small Markdown tables: for the md export and `checkin trends`.

The tables are padded so they line up in a terminal as well as render as Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

from store.labels import load_labels
from store.trends import Figures, Trends
from store.weeks import week_parts


def week_label(week: str) -> str:
    """ "2026-W07" -> "W07": the weeks of a table are consecutive, the year is in its title."""
    return f"W{week_parts(week)[1]:02d}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown pipe table with columns padded to their widest cell."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    return [line(header), "|" + "|".join("-" * (width + 2) for width in widths) + "|"] + [
        line(row) for row in rows
    ]


def ratio_cell(figures: Figures, research_ratio: float) -> str:
    """ "5 to 1 ✓": the counts as they are, marked when at or above the research mark."""
    words = load_labels().trends
    text = words["to"].format(appreciations=figures.appreciations, needs=figures.needs)
    at_mark = figures.appreciations >= research_ratio * figures.needs and figures.appreciations
    return f"{text} {words['mark']}" if at_mark else text


def of_cell(part: int, whole: int) -> str:
    words = load_labels().trends
    return words["of"].format(part=part, whole=whole) if whole else words["none"]


def _people(trends: Trends) -> list[tuple[str | None, str]]:
    words = load_labels().trends
    return [(None, words["together"]), *((name, name) for name in trends.partners)]


def figures_table(trends: Trends) -> list[str]:
    """Week by week, together then each partner: check-ins kept, the ratio, needs validated."""
    words = load_labels().trends
    rows = []
    for week in trends.weeks:
        for index, (who, name) in enumerate(_people(trends)):
            figures = week.of(who)
            ratio = words["none"]
            if figures.checkins:
                ratio = ratio_cell(figures, trends.research_ratio)
            rows.append([
                f"{week_label(week.week)} ({week.monday:%d %b})" if index == 0 else "",
                name,
                of_cell(figures.kept, figures.checkins),
                ratio,
                of_cell(figures.needs_validated, figures.needs),
            ])
    return table([words["week"], words["who"], words["kept"], words["ratio"], words["validated"]],
                 rows)


def categories_table(trends: Trends) -> list[str]:
    """Each micro-rejection that came up, per week: together, then who shared it."""
    labels = load_labels()
    words = labels.trends
    rows = []
    for code in trends.categories():
        for who, name in _people(trends):
            counts = [week.of(who).categories.get(code, 0) for week in trends.weeks]
            if who is not None and not any(counts):
                continue
            label = labels.short_category(code) if who is None else f"  {name}"
            rows.append([label, *(str(n) if n else words["none"] for n in counts)])
    header = [words["categories"], *(week_label(week.week) for week in trends.weeks)]
    return table(header, rows)


def render_trends_md(trends: Trends, level: int = 2) -> str:
    """The trends section: a title, the two tables, and what the marks mean."""
    labels = load_labels()
    words = labels.trends
    span = f"{trends.first} \u2013 {trends.last}"
    lines = [f"{'#' * level} {words['title'].format(count=len(trends.weeks))} ({span})", ""]
    if not trends.has_checkins:
        return "\n".join([*lines, words["no_weeks"], ""])
    lines += [*figures_table(trends), "", words["mark_note"], ""]
    if trends.categories():
        lines += [*categories_table(trends), "", words["categories_note"], ""]
    return "\n".join(lines)
