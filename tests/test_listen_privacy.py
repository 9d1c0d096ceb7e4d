"""No transcript in the system journal: `checkin listen` run the way its systemd unit runs it.

The unit's own settings (`checkin service install --dry-run`: ExecStart and its
Environment lines, output to the journal) start a real `listen` that hears a
whole spoken check-in from reply WAVs. What the journal would receive (stdout
and stderr, with the variables systemd sets for a service) must hold no word
the partners said, only events; the database holds every answer. The control
runs the same on a terminal, where a person watching sees the answers.
"""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from listen_helpers import spoken_file
from spoken_helpers import ReplyBank

from voice.listen.service_unit import unit_settings

REPO = Path(__file__).resolve().parent.parent
SYSTEMD_SETS = {"INVOCATION_ID": "5d1c0b2a9e8f4c7b8a6d3e2f1a0b9c8d", "JOURNAL_STREAM": "8:424242"}
"""What systemd puts in a service's environment (the journal's stream, the invocation)."""


def _unit(tmp_path: Path) -> tuple[list[str], dict[str, str], Path]:
    """The unit `checkin service install` would write for this couple, read back."""
    db = tmp_path / "data" / "checkin.db"
    config = tmp_path / "couple.toml"
    config.write_text(f'partners = ["Ana", "Sam"]\ndb = "{db}"\n')
    dry = subprocess.run(
        [sys.executable, "-m", "voice", "service", "install", "--dry-run"],
        capture_output=True, text=True, timeout=60, cwd=REPO,
        env=dict(os.environ, CHECKIN_CONFIG=str(config)),
    )
    assert dry.returncode == 0, dry.stderr
    settings = unit_settings(dry.stdout)
    assert settings.command[-1] == "listen" and settings.standard_output == "journal"
    assert settings.environment["CHECKIN_CONFIG"] == str(config)
    # A user service starts with the user manager's few variables, plus the unit's.
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return settings.command, {**base, **settings.environment}, db


def _inputs(replies: ReplyBank, clips: Path) -> list[str]:
    wake = spoken_file(clips, "wake", ("rms", "hey check in"))
    return ["--once", "--mute", "--replies", str(wake),
            *(str(replies.say(partner, text)) for partner, text in (
                ("Ana", "I appreciated that you made me coffee this morning"),
                ("Sam", "Thank you for listening to me after my long day at work"),
                ("Ana", "I felt ignored when you were on your phone during dinner"),
                ("Sam", "I hear you and I am sorry it felt that way"),
                ("Sam", "No, not today"),
            ))]


def _answers(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM entries ORDER BY id")]


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("privacy_clips")


def test_as_a_service_no_answer_reaches_stdout_or_stderr(
    replies: ReplyBank, clips: Path, tmp_path: Path
) -> None:
    command, env, db = _unit(tmp_path)
    journal = tmp_path / "journal.txt"
    with open(journal, "w") as stream:  # the journal: one stream for stdout and stderr
        done = subprocess.run([*command, *_inputs(replies, clips)], stdout=stream,
                              stderr=subprocess.STDOUT, timeout=300, cwd=REPO,
                              env={**env, **SYSTEMD_SETS})
    logged = journal.read_text()
    assert done.returncode == 0, logged
    answers = _answers(db)
    assert len(answers) == 4, logged  # the check-in happened, every answer is in the database
    for answer in answers:
        assert answer.lower() not in logged.lower(), (answer, logged)
    assert "Ana:" not in logged and "Sam:" not in logged
    assert "checkin: check-in saved: 4 entries" in logged  # events, not words
    assert "assistant: " in logged  # what the assistant said is no secret


def test_piped_output_holds_no_answer_text_and_json_keeps_the_kinds(
    replies: ReplyBank, clips: Path, tmp_path: Path
) -> None:
    command, env, db = _unit(tmp_path)
    done = subprocess.run([*command, *_inputs(replies, clips), "--json"], capture_output=True,
                          text=True, timeout=300, cwd=REPO, env=env)
    assert done.returncode == 0, done.stderr
    answers = _answers(db)
    assert len(answers) == 4
    for answer in answers:
        assert answer.lower() not in (done.stdout + done.stderr).lower()
    assert '"kind": "unmet_need"' in done.stdout and '"text"' in done.stdout  # the assistant's
    assert '"category": "distracted"' in done.stdout


def test_on_a_terminal_the_couple_sees_their_answers(
    replies: ReplyBank, clips: Path, tmp_path: Path
) -> None:
    """The control: the same run on a terminal shows what was heard."""
    command, env, db = _unit(tmp_path)
    leader, follower = pty.openpty()
    seen: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        done = subprocess.run([*command, *_inputs(replies, clips)], stdout=follower,
                              stderr=follower, timeout=300, cwd=REPO, env=env)
    finally:
        os.close(follower)
        reader.join(timeout=60)
        os.close(leader)
    shown = b"".join(seen).decode("utf-8", "replace")
    assert done.returncode == 0, shown
    answers = _answers(db)
    assert answers and all(answer in shown for answer in answers)


def test_the_journal_counts_what_was_kept_and_first_picks_who_starts(
    replies: ReplyBank, clips: Path, tmp_path: Path
) -> None:
    """`listen --first Sam`: Sam is asked first; an answer taken back is not counted."""
    command, env, db = _unit(tmp_path)
    wake = spoken_file(clips, "wake", ("rms", "hey check in"))
    answers = [replies.say(partner, text) for partner, text in (
        ("Sam", "I appreciated that you made me toffee"),
        ("Sam", "No, that's not what I said"),
        ("Sam", "I appreciated that you made me coffee this morning"),
        ("Ana", "Thank you for listening to me after my long day at work"),
        ("Sam", "I felt ignored when you were on your phone during dinner"),
        ("Ana", "I hear you and I am sorry it felt that way"),
        ("Ana", "No, not today"),
    )]
    done = subprocess.run(
        [*command, "--once", "--mute", "--first", "Sam", "--replies", str(wake),
         *map(str, answers)],
        capture_output=True, text=True, timeout=300, cwd=REPO, env={**env, **SYSTEMD_SETS},
    )
    logged = done.stdout + done.stderr
    assert done.returncode == 0, logged
    assert len(_answers(db)) == 4, logged
    assert "checkin: check-in saved: 4 entries" in logged
    asked = [line for line in logged.splitlines() if line.startswith("assistant: ")]
    first_question = next(line for line in asked if "appreciate" in line.lower())
    assert first_question.startswith("assistant: Sam,"), asked


def test_listen_with_first_naming_neither_partner_says_so_before_waiting(tmp_path: Path) -> None:
    command, env, _ = _unit(tmp_path)
    done = subprocess.run([*command, "--once", "--mute", "--first", "Jo"], capture_output=True,
                          text=True, timeout=60, cwd=REPO, env=env)
    assert done.returncode == 2
    assert "Jo" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
