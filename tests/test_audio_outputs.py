"""WAV outputs (session timeline, --say-to) and the no-speaker fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audio.errors import AudioError
from audio.frames import Frame, to_samples
from audio.playback import NoSpeaker
from audio.wav import read_wav
from audio.wavout import AppendingWavWriter, TimelineWavWriter


def _pcm(value: int, samples: int) -> bytes:
    return np.full(samples, value, "<i2").tobytes()


def test_timeline_places_frames_at_their_clock_positions(tmp_path: Path) -> None:
    path = tmp_path / "session.wav"
    with TimelineWavWriter(path) as writer:
        writer.write(Frame(_pcm(100, 480), 0))
        writer.write(Frame(_pcm(200, 480), to_samples(1.0)))  # a second of silence between
        writer.write(Frame(_pcm(300, 480), to_samples(1.0) + 240))  # overlaps: overlap dropped
    samples = np.frombuffer(read_wav(path).pcm, "<i2")
    assert samples.size == to_samples(1.0) + 240 + 480
    assert (samples[:480] == 100).all()
    assert not samples[480 : to_samples(1.0)].any()
    assert (samples[to_samples(1.0) : to_samples(1.0) + 480] == 200).all()
    assert (samples[-240:] == 300).all()


def test_appending_writer_puts_speech_back_to_back(tmp_path: Path) -> None:
    path = tmp_path / "said.wav"
    writer = AppendingWavWriter(path)
    writer.write(_pcm(5, 100))
    # The header is valid after every write: an interrupted run leaves a playable file.
    assert read_wav(path).pcm == _pcm(5, 100)
    writer.write(_pcm(7, 50))
    writer.close()
    audio = read_wav(path)
    assert audio.pcm == _pcm(5, 100) + _pcm(7, 50)
    assert audio.warnings == []


def test_unwritable_output_is_an_audio_error(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="cannot write"):
        AppendingWavWriter(tmp_path / "missing-dir" / "x.wav")


def test_no_speaker_is_an_audio_error_the_cli_can_fall_back_on() -> None:
    assert issubclass(NoSpeaker, AudioError)
