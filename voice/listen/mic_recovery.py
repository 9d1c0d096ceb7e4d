"""Getting the microphone back after it disappeared, without losing the audio clock.

`listen` lives all evening; a USB microphone gets unplugged, a Bluetooth headset
sleeps. When the source raises MicLost the loop asks `MicRecovery.reconnect`
for a new source: it reopens the device with a growing pause between tries
(both injected, so tests neither sleep nor need hardware), and only accepts a
device that really delivers a frame. The new device counts its samples from
zero, so its frames are shifted to carry on from where the clock stood.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from audio.errors import AudioError
from audio.frames import Frame
from audio.source import FrameSource

BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0)
"""Pauses before each reopening attempt; the last one repeats for as long as it takes."""


class ShiftedSource:
    """A FrameSource whose clock runs `offset` samples ahead of the wrapped one."""

    def __init__(self, source: FrameSource, offset: int) -> None:
        self.source = source
        self.offset = offset

    def read(self) -> Frame | None:
        frame = self.source.read()
        return None if frame is None else Frame(frame.pcm, frame.start + self.offset)

    def skip_to(self, position: int) -> None:
        self.source.skip_to(position - self.offset)

    def listening_started(self) -> None:
        self.source.listening_started()

    def listening_ended(self, heard: bool) -> None:
        self.source.listening_ended(heard)

    def close(self) -> None:
        self.source.close()


@dataclass
class MicRecovery:
    """Reopens the microphone with a backoff until it delivers audio again."""

    reopen: Callable[[], FrameSource]
    """Opens the device afresh; raises AudioError while it is not there."""
    wait: Callable[[float], None]
    """Pauses for that many wall-clock seconds (time.sleep live; a recorder in tests)."""
    backoff_s: Sequence[float] = BACKOFF_S
    failures: list[str] = field(default_factory=list)
    """Why each failed attempt failed, most recent last (for `--debug` and tests)."""

    def reconnect(self, clock_position: int) -> FrameSource:
        """A working source whose next frame starts at `clock_position` on the audio clock."""
        attempt = 0
        while True:
            self.wait(self.backoff_s[min(attempt, len(self.backoff_s) - 1)])
            attempt += 1
            try:
                source = self.reopen()
            except AudioError as error:
                self.failures.append(str(error))
                continue
            try:
                # A device can open yet stay silent; only a delivered frame proves it is back.
                probe = source.read()
            except AudioError as error:
                self.failures.append(str(error))
                source.close()
                continue
            if probe is None:
                source.close()
                raise AudioError("the reopened microphone reported the end of its input")
            return ShiftedSource(source, clock_position - probe.end)
