"""A truthful summary (issue 21): Monday evenings, ties, and numbers people can say."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import MONDAY, WEEK, log_evening
from typed_helpers import REPO, evening_answers, typed_checkin, tz_env

from store import open_store
from store.exporting import default_week, export, export_week
from store.store import Store
from store.summary import week_summary
from voice.listen.weekly import spoken_summary, weekly_summary_text

# Monday 9 February 2026 (2026-W07), in the evening, after three check-ins the week before.
MONDAY_EVENING = MONDAY.replace(hour=21)


@pytest.fixture
def last_week() -> Iterator[Store]:
    with open_store(":memory:") as store:
        for days_before in (5, 4, 3):  # Wednesday, Thursday, Friday of 2026-W06
            log_evening(
                store, MONDAY - timedelta(days=days_before),
                appreciations=(("Ana", "the tea"), ("Ben", "the walk")),
                needs=(("Ana", "distracted", "the phone", "Ben", True),),
            )
        log_evening(store, MONDAY - timedelta(days=8), appreciations=(("Ben", "too long ago"),))
        yield store


def test_on_monday_evening_how_was_our_week_speaks_of_the_last_seven_days(
    last_week: Store,
) -> None:
    spoken = weekly_summary_text(last_week, MONDAY_EVENING)
    assert spoken.startswith("In the last seven days you shared 6 appreciations in "
                             "3 check-ins.")
    assert "being distracted during conversations, 3 times" in spoken
    assert "That is 2 appreciations for every need" in spoken
    # Eight days ago is not in the last seven.
    assert weekly_summary_text(last_week, MONDAY_EVENING + timedelta(days=2)).startswith(
        "In the last seven days you shared 4 appreciations in 2 check-ins.")
    assert weekly_summary_text(last_week, MONDAY_EVENING + timedelta(days=8)) == (
        "There were no check-ins in the last seven days.")


def test_on_monday_the_export_defaults_to_the_week_just_ended_and_says_so(
    last_week: Store,
) -> None:
    week, note = default_week(last_week, today=MONDAY.date(), tz=UTC)
    assert week == "2026-W06"
    assert note is not None and "this week (2026-W07) has no check-ins yet" in note
    assert "the week just ended (2026-W06)" in note
    md = export(last_week, "md", today=MONDAY.date(), tz=UTC)
    assert md.text.startswith("# Ana and Ben: week 6 of 2026")
    assert md.text.count("*Check-in at") == 3
    # Once this week has a check-in, it is this week's log.
    log_evening(last_week, MONDAY_EVENING, appreciations=(("Ana", "tonight's soup"),))
    assert default_week(last_week, today=MONDAY.date(), tz=UTC) == ("2026-W07", None)
    # A new couple with no check-in at all gets this (empty) week, not a made-up one.
    with open_store(":memory:") as empty:
        assert default_week(empty, today=MONDAY.date(), tz=UTC) == ("2026-W07", None)


def test_the_export_command_takes_the_week_just_ended_when_this_one_is_empty(
    tmp_path: Path,
) -> None:
    db = tmp_path / "checkin.db"
    today = datetime.now(UTC).date()  # the CLI cuts days in UTC here (tz_env)
    last_monday = today - timedelta(days=today.weekday() + 7)
    typed_checkin(db, evening_answers(ana_need="distracted"), last_monday + timedelta(days=2))
    done = subprocess.run(
        [sys.executable, "-m", "voice", "export", "--db", str(db)],
        capture_output=True, text=True, timeout=60, cwd=REPO, env=tz_env(),
    )
    assert done.returncode == 0, done.stderr
    assert "you made me coffee this morning" in done.stdout
    assert "has no check-ins yet, so this is the week just ended" in done.stderr
    assert done.stderr.count("\n") == 1


def _tied_week(store: Store) -> None:
    log_evening(
        store, MONDAY,
        appreciations=(("Ana", "tea"),),
        needs=(
            ("Ana", "sarcasm", "the joke", "Ben", True),
            ("Ben", "no_response", "no text", "Ana", True),
            ("Ana", "distracted", "the phone", "Ben", False),
            ("Ben", "cancelled_plans", "the walk", "Ana", None),
        ),
    )


def test_a_tie_is_named_as_a_tie() -> None:
    with open_store(":memory:") as store:
        _tied_week(store)
        summary = week_summary(store, WEEK, tz=UTC)
        md = export_week(store, WEEK, "md", tz=UTC)
    assert summary.top_categories == ("no_response", "distracted", "cancelled_plans", "sarcasm")
    assert (
        'Tied as the most frequent micro-rejections, once each this week: "Not responding to '
        'texts or calls", "Being distracted during conversations", "Cancelling plans at the last '
        'minute" and "Sarcastic remarks or backhanded compliments".'
    ) in md
    assert "The most frequent micro-rejection was" not in md
    spoken = spoken_summary(summary)
    assert ("Not responding to texts or calls, being distracted during conversations, "
            "cancelling plans at the last minute and sarcastic remarks or backhanded "
            "compliments came up equally often, once each.") in spoken
    assert "most frequent" not in spoken


@pytest.mark.parametrize(
    ("appreciations", "needs", "spoken", "written"),
    [
        (1, 1, "That is 1 appreciation for every need;", "Appreciations to unmet needs: 1 to 1."),
        (5, 4, "That is 5 appreciations to 4 needs;", "Appreciations to unmet needs: 5 to 4."),
        (10, 2, "That is 5 appreciations for every need;",
         "Appreciations to unmet needs: 10 to 2, that is 5 to 1."),
        (1, 3, "That is 1 appreciation to 3 needs;", "Appreciations to unmet needs: 1 to 3."),
    ],
)
def test_numbers_read_naturally(appreciations: int, needs: int, spoken: str, written: str) -> None:
    with open_store(":memory:") as store:
        log_evening(
            store, MONDAY,
            appreciations=tuple(("Ana", f"thing {i}") for i in range(appreciations)),
            needs=tuple(("Ben", "distracted", f"need {i}", "Ana", True) for i in range(needs)),
        )
        summary = week_summary(store, WEEK, tz=UTC)
        md = export_week(store, WEEK, "md", tz=UTC)
    said = spoken_summary(summary)
    assert spoken in said
    assert written in md
    assert "about" not in said and "about 1." not in md
    assert "1 appreciations" not in said and "1 times" not in said


def test_one_check_in_and_one_need_read_in_the_singular() -> None:
    with open_store(":memory:") as store:
        log_evening(store, MONDAY, needs=(("Ben", "sarcasm", "the joke", "Ana", True),))
        said = weekly_summary_text(store, datetime(2026, 2, 10, 21, tzinfo=UTC))
    assert said.startswith("In the last seven days you shared 1 appreciation in "
                           "one check-in.")
    assert "sarcastic remarks or backhanded compliments, once." in said
