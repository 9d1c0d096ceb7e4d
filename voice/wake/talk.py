"""Talk going on in the room (a TV, a conversation), and what stands out above it.

Over talk the gate's speech detector never hears a pause, so an utterance never ends the
shape of a wake phrase, and in a real living room the detector was deaf while the TV talked.
Someone who says the phrase to the room speaks up over the talk (the issue's rooms have it
10-15 dB below the talker), so once an utterance outgrows a wake phrase the gate takes what it
heard as talk, and from then on only frames well above the talk's level count as speech for it.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from voice.wake.thresholds import (
    FOREGROUND_DB,
    TALK_PERCENTILE,
    TALK_RELEARN_DB,
    TALK_WINDOW_S,
)


class TalkLevel:
    """The level of the talk in the room, learned from frames that are not someone speaking up."""

    def __init__(self, levels_db: list[float], frame_s: float, pause_s: float) -> None:
        """`levels_db`: speech-band levels (dBFS) of the speech frames heard as talk so far;
        `pause_s`: no speech at all for this long and the talk has stopped."""
        self._frame_s = frame_s
        self._pause_s = pause_s
        self._levels: deque[float] = deque(maxlen=max(1, round(TALK_WINDOW_S / frame_s)))
        self._levels.extend(levels_db)
        self._quiet_s = 0.0
        self.level_db = self._estimate()
        """The talk's typical speech-frame level (dBFS)."""

    def _estimate(self) -> float:
        if not self._levels:
            return -120.0
        return float(np.percentile(np.fromiter(self._levels, float), TALK_PERCENTILE))

    def stands_out(self, level_db: float, speech: bool) -> bool:
        """A speech frame far enough above the talk to be someone speaking up over it."""
        return speech and level_db > self.level_db + FOREGROUND_DB

    def hear(self, level_db: float, speech: bool, speaking_up: bool) -> None:
        """Learn from one frame: a speech frame that is not part of someone speaking up is talk,
        whether it stands out or not (learning only those that did not sank the level, until
        the talk's own louder frames stood out)."""
        self._quiet_s = 0.0 if speech else self._quiet_s + self._frame_s
        if speech and not speaking_up:
            self._levels.append(level_db)
            self.level_db = self._estimate()

    def learn(self, levels_db: list[float]) -> bool:
        """Learn speech frames heard as talk all at once (an utterance that outgrew a wake
        phrase over the talk); True if the level rose by `TALK_RELEARN_DB` or more."""
        before = self.level_db
        self._levels.extend(levels_db)
        self.level_db = self._estimate()
        return self.level_db >= before + TALK_RELEARN_DB

    @property
    def ended(self) -> bool:
        """The talk has paused as long as a pause that ends an utterance: someone who speaks
        after it, at the talk's own level, is heard as before."""
        return self._quiet_s >= self._pause_s - 1e-9
