"""Exports: the md/html weekly log, csv escaping, json shape, and writing files safely."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, timedelta

import pytest
from store_helpers import MONDAY, WEEK, log_evening, log_known_week

from store import StoreError, open_store
from store.exporting import export_week
from store.store import Store
from store.summary import week_summary
from voice.listen.weekly import spoken_summary


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store(":memory:") as memory:
        log_known_week(memory)
        yield memory


def test_week_summary_counts(store: Store) -> None:
    summary = week_summary(store, WEEK, tz=UTC)
    assert (summary.sessions, summary.completed) == (3, 2)
    assert summary.appreciations == {"Ana": 2, "Ben": 2}
    assert summary.unmet_needs == {"distracted": 2, "cancelled_plans": 1}
    assert (summary.responses, summary.validated_responses) == (2, 1)
    assert (summary.top_categories, summary.top_count, summary.top_count_before) == (
        ("distracted",),
        2,
        1,
    )
    assert summary.ratio == pytest.approx(4 / 3)
    assert [(d.day.isoformat(), d.appreciations, d.unmet_needs) for d in summary.days] == [
        ("2026-02-09", 2, 1),
        ("2026-02-10", 0, 0),
        ("2026-02-11", 1, 2),
        ("2026-02-12", 0, 0),
        ("2026-02-13", 1, 0),
        ("2026-02-14", 0, 0),
        ("2026-02-15", 0, 0),
    ]


def test_spoken_summary_names_the_top_category_and_ratio(store: Store) -> None:
    spoken = spoken_summary(week_summary(store, WEEK, tz=UTC))
    assert "you shared 4 appreciations in 3 check-ins" in spoken
    assert "being distracted during conversations, twice" in spoken
    assert "4 appreciations to 3 needs" in spoken
    assert (
        spoken_summary(week_summary(store, "2026-W20", tz=UTC))
        == "There were no check-ins in the last seven days."
    )


def test_markdown_is_a_weekly_log_day_by_day(store: Store) -> None:
    md = export_week(store, WEEK, "md", tz=UTC)
    assert md.startswith("# Ana and Ben: week 7 of 2026 (Mon 09 Feb \u2013 Sun 15 Feb 2026)")
    days = re.findall(r"^## (.+)$", md, flags=re.M)
    assert days == ["Patterns", "Monday 09 February", "Wednesday 11 February", "Friday 13 February"]
    assert (
        "- Ana: \u201cHe made me tea.\u201d" in md
        and "- Ben: \u201cShe fixed the bike.\u201d" in md
    )
    assert (
        "- Ben (Being distracted during conversations): \u201cYou kept checking your phone\u201d\n"
        "  - Ana answered \u201cYou're overreacting.\u201d: *dismissed*"
    ) in md
    assert "answered \u201cI understand how you feel.\u201d: *validated*" in md
    assert (
        "- Ana (Cancelling plans at the last minute): \u201cYou cancelled our walk\u201d\n"
        "  - *no response*" in md
    )
    assert "stopped early" in md
    patterns = md.split("## Patterns")[1].split("## Monday")[0]
    assert (
        '"Being distracted during conversations": 2 times this week, up from 1 the week before'
        in patterns
    )
    assert "4 to 3. Relationship research" in patterns and "five positive moments" in patterns
    assert "1 of 2 answers" in patterns
    assert '### Gentle suggestions for "Being distracted during conversations"' in patterns
    assert "Put the phone away" in patterns


def test_markdown_of_an_empty_week_says_so_and_claims_nothing(store: Store) -> None:
    md = export_week(store, "2026-W20", "md", tz=UTC)
    assert "There were no check-ins this week, so there are no patterns to show." in md
    # Nobody was asked, so nobody can be said not to have felt brushed off.
    assert "Nobody mentioned" not in md and "no unmet needs" not in md
    assert "Gentle suggestions" not in md


def test_markdown_transcripts_cannot_inject_markup() -> None:
    with open_store(":memory:") as store:
        log_evening(store, MONDAY, appreciations=(("Ana", "# heading\n* [link](http://x) `code`"),))
        md = export_week(store, WEEK, "md", tz=UTC)
    assert "\\# heading \\* \\[link\\](http://x) \\`code\\`" in md
    assert "\n# heading" not in md


def test_all_weeks_markdown_holds_every_week(store: Store) -> None:
    md = export_week(store, None, "md", all_weeks=True, tz=UTC)
    assert md.startswith("# Ana and Ben: every check-in")
    assert "## Week 6 of 2026" in md and "## Week 7 of 2026" in md
    assert md.index("## Trends over 2 weeks") < md.index("## Week 7") < md.index("## Week 6")


def test_json_has_the_documented_shape_and_non_zero_summary(store: Store) -> None:
    document = json.loads(export_week(store, WEEK, "json", tz=UTC))
    assert list(document) == ["week", "from", "to", "sessions", "entries", "summary"]
    assert (document["week"], document["from"], document["to"]) == (
        WEEK,
        "2026-02-09",
        "2026-02-15",
    )
    assert document["summary"] == {
        "sessions": 3,
        "completed": 2,
        "appreciations": {"Ana": 2, "Ben": 2},
        "unmet_needs": {"distracted": 2, "cancelled_plans": 1},
        "responses": 2,
        "validated_responses": 1,
    }
    session = document["sessions"][0]
    assert set(session) == {
        "id",
        "uuid",
        "started_at",
        "ended_at",
        "completed",
        "partners",
        "engine",
        "duration_s",
    }
    assert session["partners"] == ["Ana", "Ben"] and session["completed"] is True
    assert len(document["entries"]) == 9
    assert set(document["entries"][0]) == {
        "id",
        "uuid",
        "session_id",
        "session_uuid",
        "at",
        "partner",
        "kind",
        "category",
        "text",
        "validated",
        "confidence",
    }
    empty = json.loads(export_week(store, "2026-W20", "json", tz=UTC))
    assert empty["summary"]["appreciations"] == {} and empty["summary"]["unmet_needs"] == {}


NASTY = ('=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", 'fine, "quoted"')


def test_csv_is_one_row_per_entry_with_formulas_neutralised() -> None:
    with open_store(":memory:") as store:
        log_evening(store, MONDAY, appreciations=tuple(("=Ana", text) for text in NASTY))
        rows = list(csv.DictReader(io.StringIO(export_week(store, WEEK, "csv", tz=UTC))))
    assert len(rows) == len(NASTY)
    assert [row["text"] for row in rows] == ["'" + text for text in NASTY[:-1]] + [NASTY[-1]]
    assert {row["partner"] for row in rows} == {"'=Ana"}
    assert rows[0]["kind"] == "appreciation" and rows[0]["at"] == "2026-02-09T20:30:10Z"


def test_html_is_self_contained_escaped_and_printable() -> None:
    attack = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    with open_store(":memory:") as store:
        log_evening(
            store,
            MONDAY,
            appreciations=(("Ana & <b>", attack),),
            needs=(("Ben", "sarcasm", '"quoted" <i>', "Ana", True),),
        )
        page = export_week(store, WEEK, "html", tz=UTC)
    assert "<script" not in page and "<img" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Ana &amp; &lt;b&gt;" in page and "&quot;quoted&quot; &lt;i&gt;" in page
    for external in ("<link", "@import", "url(", "https://", "<iframe", "<object"):
        assert external not in page
    assert re.search(r"<[^>]*\s(src|href)=", page) is None  # no tag loads anything
    assert re.search(r"<[^>]*\son[a-z]+=", page) is None  # and no tag runs a handler
    assert page.count('class="chart"') == 2 and "@media print" in page
    assert "Sarcastic remarks or backhanded compliments" in page


def test_an_unknown_format_or_week_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown export format"):
        export_week(store, WEEK, "pdf")
    with pytest.raises(StoreError, match="YYYY-Www"):
        export_week(store, "last week", "md")


def test_the_default_week_is_the_current_one_once_it_has_a_check_in() -> None:
    with open_store(":memory:") as store:
        from store.timefmt import utc_now

        log_evening(
            store, utc_now() - timedelta(minutes=5), appreciations=(("Ana", "today's tea"),)
        )
        assert "today's tea" in export_week(store, None, "csv")
