"""Trends across weeks: `checkin trends` and the trends of `export --weeks`, on eight weeks
of real typed check-ins (tests/typed_helpers.py), together and for each partner."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from store_helpers import WEEK, log_known_week
from typed_helpers import LAST_WEEK, REPO, eight_weeks_db, tz_env

from store import open_store
from store.store import Store
from store.trends import trends


@pytest.fixture(scope="session")
def eight_weeks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return eight_weeks_db(tmp_path_factory.getbasetemp())


def checkin(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "voice", *args], capture_output=True,
                          text=True, timeout=120, cwd=REPO, env=tz_env())
    assert done.returncode == 0, done.stderr
    return done


def cells(table_text: str, first: str) -> list[list[str]]:
    """The rows of the Markdown table whose header starts with `first`, as cell lists."""
    lines = table_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first}"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_trends_show_eight_weeks_of_typed_check_ins_together_and_per_partner(
    eight_weeks: Path,
) -> None:
    out = checkin("trends", "--db", str(eight_weeks), "--week", LAST_WEEK).stdout
    assert out.startswith("# Trends over 8 weeks (2026-W03 \u2013 2026-W10)")
    rows = cells(out, "Week")
    assert [row[0] for row in rows if row[0]] == [
        "W03 (12 Jan)", "W04 (19 Jan)", "W05 (26 Jan)", "W06 (02 Feb)",
        "W07 (09 Feb)", "W08 (16 Feb)", "W09 (23 Feb)", "W10 (02 Mar)",
    ]
    by_week = {rows[i][0]: rows[i:i + 3] for i in range(0, len(rows), 3)}
    # Who, check-ins kept, appreciations to needs (marked at 5:1), needs validated.
    assert [row[1:] for row in by_week["W04 (19 Jan)"]] == [
        ["Together", "1 of 2", "3 to 2", "1 of 2"],
        ["Ana", "1 of 2", "2 to 1", "0 of 1"],  # her need was answered "you're too sensitive"
        ["Sam", "1 of 1", "1 to 1", "1 of 1"],
    ]
    assert [row[1:] for row in by_week["W07 (09 Feb)"]] == [
        [name, "\u00b7", "\u00b7", "\u00b7"] for name in ("Together", "Ana", "Sam")
    ]
    assert by_week["W10 (02 Mar)"][0][1:] == ["Together", "3 of 3", "6 to 1 \u2713", "1 of 1"]
    assert by_week["W10 (02 Mar)"][2][1:] == ["Sam", "3 of 3", "3 to 1", "1 of 1"]
    categories = {row[0]: row[1:] for row in cells(out, "Micro-rejections")}
    # "Being distracted" adds up over the weeks, and it is always Ana who shares it.
    assert categories["Distracted"] == ["1", "1", "1", "1", "\u00b7", "1", "\u00b7", "\u00b7"]
    assert list(categories)[:3] == ["Distracted", "Ana", "No reply"]
    assert categories["Sarcasm"][6] == "1"
    assert "five appreciations or more for each need" in out


def test_trends_json_has_every_figure_per_partner(eight_weeks: Path) -> None:
    document = json.loads(
        checkin("trends", "--db", str(eight_weeks), "--week", LAST_WEEK, "--weeks", "4",
                "--json").stdout
    )
    assert (document["from"], document["to"]) == ("2026-W07", "2026-W10")
    assert document["partners"] == ["Ana", "Sam"] and document["research_ratio"] == 5.0
    w08 = document["weeks"][1]
    assert w08["week"] == "2026-W08"
    assert w08["together"] == {
        "appreciations": 6, "needs": 2, "needs_validated": 2, "checkins": 3, "kept": 3,
        "categories": {"dismissed": 1, "distracted": 1},
    }
    assert w08["partners"]["Sam"]["categories"] == {"dismissed": 1}
    assert w08["partners"]["Ana"]["appreciations"] == 3


def test_the_html_log_of_eight_weeks_opens_with_the_trends(eight_weeks: Path) -> None:
    page = checkin("export", "--db", str(eight_weeks), "--week", LAST_WEEK, "--weeks", "8",
                   "--format", "html").stdout
    assert "<title>Ana and Sam: weeks 3 to 10 of 2026</title>" in page
    trends_at = page.index('<section class="trends"><h2>Trends over 8 weeks</h2>')
    assert trends_at < page.index("Week 10 of 2026") < page.index("Week 3 of 2026")
    assert "Week 7 of 2026" not in page  # a week without check-ins has no log, only its zeros
    section = page[trends_at:page.index("</section>", trends_at)]
    for title in ("Appreciations and unmet needs each week", "Micro-rejections",
                  "Shared needs that were validated", "Check-ins each week"):
        assert f">{title}</h3>" in section
    for person in ("Together", "Ana", "Sam"):
        assert f'aria-label="Appreciations and unmet needs each week: {person}"' in section
        assert f'aria-label="Shared needs that were validated: {person}"' in section
    assert section.count('class="target"') >= 7  # the 5:1 mark over every week with a need
    assert "<script" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")


def test_the_markdown_of_eight_weeks_has_the_same_figures_as_tables(eight_weeks: Path) -> None:
    md = checkin("export", "--db", str(eight_weeks), "--week", LAST_WEEK, "--weeks", "8").stdout
    assert md.startswith("# Ana and Sam: weeks 3 to 10 of 2026\n")
    trends_part = md[md.index("## Trends over 8 weeks"):md.index("## Week 10 of 2026")]
    assert cells(trends_part, "Week")[0][:5] == ["W03 (12 Jan)", "Together", "1 of 1",
                                                 "1 to 1", "0 of 1"]
    assert cells(trends_part, "Micro-rejections")[0][0] == "Distracted"
    weeks = re.findall(r"^## (Week \d+) of 2026", md, flags=re.M)
    assert weeks == ["Week 10", "Week 9", "Week 8", "Week 6", "Week 5", "Week 4", "Week 3"]


def test_an_export_of_several_weeks_as_json_carries_the_trends(eight_weeks: Path) -> None:
    document = json.loads(checkin("export", "--db", str(eight_weeks), "--week", LAST_WEEK,
                                  "--weeks", "2", "--format", "json").stdout)
    assert (document["from"], document["to"]) == ("2026-02-23", "2026-03-08")
    assert len(document["sessions"]) == 5
    assert [week["week"] for week in document["trends"]["weeks"]] == ["2026-W09", "2026-W10"]


@pytest.fixture
def known() -> Iterator[Store]:
    with open_store(":memory:") as store:
        log_known_week(store)
        yield store


def test_a_need_nobody_answered_is_not_counted_as_validated(known: Store) -> None:
    week = trends(known, WEEK, 1, tz=UTC).weeks[0]
    # distracted (validated), distracted (dismissed), cancelled_plans (no response)
    assert (week.together.needs, week.together.needs_validated) == (3, 1)
    assert week.together.validated_share == pytest.approx(1 / 3)
    assert (week.of("Ana").needs, week.of("Ana").needs_validated) == (2, 1)
    # Ben answered in all three check-ins, one of them stopped early.
    assert (week.of("Ben").checkins, week.of("Ben").kept) == (3, 2)


def test_trends_of_a_database_without_check_ins_say_so(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    open_store(db).close()
    out = checkin("trends", "--db", str(db), "--week", LAST_WEEK).stdout
    assert "No check-ins in these weeks yet." in out


def test_trends_on_a_missing_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "voice", "trends", "--db",
                           str(tmp_path / "none.db")], capture_output=True, text=True,
                          cwd=REPO, env=tz_env())
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "no check-in database at" in done.stderr and "Traceback" not in done.stderr
