"""`checkin doctor --mic-test`: the level verdicts, the wake phrase, and no microphone at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from listen_helpers import fake_mic, flite_pcm, quiet, room_noise

from audio.frames import SAMPLE_RATE
from audio.wav import write_wav
from voice.listen.mic_check import CLIPPING, OK, SILENT, TOO_QUIET, measure, record


def scaled(pcm: bytes, gain: float) -> bytes:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) * gain
    return np.clip(np.rint(samples), -32768, 32767).astype("<i2").tobytes()


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("mic_test")
    return quiet(0.4) + flite_pcm(folder, "rms", "hey check in") + quiet(1.0)


def doctor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voice", "doctor", "--mic-test", *args],
        capture_output=True, text=True, timeout=120, env=dict(os.environ),
    )


def test_speech_at_a_normal_level_is_ok(speech: bytes) -> None:
    level = measure(speech)
    assert level.verdict == OK
    assert -30.0 < level.loudest_dbfs < -3.0
    assert level.rms_dbfs < level.loudest_dbfs <= level.peak_dbfs < 0.0


def test_speech_turned_up_until_it_distorts_is_clipping(speech: bytes) -> None:
    level = measure(scaled(speech, 12.0))
    assert level.verdict == CLIPPING and level.clipped_samples > 100
    assert level.peak_dbfs == pytest.approx(0.0, abs=0.01)


def test_faint_speech_and_an_empty_room_are_too_quiet(speech: bytes) -> None:
    assert measure(scaled(speech, 0.01)).verdict == TOO_QUIET
    assert measure(room_noise(3.0, level=20.0)).verdict == TOO_QUIET


def test_digital_zeros_are_silent() -> None:
    level = measure(quiet(3.0))
    assert level.verdict == SILENT and "unmute" in level.advice


def test_three_seconds_are_recorded_from_the_device(speech: bytes) -> None:
    mic = fake_mic(speech + room_noise(5.0))
    pcm = record(mic, 3.0)
    mic.close()
    assert len(pcm) == 2 * 3 * SAMPLE_RATE
    assert pcm[: 2 * 16000] == speech[: 2 * 16000]


def test_the_cli_reports_level_and_the_wake_phrase_of_a_recording(
    speech: bytes, tmp_path: Path
) -> None:
    recording = tmp_path / "sofa.wav"
    write_wav(recording, speech)
    done = doctor("--audio-in", str(recording), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["mic_test"]
    assert report["verdict"] == "ok" and report["wake_heard"] is True
    assert 0.4 < report["wake_at_s"] < 3.0
    plain = doctor("--audio-in", str(recording))
    assert "verdict:     ok" in plain.stdout and 'heard "hey check in"' in plain.stdout


def test_the_cli_says_when_the_wake_phrase_was_not_heard(tmp_path: Path) -> None:
    folder = tmp_path
    recording = folder / "other.wav"
    write_wav(recording, scaled(flite_pcm(folder, "slt", "hey jack come in"), 0.02))
    done = doctor("--audio-in", str(recording))
    assert done.returncode == 0, done.stderr
    assert "verdict:     too quiet" in done.stdout
    assert 'not heard: say "hey check in"' in done.stdout


def test_without_a_microphone_one_clear_line_and_exit_2() -> None:
    done = doctor("--mic", "no such microphone")
    assert done.returncode == 2
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert message.startswith("checkin: no microphone to test")
    assert "--audio-in FILE.wav" in message
