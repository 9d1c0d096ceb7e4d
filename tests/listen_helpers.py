"""Helpers for the hands-free tests: spoken request WAVs, a fake device stream, quiet edges.

Everything produces real audio: flite speech joined with pauses, a fake
PortAudio stream that delivers real int16 blocks (then falls silent, as an
unplugged device does), and a renderer that "speaks" real frames of a length
that follows the text, for loop tests that need no TTS engine.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio.frames import SAMPLE_RATE
from audio.mic import MicSource
from audio.wav import load_pcm16k, write_wav

PAUSE_AFTER_WAKE_S = 1.2
"""People wait for the chime before asking; the request follows the wake phrase after this."""

LOST_AFTER_S = 0.05
"""How long the fake device may stay quiet before MicSource calls it lost (a queue timeout)."""


def flite_pcm(folder: Path, voice: str, text: str) -> bytes:
    safe = "".join(c if c.isalnum() else "_" for c in text)[:50]
    path = folder / f"{voice}-{safe}.wav"
    if not path.exists():
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True)
    return load_pcm16k(path)


def quiet(seconds: float) -> bytes:
    return bytes(2 * round(seconds * SAMPLE_RATE))


def spoken_file(folder: Path, name: str, *parts: tuple[str, str], pause_s: float = 0.0) -> Path:
    """One WAV of (voice, text) parts joined by `pause_s` of silence, with a little air around."""
    path = folder / f"{name}.wav"
    if not path.exists():
        pieces = [quiet(0.3)]
        for index, (voice, text) in enumerate(parts):
            if index:
                pieces.append(quiet(pause_s))
            pieces.append(flite_pcm(folder, voice, text))
        pieces.append(quiet(0.3))
        write_wav(path, b"".join(pieces))
    return path


class TextLengthRenderer:
    """Stands in for TTS: low noise lasting 40 ms per character of the text."""

    def render(self, text: str) -> bytes:
        rng = np.random.default_rng(len(text))
        samples = rng.normal(0.0, 30.0, round(0.04 * SAMPLE_RATE) * max(1, len(text)))
        return np.clip(samples, -32768, 32767).astype("<i2").tobytes()


@dataclass
class Status:
    input_overflow: bool = False


class FakeInputStream:
    """Like sounddevice.InputStream: delivers its blocks to the callback, then falls silent."""

    def __init__(self, blocks: Iterable[np.ndarray], **settings: Any) -> None:
        if settings["dtype"] != "int16":
            raise ValueError("the fake device only records int16")
        self.settings = settings
        self._blocks = blocks

    def start(self) -> None:
        for block in self._blocks:
            self.settings["callback"](block, len(block), None, Status())

    def stop(self) -> None:
        """Nothing to stop."""

    def close(self) -> None:
        """Nothing to release."""


def _blocks(pcm: bytes, size: int = 512) -> Iterator[np.ndarray]:
    samples = np.frombuffer(pcm, dtype="<i2")
    for start in range(0, samples.size, size):
        yield samples[start : start + size, None].copy()


def fake_mic(pcm: bytes) -> MicSource:
    """A MicSource whose device delivers `pcm` (16 kHz mono) and then stops."""

    def factory(**settings: Any) -> FakeInputStream:
        return FakeInputStream(_blocks(pcm), **settings)

    return MicSource(stream_factory=factory, lost_after_s=LOST_AFTER_S, samplerate=SAMPLE_RATE,
                     channels=1)


def room_noise(seconds: float, level: float = 60.0, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    samples = rng.normal(0.0, level, round(seconds * SAMPLE_RATE))
    return np.clip(samples, -32768, 32767).astype("<i2").tobytes()
