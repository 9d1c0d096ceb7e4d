"""What every source of "microphone" frames offers the app.

The microphone, a WAV file, scripted replies and generated silence all look the
same to the rest of the app, so a check-in runs identically live and from files.
"""

from __future__ import annotations

from typing import Protocol

from audio.frames import Frame


class FrameSource(Protocol):
    """A stream of frames on the audio clock."""

    def read(self) -> Frame | None:
        """The next frame, or None once the input is exhausted."""
        ...

    def skip_to(self, position: int) -> None:
        """Drop input up to sample `position`: the assistant was speaking (half-duplex).

        The next frame read starts at `position` or later, so the clock keeps
        counting the time the assistant spoke.
        """
        ...

    def listening_started(self) -> None:
        """The app starts listening (for the wake phrase or an answer)."""
        ...

    def listening_ended(self, heard: bool) -> None:
        """That listening ended; `heard` is True when an answer or the wake phrase was heard."""
        ...

    def close(self) -> None:
        """Release the device or file."""
        ...
