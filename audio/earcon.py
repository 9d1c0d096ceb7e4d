"""Earcons: short, gentle tones that tell the couple the assistant heard them or is listening.

They are synthesized here with numpy (no sound file to ship or download) as
16 kHz mono int16 PCM, the same as rendered speech, so they go out through the
assistant's voice output on the audio clock and half-duplex covers them too.
Soft sine notes with raised-cosine edges: no clicks, and well below speech level.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from audio.frames import SAMPLE_RATE

EDGE_S = 0.02
"""Fade in and out of each note: long enough that no click is heard."""


@dataclass(frozen=True)
class Note:
    """One note of an earcon: pitch, when it starts in the earcon, how long, how loud."""

    hz: float
    start_s: float
    seconds: float
    level_dbfs: float


WAKE_NOTES = (Note(659.25, 0.0, 0.11, -20.0), Note(880.0, 0.08, 0.14, -20.0))
"""Heard the wake phrase: a rising fifth (E5 to A5), about a fifth of a second."""

LISTEN_NOTES = (Note(880.0, 0.0, 0.09, -24.0),)
"""Listening for an answer: one short, softer A5."""


def synthesize(notes: tuple[Note, ...]) -> bytes:
    """Mix `notes` into 16 kHz mono int16 LE PCM."""
    if not notes:
        return b""
    total = max(round((n.start_s + n.seconds) * SAMPLE_RATE) for n in notes)
    mix = np.zeros(total, dtype=np.float64)
    for note in notes:
        count = round(note.seconds * SAMPLE_RATE)
        first = round(note.start_s * SAMPLE_RATE)
        t = np.arange(count) / SAMPLE_RATE
        tone = np.sin(2 * np.pi * note.hz * t) * 10 ** (note.level_dbfs / 20)
        mix[first : first + count] += tone * _envelope(count)
    return np.clip(np.rint(mix * 32767), -32768, 32767).astype("<i2").tobytes()


def _envelope(count: int) -> np.ndarray:
    edge = min(round(EDGE_S * SAMPLE_RATE), count // 2)
    envelope = np.ones(count)
    if edge:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, edge))
        envelope[:edge] = ramp
        envelope[count - edge :] = ramp[::-1]
    return envelope


@cache
def wake_earcon() -> bytes:
    """Played when the wake phrase is heard."""
    return synthesize(WAKE_NOTES)


@cache
def listen_earcon() -> bytes:
    """Played when the assistant starts listening for an answer."""
    return synthesize(LISTEN_NOTES)
