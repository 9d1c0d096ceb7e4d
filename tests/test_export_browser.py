"""The html log in a real browser: Debian's headless Chromium at a phone's width (390 px)
and a desktop's (1200 px), on eight weeks of real typed check-ins.

A person sees a page that fits: nothing to scroll sideways, no chart cut at the
edge, no label cut inside its chart, text big enough to read, the names and the
week at the top. Screenshots of each page are kept (CHECKIN_SCREENSHOTS=DIR
keeps a copy) so a person can look too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, Browser, Look, open_browser
from store_helpers import MONDAY, WEEK, log_evening
from typed_helpers import LAST_WEEK, REPO, eight_weeks_db, tz_env

from store import open_store
from store.exporting import export_week

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="needs Debian's chromium (apt-get install chromium; ./quickstart test installs it)",
)

WIDTHS = (390, 1200)
SCREENSHOTS = os.environ.get("CHECKIN_SCREENSHOTS")  # read before conftest clears CHECKIN_*


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    opened = open_browser()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pages a couple opens: eight weeks with their trends, and one busy week."""
    db = eight_weeks_db(tmp_path_factory.getbasetemp())
    folder = tmp_path_factory.mktemp("pages")
    made = {}
    for name, args in (("eight-weeks", ["--weeks", "8"]), ("one-week", ["--week", "2026-W08"])):
        target = folder / f"{name}.html"
        week = [] if "--week" in args else ["--week", LAST_WEEK]
        done = subprocess.run(
            [sys.executable, "-m", "voice", "export", "--db", str(db), "--format", "html",
             *week, *args, "-o", str(target)],
            capture_output=True, text=True, timeout=120, cwd=REPO, env=tz_env(),
        )
        assert done.returncode == 0, done.stderr
        made[name] = target
    # The hardest case for a narrow screen: every kind of need, the longest label, and an
    # answer with a word longer than the phone is wide.
    with open_store(":memory:") as store:
        log_evening(
            store, MONDAY,
            appreciations=(("Ana", "thank you " + "x" * 80), ("Ben", "the tea")),
            needs=tuple(("Ben", code, f"{code} hurt", "Ana", index % 2 == 0) for index, code in
                        enumerate(("sarcasm", "unacknowledged_effort", "avoided_affection",
                                   "cancelled_plans", "distracted", "no_response", "dismissed",
                                   "other", "sarcasm"))),
        )
        made["every-kind"] = folder / "every-kind.html"
        made["every-kind"].write_text(export_week(store, WEEK, "html", weeks=1))
    return made


def _looked(browser: Browser, page: Path, width: int, tmp_path: Path) -> Look:
    look = browser.look(page, width, tmp_path)
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(look.screenshot, Path(SCREENSHOTS) / look.screenshot.name)
    return look


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["eight-weeks", "one-week", "every-kind"])
def test_the_page_fits_the_screen_and_nothing_overflows(
    browser: Browser, pages: dict[str, Path], name: str, width: int, tmp_path: Path
) -> None:
    look = _looked(browser, pages[name], width, tmp_path)
    seen = look.measured
    # The phone lays the page out at its own width (the viewport meta) and the page is no
    # wider: a 500 px chart would widen the layout viewport and the screenshot with it.
    assert seen["viewport"] == width
    assert seen["scrollWidth"] <= width
    assert look.png_size == (width, seen["height"])
    assert seen["outside"] == []
    assert seen["clipped"] == []  # every number and label is inside its chart
    assert seen["smallestChartText"] >= 9  # chart text stays readable, not scaled away
    assert seen["charts"] >= 2
    assert look.requests == [pages[name].resolve().as_uri()]  # the page itself, nothing else


@pytest.mark.parametrize("width", WIDTHS)
def test_the_eight_weeks_page_reads_in_order(
    browser: Browser, pages: dict[str, Path], width: int, tmp_path: Path
) -> None:
    seen = _looked(browser, pages["eight-weeks"], width, tmp_path).measured
    text = seen["text"]
    assert seen["title"] == "Ana and Sam: weeks 3 to 10 of 2026"
    assert text.startswith("Ana and Sam: weeks 3 to 10 of 2026")
    order = [text.index(words) for words in (
        "Trends over 8 weeks", "Appreciations and unmet needs each week", "Micro-rejections",
        "Shared needs that were validated", "Check-ins each week", "Week 10 of 2026",
        "Patterns", "Monday 02 March",
    )]
    assert order == sorted(order)
    # The legend says in words which mark is which, not only by colour.
    assert "Appreciations (filled bars)" in text and "Unmet needs (outlined bars)" in text
    assert "Five appreciations for each need (dashed line)" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_one_week_opens_with_its_names_week_and_patterns(
    browser: Browser, pages: dict[str, Path], width: int, tmp_path: Path
) -> None:
    seen = _looked(browser, pages["one-week"], width, tmp_path).measured
    text = seen["text"]
    assert seen["title"] == "Ana and Sam: week 8 of 2026"
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[:3] == ["Ana and Sam: week 8 of 2026", "Mon 16 Feb \u2013 Sun 22 Feb 2026",
                         "Patterns"]
    assert text.index("Patterns") < text.index("Monday 16 February")
