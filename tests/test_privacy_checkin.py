"""Nothing leaves the machine and no audio is kept: a whole spoken check-in, checked from outside.

The check-in runs as the real `checkin start` with a sitecustomize.py on
PYTHONPATH that makes every socket connection and name lookup fail, in that
process and in every Python child it starts (the TTS and recognizer workers).
Each process that loaded the block writes its pid to a marker file, so the
test knows the block was really active.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from spoken_helpers import ReplyBank

REPO = Path(__file__).resolve().parent.parent
AUDIO_SUFFIXES = {".wav", ".raw", ".pcm", ".flac", ".ogg", ".mp3"}

NO_NETWORK = textwrap.dedent(
    """
    import os, socket

    def _refuse(*args, **kwargs):
        with open(os.environ["NO_NETWORK_ATTEMPTS"], "a") as log:
            log.write(f"{os.getpid()} {args[:2]!r}\\n")
        raise OSError("network blocked by the privacy test")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.socket.sendto = _refuse
    socket.getaddrinfo = _refuse
    socket.gethostbyname = _refuse
    socket.create_connection = _refuse
    with open(os.environ["NO_NETWORK_MARKER"], "a") as marker:
        marker.write(f"{os.getpid()}\\n")
    """
)


def test_a_whole_check_in_makes_no_connection_and_keeps_no_audio(
    replies: ReplyBank, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(NO_NETWORK)
    marker, attempts, scratch = tmp_path / "marker", tmp_path / "attempts", tmp_path / "tmp"
    scratch.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(blocker), str(REPO)]),
        "NO_NETWORK_MARKER": str(marker),
        "NO_NETWORK_ATTEMPTS": str(attempts),
        "TMPDIR": str(scratch),
    }
    run = subprocess.run(
        [sys.executable, "-m", "voice", "start", "--partners", "Ana,Sam", "--mute", "--json",
         "--replies",
         str(replies.say("Ana", "I appreciated that you made me coffee this morning")),
         str(replies.say("Sam", "Thank you for listening to me after my long day at work")),
         str(replies.say("Ana", "I felt ignored when you were on your phone during dinner")),
         str(replies.say("Sam", "I hear you and I am sorry it felt that way"))],
        capture_output=True, text=True, timeout=300, cwd=REPO, env=env,
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert len(summary["entries"]) >= 3
    # The block was active in the app and in its worker processes (TTS, recognizer)...
    pids = set(marker.read_text().split())
    assert len(pids) >= 3, pids
    # ...and nothing even tried to connect.
    assert not attempts.exists(), attempts.read_text()

    home = Path(os.environ["HOME"])
    data = Path(os.environ["XDG_DATA_HOME"]) / "checkin"
    db = data / "checkin.db"
    assert db.is_file()
    kept_audio = [p for p in [*home.rglob("*"), *scratch.rglob("*")]
                  if p.suffix.lower() in AUDIO_SUFFIXES]
    assert kept_audio == []
    # The TTS worker's temporary prompts are gone too (PulseAudio may leave an empty runtime dir).
    # onnxruntime (Whisper's VAD) writes one stamp, `.ses`: a launch time and a random id, no
    # audio and no words; test_native_code_makes_no_connection shows it never leaves the box.
    left = [p for p in scratch.rglob("*") if p.is_file() and p.name != ".ses"]
    assert left == []
    with sqlite3.connect(db) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = connection.execute(f"PRAGMA table_info({table})").fetchall()
            assert not [c for c in columns if "BLOB" in str(c[2]).upper()], (table, columns)
            for column in columns:
                blobs = connection.execute(
                    f'SELECT count(*) FROM "{table}" WHERE typeof("{column[1]}") = \'blob\''
                ).fetchone()[0]
                assert blobs == 0, (table, column[1])


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_native_code_makes_no_connection(tmp_path: Path) -> None:
    """The Python-level block above cannot see C++ sockets (onnxruntime carries a telemetry
    SDK): strace watches every connect() of the default ear's process tree instead."""
    trace = tmp_path / "trace.txt"
    wav = Path(__file__).parent / "data" / "real_speech" / "goforward.wav"
    run = subprocess.run(
        ["strace", "-f", "-e", "trace=connect", "-o", str(trace),
         sys.executable, "-m", "voice", "transcribe", str(wav)],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "Whisper" in run.stderr
    network = [line for line in trace.read_text().splitlines()
               if "connect(" in line and "AF_UNIX" not in line and "resumed" not in line]
    assert network == []
