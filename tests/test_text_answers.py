"""Answers that aren't answers yet, typed through the real `checkin text` and the real matcher.

These need the intents catalogue's `need_yes`, `acknowledgement`, `think`, `hand_over`,
`correct` and `complaint` (and "im fine" / "not really" / "nothing today" as `nothing`).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from voice.checkin.script import load_script

REPO = Path(__file__).resolve().parent.parent
SCRIPT = load_script()
TO_ANAS_NEED = "pass\npass\n"


def lines(key: str, partner: str = "Ana", other: str = "Sam") -> set[str]:
    return {v.format(a="Ana", b="Sam", partner=partner, other=other)
            for v in SCRIPT.variants(key)}


def typed(db: Path, stdin: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "voice", "text", "--partners", "Ana,Sam", "--db", str(db),
         "--json"], input=stdin, capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    summary: dict[str, Any] = json.loads(done.stdout)
    summary["said"] = [t["text"] for t in summary["turns"] if t["speaker"] == "assistant"]
    return summary


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


@pytest.mark.parametrize("answer", ["yes", "there was one"])
def test_yes_to_the_need_question_gets_what_happened(tmp_path: Path, answer: str) -> None:
    db = tmp_path / "c.db"
    summary = typed(db, TO_ANAS_NEED + f"{answer}\nyou ignored my message all day\n")
    assert set(summary["said"]) & lines("what_happened")
    assert not set(summary["said"]) & lines("not_understood")
    assert [(e["kind"], e["text"]) for e in summary["entries"]] == [
        ("unmet_need", "you ignored my message all day")]


@pytest.mark.parametrize(
    "answer", ["im fine", "not really", "nothing today"]
)
def test_im_fine_is_nothing_not_a_need(tmp_path: Path, answer: str) -> None:
    db = tmp_path / "c.db"
    summary = typed(db, TO_ANAS_NEED + f"{answer}\n")
    assert summary["entries"] == [] and rows(db, "SELECT count(*) FROM entries") == [(0,)]
    assert set(summary["said"]) & lines("nothing_need")
    assert not set(summary["said"]) & lines("ask_response", "Sam", "Ana")


@pytest.mark.parametrize("answer", ["let me think", "um give me a second"])
def test_let_me_think_earns_a_patient_wait(tmp_path: Path, answer: str) -> None:
    db = tmp_path / "c.db"
    summary = typed(db, f"{answer}\nyou made me coffee\n")
    assert set(summary["said"]) & lines("wait_patiently")
    assert [e["text"] for e in summary["entries"]] == ["you made me coffee"]


def test_sam_you_go_first_hands_the_turn_over(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    summary = typed(db, "sam you go first\nyou cooked dinner\nyou made me coffee\n")
    assert set(summary["said"]) & lines("handed_over", "Sam", "Ana")
    assert [(e["partner"], e["text"]) for e in summary["entries"]] == [
        ("Sam", "you cooked dinner"), ("Ana", "you made me coffee")]


@pytest.mark.parametrize("answer", ["ok", "got it", "mm"])
def test_a_short_ok_is_a_brief_acknowledgement(tmp_path: Path, answer: str) -> None:
    db = tmp_path / "c.db"
    summary = typed(db, TO_ANAS_NEED + f"you never texted me back\n{answer}\n")
    assert set(summary["said"]) & lines("affirm_acknowledgement", "Sam", "Ana")
    assert not set(summary["said"]) & lines("not_understood", "Sam", "Ana")
    assert summary["entries"][-1] == {"partner": "Sam", "kind": "response", "category": None,
                                      "text": answer, "validated": True}


@pytest.mark.parametrize("complaint", ["i hate you",
                                       "thanks for leaving the dishes again, really lovely"])
def test_a_complaint_is_not_praised_and_can_be_logged_as_a_hurt(
    tmp_path: Path, complaint: str
) -> None:
    db = tmp_path / "c.db"
    summary = typed(db, f"{complaint}\nyes\nI hear you\n")
    said = set(summary["said"])
    assert not said & lines("thank_appreciation")
    assert said & lines("check_hurt")
    assert [(e["partner"], e["kind"], e["text"]) for e in summary["entries"]][:2] == [
        ("Ana", "unmet_need", complaint), ("Sam", "response", "I hear you")]
    assert rows(db, "SELECT count(*) FROM entries WHERE kind = 'appreciation'") == [(0,)]


def test_a_complaint_declined_as_a_hurt_is_not_logged(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    summary = typed(db, "i hate you\nno\nyou made me coffee\n")
    assert [(e["kind"], e["text"]) for e in summary["entries"]] == [
        ("appreciation", "you made me coffee")]


@pytest.mark.parametrize("correction", ["that's not what i said", "no change that"])
def test_a_misheard_answer_is_asked_again_and_replaced(tmp_path: Path, correction: str) -> None:
    db = tmp_path / "c.db"
    summary = typed(db, f"you made me toffee\n{correction}\nyou made me coffee\n")
    assert set(summary["said"]) & lines("ask_again")
    assert rows(db, "SELECT partner, text FROM entries") == [("Ana", "you made me coffee")]
    assert rows(db, "SELECT action, reason FROM corrections") == [("delete", "misheard")]
    assert [e["text"] for e in summary["entries"]] == ["you made me coffee"]
