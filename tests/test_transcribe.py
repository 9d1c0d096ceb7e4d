"""`checkin transcribe` through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from recognizer_helpers import synthesize


def run_checkin(*args: str) -> subprocess.CompletedProcess[str]:
    checkin = str(Path(sys.executable).parent / "checkin")
    return subprocess.run([checkin, *args], capture_output=True, text=True)


@pytest.fixture(scope="session")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("transcribe")
    speech = synthesize(folder, "rms", "thank you for the coffee this morning")  # 8 kHz flite
    silence = folder / "silence.wav"
    with wave.open(str(silence), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44_100)
        out.writeframes(bytes(44_100 * 4))
    broken = folder / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00")
    return {"speech": speech, "silence": silence, "broken": broken}


def test_json_has_one_object_per_file(files) -> None:
    result = run_checkin("transcribe", "--engine", "pocketsphinx", "--json",
                         str(files["speech"]), str(files["silence"]))
    assert result.returncode == 0, result.stderr
    speech, silence = (json.loads(line) for line in result.stdout.splitlines())
    assert "coffee" in speech["text"] and speech["engine"] == "pocketsphinx"
    assert speech["audio_s"] > 1.5 and speech["decode_s"] > 0
    assert silence["text"] == "" and silence["audio_s"] == 1.0
    assert "PocketSphinx" in result.stderr


def test_plain_text_for_one_file(files) -> None:
    result = run_checkin("transcribe", str(files["speech"]))
    assert result.returncode == 0
    assert "coffee" in result.stdout
    # The default install brings Whisper tiny.en, and auto takes it.
    assert "Using Whisper" in result.stderr


def test_a_bad_wav_is_one_line_and_exit_2(files) -> None:
    result = run_checkin("transcribe", "--engine", "pocketsphinx", str(files["broken"]))
    assert result.returncode == 2
    assert "broken.wav" in result.stderr and "Traceback" not in result.stderr


def test_forced_vosk_with_a_missing_model_exits_2(files, tmp_path) -> None:
    result = run_checkin("transcribe", "--engine", "vosk", "--model", str(tmp_path / "none"),
                         str(files["speech"]))
    assert result.returncode == 2
    assert str(tmp_path / "none") in result.stderr and "checkin model download" in result.stderr


def test_help_shows_an_example() -> None:
    for args in (["transcribe", "-h"], ["model", "-h"], ["model", "download", "-h"]):
        assert "Example:" in run_checkin(*args).stdout
