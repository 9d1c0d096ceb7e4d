"""Vosk (Kaldi) recognizer, loaded only from a model folder on disk.

`vosk.Model(lang=...)` is never used: it downloads at run time and calls
sys.exit(1) when that fails. The folder is validated before Kaldi sees it,
because Kaldi aborts the whole process on some corrupt files.

Short-answer contexts use a phrase-list grammar plus "[unk]"; when the answer
was outside the list (any "[unk]"), the same audio is decoded again freely, so
an unexpected answer is transcribed rather than lost.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import vosk

from audio.frames import SAMPLE_RATE, Frame
from voice.errors import CheckinError
from voice.recognizers.base import (
    LoudnessGate,
    Utterance,
    check_sample_rate,
    clean_words,
    empty_utterance,
)
from voice.recognizers.models import validate_model
from voice.recognizers.phrases import constrained_phrases, reread_limit

UNKNOWN = "[unk]"

FREE_BLOCK_BYTES = 16_000
"""Half a second of audio per call when decoding a buffered answer again."""


class VoskRecognizer:
    """A Vosk model from a folder. One instance decodes one utterance at a time."""

    name = "vosk"

    def __init__(
        self, model_path: Path, vocabulary: Sequence[str] = (), sample_rate: int = SAMPLE_RATE
    ) -> None:
        check_sample_rate(sample_rate, "Vosk")
        validate_model(model_path)
        vosk.SetLogLevel(-1)
        try:
            self._model = vosk.Model(model_path=str(model_path))
        except Exception as error:  # vosk raises a bare Exception when Kaldi refuses the files
            raise CheckinError(
                f"Vosk could not load the model at {model_path} ({error}); run "
                "`checkin model download` or point --model at an unpacked Vosk model folder"
            ) from error
        self.model_path = model_path
        # Some models (the small Korean one) have no [unk] word to stand for the rest.
        self._unknown = [UNKNOWN] if self._model.vosk_model_find_word(UNKNOWN) >= 0 else []
        self._vocabulary = tuple(vocabulary)
        self._gate = LoudnessGate()
        self._recognizer: Any = None
        self._constrained = False
        self._origin = 0
        self._fed = 0
        self._words: list[dict[str, Any]] = []
        self._audio: list[bytes] = []
        self._partial = ""

    def _known_phrases(self, phrases: Sequence[str]) -> list[str]:
        """The phrases whose every word the model knows (Kaldi warns and drops the rest)."""
        return [
            phrase
            for phrase in phrases
            if all(self._model.vosk_model_find_word(word) >= 0 for word in phrase.split())
        ]

    def _new_recognizer(self, phrases: Sequence[str]) -> Any:
        if phrases:
            recognizer = vosk.KaldiRecognizer(
                self._model, SAMPLE_RATE, json.dumps([*phrases, *self._unknown])
            )
        else:
            recognizer = vosk.KaldiRecognizer(self._model, SAMPLE_RATE)
        recognizer.SetWords(True)
        return recognizer

    def begin(self, context: str | None = None, start: int = 0) -> None:
        """Start an utterance at sample `start` (the first frame's stamp takes precedence)."""
        # Free answers (contexts that only re-read short answers in PocketSphinx) stay free:
        # a Vosk grammar would force every sentence into one of the command phrases.
        free = reread_limit(context) is not None
        phrases = (
            [] if free else self._known_phrases(constrained_phrases(context, self._vocabulary))
        )
        self._constrained = bool(phrases)
        self._recognizer = self._new_recognizer(phrases)
        self._origin = start
        self._fed = 0
        self._words = []
        self._audio = []
        self._partial = ""
        self._gate.reset()

    def accept(self, frame: Frame) -> str | None:
        """Feed a frame; return the partial text when it changed."""
        if self._recognizer is None:
            self.begin(None, frame.start)
        if self._fed == 0:
            self._origin = frame.start
        self._fed += frame.n_samples
        self._gate.feed(frame.pcm)
        if self._constrained:
            self._audio.append(frame.pcm)
        if self._recognizer.AcceptWaveform(frame.pcm):
            # Vosk ended a segment on its own (a pause): keep its words, go on.
            self._words.extend(json.loads(self._recognizer.Result()).get("result", []))
            partial = ""
        else:
            partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
        heard = clean_words([str(word["word"]) for word in self._words] + partial.split())
        if heard == self._partial:
            return None
        self._partial = heard
        return heard

    def heard_so_far(self) -> str:
        """The words Vosk has settled plus its current partial."""
        if self._recognizer is None:
            return ""
        partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
        return clean_words([str(word["word"]) for word in self._words] + partial.split())

    def end(self) -> Utterance:
        """Finish the utterance and return what was said."""
        if self._recognizer is None:
            return empty_utterance(self._origin, self._origin)
        self._words.extend(json.loads(self._recognizer.FinalResult()).get("result", []))
        self._recognizer = None
        if not self._gate.heard_sound:
            return empty_utterance(self._origin, self._origin + self._fed)
        if self._constrained and any(word["word"] == UNKNOWN for word in self._words):
            self._words = self._decode_freely(b"".join(self._audio))
        return self._reading()

    def _decode_freely(self, pcm: bytes) -> list[dict[str, Any]]:
        recognizer = self._new_recognizer(())
        words: list[dict[str, Any]] = []
        # Fed in blocks, as live, so every segment Vosk ends on a pause is collected.
        step = FREE_BLOCK_BYTES
        for offset in range(0, len(pcm), step):
            if recognizer.AcceptWaveform(pcm[offset : offset + step]):
                words.extend(json.loads(recognizer.Result()).get("result", []))
        words.extend(json.loads(recognizer.FinalResult()).get("result", []))
        return words

    def _reading(self) -> Utterance:
        words = [word for word in self._words if clean_words([str(word["word"])])]
        if not words:
            return empty_utterance(self._origin, self._origin + self._fed)
        origin_s = self._origin / SAMPLE_RATE
        confidence = sum(float(word.get("conf", 0.0)) for word in words) / len(words)
        return Utterance(
            clean_words([str(word["word"]) for word in words]),
            origin_s + float(words[0]["start"]),
            origin_s + float(words[-1]["end"]),
            min(1.0, max(0.0, confidence)),
        )


def load(model: Path | None, vocabulary: Sequence[str]) -> VoskRecognizer:
    if model is None:
        raise CheckinError("Vosk needs a model folder; point --model at an unpacked Vosk model")
    return VoskRecognizer(model, vocabulary)
