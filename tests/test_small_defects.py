"""Smaller defects found by running the app as a new user: each through the real CLI or script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from audio_helpers import encoded

from audio.wav import write_wav

REPO = Path(__file__).resolve().parent.parent


def checkin(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "voice", *args], capture_output=True,
                          text=True, timeout=300, cwd=REPO)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if not line.startswith(
        ("checkin: Using", "Using"))]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["transcribe", "start"])
def test_a_model_folder_that_does_not_exist_is_an_error_not_a_fallback(
    tmp_path: Path, command: str
) -> None:
    missing = tmp_path / "vosk-model-small-en-us-0.15"
    write_wav(tmp_path / "x.wav", bytes(32000))
    args = [command, "--model", str(missing)]
    args += [str(tmp_path / "x.wav")] if command == "transcribe" else [
        "--partners", "Ana,Sam", "--db", str(tmp_path / "c.db"), "--mute",
        "--audio-in", str(tmp_path / "x.wav")]
    line = one_line(checkin(*args))
    assert str(missing) in line and "does not exist" in line
    assert "English" not in line and "PocketSphinx" not in line
    assert not (tmp_path / "c.db").exists()


SPOKEN = REPO / "tests" / "data" / "real_speech" / "goforward.wav"
"""A real recording (pocketsphinx's test data: "go forward ten meters")."""


@pytest.mark.parametrize(("codec", "container", "name"), [
    ("libmp3lame", "mp3", "answer.wav"), ("flac", "flac", "answer.flac"),
    ("libopus", "ogg", "memo.ogg")], ids=["mp3-renamed-wav", "flac", "ogg-opus"])
def test_a_recording_in_another_format_is_heard_as_its_wav_is(
    tmp_path: Path, codec: str, container: str, name: str
) -> None:
    """Phone memos and podcast files are not WAVs; PyAV (with faster-whisper) decodes them."""
    other = encoded(SPOKEN, tmp_path / name, codec, container)
    heard = checkin("transcribe", "--engine", "pocketsphinx", str(other))
    assert heard.returncode == 0, heard.stderr
    wav = checkin("transcribe", "--engine", "pocketsphinx", str(SPOKEN))
    words, expected = set(heard.stdout.split()), set(wav.stdout.split())
    assert len(expected) >= 3 and len(words & expected) >= len(expected) - 1


@pytest.mark.parametrize("head", [b"ID3\x04\x00\x00\x00\x00\x00\x00", b"fLaC"],
                         ids=["id3-tagged", "flac"])
def test_a_broken_file_of_another_format_gets_a_command_that_works(
    tmp_path: Path, head: bytes
) -> None:
    song = tmp_path / "answer.wav"
    song.write_bytes(head + bytes(range(256)) * 8)
    line = one_line(checkin("transcribe", "--engine", "pocketsphinx", str(song)))
    assert "file, not a WAV" in line
    assert f"ffmpeg -i {song} -ar 16000 -ac 1 {tmp_path / 'answer-16k.wav'}" in line
    assert "sox" not in line


# ------------------------------------------------------------------ ./quickstart

FAKE = """#!/bin/sh
echo "$(basename "$0") $*" >> "$CALLS"
"""


def fake_clone(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the quickstart script in a clone whose venv and Debian tools only log calls."""
    clone = tmp_path / "clone"
    (clone / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(REPO / "quickstart", clone / "quickstart")
    (clone / "pyproject.toml").write_text("")
    tools = tmp_path / "bin"
    tools.mkdir()
    for folder, name in [(clone / ".venv" / "bin", "python"), (clone / ".venv" / "bin", "ruff"),
                         (clone / ".venv" / "bin", "mypy"), (tools, "apt-get"), (tools, "sudo")]:
        (folder / name).write_text(FAKE)
        (folder / name).chmod(0o755)
    installed = FAKE + 'printf "install ok installed"\n'
    (tools / "dpkg-query").write_text(installed)
    (tools / "dpkg-query").chmod(0o755)
    env = {"PATH": f"{tools}:/usr/bin:/bin", "CALLS": str(tmp_path / "calls"),
           "HOME": str(tmp_path)}
    return clone, env


def calls(tmp_path: Path) -> list[str]:
    path = tmp_path / "calls"
    return path.read_text().splitlines() if path.exists() else []


def test_an_unknown_job_prints_the_usage_before_installing_anything(tmp_path: Path) -> None:
    clone, env = fake_clone(tmp_path)
    done = subprocess.run([str(clone / "quickstart"), "demoo"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: ./quickstart")
    assert calls(tmp_path) == []  # no dpkg-query, no apt-get, no pip


def test_lint_on_a_fresh_clone_installs_ruff_and_mypy_first(tmp_path: Path) -> None:
    clone, env = fake_clone(tmp_path)
    done = subprocess.run([str(clone / "quickstart"), "lint"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    logged = calls(tmp_path)
    install = next(i for i, call in enumerate(logged) if "pip install -q -e" in call)
    assert logged[install] == "python -m pip install -q -e .[dev]"
    ruff = logged.index("ruff check .")
    assert install < ruff and logged[-1].startswith("mypy ")
    assert os.path.exists(clone / ".venv" / ".installed-lint")


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("3", "3")])
def test_the_app_runs_numpy_on_one_blas_thread_unless_told_otherwise(
        given: str | None, expected: str) -> None:
    """OpenBLAS's spinning worker threads cost the wake detector a third of its CPU; the app
    limits them before numpy loads (voice/__init__.py), and a user's own setting wins."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    code = "import voice.cli, os, numpy; print(os.environ['OPENBLAS_NUM_THREADS'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == expected
