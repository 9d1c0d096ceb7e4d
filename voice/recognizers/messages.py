"""What the app and its recognizer child (voice/recognizers/worker.py) say to each other.

Parent to child: Load once, then per utterance Begin, AudioChunk..., HeardSoFar?, End.
The child answers Load with Ready or EngineError, each AudioChunk with a Partial,
HeardSoFar with Heard and End with Transcript; Begin has no answer. An engine that
raises answers voice.children.Failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice.children import Message


@dataclass(frozen=True)
class Load(Message):
    """Load the engine, as `load_recognizer(engine, model, vocabulary, configured_models)`."""

    type = "load"

    engine: str
    """"auto" or an engine's name."""

    model: str | None
    """--model's folder; None to let the engine find its own."""

    vocabulary: tuple[str, ...]
    """Names and words the engine should know (the partners, the wake phrase)."""

    configured_models: tuple[tuple[str, str], ...]
    """(engine name, model folder) pairs from the config file."""


@dataclass(frozen=True)
class Ready(Message):
    """The engine loaded."""

    type = "ready"

    name: str
    """The engine's name, as `Recognizer.name`."""

    why: str
    """load_recognizer's sentence saying which engine was chosen and why."""


@dataclass(frozen=True)
class EngineError(Message):
    """The engine refused to load, for a reason the user can fix (no model, a bad one)."""

    type = "engine-error"

    error: str
    """The exception's class: "AudioError" or "CheckinError" (or a subclass's name)."""

    message: str
    """What it said: names the problem and the fix."""


@dataclass(frozen=True)
class Begin(Message):
    """Start an utterance (`Recognizer.begin`); no answer."""

    type = "begin"

    context: str | None
    """The dialogue's question, so the engine can lean toward the answers expected there."""

    start: int
    """Audio-clock sample where the utterance starts."""


@dataclass(frozen=True)
class AudioChunk(Message):
    """A batch of frames to feed (`Recognizer.accept` for each); answered by one Partial."""

    type = "audio-chunk"

    pcm: bytes
    """16 kHz mono int16 little-endian samples; the payload, sent raw."""

    start: int
    """Audio-clock sample of the first of them."""


@dataclass(frozen=True)
class Partial(Message):
    """The newest partial text while the batch was fed."""

    type = "partial"

    text: str | None
    """None when it did not change during the batch."""


@dataclass(frozen=True)
class HeardSoFar(Message):
    """Ask for `Recognizer.heard_so_far()`: every chunk sent before it is decoded first."""

    type = "heard-so-far"


@dataclass(frozen=True)
class Heard(Message):
    """The words of the utterance so far."""

    type = "heard"

    text: str
    """The words decoded from all the audio sent, lower case, single spaces."""


@dataclass(frozen=True)
class End(Message):
    """Finish the utterance (`Recognizer.end`)."""

    type = "end"


@dataclass(frozen=True)
class Transcript(Message):
    """The final result of an utterance: the fields of `Utterance`."""

    type = "transcript"

    text: str
    """Lower-case words separated by single spaces; "" when nothing was said."""

    start_s: float
    """Audio-clock seconds where the first word starts."""

    end_s: float
    """Audio-clock seconds where the last word ends."""

    confidence: float
    """0..1, the mean of the engine's per-word confidences."""


REQUESTS = (Load, Begin, AudioChunk, HeardSoFar, End)
"""What the child may receive (and voice.children.Quit)."""

ANSWERS = (Ready, EngineError, Partial, Heard, Transcript)
"""What the parent may receive (and voice.children.Failed)."""
