"""The wake phrase, spotted in the running stream by a head on real-speech embeddings.

Every 80 ms the newest 1.28 s of embeddings (`training.wake_head.embedding`) is scored by the
phrase's head (`training.wake_head.head`). There are no utterance boundaries to wait for, so the
phrase is found inside other talk, and the chime can come about 0.1-0.3 s after the phrase.
A cheap level check keeps a quiet room cheap: embeddings are only made for windows that hold
a sound above the room's own floor.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from audio.frames import SAMPLE_RATE, Frame
from training.wake_head.embedding import STEP_SAMPLES, SpeechFeatures
from training.wake_head.head import WakeHead

LOUD_ABOVE_FLOOR_DB = 6.0
"""A step this far above the room's floor may hold speech."""
FLOOR_RISE_DB_PER_S = 3.0
"""How fast the floor follows a room that got louder (a fan switched on)."""
REFRACTORY_S = 1.5
"""After a wake, the same phrase cannot wake it again for this long."""
PHRASE_END_BEFORE_S = 0.16
"""Where the phrase ends, before the end of the window that woke: the middle of the
positive windows' span in training (`training.wake_head.examples.POSITIVE_AFTER_S`)."""


@dataclass(frozen=True)
class Detection:
    t: float
    """Seconds into the stream (audio clock) where the phrase ended."""
    phrase: str
    score: float


def threshold_for(head: WakeHead, sensitivity: float) -> float:
    """The head's bar at 0.5, lowered toward 0.05 at 1 and raised toward 0.99 at 0."""
    if sensitivity >= 0.5:
        return head.threshold - (head.threshold - 0.05) * (sensitivity - 0.5) * 2
    return head.threshold + (0.99 - head.threshold) * (0.5 - sensitivity) * 2


class Spotter:
    """Feed 16 kHz frames with `push`; a Detection when the phrase has just been said."""

    def __init__(self, head: WakeHead, sensitivity: float = 0.5) -> None:
        self.head = head
        self.phrase = self.head.phrase
        self.threshold = threshold_for(self.head, sensitivity)
        self._features = SpeechFeatures(keep_steps=self.head.steps + 16)
        self._loud: deque[bool] = deque(maxlen=self.head.steps + 10)
        self._floor_db: float | None = None
        self._pending = np.zeros(0, dtype=np.float32)
        self._quiet_until = 0
        self._samples = 0
        self.scored = 0
        """Windows scored so far (a measure of CPU)."""

    def push(self, frame: Frame) -> Detection | None:
        samples = np.frombuffer(frame.pcm, dtype="<i2").astype(np.float32)
        self._pending = np.concatenate([self._pending, samples])
        found = None
        while len(self._pending) >= STEP_SAMPLES:
            step, self._pending = self._pending[:STEP_SAMPLES], self._pending[STEP_SAMPLES:]
            found = self._step(step) or found
        return found

    def _step(self, step: np.ndarray) -> Detection | None:
        self._features.push(step)
        self._samples += STEP_SAMPLES
        self._loud.append(self._is_loud(step))
        # The window also looks back 0.775 s before its first step (the first embedding's mel
        # frames), so a loud step anywhere in that span counts.
        if not any(self._loud) or self._samples < self._quiet_until:
            return None
        window = self._features.window(self.head.steps)
        if window is None:
            return None
        self.scored += 1
        score = self.head.score(window)
        if score < self.threshold:
            return None
        self._quiet_until = self._samples + int(REFRACTORY_S * SAMPLE_RATE)
        end = max(0.0, self._samples / SAMPLE_RATE - PHRASE_END_BEFORE_S)
        return Detection(round(end, 3), self.phrase, round(score, 3))

    def _is_loud(self, step: np.ndarray) -> bool:
        level = 10 * np.log10(float(np.mean(step**2)) + 1.0)
        if self._floor_db is None or level < self._floor_db:
            self._floor_db = level
        else:
            self._floor_db += FLOOR_RISE_DB_PER_S * STEP_SAMPLES / SAMPLE_RATE
        return level > self._floor_db + LOUD_ABOVE_FLOOR_DB

    def reset(self) -> None:
        """Forget what was heard (after the app spoke): the next wake needs new audio."""
        self._features.reset()
        self._loud.clear()
        self._pending = np.zeros(0, dtype=np.float32)
        self._quiet_until = self._samples
