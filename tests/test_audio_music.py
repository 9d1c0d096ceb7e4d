"""Music is not speech: real flite/espeak-ng sentences against synthesized music."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from audio.music import sounds_like_music
from audio.wav import load_pcm16k

RATE = 16_000


def notes(pitches: list[float], seconds: float, vibrato: float = 0.0) -> bytes:
    t = np.arange(int(RATE * seconds)) / RATE
    out = np.zeros_like(t)
    step = seconds / len(pitches)
    for index, pitch in enumerate(pitches):
        part = (t >= index * step) & (t < (index + 1) * step)
        local = t[part] - index * step
        frequency = pitch * (1 + vibrato * np.sin(2 * np.pi * 5 * local))
        phase = 2 * np.pi * np.cumsum(frequency) / RATE
        for harmonic in range(1, 6):
            out[part] += np.exp(-2 * local) * np.sin(harmonic * phase) / harmonic
    return (out / np.abs(out).max() * 9000).astype("<i2").tobytes()


@pytest.mark.parametrize(
    "pcm",
    [
        notes([262, 330, 392, 523, 392, 330], 3.0),  # a plain melody
        notes([330, 392, 440, 494, 440, 392], 3.0, vibrato=0.01),  # sung-like, with vibrato
        notes([220, 220, 247, 262], 4.0),  # slow held notes
    ],
)
def test_music_is_recognised(pcm: bytes) -> None:
    assert sounds_like_music(pcm)


@pytest.mark.parametrize(
    ("tool", "voice"),
    [("flite", "slt"), ("flite", "rms"), ("flite", "awb"), ("flite", "kal16"),
     ("espeak-ng", "en-us"), ("espeak-ng", "en+m7")],
)
def test_speech_is_not_music(tool: str, voice: str, tmp_path: Path) -> None:
    path = tmp_path / "speech.wav"
    text = "I appreciated that you made me coffee this morning and it really helped"
    if tool == "flite":
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True)
    else:
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
    assert not sounds_like_music(load_pcm16k(path))


def test_a_short_sound_is_left_to_the_recognizer() -> None:
    assert not sounds_like_music(notes([440], 0.3))
