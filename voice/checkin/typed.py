"""The typed edges of a check-in: printed prompts, answers read line by line.

The typed clock stands in for the audio clock. Every line, said by the assistant
or typed by a partner, advances it by the time it would take to speak at about
150 words a minute, and an empty line counts as a silence that waited the full
no-speech timeout. So the two-minute budget and the summary's duration_s behave
as in a spoken check-in of the same words, and a typed session is deterministic
whatever the typing speed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from voice.checkin.dialogue import Silence
from voice.checkin.session import ASSISTANT, InputEnded, Turn, Utterance

WORDS_PER_MINUTE = 150.0
"""A calm speaking rate."""


def speaking_time_s(text: str) -> float:
    """Seconds it takes to say `text` at WORDS_PER_MINUTE (at least one word's worth)."""
    return max(len(text.split()), 1) * 60.0 / WORDS_PER_MINUTE


class TypedClock:
    """A clock that only moves when something is said, typed or waited for."""

    def __init__(self, start_s: float = 0.0) -> None:
        self._now_s = start_s

    def now_s(self) -> float:
        return self._now_s

    def advance(self, seconds: float) -> None:
        self._now_s += seconds


class PrintedMouth:
    """Prints each line of the assistant and advances the clock by its speaking time."""

    def __init__(self, clock: TypedClock, write: Callable[[str], None]) -> None:
        self._clock = clock
        self._write = write

    def say(self, text: str) -> Turn:
        start_s = self._clock.now_s()
        self._clock.advance(speaking_time_s(text))
        self._write(text + "\n")
        return Turn(ASSISTANT, text, start_s, self._clock.now_s())


class TypedEars:
    """Reads one answer per line from `lines` (stdin); EOF ends the input.

    Before reading it writes a "Name> " prompt; when the input is not a terminal
    (piped), it also writes the line it read, so the printed transcript is whole.
    """

    def __init__(
        self,
        clock: TypedClock,
        lines: TextIO,
        write: Callable[[str], None],
        echo: bool,
    ) -> None:
        self._clock = clock
        self._lines = lines
        self._write = write
        self._echo = echo

    def listen(
        self, context: str, partner: str, timeout_s: float
    ) -> Utterance | Silence | InputEnded:
        self._write(f"{partner}> ")
        line = self._lines.readline()
        if not line:
            self._write("\n")
            return InputEnded(self._clock.now_s())
        text = line.strip()
        if self._echo:
            self._write(text + "\n")
        if not text:
            self._clock.advance(timeout_s)
            return Silence(self._clock.now_s())
        start_s = self._clock.now_s()
        self._clock.advance(speaking_time_s(text))
        return Utterance(text, start_s, self._clock.now_s())
