"""The two IOs of `checkin setup`: typed (a terminal or stdin) and spoken (voice and microphone).

Both record the wake phrase from the same kind of FrameSource a check-in hears
(the microphone, --audio-in, or --replies files), so the level and the wake check
are measured on what the app will really get.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from audio.frames import to_samples
from audio.source import FrameSource
from voice.checkin.dialogue import Silence
from voice.checkin.session import InputEnded

WAKE_RECORD_S = 4.0
"""How long the wake phrase is recorded for: time to say it after the prompt."""
ANSWER_TIMEOUT_S = 8.0


def record_from(source: FrameSource, clock: object | None, seconds: float = WAKE_RECORD_S
                ) -> bytes:
    """`seconds` of audio from `source`, keeping a spoken clock (if any) in step with it."""
    wanted = to_samples(seconds)
    pcm = bytearray()
    source.listening_started()
    try:
        while len(pcm) // 2 < wanted:
            frame = source.read()
            if frame is None:
                break
            pcm += frame.pcm
            if clock is not None:
                clock.position = frame.end  # type: ignore[attr-defined]
    finally:
        source.listening_ended(bool(pcm))
    return bytes(pcm)


@dataclass
class TypedSetupIO:
    """Prints each line; reads answers line by line (with readline on a terminal)."""

    lines: TextIO
    write: Callable[[str], None]
    source: FrameSource | None
    """Where the wake phrase is recorded from; None: no microphone here."""
    terminal: bool
    spoken: bool = False

    def say(self, text: str) -> None:
        self.write(text + "\n")

    def note(self, text: str) -> None:
        self.write(text + "\n")

    def ask(self, text: str, context: str) -> str | None:
        self.say(text)
        return self.type_line("> ")

    def type_line(self, prompt: str) -> str | None:
        if self.terminal:
            import readline  # noqa: F401  (line editing for input())

            try:
                return input(prompt)
            except EOFError:
                return None
        self.write(prompt)
        line = self.lines.readline()
        if not line:
            self.write("\n")
            return None
        self.write(line if line.endswith("\n") else line + "\n")  # piped: show what was read
        return line.strip()

    def record(self, prompt: str) -> bytes | None:
        if self.source is None:
            return None
        self.say(prompt)
        return record_from(self.source, None)


@dataclass
class SpokenSetupIO:
    """Speaks through the check-in's mouth and hears through its ears (half-duplex)."""

    mouth: object
    """voice.checkin.spoken.SpokenMouth."""
    ears: object
    """voice.checkin.spoken.SpokenEars."""
    source: FrameSource
    clock: object
    write: Callable[[str], None]
    typed: TypedSetupIO | None
    """A keyboard to type a name on when it is misheard, if a terminal is attached."""
    spoken: bool = True

    def say(self, text: str) -> None:
        self.mouth.say(text)  # type: ignore[attr-defined]

    def note(self, text: str) -> None:
        self.write(text + "\n")

    def ask(self, text: str, context: str) -> str | None:
        self.say(text)
        heard = self.ears.listen(context, "", ANSWER_TIMEOUT_S)  # type: ignore[attr-defined]
        if isinstance(heard, (Silence, InputEnded)):
            return None
        self.write(f"(heard: {heard.text})\n")
        return str(heard.text)

    def type_line(self, prompt: str) -> str | None:
        return self.typed.type_line(prompt) if self.typed is not None else None

    def record(self, prompt: str) -> bytes | None:
        self.say(prompt)
        return record_from(self.source, self.clock)
