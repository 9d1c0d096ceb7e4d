"""The one frame type and the audio clock.

All time in the app is audio time: a position is a count of samples at
SAMPLE_RATE since the session's stream began (samples heard plus samples the
assistant spoke). Wall-clock time is never used, so a check-in driven from WAV
files runs as fast as the CPU allows with exactly the timeline it would have live.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
"""Samples per second of every frame in the app."""

SAMPLE_WIDTH = 2
"""Bytes per sample (signed 16-bit little-endian)."""

FRAME_SAMPLES = 480
"""Default block size: 30 ms, small enough for snappy endpointing."""


def to_seconds(samples: int) -> float:
    """Convert a sample count on the audio clock to seconds."""
    return samples / SAMPLE_RATE


def to_samples(seconds: float) -> int:
    """Convert seconds to a sample count on the audio clock (rounded)."""
    return int(round(seconds * SAMPLE_RATE))


@dataclass(frozen=True, slots=True)
class Frame:
    """A block of 16 kHz mono int16 PCM, stamped with its place on the audio clock."""

    pcm: bytes
    """Little-endian signed 16-bit samples, mono, at SAMPLE_RATE."""

    start: int
    """Sample position of the first sample on the audio clock."""

    @property
    def n_samples(self) -> int:
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def end(self) -> int:
        """Sample position just after the last sample."""
        return self.start + self.n_samples

    @property
    def start_s(self) -> float:
        return to_seconds(self.start)

    @property
    def end_s(self) -> float:
        return to_seconds(self.end)

    def samples(self) -> np.ndarray:
        """The samples as a read-only int16 array (no copy)."""
        return np.frombuffer(self.pcm, dtype="<i2")



def split_into_frames(pcm: bytes, start: int = 0, block: int = FRAME_SAMPLES) -> list[Frame]:
    """Cut continuous 16 kHz mono int16 PCM into frames stamped from `start`."""
    step = block * SAMPLE_WIDTH
    return [
        Frame(pcm[offset : offset + step], start + offset // SAMPLE_WIDTH)
        for offset in range(0, len(pcm), step)
    ]
