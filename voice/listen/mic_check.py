"""`checkin doctor --mic-test`: record a few seconds, judge the level, and try the wake phrase.

The recording comes from any FrameSource (the microphone, or a WAV file with
--audio-in), so the same check runs on a recording made elsewhere and in tests.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from audio.errors import AudioError
from audio.frames import FRAME_SAMPLES, SAMPLE_RATE, Frame, split_into_frames, to_samples
from audio.source import FrameSource

TEST_SECONDS = 3.0

WINDOW_S = 0.1
"""The loudness of speech is judged on its loudest 100 ms, not the average over the pauses."""

TOO_QUIET_DBFS = -35.0
"""Below this, in the loudest 100 ms, speech is too faint for the recognizer."""

FULL_SCALE = 32767

FLUSH_S = 1.0
"""Silence fed to the wake detector after the recording so a phrase at its very end counts."""

FLOOR_DBFS = -120.0
"""What digital silence is reported as (instead of minus infinity)."""

SILENT = "silent"
CLIPPING = "clipping"
TOO_QUIET = "too quiet"
OK = "ok"

ADVICE = {
    SILENT: "the microphone delivers only digital silence: unmute it or raise its input volume",
    CLIPPING: "the input is too loud and distorts: lower the input volume or move back a little",
    TOO_QUIET: "speak during the test; if you did, raise the input volume or move closer",
    OK: "the level is fine for speech",
}


@dataclass(frozen=True)
class Level:
    """How loud a recording is, and what to do about it."""

    peak_dbfs: float
    rms_dbfs: float
    loudest_dbfs: float
    """RMS of the loudest 100 ms: the level of the speech itself."""
    clipped_samples: int
    verdict: str
    """"ok", "clipping", "too quiet" or "silent"."""

    @property
    def advice(self) -> str:
        return ADVICE[self.verdict]


def _dbfs(value: float) -> float:
    return FLOOR_DBFS if value <= 0 else max(FLOOR_DBFS, 20 * math.log10(value / FULL_SCALE))


def measure(pcm: bytes) -> Level:
    """The level of 16 kHz mono int16 PCM, with a verdict."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    if samples.size == 0 or not samples.any():
        return Level(FLOOR_DBFS, FLOOR_DBFS, FLOOR_DBFS, 0, SILENT)
    peak = float(np.abs(samples).max())
    rms = float(np.sqrt(np.mean(samples**2)))
    window = to_samples(WINDOW_S)
    if samples.size < window:
        loudest = rms
    else:
        windows = samples[: samples.size - samples.size % window].reshape(-1, window)
        loudest = float(np.sqrt(np.mean(windows**2, axis=1)).max())
    clipped = int(np.count_nonzero(np.abs(samples) >= FULL_SCALE))
    # A couple of full-scale samples can be a click; sustained ones are distortion.
    if clipped >= max(2, samples.size // 10_000):
        verdict = CLIPPING
    elif _dbfs(loudest) < TOO_QUIET_DBFS:
        verdict = TOO_QUIET
    else:
        verdict = OK
    return Level(_dbfs(peak), _dbfs(rms), _dbfs(loudest), clipped, verdict)


def record(source: FrameSource, seconds: float = TEST_SECONDS) -> bytes:
    """Up to `seconds` of audio from `source` (less if its input ends first)."""
    wanted = to_samples(seconds)
    pcm = bytearray()
    source.listening_started()
    try:
        while len(pcm) // 2 < wanted:
            frame = source.read()
            if frame is None:
                break
            pcm += frame.pcm
    finally:
        source.listening_ended(False)
    return bytes(pcm[: wanted * 2])


class Detector(Protocol):
    """The part of the wake detector the test uses (voice.wake.detector.WakeDetector)."""

    def push(self, frame: Frame) -> Any: ...

    def reset(self) -> None: ...


def find_wake(pcm: bytes, detector: Detector) -> Any | None:
    """The first wake detection in `pcm` (a WakeDetection), or None."""
    detector.reset()
    padded = pcm + bytes(2 * to_samples(FLUSH_S))
    for frame in split_into_frames(padded, 0, FRAME_SAMPLES):
        detection = detector.push(frame)
        if detection is not None:
            return detection
    return None


@dataclass(frozen=True)
class MicTest:
    """The outcome of one microphone test."""

    seconds: float
    level: Level
    wake_phrase: str
    wake_at_s: float | None
    """Where the wake phrase was detected, in seconds into the recording; None if not heard."""

    def as_json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "peak_dbfs": round(self.level.peak_dbfs, 1),
            "rms_dbfs": round(self.level.rms_dbfs, 1),
            "loudest_dbfs": round(self.level.loudest_dbfs, 1),
            "clipped_samples": self.level.clipped_samples,
            "verdict": self.level.verdict,
            "advice": self.level.advice,
            "wake_phrase": self.wake_phrase,
            "wake_heard": self.wake_at_s is not None,
            "wake_at_s": None if self.wake_at_s is None else round(self.wake_at_s, 2),
        }

    def lines(self) -> list[str]:
        level = self.level
        heard = (f"heard \"{self.wake_phrase}\" at {self.wake_at_s:.1f} s"
                 if self.wake_at_s is not None
                 else f"not heard: say \"{self.wake_phrase}\" during the test")
        return [
            f"recorded:    {self.seconds:.1f} s",
            f"level:       peak {level.peak_dbfs:.1f} dBFS, RMS {level.rms_dbfs:.1f} dBFS, "
            f"loudest 0.1 s {level.loudest_dbfs:.1f} dBFS",
            f"verdict:     {level.verdict}: {level.advice}",
            f"wake phrase: {heard}",
        ]


