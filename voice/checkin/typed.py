"""The typed edges of a check-in: printed prompts, answers read line by line.

The typed clock stands in for the audio clock. Every line, said by the assistant
or typed by a partner, advances it by the time it would take to speak at about
150 words a minute, and an empty line counts as a silence that waited the full
no-speech timeout. So the two-minute budget and the summary's duration_s behave
as in a spoken check-in of the same words, and a typed session is deterministic
whatever the typing speed.

What is typed is cleaned before anything sees it: a terminal's escape sequences
(arrow keys without line editing send "\x1b[D") and other control characters never
reach the database, and a pasted novel is trimmed to MAX_ANSWER_CHARS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TextIO

from voice.checkin.dialogue import Silence
from voice.checkin.session import ASSISTANT, InputEnded, Turn, Utterance

WORDS_PER_MINUTE = 150.0
"""A calm speaking rate."""

MAX_ANSWER_CHARS = 1000
"""Longer answers are trimmed (with a note): no one says more in one turn of a check-in."""

_READ_LIMIT = 4 * MAX_ANSWER_CHARS
"""At most this much of one line is kept in memory; the rest is read and dropped."""

_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|O.|.)?", re.DOTALL
)
"""Terminal escape sequences: CSI (arrows: ESC [ D), OSC, SS3 (ESC O A), and lone ESC pairs."""


def clean_typed(text: str) -> str:
    """`text` without escape sequences or control characters; tabs become spaces."""
    text = _ESCAPE.sub("", text.replace("\t", " "))
    return "".join(c for c in text if unicodedata.category(c) != "Cc").strip()


def trim_answer(text: str, limit: int = MAX_ANSWER_CHARS) -> tuple[str, bool]:
    """`text` cut to `limit` characters, at a word boundary when there is one near; and
    whether it was cut."""
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip(), True


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
    """Reads one answer per line from `lines` (stdin); EOF (Ctrl-D) ends the input.

    Before reading it writes a "Name> " prompt; when the input is not a terminal
    (piped), it also writes the line it read, so the printed transcript is whole.
    With `line_editing` (a terminal on both ends) lines are read with readline, so
    arrows, history and Ctrl-A/E work. `notes` are the script's [typed] notes: how to
    skip, repeat or stop (said once, before the first prompt), a trimmed answer, the end.
    """

    def __init__(
        self,
        clock: TypedClock,
        lines: TextIO,
        write: Callable[[str], None],
        echo: bool,
        notes: Mapping[str, str] | None = None,
        line_editing: bool = False,
    ) -> None:
        self._clock = clock
        self._lines = lines
        self._write = write
        self._echo = echo
        self._notes = notes or {}
        self._line_editing = line_editing
        self._helped = False

    def listen(
        self, context: str, partner: str, timeout_s: float
    ) -> Utterance | Silence | InputEnded:
        if not self._helped and "help" in self._notes:
            self._helped = True
            self._write(self._notes["help"] + "\n")
        line = self._read(f"{partner}> ")
        if line is None:
            self._write("\n" + (self._notes["ended"] + "\n" if "ended" in self._notes else ""))
            return InputEnded(self._clock.now_s())
        text, trimmed = trim_answer(clean_typed(line))
        if self._echo:
            self._write(text + "\n")
        if trimmed and "trimmed" in self._notes:
            self._write(self._notes["trimmed"].format(limit=f"{MAX_ANSWER_CHARS:,}") + "\n")
        if not text:
            self._clock.advance(timeout_s)
            return Silence(self._clock.now_s())
        start_s = self._clock.now_s()
        self._clock.advance(speaking_time_s(text))
        return Utterance(text, start_s, self._clock.now_s())

    def _read(self, prompt: str) -> str | None:
        """One line as typed, or None at the end of the input."""
        if self._line_editing:
            import readline  # noqa: F401  (importing it gives input() line editing)

            try:
                return input(prompt)
            except EOFError:
                return None
        self._write(prompt)
        line = self._lines.readline(_READ_LIMIT)
        if not line:
            return None
        rest = line
        while rest and not rest.endswith("\n"):  # an endless line: drop what is past the limit
            rest = self._lines.readline(1 << 16)
        return line
