"""File, replies and generator sources: the clock, half-duplex skips, replies in order, the end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audio_helpers import flite_wav, rms, write_pcm

from audio.errors import AudioError
from audio.frames import (
    FRAME_SAMPLES,
    SAMPLE_RATE,
    Frame,
    split_into_frames,
    to_samples,
    to_seconds,
)
from audio.sources import NoiseSource, RepliesSource, SilenceSource, WavFileSource
from audio.wav import load_pcm16k


@pytest.fixture(scope="session")
def reply_wavs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("replies")
    texts = ["hey check in", "I appreciated the coffee", "no, I felt heard"]
    return [flite_wav(folder / f"reply{i}.wav", text, "slt") for i, text in enumerate(texts)]


def _drain(source: WavFileSource | SilenceSource | NoiseSource) -> list[Frame]:
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    return frames


def test_clock_arithmetic() -> None:
    assert to_samples(1.5) == 24_000
    assert to_seconds(480) == pytest.approx(0.03)
    frames = split_into_frames(bytes(2 * 1000), start=160, block=480)
    assert [(f.start, f.end) for f in frames] == [(160, 640), (640, 1120), (1120, 1160)]
    assert frames[1].start_s == pytest.approx(0.04)


def test_wav_file_source_is_one_continuous_stream(reply_wavs: list[Path]) -> None:
    source = WavFileSource(reply_wavs[1])
    frames = _drain(source)
    assert frames[0].start == 0
    assert all(a.end == b.start for a, b in zip(frames, frames[1:], strict=False))
    assert b"".join(f.pcm for f in frames) == load_pcm16k(reply_wavs[1])
    assert source.read() is None


def test_wav_file_skip_drops_what_was_said_while_the_assistant_spoke(tmp_path: Path) -> None:
    # Half-duplex: one second of tone is "spoken" into the room while the assistant talks.
    pcm = np.zeros(3 * SAMPLE_RATE, dtype="<i2")
    pcm[SAMPLE_RATE : 2 * SAMPLE_RATE] = 8000
    source = WavFileSource(write_pcm(tmp_path / "talk.wav", pcm.tobytes()))
    source.read()
    source.skip_to(2 * SAMPLE_RATE)
    frames = _drain(source)
    assert frames[0].start >= 2 * SAMPLE_RATE
    assert all(not f.samples().any() for f in frames)
    source.skip_to(0)  # the clock never runs backwards
    assert source.position == 3 * SAMPLE_RATE


def test_replies_are_fed_in_order_one_per_listening_and_the_input_ends(
    reply_wavs: list[Path],
) -> None:
    source = RepliesSource(reply_wavs, seed=1)
    expected = [load_pcm16k(p) for p in reply_wavs]
    position = 0
    for index, reply in enumerate(expected):
        # The room is quiet while the assistant is not listening.
        quiet = source.read()
        assert quiet is not None and rms(quiet.pcm) < 0.01
        source.skip_to(quiet.end + SAMPLE_RATE)  # the assistant speaks for a second
        source.listening_started()
        heard = b""
        while len(heard) < len(reply):
            frame = source.read()
            assert frame is not None
            assert frame.start >= position
            position = frame.end
            heard += frame.pcm
        assert heard[: len(reply)] == reply
        tail = source.read()
        assert tail is not None and rms(tail.pcm) < 0.01  # room noise after the file
        assert source.replies_fed == index + 1
        assert source.read() is not None  # still listening: no end yet
        source.listening_ended(heard=True)
    assert source.read() is None
    assert source.exhausted


def test_replies_listening_without_files_left_hears_only_the_room(reply_wavs: list[Path]) -> None:
    source = RepliesSource(reply_wavs[:1])
    source.listening_started()
    while (frame := source.read()) is not None and frame.end < to_samples(2.0):
        pass
    # An interrupted reply (e.g. the wake phrase was found early) is dropped, and the run ends.
    source.listening_ended(heard=True)
    assert source.read() is None


def test_replies_noise_is_deterministic(reply_wavs: list[Path]) -> None:
    def first_frames(seed: int) -> bytes:
        source = RepliesSource(reply_wavs, seed=seed)
        return b"".join(source.read().pcm for _ in range(5))  # type: ignore[union-attr]

    assert first_frames(3) == first_frames(3)
    assert first_frames(3) != first_frames(4)


def test_replies_check_every_file_before_anything_runs(
    reply_wavs: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio at all")
    with pytest.raises(AudioError, match="bad.wav"):
        RepliesSource([reply_wavs[0], bad])
    with pytest.raises(AudioError, match="--replies"):
        RepliesSource([])


def test_silence_source_ends_on_the_clock_including_skipped_time() -> None:
    source = SilenceSource(seconds=1.0)
    first = source.read()
    assert first is not None and first.pcm == bytes(2 * FRAME_SAMPLES)
    source.skip_to(to_samples(0.5))
    frames = _drain(source)
    assert frames[0].start == to_samples(0.5)
    assert frames[-1].end == SAMPLE_RATE


def test_noise_source_levels_and_determinism() -> None:
    room = b"".join(f.pcm for f in _drain(NoiseSource(level=0.01, seconds=1.0, seed=5)))
    again = b"".join(f.pcm for f in _drain(NoiseSource(level=0.01, seconds=1.0, seed=5)))
    assert room == again
    assert rms(room) == pytest.approx(0.01, rel=0.05)
    hum = b"".join(f.pcm for f in _drain(NoiseSource(level=0.05, seconds=1.0, kind="hum")))
    assert rms(hum) == pytest.approx(0.05, rel=0.05)
    spectrum = np.abs(np.fft.rfft(np.frombuffer(hum, "<i2")))
    assert np.argmax(spectrum) == 50  # 1 s of audio: bin index is Hz
