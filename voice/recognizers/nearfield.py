"""Only speech near the microphone is an answer: a TV across the room is not.

A partner answering the assistant speaks within a metre or two of the
microphone; a TV, a radio or a neighbour reaches it much quieter. The
recognizer transcribes both happily, and the matcher cannot tell a newsreader
saying "I really appreciated the weather" from a partner. So the loudness of
the utterance is measured (the 90th percentile of its 30 ms block levels: the
voiced part, not the pauses) and it is treated as nothing said when it is

- below an absolute floor (`FLOOR_DBFS`), or
- far below the loudest answer heard so far by this recognizer
  (`BELOW_LOUDEST_DB`): once a partner has spoken, the room's scale is known.

Limits, plainly: this is a loudness test, not a speaker test. A TV as loud at
the microphone as the partners gets through, and so does a partner who
whispers far from the microphone. Confidence was measured and does not
separate them (a clear flite voice scored 0.39, TV speech 0.40).
"""

from __future__ import annotations

import math

import numpy as np

from audio.frames import Frame, to_samples
from voice.recognizers.base import Recognizer, Utterance, empty_utterance

FLOOR_DBFS = -40.0
"""Speech quieter than this is not a partner answering (a near talker is -30..-15 dBFS)."""

BELOW_LOUDEST_DB = 20.0
"""Speech this much quieter than the loudest answer so far is someone else, further away."""

BLOCK = 480
"""30 ms blocks at 16 kHz."""

LEVEL_PERCENTILE = 90.0


class NearTalkerGate:
    """A Recognizer that forwards to another and drops utterances too quiet to be a partner's."""

    def __init__(
        self,
        recognizer: Recognizer,
        floor_dbfs: float = FLOOR_DBFS,
        below_loudest_db: float = BELOW_LOUDEST_DB,
    ) -> None:
        self.recognizer = recognizer
        self.name = recognizer.name
        self.floor_dbfs = floor_dbfs
        self.below_loudest_db = below_loudest_db
        self.loudest_dbfs: float | None = None
        """The level of the loudest utterance that was let through."""
        self.last_level_dbfs = -math.inf
        self._levels: list[float] = []
        self._start = 0

    def begin(self, context: str | None = None, start: int = 0) -> None:
        self._levels = []
        self._start = start
        self.recognizer.begin(context, start)

    def accept(self, frame: Frame) -> str | None:
        samples = np.frombuffer(frame.pcm, dtype="<i2").astype(np.float64)
        for offset in range(0, len(samples), BLOCK):
            block = samples[offset : offset + BLOCK]
            if len(block):
                self._levels.append(float(np.sqrt(np.mean(block * block))))
        return self.recognizer.accept(frame)

    def heard_so_far(self) -> str:
        return self.recognizer.heard_so_far()

    def end(self) -> Utterance:
        heard = self.recognizer.end()
        levels = self._levels
        level = _dbfs(float(np.percentile(levels, LEVEL_PERCENTILE))) if levels else -math.inf
        self.last_level_dbfs = level
        if not heard.text:
            return heard
        if not self.is_near(level):
            # Heard, but from across the room: as if nothing was said to the assistant.
            return empty_utterance(to_samples(heard.start_s), to_samples(heard.end_s))
        if self.loudest_dbfs is None or level > self.loudest_dbfs:
            self.loudest_dbfs = level
        return heard

    def is_near(self, level_dbfs: float) -> bool:
        """Whether speech at this level can be a partner answering."""
        if level_dbfs < self.floor_dbfs:
            return False
        return self.loudest_dbfs is None or level_dbfs >= self.loudest_dbfs - self.below_loudest_db

    def close(self) -> None:
        """Close the wrapped recognizer if it has anything to close (a worker process)."""
        close = getattr(self.recognizer, "close", None)
        if close is not None:
            close()


def _dbfs(rms: float) -> float:
    return 20.0 * math.log10(rms / 32768.0) if rms > 0 else -math.inf
