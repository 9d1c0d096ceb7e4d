"""PocketSphinx 5 with its bundled US English model: the engine that needs no download.

Free answers are decoded with the full language model. For short-answer contexts
(yes/no, what to do after the wake phrase) a short hypothesis is checked again
against a JSGF grammar of the expected phrases and the more confident reading
wins: a grammar alone would force any free sentence into "i did", so it only
ever arbitrates between readings of an answer that is already short.

Confidence: `Decoder.hyp().prob` is the posterior of the whole word sequence, so
it shrinks with every word (0.004 for a clean 12-word sentence); the mean of
the per-word posteriors from `Decoder.seg()` is used instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pocketsphinx import Decoder

from audio.frames import Frame
from voice.recognizers.base import (
    LoudnessGate,
    Utterance,
    check_sample_rate,
    clean_words,
    empty_utterance,
)
from voice.recognizers.lexicon import decoder_dictionary, full_pronunciation
from voice.recognizers.phrases import constrained_phrases, normalise, reread_limit
from voice.recognizers.pronounce import add_words, guess_phones
from voice.recognizers.registry import Located

SAMPLES_PER_FRAME = 160
"""PocketSphinx analyses 100 frames per second: 160 samples at 16 kHz."""

PARTIAL_EVERY = 10
"""Ask for a partial hypothesis every this many 30 ms blocks: it costs a backtrace."""

GRAMMAR_MARGIN = 0.1
"""The grammar reading wins unless the free reading is this much more confident."""


class PocketSphinxRecognizer:
    """The built-in recognizer. One instance decodes one utterance at a time."""

    name = "pocketsphinx"

    def __init__(self, vocabulary: Sequence[str] = (), sample_rate: int = 16_000) -> None:
        check_sample_rate(sample_rate, "PocketSphinx")
        self._decoder = Decoder(loglevel="FATAL", dict=str(decoder_dictionary()))
        self._vocabulary = tuple(vocabulary)
        self.guessed_words = self._add_vocabulary(self._vocabulary)
        self._grammars: dict[str, int] = {}
        self._gate = LoudnessGate()
        self._context: str | None = None
        self._origin = 0
        self._fed = 0
        self._blocks = 0
        self._partial = ""
        self._audio: list[bytes] = []
        self._started = False

    def _add_vocabulary(self, vocabulary: Sequence[str]) -> dict[str, str]:
        """Add unknown words (partners' names) to the dictionary and the language model."""
        unknown = {
            word: phones
            for name in vocabulary
            for word in normalise(name).split()
            if self._decoder.lookup_word(word) is None
            and (phones := full_pronunciation(word) or guess_phones(word))
        }
        add_words(self._decoder, unknown)
        return unknown

    def _grammar_for(self, context: str | None) -> tuple[str, int] | None:
        """The JSGF search for a short-answer context, built on first use."""
        if context is None:
            return None
        if context not in self._grammars:
            phrases = [
                phrase
                for phrase in constrained_phrases(context, self._vocabulary)
                if all(self._decoder.lookup_word(word) for word in phrase.split())
            ]
            if not phrases:
                return None
            rule = " | ".join(phrases)
            grammar = f"#JSGF V1.0;\ngrammar {context};\npublic <answer> = {rule};\n"
            self._decoder.add_jsgf_string(f"grammar_{context}", grammar)
            self._grammars[context] = max(len(phrase.split()) for phrase in phrases)
        return f"grammar_{context}", self._grammars[context]

    def begin(self, context: str | None = None, start: int = 0) -> None:
        """Start an utterance at sample `start` (the first frame's stamp takes precedence)."""
        if self._started:
            self._decoder.end_utt()
        self._context = context
        self._origin = start
        self._fed = 0
        self._blocks = 0
        self._partial = ""
        self._audio = []
        self._gate.reset()
        self._decoder.activate_search()
        self._decoder.start_utt()
        self._started = True

    def accept(self, frame: Frame) -> str | None:
        """Feed a frame; return the partial text when it changed."""
        if not self._started:
            self.begin(self._context, frame.start)
        if self._fed == 0:
            self._origin = frame.start
        self._decoder.process_raw(frame.pcm)
        self._gate.feed(frame.pcm)
        self._fed += frame.n_samples
        if self._context is not None:
            self._audio.append(frame.pcm)
        self._blocks += 1
        if self._blocks % PARTIAL_EVERY:
            return None
        hypothesis = self._decoder.hyp()
        partial = clean_words(hypothesis.hypstr.split()) if hypothesis else ""
        if partial == self._partial:
            return None
        self._partial = partial
        return partial

    def heard_so_far(self) -> str:
        """The first reading's words up to the audio fed so far."""
        if not self._started:
            return ""
        hypothesis = self._decoder.hyp()
        return clean_words(hypothesis.hypstr.split()) if hypothesis else ""

    def end(self) -> Utterance:
        """Finish the utterance and return what was said."""
        if not self._started:
            return empty_utterance(self._origin, self._origin)
        self._decoder.end_utt()
        self._started = False
        if not self._gate.heard_sound:
            return empty_utterance(self._origin, self._origin + self._fed)
        best = self._reading()
        grammar = self._grammar_for(self._context)
        # Only an answer already short enough to be one of the phrases is re-read.
        limit = reread_limit(self._context)
        longest = grammar[1] if grammar is not None else 0
        if grammar is not None and len(best.text.split()) <= min(longest, limit or longest):
            constrained = self._decode_again(grammar[0])
            if constrained.text and constrained.confidence >= best.confidence - GRAMMAR_MARGIN:
                best = constrained
        return best

    def _decode_again(self, search: str) -> Utterance:
        self._decoder.activate_search(search)
        try:
            self._decoder.start_utt()
            self._decoder.process_raw(b"".join(self._audio), full_utt=True)
            self._decoder.end_utt()
            return self._reading()
        finally:
            self._decoder.activate_search()

    def _reading(self) -> Utterance:
        """The decoder's current result, placed on the audio clock."""
        words = [
            segment
            # seg() is None, not empty, when a grammar search found no path through the audio.
            for segment in self._decoder.seg() or ()
            if clean_words([segment.word])
        ]
        if not words:
            return empty_utterance(self._origin, self._origin + self._fed)
        text = clean_words([segment.word for segment in words])
        confidence = sum(segment.prob for segment in words) / len(words)
        start = self._origin + words[0].start_frame * SAMPLES_PER_FRAME
        end = self._origin + (words[-1].end_frame + 1) * SAMPLES_PER_FRAME
        return Utterance(text, start / 16_000, end / 16_000, min(1.0, max(0.0, confidence)))


def locate(explicit: Path | None, configured: Path | None, strict: bool) -> Located:
    """The model ships inside the pocketsphinx wheel, so it is always there."""
    return Located(None, "PocketSphinx (built-in US English model)")


def load(model: Path | None, vocabulary: Sequence[str]) -> PocketSphinxRecognizer:
    return PocketSphinxRecognizer(vocabulary)
