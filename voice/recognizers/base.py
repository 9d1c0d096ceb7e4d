"""The one recognizer interface both engines implement, and what they share.

A recognizer hears one utterance at a time: `begin()` it, feed it frames with
`accept()` (it answers with the partial text whenever that changed), then
`end()` it for the final `Utterance`. Times are on the audio clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from audio.errors import AudioError
from audio.frames import SAMPLE_RATE, SAMPLE_WIDTH, Frame, split_into_frames, to_seconds

SILENCE_RMS = 100.0
"""Frame RMS (int16 units, about -50 dBFS) below which a 30 ms frame is not speech.

Engines hear words in silence (Vosk often says "the" for digital zeros); an
utterance whose loudest frame stays under this is reported as empty text.
"""

GATE_BLOCK = 480
"""Samples per block when measuring loudness for the silence gate (30 ms)."""


@dataclass(frozen=True)
class Utterance:
    """What a recognizer heard in one utterance."""

    text: str
    """Lower-case words separated by single spaces; "" when nothing was said."""

    start_s: float
    """Audio-clock seconds where the first word starts (where listening began if no words)."""

    end_s: float
    """Audio-clock seconds where the last word ends (where the audio fed ended if no words)."""

    confidence: float
    """0..1: the mean of the engine's per-word confidences; 0.0 for empty text."""


class Recognizer(Protocol):
    """A speech engine that turns frames into utterances."""

    name: str
    """"pocketsphinx" or "vosk"."""

    def begin(self, context: str | None = None, start: int = 0) -> None:
        """Start an utterance at sample `start`.

        `context` is the dialogue's question ("appreciation", "need", "response",
        "yesno", "wake_request" or None) so the engine can lean toward the
        answers expected there; free answers stay free.
        """
        ...

    def accept(self, frame: Frame) -> str | None:
        """Feed audio; return the partial text when it changed, else None."""
        ...

    def heard_so_far(self) -> str:
        """The words of the utterance so far, from all audio fed, without ending it.

        Unlike `accept`'s partials this is up to date when it returns, so what the
        caller decides from it depends only on the audio, not on timing."""
        ...

    def end(self) -> Utterance:
        """Finish the utterance and return the final result."""
        ...


class LoudnessGate:
    """Tracks whether any speech-loud audio arrived during an utterance."""

    def __init__(self, threshold: float = SILENCE_RMS) -> None:
        self.threshold = threshold
        self.loudest = 0.0

    def reset(self) -> None:
        self.loudest = 0.0

    def feed(self, pcm: bytes) -> None:
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
        for offset in range(0, len(samples), GATE_BLOCK):
            block = samples[offset : offset + GATE_BLOCK]
            if len(block):
                self.loudest = max(self.loudest, float(np.sqrt(np.mean(block * block))))

    @property
    def heard_sound(self) -> bool:
        return self.loudest >= self.threshold


def check_pcm(pcm: bytes, sample_rate: int = SAMPLE_RATE) -> None:
    """Refuse audio the recognizers cannot take: they hear 16 kHz mono int16 only."""
    if sample_rate != SAMPLE_RATE:
        raise AudioError(
            f"audio at {sample_rate} Hz given to the recognizer, which needs {SAMPLE_RATE} Hz "
            "mono int16; load files with audio.wav.load_pcm16k (it converts any WAV)"
        )
    if len(pcm) % SAMPLE_WIDTH:
        raise AudioError(
            f"audio of {len(pcm)} bytes is not whole 16-bit samples; "
            "pass 16 kHz mono int16 PCM (audio.wav.load_pcm16k converts any WAV)"
        )


def check_sample_rate(sample_rate: int, engine: str) -> None:
    """Refuse to build an engine for a rate other than the app's one."""
    if sample_rate != SAMPLE_RATE:
        raise AudioError(
            f"{engine} was asked to decode {sample_rate} Hz audio but the app feeds it "
            f"{SAMPLE_RATE} Hz mono int16; convert the audio first (audio.wav.load_pcm16k)"
        )


def transcribe_pcm(
    recognizer: Recognizer,
    pcm: bytes,
    context: str | None = None,
    start: int = 0,
    sample_rate: int = SAMPLE_RATE,
) -> Utterance:
    """Hear a whole buffer of 16 kHz mono int16 PCM as one utterance."""
    check_pcm(pcm, sample_rate)
    recognizer.begin(context, start)
    for frame in split_into_frames(pcm, start):
        recognizer.accept(frame)
    return recognizer.end()


def empty_utterance(start: int, end: int) -> Utterance:
    """The result when nothing was said between samples `start` and `end`."""
    return Utterance("", to_seconds(start), to_seconds(end), 0.0)


def clean_words(words: list[str]) -> str:
    """Join recognised words, dropping engine markers like [unk], <sil> and alternates' (2)."""
    kept = []
    for word in words:
        if not word or word.startswith(("<", "[", "+")):
            continue
        kept.append(word.split("(", 1)[0].lower())
    return " ".join(kept)
