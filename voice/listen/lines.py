"""The lines `checkin listen` says outside a check-in, read from voice/listen/lines.toml (data)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LINES_FILE = Path(__file__).with_name("lines.toml")


@dataclass(frozen=True)
class ListenLines:
    """The loop's lines with the wake phrase filled in."""

    reminder: str
    cancelled: tuple[str, ...]
    mic_lost_in_checkin: str
    mic_lost: str
    mic_waiting: str
    mic_back: str

    def cancelled_line(self, times_before: int) -> str:
        """The acknowledgement of a "not now", varying from one time to the next."""
        return self.cancelled[times_before % len(self.cancelled)]


@cache
def _raw() -> dict[str, Any]:
    with LINES_FILE.open("rb") as handle:
        return tomllib.load(handle)


def load_lines(wake_phrase: str) -> ListenLines:
    """The lines of voice/listen/lines.toml for this wake phrase."""
    raw = _raw()

    def fill(text: str) -> str:
        return text.replace("{wake_phrase}", wake_phrase)

    return ListenLines(
        reminder=fill(raw["reminder"]),
        cancelled=tuple(fill(line) for line in raw["cancelled"]),
        mic_lost_in_checkin=fill(raw["mic_lost_in_checkin"]),
        mic_lost=fill(raw["mic_lost"]),
        mic_waiting=fill(raw["mic_waiting"]),
        mic_back=fill(raw["mic_back"]),
    )
