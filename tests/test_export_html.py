"""The html log's page: its title, its order, its charts' numbers and legend (issue 21).

How it looks in a real browser at phone and desktop widths is tests/test_export_browser.py.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
from store_helpers import MONDAY, WEEK, log_evening, log_known_week

from store import open_store
from store.exporting import export_week


@pytest.fixture(scope="module")
def page() -> str:
    with open_store(":memory:") as store:
        log_known_week(store)
        return export_week(store, WEEK, "html", tz=UTC)


def test_the_title_names_the_couple_and_the_week(page: str) -> None:
    assert "<title>Ana and Ben: week 7 of 2026</title>" in page
    assert "<h1>Ana and Ben: week 7 of 2026</h1>" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_the_patterns_come_first_then_the_charts_then_the_evenings(page: str) -> None:
    patterns = page.index(">Patterns</h2>")
    assert page.index("<h1>") < patterns < page.index('class="chart"')
    assert page.index('class="chart"') < page.index("Monday 09 February")


def test_the_charts_scale_and_carry_their_numbers(page: str) -> None:
    charts = re.findall(r"<svg class=\"chart\"[^>]*>", page)
    assert len(charts) == 2
    for chart in charts:
        assert "viewBox=" in chart and " width=" not in chart  # the page's width, not a fixed one
    days = page[page.index('aria-label="Appreciations and unmet needs per day"'):]
    days = days[:days.index("</svg>")]
    numbers = re.findall(r"<text[^>]*class=\"small\">(\d+)</text>", days)
    # Monday 2 and 1, Wednesday 1 and 2, Friday 1 and 0; the other days 0 and 0.
    assert numbers == ["2", "1", "0", "0", "1", "2", "0", "0", "1", "0", "0", "0", "0", "0"]


def test_the_categories_are_sorted_by_count() -> None:
    with open_store(":memory:") as store:
        needs = [("Ana", "sarcasm", "a joke", "Ben", True)] + [
            ("Ben", "no_response", "no text", "Ana", True),
            ("Ben", "cancelled_plans", "the walk", "Ana", False),
            ("Ana", "cancelled_plans", "the film", "Ben", None),
            ("Ana", "cancelled_plans", "dinner", "Ben", True),
        ]
        log_evening(store, MONDAY, needs=tuple(needs))
        html = export_week(store, WEEK, "html", tz=UTC)
    chart = html[html.index('aria-label="Unmet needs by kind'):]
    chart = chart[:chart.index("</svg>")]
    labels = re.findall(r"<text[^>]*>([A-Z][^<]+)</text>", chart)
    assert labels == ["Cancelling plans at the last minute", "Not responding to texts or calls",
                      "Sarcastic remarks or backhanded compliments"]
    assert re.findall(r"<text[^>]*>(\d+)</text>", chart) == ["3", "1", "1"]


def test_the_legend_does_not_rest_on_red_and_green(page: str) -> None:
    # The two series differ in shape, the legend says which is which in words, and its
    # swatches are drawn like the bars.
    assert "Appreciations (filled bars)" in page and "Unmet needs (outlined bars)" in page
    assert re.search(r"\.needs \{ fill: #fff; stroke: #[0-9a-f]{6}; stroke-width: 2; \}", page)
    assert "Green:" not in page and "Red:" not in page


def test_an_answer_says_how_it_was_received_in_words(page: str) -> None:
    assert '<span class="answer dismissed">dismissed</span>' in page
    assert '<span class="answer no_response">no response</span>' in page


def test_a_week_without_check_ins_has_no_charts_and_claims_nothing() -> None:
    with open_store(":memory:") as store:
        log_evening(store, MONDAY - timedelta(days=14))
        html = export_week(store, WEEK, "html", tz=UTC)
    assert 'class="chart"' not in html
    assert "There were no check-ins this week, so there are no patterns to show." in html
    assert "Nobody mentioned" not in html
    assert "<title>Ana and Ben: week 7 of 2026</title>" in html  # the names from the database
