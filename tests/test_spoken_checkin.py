"""Whole spoken check-ins from --replies WAVs, through the real recognizer, matcher and store."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from spoken_helpers import ReplyBank, spoken_start


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def assert_turns_never_overlap(summary: dict[str, Any]) -> None:
    turns = summary["turns"]
    for earlier, later in zip(turns, turns[1:], strict=False):
        assert earlier["end_s"] <= later["start_s"] + 1e-6, (earlier, later)


def test_appreciations_a_validated_need_and_nothing(replies: ReplyBank, tmp_path: Path) -> None:
    db = tmp_path / "checkin.db"
    summary = spoken_start(
        db,
        [
            replies.say("Ana", "I appreciated that you made me coffee this morning"),
            replies.say("Sam", "Thank you for listening to me after my long day at work"),
            replies.say("Ana", "I felt ignored when you were on your phone during dinner"),
            replies.say("Sam", "I hear you and I am sorry it felt that way"),
            replies.say("Sam", "No, not today"),
        ],
    )
    assert summary["completed"] is True
    kinds = [(e["partner"], e["kind"], e["category"], e["validated"]) for e in summary["entries"]]
    assert kinds == [
        ("Ana", "appreciation", None, None),
        ("Sam", "appreciation", None, None),
        ("Ana", "unmet_need", "distracted", None),
        ("Sam", "response", None, True),
    ]
    stored = rows(db, "select partner, kind, validated from entries order by id")
    assert [(p, k) for p, k, _ in stored] == [(e["partner"], e["kind"]) for e in summary["entries"]]
    assert rows(db, "select completed from sessions") == [(1,)]
    assert_turns_never_overlap(summary)
    assistant = [t["text"] for t in summary["turns"] if t["speaker"] == "assistant"]
    assert "Ana" in assistant[0] and "Sam" in assistant[0]


def test_a_dismissal_is_logged_unvalidated_and_coached(replies: ReplyBank, tmp_path: Path) -> None:
    db = tmp_path / "checkin.db"
    summary = spoken_start(
        db,
        [
            replies.say("Ana", "skip"),
            replies.say("Sam", "skip"),
            replies.say("Ana", "I felt hurt when you cancelled our plans at the last minute"),
            replies.say("Sam", "Oh come on, you are too sensitive"),
            replies.say("Sam", "pass"),
        ],
    )
    responses = [e for e in summary["entries"] if e["kind"] == "response"]
    assert responses and responses[0]["validated"] is False
    assert rows(db, "select validated from entries where kind = 'response'") == [(0,)]
    assistant = [t["text"] for t in summary["turns"] if t["speaker"] == "assistant"]
    assert any(text.startswith("You could try") for text in assistant)
    assert [e["kind"] for e in summary["entries"]] == ["unmet_need", "response"]


def test_stop_ends_now_and_keeps_what_was_said(replies: ReplyBank, tmp_path: Path) -> None:
    db = tmp_path / "checkin.db"
    summary = spoken_start(
        db,
        [
            replies.say("Ana", "I appreciated the hug you gave me this morning"),
            replies.say("Sam", "We are done for tonight"),
            replies.say("Ana", "This reply is never asked for"),
        ],
    )
    assert summary["completed"] is False
    assert [e["kind"] for e in summary["entries"]] == ["appreciation"]
    assert rows(db, "select completed from sessions") == [(0,)]
    assert rows(db, "select count(*) from entries") == [(1,)]


def test_repeat_asks_again_and_silence_asks_in_other_words(
    replies: ReplyBank, tmp_path: Path
) -> None:
    summary = spoken_start(
        tmp_path / "checkin.db",
        [
            replies.say("Ana", "Say that again"),
            replies.say("Ana", "I appreciated that you made me coffee this morning"),
            replies.silence(),
            replies.silence(),
        ],
    )
    assistant = [t["text"] for t in summary["turns"] if t["speaker"] == "assistant"]
    asked_ana = [text for text in assistant if text.startswith("Ana") and "appreciate" in text]
    assert len(asked_ana) >= 2, assistant  # repeated on request
    first_to_sam = next(i for i, text in enumerate(assistant) if text.startswith("Sam"))
    reprompt = assistant[first_to_sam + 1]
    assert "Sam" in reprompt and reprompt != assistant[first_to_sam], assistant  # other words
    assert [e["kind"] for e in summary["entries"]] == ["appreciation"]
    # Silence is never logged and the input ran out, so the session is not completed.
    assert summary["completed"] is False


def test_the_budget_running_out_jumps_to_the_closing(replies: ReplyBank, tmp_path: Path) -> None:
    long_answer = replies.say(
        "Ana",
        "I appreciated that you made me coffee this morning and that you called me at lunch "
        "and that you walked the dog when it was raining so hard this evening",
    )
    summary = spoken_start(tmp_path / "checkin.db", [long_answer] * 6, "--budget", "30")
    assert summary["completed"] is True
    assert summary["duration_s"] <= 45
    last = summary["turns"][-1]
    assert last["speaker"] == "assistant"
    asked = [t for t in summary["turns"] if t["speaker"] == "assistant" and "brushed" in t["text"]]
    assert not asked, "the need questions should have been skipped for the closing"


def test_partner_turn_ends_where_speech_ends_and_latency_is_on_the_clock(
    replies: ReplyBank, tmp_path: Path
) -> None:
    summary = spoken_start(
        tmp_path / "checkin.db",
        [
            replies.say("Ana", "I appreciated that you made me coffee this morning"),
        ],
    )
    turns = summary["turns"]
    answer_index = next(i for i, t in enumerate(turns) if t["speaker"] == "Ana")
    answer, reply = turns[answer_index], turns[answer_index + 1]
    latency = reply["start_s"] - answer["end_s"]
    assert 0.0 < latency < 3.0
    assert answer["end_s"] - answer["start_s"] > 1.0
