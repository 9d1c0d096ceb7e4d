"""The wake detector's always-on first stage: cut short, pause-bounded utterances by energy.

It costs a few numpy operations per frame, so silence, hum and steady noise
cost next to nothing. Only an utterance that starts after a pause, ends in a
pause and is short enough to be a wake phrase is handed on to the (costlier)
verification. Long stretches of talk (TV, conversation) are dropped as soon as
they outgrow a wake phrase, which bounds the CPU spent on them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from audio.frames import SAMPLE_RATE, Frame


@dataclass(frozen=True)
class Candidate:
    """A short utterance, with some audio either side, for the verifier."""

    pcm: bytes
    start: int
    """Clock position (samples) of the first sample of `pcm`."""
    speech_start: int
    speech_end: int
    """Clock positions (samples) where the energy said speech began and ended."""


@dataclass(frozen=True)
class GateSettings:
    """How the gate tells speech from the room; the defaults suit a wake phrase."""

    margin_db: float = 9.0
    """How far above the room's noise floor a frame must be to count as speech."""
    min_level_db: float = -55.0
    """Frames quieter than this (dBFS) are never speech, however quiet the room."""
    pause_s: float = 0.3
    """Silence that ends an utterance."""
    min_speech_s: float = 0.3
    max_speech_s: float = 2.8
    """Utterances outside these bounds cannot be a short wake phrase."""
    pre_roll_s: float = 0.3
    """Audio kept before the first speech frame, so the decoder hears the onset."""
    floor_rise_per_s: float = 1.5
    """How fast (dB/s) the noise floor climbs; slow, so speech does not become 'noise'."""


class UtteranceGate:
    """Feed frames; get a Candidate when a short, pause-bounded utterance has ended."""

    def __init__(self, settings: GateSettings | None = None) -> None:
        self.settings = settings or GateSettings()
        self.reset()

    def reset(self) -> None:
        """Forget the current utterance (the noise floor is kept: the room has not changed)."""
        self._floor_db: float | None = getattr(self, "_floor_db", None)
        self._history: deque[Frame] = deque()
        self._history_samples = 0
        self._speech: list[Frame] = []
        self._speech_start = 0
        self._last_speech_end = 0
        self._too_long = False

    @property
    def in_speech(self) -> bool:
        """True while an utterance is open: the caller may skip costly work otherwise."""
        return bool(self._speech) or self._too_long

    def push(self, frame: Frame) -> Candidate | None:
        """Take one frame; return a Candidate when an utterance of wake-phrase length ended."""
        level = _level_db(frame)
        speech = self._is_speech(level, frame)
        if not self.in_speech:
            if speech:
                self._speech_start = frame.start
                self._last_speech_end = frame.end
                self._speech = list(self._history) + [frame]
                return None
            self._remember(frame)
            return None
        if not self._too_long:
            self._speech.append(frame)
        if speech:
            self._last_speech_end = frame.end
            if self._last_speech_end - self._speech_start > self.settings.max_speech_s * SAMPLE_RATE:
                self._too_long = True
                self._speech = []
            return None
        if frame.end - self._last_speech_end < self.settings.pause_s * SAMPLE_RATE:
            return None
        return self._close(frame)

    def _close(self, frame: Frame) -> Candidate | None:
        frames, too_long = self._speech, self._too_long
        self._speech, self._too_long = [], False
        self._history.clear()
        self._history_samples = 0
        self._remember(frame)
        length = self._last_speech_end - self._speech_start
        if too_long or length < self.settings.min_speech_s * SAMPLE_RATE:
            return None
        return Candidate(
            b"".join(f.pcm for f in frames),
            frames[0].start,
            self._speech_start,
            self._last_speech_end,
        )

    def _remember(self, frame: Frame) -> None:
        self._history.append(frame)
        self._history_samples += frame.n_samples
        keep = self.settings.pre_roll_s * SAMPLE_RATE
        while self._history and self._history_samples - self._history[0].n_samples >= keep:
            self._history_samples -= self._history.popleft().n_samples

    def _is_speech(self, level: float, frame: Frame) -> bool:
        if self._floor_db is None:
            self._floor_db = level
        seconds = frame.n_samples / SAMPLE_RATE
        if level < self._floor_db:
            # Fall fast: a quieter frame is better evidence of the room than the old floor.
            self._floor_db += 0.5 * (level - self._floor_db)
        else:
            self._floor_db = min(level, self._floor_db + self.settings.floor_rise_per_s * seconds)
        return level > max(self._floor_db + self.settings.margin_db, self.settings.min_level_db)


def _level_db(frame: Frame) -> float:
    samples = frame.samples().astype(np.float64)
    if samples.size == 0:
        return -120.0
    power = float(np.mean(samples**2)) / 32768.0**2
    return 10.0 * np.log10(power + 1e-12)
