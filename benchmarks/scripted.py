"""The scripted check-ins of sessions.toml, voiced with flite into reply WAVs."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from benchmarks.audio_fixtures import Answer, answer, save_wav

SESSIONS_TOML = Path(__file__).with_name("sessions.toml")

REPLY_ORDER = (0, 1, 0, 1, 1, 0)
"""Which partner answers each listening of the default script (A, B, A, B's response, B, A's)."""


@dataclass(frozen=True)
class ScriptedSession:
    """One check-in's partners and their voiced replies, in the order they are fed."""

    number: int
    partners: tuple[str, str]
    pauses: str
    """"afterthought" or "hesitation": the kind of pause its reflective answers hold."""
    answers: tuple[Answer, ...]
    wavs: tuple[Path, ...]


def load_sessions(cache_dir: Path) -> list[ScriptedSession]:
    data = tomllib.loads(SESSIONS_TOML.read_text(encoding="utf-8"))
    pause_s = float(data["pause_s"])
    sessions = []
    for number, entry in enumerate(data["sessions"], 1):
        partners = (str(entry["partners"][0]), str(entry["partners"][1]))
        voices = entry["voices"]
        answers = []
        for index, parts in enumerate(entry["replies"]):
            speaker = _speaker(index, len(entry["replies"]))
            answers.append(answer(cache_dir, voices[speaker], list(parts), pause_s))
        wavs = [save_wav(cache_dir, f"session{number}-reply{index + 1}", item.pcm)
                for index, item in enumerate(answers)]
        sessions.append(
            ScriptedSession(number, partners, str(entry["pauses"]), tuple(answers), tuple(wavs))
        )
    return sessions


def _speaker(index: int, count: int) -> int:
    """Who speaks reply `index`; a session with five replies had A answer "nothing" to a need
    (no response from B is asked for), so B's need and A's response follow directly."""
    if count == 5 and index >= 3:
        return REPLY_ORDER[index + 1]
    return REPLY_ORDER[index]


def paused_answers(cache_dir: Path) -> list[Answer]:
    """Every reflective answer (several parts) of every scripted session."""
    return [item for session in load_sessions(cache_dir) for item in session.answers
            if item.has_pause]
