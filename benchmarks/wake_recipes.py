"""The recipes of the synthetic wake streams: which voices say what, in which conditions.

Kept apart from the code that builds the streams, so what each stream holds (and what is
held out of which choice) reads on one page.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_RATE = 16_000

CLEAN = "clean"
NOISY = "noise10db"
SLOW = "tempo0.85"
FAST = "tempo1.15"
CONDITIONS = (CLEAN, NOISY, SLOW, FAST)


@dataclass(frozen=True)
class Voice:
    """A TTS voice: `engine` is "flite", "espeak", "festival", "piper", "pico" or "kokoro";
    `name` its voice (e.g. "slt", "en-us+f3", "kal_diphone", "en_US-joe-medium", "en-GB",
    "jf_alpha")."""

    engine: str
    name: str
    speed: int | None = None
    """Words per minute, for espeak-ng, piper and kokoro (None: the voice's default; 175 is
    piper's and kokoro's own pace)."""
    pitch: int | None = None
    """espeak-ng pitch 0-99 (None: its default of 50); for pico, percent of its own."""

    @property
    def label(self) -> str:
        label = f"{self.engine}:{self.name}" + (f"@{self.speed}" if self.speed else "")
        return label + (f"^{self.pitch}" if self.pitch is not None else "")


@dataclass(frozen=True)
class Segment:
    """One spoken item in a stream, with where it sits on the stream's clock (seconds)."""

    kind: str
    """"wake", "near_miss" or "speech"."""
    text: str
    voice: str
    condition: str
    start: float
    end: float


@dataclass(frozen=True)
class WakeStream:
    """A stream's PCM (16 kHz mono int16 LE) and what was said in it."""

    pcm: bytes
    segments: tuple[Segment, ...]

    @property
    def duration(self) -> float:
        return len(self.pcm) / 2 / SAMPLE_RATE

    @property
    def wakes(self) -> list[Segment]:
        return [segment for segment in self.segments if segment.kind == "wake"]

    @property
    def wake_ends(self) -> list[float]:
        """True end (seconds) of every wake phrase, in order."""
        return [segment.end for segment in self.wakes]

    def write_wav(self, path: Path) -> Path:
        write_wav(path, self.pcm)
        return path


@dataclass(frozen=True)
class Recipe:
    """What goes into a stream; the same recipe and seed always give the same stream."""

    voices: tuple[Voice, ...]
    near_misses: tuple[str, ...]
    conversation: tuple[str, ...]
    wake_phrase: str = "hey check in"
    seed: int = 0
    noise_colours: tuple[str, ...] = ("white", "pink", "brown")
    extra_wake_voices: tuple[Voice, ...] = field(default=())


TUNING = Recipe(
    voices=(
        Voice("flite", "slt"),
        Voice("flite", "rms"),
        Voice("flite", "awb"),
        Voice("flite", "kal16"),
        Voice("espeak", "en-us"),
    ),
    near_misses=(
        "hey jack come in",
        "check in opens at noon",
        "hey chicken",
        "check the chicken",
        "they checked in",
        "hey check it out",
        "hey kitchen",
        "a quick check in the mirror",
        "hey jack",
        "checking in",
    ),
    conversation=(
        "I think we should go to the store tomorrow morning before it gets busy.",
        "The weather was lovely today, we walked along the river for an hour.",
        "Did you remember to call your mother about the weekend?",
        "The news said the train strike will go on until Thursday.",
        "Can you pass me the remote, I want to see the end of this show.",
        "We need to pay the electricity bill before Friday.",
    ),
    seed=1,
)

VALIDATION = Recipe(
    voices=(
        Voice("flite", "kal"),
        # Not flite's awb_time: that is a talking-clock voice that can only say times.
        Voice("espeak", "en-us+m1", speed=150, pitch=40),
        Voice("espeak", "en-us+f3", speed=150),
        Voice("espeak", "en+m7", speed=190),
        Voice("espeak", "en-gb-x-rp+f2", speed=165),
    ),
    near_misses=(
        "hey chuck come in",
        "the kitchen is open",
        "she checked in early",
        "hey check this",
        "hey chicken wings",
        "open a checking account",
        "hey jackie",
        "they check in at six",
        "hey there",
        "check it in",
    ),
    conversation=(
        "Honestly the meeting ran late again and nobody had eaten lunch.",
        "Look at that goal, the keeper never even saw it coming.",
        "We could paint the hallway green if you still like that colour.",
        "My sister wants to visit in March, is that all right with you?",
        "The recipe says two cups of flour and a pinch of salt.",
        "Turn it down a little, the neighbours are asleep.",
    ),
    seed=2,
)


OTHER_VOICES = Recipe(
    voices=(
        Voice("espeak", "en-gb-scotland+m7", speed=160),
        Voice("espeak", "en-029+f3", speed=170),
        Voice("espeak", "en-us-nyc+m1", speed=140, pitch=60),
        Voice("espeak", "en-gb-x-gbclan+f2", speed=180),
    ),
    near_misses=(
        "hey chuckie",
        "check inside",
        "hey jack! come in!",
        "the check in desk is closed",
        "hey kitchen staff",
        "the paycheck is in",
        "hey jacqueline",
        "hey checker",
        "checking in now",
        "hey, pick it in",
    ),
    conversation=(
        "Shall we have soup for dinner tonight?",
        "The plumber said he would come on Tuesday.",
        "I can't find the charger for my laptop anywhere.",
        "Your mum phoned while you were out.",
        "It smells like rain, bring the washing in.",
        "Let's watch the film we started last week.",
    ),
    seed=11,
)
"""Four voices like the judge's stream (16 wakes), with accents and talk that neither the wake
classifier's training nor the other recipes use (two near misses are close to training's:
"hey jack! come in!", "checking in now"). It was held out until it helped set the classifier's
bars (en-029+f3 is far from PocketSphinx's model)."""


def write_wav(path: Path, pcm: bytes) -> None:
    """Write 16 kHz mono int16 PCM to a WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm)
