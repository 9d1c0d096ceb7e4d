"""First run: `checkin setup` (typed and spoken), and what the app says while no names are set.

All through the real CLI; the wake phrase and spoken answers are flite voices fed as --replies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from spoken_helpers import ReplyBank

from audio.wav import load_pcm16k, write_wav

REPO = Path(__file__).resolve().parent.parent

HAND_WRITTEN = """\
# Our check-in: keep these notes.
db = "{db}"   # on the shared drive
patient = true
partners = [
    "Partner A",
    "Partner B",
]
quiet_hours = "23:00-07:00"
"""


def checkin(*args: str, stdin: str = "", env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voice", *args], input=stdin, capture_output=True, text=True,
        timeout=300, cwd=REPO, env={**os.environ, **(env or {})},
    )


def config_path() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "checkin" / "config.toml"


def wake(replies: ReplyBank, partner: str) -> Path:
    """The wake phrase said on its own, with the pause after it that marks it so."""
    path = replies.folder / f"wake-{partner}.wav"
    if not path.exists():
        write_wav(path, load_pcm16k(replies.say(partner, "hey check in")) + bytes(16000))
    return path


def test_typed_setup_writes_names_and_reminder_and_keeps_the_hand_set_keys(
    replies: ReplyBank, tmp_path: Path
) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN.format(db=tmp_path / "our.db"))
    done = checkin("setup", "--text", "--replies", str(wake(replies, "Ana")),
                   str(wake(replies, "Sam")), stdin="Ana\nSam\n9:30 pm\n")
    assert done.returncode == 0, done.stderr
    config = tomllib.loads(path.read_text())
    assert config["partners"] == ["Ana", "Sam"] and config["reminder"] == "21:30"
    assert config["patient"] is True and config["quiet_hours"] == "23:00-07:00"
    text = path.read_text()
    assert text.startswith("# Our check-in: keep these notes.\n")
    assert '"   # on the shared drive' in text and "Partner A" not in text
    for name in ("Ana", "Sam"):  # how the recognizer spells each name is checked and said
        assert (f"I hear {name} well." in done.stdout
                or f"When {name} is said, I hear" in done.stdout)
        assert f"I heard you, {name}." in done.stdout  # the wake phrase woke it
        assert f"(level for {name}: ok" in done.stdout
    # From now on the names are the couple's: a check-in greets them, no --partners needed.
    typed = checkin("text", stdin="you made me coffee\n")
    assert typed.returncode == 0, typed.stderr
    assert "Ana" in typed.stdout.splitlines()[0] and "Partner" not in typed.stdout


def test_typed_setup_without_a_microphone_still_saves_the_names(tmp_path: Path) -> None:
    env = {"CHECKIN_CONFIG": str(tmp_path / "new" / "checkin.toml")}
    done = checkin("setup", "--text", stdin="Mia\nLeo\n\n", env=env)
    assert done.returncode == 0, done.stderr
    assert "No microphone found" in done.stdout
    saved = tomllib.loads((tmp_path / "new" / "checkin.toml").read_text())
    assert saved == {"partners": ["Mia", "Leo"]}
    assert (tmp_path / "new" / "checkin.toml").stat().st_mode & 0o077 == 0


def test_spoken_setup_checks_each_name_as_the_recognizer_spells_it(
    replies: ReplyBank, tmp_path: Path
) -> None:
    done = checkin(
        "setup", "--mute", "--replies",
        str(replies.say("Ana", "Kate")), str(replies.say("Ana", "no")),
        str(replies.say("Ana", "Grace")), str(replies.say("Ana", "yes")),
        str(replies.say("Sam", "David")), str(replies.say("Sam", "yes")),
        str(wake(replies, "Ana")), str(wake(replies, "Sam")),
        str(replies.say("Sam", "nine thirty")),
    )
    assert done.returncode == 0, done.stderr
    assert "I heard Grace, spelled G r a c e. Is that right?" in done.stdout
    assert done.stdout.count("Please say the name once more.") == 1  # "no" to the first try
    config = tomllib.loads(config_path().read_text())
    assert config == {"partners": ["Grace", "David"], "reminder": "21:30"}


@pytest.mark.parametrize("command", ["start", "listen", "text"])
def test_without_names_a_check_in_says_how_to_set_them(
    replies: ReplyBank, tmp_path: Path, command: str
) -> None:
    db = tmp_path / "c.db"
    args = [command, "--db", str(db)]
    if command != "text":
        args += ["--mute", "--replies", str(replies.say("Ana", "skip"))]
    done = checkin(*args, stdin="you made dinner\n")
    assert done.returncode == 2
    message = done.stderr.strip().splitlines()
    assert len(message) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "checkin setup" in message[0] and "--partners" in message[0]
    assert not db.exists()  # nothing ran as "Partner A"


def test_doctor_ends_with_the_next_step_until_names_are_set(tmp_path: Path) -> None:
    done = checkin("doctor", "--db", str(tmp_path / "c.db"))
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("ok: the app can run") and "checkin setup" in last
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('partners = ["Ana", "Sam"]\n')
    done = checkin("doctor", "--db", str(tmp_path / "c.db"))
    assert done.stdout.strip().splitlines()[-1] == "ok: the app can run"