def run_mic_test(
    source: FrameSource,
    detector: Detector,
    wake_phrase: str,
    seconds: float = TEST_SECONDS,
    on_start: Callable[[], None] | None = None,
) -> MicTest:
    """Record from `source`, measure the level and look for the wake phrase."""
    if on_start is not None:
        on_start()
    pcm = record(source, seconds)
    detection = find_wake(pcm, detector)
    return MicTest(
        seconds=len(pcm) / 2 / SAMPLE_RATE,
        level=measure(pcm),
        wake_phrase=wake_phrase,
        wake_at_s=None if detection is None else float(detection.t),
    )


def doctor_mic_test(
    wake_phrase: str, mic: str | None, audio_in: Path | None, as_json: bool
) -> None:
    """`checkin doctor --mic-test`: test the microphone (or a recording) and print the result."""
    import click

    if audio_in is not None:
        from audio.sources import WavFileSource

        source: FrameSource = WavFileSource(audio_in)
    else:
        source = open_microphone(mic)
    try:
        from voice.wake.detector import WakeDetector

        result = run_mic_test(
            source, WakeDetector(wake_phrase), wake_phrase,
            on_start=None if audio_in is not None or as_json else lambda: click.echo(
                f"Recording {TEST_SECONDS:g} seconds: say \"{wake_phrase}\" as you would "
                "from the sofa…"
            ),
        )
    finally:
        source.close()
    if as_json:
        click.echo(json.dumps({"mic_test": result.as_json()}, indent=2))
    else:
        for line in result.lines():
            click.echo(line)


def open_microphone(mic: str | None) -> FrameSource:
    """The microphone to test; without one, an AudioError saying what to do instead."""
    from audio.mic import DEVICE_HINT, MicSource, resolve_device

    try:
        return MicSource(resolve_device(mic))
    except AudioError as error:
        why = str(error).replace(f"; {DEVICE_HINT}", "")
        raise AudioError(
            f"no microphone to test ({why}); plug one in (pick it with --mic NAME), or test "
            "a recording with `checkin doctor --mic-test --audio-in FILE.wav`"
        ) from error
