"""`checkin listen` end to end from --replies: the real wake detector, recognizer, matcher, store.

The first reply file is what the wake listener hears; a request after the wake
phrase goes in that same file, after a pause (people wait for the chime).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from listen_helpers import PAUSE_AFTER_WAKE_S, spoken_file
from spoken_helpers import ReplyBank

from store import open_store

WAKE = ("rms", "hey check in")


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("listen_clips")


def listen(db: Path, files: list[Path], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voice", "listen", "--partners", "Ana,Sam", "--db", str(db),
         "--mute", *extra, "--replies", *map(str, files)],
        capture_output=True, text=True, timeout=300, env=dict(os.environ),
    )


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_once_the_wake_phrase_then_the_whole_checkin(
    replies: ReplyBank, clips: Path, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    done = listen(db, [
        spoken_file(clips, "wake", WAKE),
        replies.say("Ana", "I appreciated that you made me coffee this morning"),
        replies.say("Sam", "Thank you for listening to me after my long day at work"),
        replies.say("Ana", "I felt ignored when you were on your phone during dinner"),
        replies.say("Sam", "I hear you and I am sorry it felt that way"),
        replies.say("Sam", "No, not today"),
    ], "--once", "--json")
    assert done.returncode == 0, done.stderr
    summaries = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(summaries) == 1
    summary = summaries[0]
    assert summary["completed"] is True
    assert [(e["partner"], e["kind"], e["category"], e["validated"])
            for e in summary["entries"]] == [
        ("Ana", "appreciation", None, None),
        ("Sam", "appreciation", None, None),
        ("Ana", "unmet_need", "distracted", None),
        ("Sam", "response", None, True),
    ]
    assert rows(db, "select completed from sessions") == [(1,)]
    assert rows(db, "select count(*) from entries") == [(4,)]
    assert '(heard "hey check in"' in done.stderr
    turns = summary["turns"]
    # The check-in starts after the wake phrase, and no turn overlaps the next.
    assert turns[0]["speaker"] == "assistant" and turns[0]["start_s"] > 1.0
    for earlier, later in zip(turns, turns[1:], strict=False):
        assert earlier["end_s"] <= later["start_s"] + 1e-6, (earlier, later)


def test_a_near_miss_starts_nothing_and_listen_ends_with_the_input(
    clips: Path, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    near_misses = [
        spoken_file(clips, "near-jack", ("slt", "hey jack, come in")),
        spoken_file(clips, "near-opens", ("rms", "the check in opens at noon")),
    ]
    done = listen(db, near_misses, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "heard" not in done.stderr
    assert rows(db, "select count(*) from sessions") == [(0,)]
    plain = listen(db, near_misses)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.strip().endswith("The input ended before a check-in ran.")


def _seed_week(db: Path) -> None:
    with open_store(db) as store:
        for partner, other in (("Ana", "Sam"), ("Sam", "Ana")):
            session = store.begin_session(("Ana", "Sam"), "pocketsphinx")
            store.log_entry(session, partner=partner, kind="appreciation",
                            text=f"{other} made dinner")
            store.log_entry(session, partner=partner, kind="appreciation",
                            text=f"{other} called me at lunch")
            store.log_entry(session, partner=partner, kind="unmet_need", category="distracted",
                            text="you were on your phone")
            store.end_session(session, completed=True, duration_s=110.0)


def test_how_was_our_week_speaks_the_summary_and_goes_back_to_waiting(
    clips: Path, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    _seed_week(db)
    request = spoken_file(clips, "wake-week", WAKE, ("slt", "how was our week"),
                          pause_s=PAUSE_AFTER_WAKE_S)
    done = listen(db, [request], "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # no check-in ran
    spoken = " ".join(line.removeprefix("assistant: ") for line in done.stderr.splitlines()
                      if line.startswith("assistant: "))
    assert "you shared 4 appreciations" in spoken
    assert "came up most was being distracted" in spoken
    assert "2 appreciations for every need" in spoken
    assert rows(db, "select count(*) from sessions") == [(2,)]


def test_not_now_goes_back_to_waiting_and_the_next_wake_checks_in(
    replies: ReplyBank, clips: Path, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    cancel = spoken_file(clips, "wake-not-now", WAKE, ("slt", "not now"),
                         pause_s=PAUSE_AFTER_WAKE_S)
    start = spoken_file(clips, "wake-lets-check-in", WAKE, ("slt", "let's check in"),
                        pause_s=PAUSE_AFTER_WAKE_S)
    done = listen(db, [cancel, start, replies.say("Ana", "we're done for tonight")],
                  "--once", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count('(heard "hey check in"') == 2
    summary = json.loads(done.stdout)
    assert summary["completed"] is False and summary["entries"] == []
    assert rows(db, "select count(*) from sessions") == [(1,)]
    spoken = [line for line in done.stderr.splitlines() if line.startswith("assistant: ")]
    # The acknowledgement of "not now", then the check-in's opening naming both partners.
    assert "Ana" not in spoken[0] and "Ana" in spoken[1] and "Sam" in spoken[1]
