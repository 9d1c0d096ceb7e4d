"""`checkin text`: typed check-ins through the real CLI into a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from voice.checkin.script import load_script
from voice.cli import cli

CHECKIN = Path(sys.executable).parent / "checkin"
SCRIPT = load_script()
TYPED = SCRIPT.typed
GOODBYES = {v.format(a="Ana", b="Sam") for v in SCRIPT.variants("goodbye")}

A_WHOLE_EVENING = """\
you made me coffee this morning
thank you for picking up the kids
i felt ignored when you were on your phone
i hear you and i'm sorry
you never texted me back
you're too sensitive
i'm sorry, i hear you
"""


def typed(*args: str, stdin: str) -> Result:
    result = CliRunner().invoke(cli, ["text", *args], input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_a_typed_evening_is_logged_and_summarised(tmp_path: Path) -> None:
    db = tmp_path / "checkin.db"
    result = typed("--partners", "Ana,Sam", "--db", str(db), "--seed", "3", "--json",
                   stdin=A_WHOLE_EVENING)
    summary = json.loads(result.stdout)
    assert summary["completed"] is True
    assert summary["entries"] == [
        {"partner": "Ana", "kind": "appreciation", "category": None,
         "text": "you made me coffee this morning", "validated": None},
        {"partner": "Sam", "kind": "appreciation", "category": None,
         "text": "thank you for picking up the kids", "validated": None},
        {"partner": "Ana", "kind": "unmet_need", "category": "distracted",
         "text": "i felt ignored when you were on your phone", "validated": None},
        {"partner": "Sam", "kind": "response", "category": None,
         "text": "i hear you and i'm sorry", "validated": True},
        {"partner": "Sam", "kind": "unmet_need", "category": "no_response",
         "text": "you never texted me back", "validated": None},
        {"partner": "Ana", "kind": "response", "category": None,
         "text": "you're too sensitive", "validated": False},
        {"partner": "Ana", "kind": "response", "category": None,  # the one more try
         "text": "i'm sorry, i hear you", "validated": True},
    ]
    assert rows(db, "SELECT partner, kind, category, text, validated FROM entries ORDER BY id") == [
        (e["partner"], e["kind"], e["category"], e["text"],
         None if e["validated"] is None else int(e["validated"]))
        for e in summary["entries"]
    ]
    assert rows(db, "SELECT id, completed, engine, partners FROM sessions") == [
        (summary["session_id"], 1, "text", '["Ana", "Sam"]')]
    turns = summary["turns"]
    assert turns[-2]["text"] == "Tonight you shared two appreciations and two moments that hurt."
    assert turns[-1]["text"] in GOODBYES
    assert summary["duration_s"] == turns[-1]["end_s"] <= 120.0
    assert "Ana> you made me coffee this morning" in result.stderr


def test_the_typed_conversation_reads_like_a_transcript(tmp_path: Path) -> None:
    result = typed("--partners", "Ana,Sam", "--db", str(tmp_path / "c.db"), "--seed", "1",
                   stdin="you made dinner\npass\n")
    lines = result.stdout.splitlines()
    assert "Ana" in lines[0] and "Sam" in lines[0]
    assert lines[2] == TYPED["help"]  # how to skip, repeat or stop: said once
    assert result.stdout.count("'skip'") == 1
    assert lines[3] == "Ana> you made dinner"
    assert "Sam> pass" in lines
    assert lines[-2:] == ["Ana> ", TYPED["ended"]]  # Ctrl-D while Ana was being asked


def test_the_end_of_input_keeps_the_answers_and_leaves_the_session_open(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    typed("--partners", "Ana,Sam", "--db", str(db), stdin="you made dinner\n")
    assert rows(db, "SELECT partner, kind, text FROM entries") == [
        ("Ana", "appreciation", "you made dinner")]
    assert rows(db, "SELECT completed FROM sessions") == [(0,)]


def test_stop_ends_the_check_in_at_once(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    result = typed("--partners", "Ana,Sam", "--db", str(db), "--json",
                   stdin="you made dinner\nwe're done for tonight\nthis is never read\n")
    summary = json.loads(result.stdout)
    assert summary["completed"] is False
    assert [entry["text"] for entry in summary["entries"]] == ["you made dinner"]
    assert "this is never read" not in result.stderr
    assert rows(db, "SELECT completed FROM sessions") == [(0,)]


def test_an_empty_line_is_no_answer_and_noise_is_not_an_answer(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    result = typed("--partners", "Ana,Sam", "--db", str(db), "--json", "--seed", "2",
                   stdin="\n\num\nthe\n")
    summary = json.loads(result.stdout)
    assert summary["entries"] == []
    assert rows(db, "SELECT COUNT(*) FROM entries") == [(0,)]
    assistant = [turn["text"] for turn in summary["turns"] if turn["speaker"] == "assistant"]
    # opening, Ana asked; silence: asked again; silence: on to Sam; "um": sorry, asked again;
    # "the": on to the need question for Ana; the input ends.
    assert len(assistant) == 9
    assert [turn["speaker"] for turn in summary["turns"] if turn["speaker"] != "assistant"] == [
        "Sam", "Sam"]


def test_long_typed_answers_run_the_budget_out_and_the_closing_still_comes(tmp_path: Path) -> None:
    rambling = " ".join(["and then"] * 20) + " you made me dinner"
    result = typed("--partners", "Ana,Sam", "--db", str(tmp_path / "c.db"), "--json",
                   stdin=f"{rambling}\n" * 6)
    summary = json.loads(result.stdout)
    assert summary["completed"] is True
    assert len(summary["entries"]) < 6
    assert summary["turns"][-1]["text"] in GOODBYES
    assert summary["duration_s"] <= 120.0


def test_partners_and_database_come_from_the_config_file(
    tmp_path: Path, isolated_home: Path
) -> None:
    db = tmp_path / "from-config.db"
    config = isolated_home / ".config" / "checkin" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'partners = ["Mia", "Leo"]\ndb = "{db}"\n')
    result = typed("--json", stdin="you sang to me\n")
    assert json.loads(result.stdout)["entries"][0]["partner"] == "Mia"
    assert rows(db, "SELECT partners FROM sessions") == [('["Mia", "Leo"]',)]


@pytest.mark.parametrize("partners", ["Ana,ana", "Ana,", ",", "Ana"])
def test_bad_partner_names_exit_2_with_one_line_naming_the_option(
    tmp_path: Path, partners: str
) -> None:
    db = tmp_path / "c.db"
    done = subprocess.run([str(CHECKIN), "text", "--partners", partners, "--db", str(db)],
                          input="you made dinner\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "--partners" in message and "Traceback" not in message
    assert not db.exists()


def test_help_shows_an_example() -> None:
    result = CliRunner().invoke(cli, ["text", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "checkin text --partners Ana,Sam" in result.output


def test_piped_into_the_installed_command(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    done = subprocess.run(
        [str(CHECKIN), "text", "--partners", "Ana,Sam", "--db", str(db), "--json"],
        input=A_WHOLE_EVENING, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["completed"] is True
    assert rows(db, "SELECT COUNT(*) FROM entries") == [(7,)]
