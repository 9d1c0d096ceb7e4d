"""A one-line status display on a terminal: waiting / listening / thinking / speaking.

Shown only when the stream is a terminal; the line is rewritten in place with a
carriage return, so a log file or a pipe never receives it. Printing a
transcript line goes through `print_line`, which clears the status first and
draws it again after, so the two never garble each other.
"""

from __future__ import annotations

import sys
from typing import TextIO

CLEAR_LINE = "\r\x1b[K"
"""Carriage return, then erase to the end of the line (ANSI EL)."""


class StatusLine:
    """The assistant's current state on one terminal line."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.state = ""

    def show(self, state: str) -> None:
        """Replace the status with `state` (a SpokenEdges status callback)."""
        self.state = state
        self._draw()

    def clear(self) -> None:
        """Remove the status line (before other output, and at exit)."""
        if self.enabled and self.state:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()

    def print_line(self, text: str, stream: TextIO) -> None:
        """Print a full line of output without tearing the status line."""
        self.clear()
        print(text, file=stream, flush=True)
        self._draw()

    def _draw(self) -> None:
        if self.enabled and self.state:
            self.stream.write(f"{CLEAR_LINE}[{self.state}…]")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or file-less stream is no terminal
        return False
