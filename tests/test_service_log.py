"""The service's journal: with CHECKIN_LOG=info (as the unit sets it) `listen` logs its state
changes, and no log line carries a word anyone said."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from listen_helpers import spoken_file
from spoken_helpers import ReplyBank

from voice.listen.service_unit import unit_text

ANSWERS = (
    ("Ana", "I appreciated that you made me coffee this morning"),
    ("Sam", "Thank you for listening to me after my long day at work"),
)


def test_the_unit_turns_the_state_log_on() -> None:
    assert "Environment=CHECKIN_LOG=info" in unit_text(["checkin", "listen"], {})


def test_listen_logs_state_changes_and_never_what_was_said(
    replies: ReplyBank, tmp_path: Path
) -> None:
    files = [spoken_file(tmp_path, "wake", ("rms", "hey check in"))]
    files += [replies.say(partner, text) for partner, text in ANSWERS]
    run = subprocess.run(
        [sys.executable, "-m", "voice", "listen", "--once", "--partners", "Ana,Sam",
         "--db", str(tmp_path / "checkin.db"), "--mute", "--replies", *map(str, files)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "CHECKIN_LOG": "info"},
    )
    assert run.returncode == 0, run.stderr
    logged = [line for line in run.stderr.splitlines() if line.startswith("checkin: checkin.")]
    assert any("woke at" in line for line in logged), run.stderr
    assert any("check-in started" in line for line in logged), run.stderr
    assert any("ended" in line and "entries=2" in line for line in logged), run.stderr
    said = {word for _, text in ANSWERS for word in text.lower().split() if len(word) > 4}
    for line in logged:
        assert not said & set(line.lower().split()), line
