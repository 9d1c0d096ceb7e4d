"""The wake detector's strict second stage: does this short utterance say the wake phrase?

Each candidate is read twice by PocketSphinx. First the phrase is force-aligned to
it and scored, per frame and per word, against a free phone loop over the same
frames (a likelihood ratio): other talk and most near misses fit the phone loop
far better. Then it is decoded over one small grammar: the wake phrase alone, or
any sequence of rival words. The rivals are common short words plus
dictionary words that sound like the wake words or their run-togethers
("chicken", "kitchen", "paycheck" for "hey check in"), but never the wake words
themselves. A near miss ("hey chicken", "they checked in", "check in opens at
noon") then finds a rival path that explains the audio better, so the wake phrase
is accepted only when it beats every rival on the acoustics. Sensitivity is the
prior weight of the wake branch against the rival branch.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pocketsphinx import Decoder, get_model_path
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from voice.errors import CheckinError

_WORDS_TOML = "wake_words.toml"
FRAMES_PER_SECOND = 100
"""PocketSphinx's feature frame rate (10 ms frames)."""


@dataclass(frozen=True)
class Verdict:
    """What the verifier concluded about one candidate."""

    accepted: bool
    score: float
    """Confidence that the candidate is the wake phrase (0..1)."""
    end_frame: int | None
    """10 ms frame (from the candidate's start) where the wake phrase ended, when accepted."""
    heard: str
    """What the rival-word grammar heard (the wake phrase or rival words), for diagnostics."""
    fit: float | None = None
    """Per-frame log-likelihood of the phrase's forced alignment minus a free phone loop over the
    same frames (PocketSphinx log units; nearer 0 is a better fit); None if it cannot align."""
    worst_word_fit: float | None = None
    """The same for the word that fits worst: a near miss ("hey jack") fails on one word."""


def dictionary_path() -> Path:
    """The US English pronunciation dictionary that ships with the pocketsphinx wheel."""
    return Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"


def phrase_words(phrase: str) -> list[str]:
    """The lower-case words of `phrase` (hyphens and commas split words)."""
    cleaned = "".join(c if c.isalnum() or c == "'" else " " for c in phrase.lower())
    return cleaned.split()


def wake_weight(sensitivity: float) -> float:
    """Prior weight of the wake branch: 1 at sensitivity 0.5, x100 at 1, /100 at 0."""
    if not 0.0 <= sensitivity <= 1.0:
        raise CheckinError(
            f"sensitivity {sensitivity} is out of range: use a value from 0 to 1 with --sensitivity"
        )
    return 10.0 ** (4.0 * (sensitivity - 0.5))


@dataclass(frozen=True)
class FitThresholds:
    """Acceptance by phrase fit alone (measured on the TUNING stream; see the module notes)."""

    fit: float
    worst_word_fit: float
    give_up: float
    """Below this fit the candidate is not worth the rival-word decode (saves CPU)."""


def fit_thresholds(sensitivity: float) -> FitThresholds:
    """Stricter below 0.5, more lenient above; 0.5 kept every TUNING near miss out."""
    eager = 2.0 * (sensitivity - 0.5)
    return FitThresholds(-16_000.0 - 6_000.0 * eager, -14_000.0 - 8_000.0 * eager, -32_000.0)


class WakeVerifier:
    """Decides whether a candidate utterance is the wake phrase and nothing else.

    Two readings, either of which may accept (both are strict on their own):
    - fit: the phrase force-aligned to the candidate against a free phone loop, per
      frame and for its worst word; a near miss or other talk fits a free phone loop
      far better than it fits the phrase;
    - rivals: a grammar decode where the phrase competes with rival words that sound
      like it; the phrase must win outright.
    """

    def __init__(self, phrase: str, sensitivity: float = 0.5) -> None:
        self.words = phrase_words(phrase)
        if not 1 <= len(self.words) <= 6:
            raise CheckinError(
                f"wake phrase {phrase!r} must have 1 to 6 words: set a short phrase with "
                "--phrase or wake_phrase in the config file"
            )
        # Dither (fixed seed, so a file always gives the same answer): digital silence would
        # otherwise give -inf log energies. No noise
        # removal: on short candidates it has no time to learn the room and garbles the onset.
        common = {"loglevel": "FATAL", "dither": True, "seed": 1, "remove_noise": False}
        self._decoder = Decoder(lm=None, fwdflat=False, bestpath=False, **common)
        unknown = [w for w in self.words if self._decoder.lookup_word(w) is None]
        if unknown:
            raise CheckinError(
                f"wake phrase word(s) {', '.join(unknown)} are not in the pronunciation "
                f"dictionary {dictionary_path()}: choose common English words with --phrase "
                "or wake_phrase in the config file"
            )
        self.thresholds = fit_thresholds(_checked(sensitivity))
        rivals = " | ".join(sorted(rival_words(tuple(self.words))))
        weight = wake_weight(sensitivity)
        body = f"/{weight:.6f}/ ({' '.join(self.words)}) | /1/ <other>+"
        self._decoder.add_jsgf_string("wake", _grammar(body, rivals))
        self._decoder.activate_search("wake")
        self._aligner = Decoder(lm=None, **common)
        phone_lm = Path(get_model_path()) / "en-us" / "en-us-phone.lm.bin"
        self._phones = Decoder(lm=None, allphone=str(phone_lm), **common)

    def verify(self, pcm: bytes) -> Verdict:
        """Decode one candidate (16 kHz int16 PCM, a pause either side)."""
        fit = self._fit(pcm)
        if fit is None or fit[0] < self.thresholds.give_up:
            return Verdict(False, 0.0, None, "", *(fit[:2] if fit else (None, None)))
        overall, worst, end_frame = fit
        by_fit = overall > self.thresholds.fit and worst > self.thresholds.worst_word_fit
        heard = _decode(self._decoder, pcm)
        by_rivals = heard.split() == self.words
        score = 1.0 / (1.0 + math.exp(-(overall - self.thresholds.fit) / 3_000.0))
        if not (by_fit or by_rivals):
            return Verdict(False, round(score, 3), None, heard, overall, worst)
        return Verdict(True, max(score, 0.01), end_frame, heard, overall, worst)

    def _fit(self, pcm: bytes) -> tuple[float, float, int] | None:
        """(per-frame fit, worst word's fit, end frame) of the phrase, None if it cannot align."""
        self._aligner.set_align_text(" ".join(self.words))
        if not _decode(self._aligner, pcm):
            return None
        words = [
            (seg.start_frame, seg.end_frame, _log(seg.ascore))
            for seg in self._aligner.seg()
            if seg.word in self.words
        ]
        _decode(self._phones, pcm)
        loop = [(seg.start_frame, seg.end_frame, _log(seg.ascore)) for seg in self._phones.seg()]
        if not words:
            return None
        fits, total, frames = [], 0.0, 0
        for start, end, score in words:
            # The loop's phones rarely share the words' edges: share their scores by overlap.
            free = sum(
                phone_score * (min(end, p_end) - max(start, p_start) + 1) / (p_end - p_start + 1)
                for p_start, p_end, phone_score in loop
                if min(end, p_end) >= max(start, p_start)
            )
            n = end - start + 1
            fits.append((score - free) / n)
            total += score - free
            frames += n
        return total / frames, min(fits), words[-1][1] + 1


def _checked(sensitivity: float) -> float:
    wake_weight(sensitivity)
    return sensitivity


def _decode(decoder: Decoder, pcm: bytes) -> str:
    decoder.start_utt()
    decoder.process_raw(pcm, False, True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


_LOG_BASE = math.log(1.0001)


def _log(value: float) -> float:
    """PocketSphinx's Python API hands scores back exponentiated: undo it (its log base)."""
    return math.log(max(value, 1e-300)) / _LOG_BASE


def _grammar(body: str, others: str) -> str:
    rules = ["#JSGF V1.0;", "grammar wake;", f"public <utt> = {body};", f"<other> = {others};"]
    return "\n".join(rules) + "\n"


@lru_cache(maxsize=8)
def rival_words(words: tuple[str, ...]) -> frozenset[str]:
    """Filler words plus dictionary words that sound close to the wake words, minus the wake words.

    A rival must never spell the wake phrase itself (it would tie with it), so the
    wake words and exact homophones of any run of them are left out.
    """
    settings = tomllib.loads(resources.files("voice").joinpath(_WORDS_TOML).read_text("utf-8"))
    pronunciations = _dictionary()
    targets = [pronunciations[w] for w in words]
    runs = [
        sum(targets[i:j], ()) for i in range(len(targets)) for j in range(i + 1, len(targets) + 1)
    ]
    forbidden = {run for run in runs}
    rivals = {w for w in settings["filler"]["words"] if w in pronunciations}
    rivals |= _neighbours(runs, pronunciations, settings["neighbours"])
    return frozenset(w for w in rivals if pronunciations[w] not in forbidden or w in words)


def _neighbours(
    runs: list[tuple[str, ...]], pronunciations: dict[str, tuple[str, ...]], settings: dict
) -> set[str]:
    names = list(pronunciations)
    phones = sorted({p for pron in pronunciations.values() for p in pron})
    code = {p: chr(0x100 + i) for i, p in enumerate(phones)}
    encoded = ["".join(code[p] for p in pronunciations[name]) for name in names]
    found: set[str] = set()
    for run in runs:
        query = "".join(code[p] for p in run)
        matches = process.extract(
            query,
            encoded,
            scorer=Levenshtein.distance,
            score_cutoff=int(settings["max_edits"]),
            limit=int(settings["per_target"]) + 4,
        )
        found |= {names[index] for _, distance, index in matches if distance > 0}
    return found


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, tuple[str, ...]]:
    """Main pronunciation of each plain word in the dictionary (alternates 'word(2)' skipped)."""
    entries: dict[str, tuple[str, ...]] = {}
    with dictionary_path().open(encoding="utf-8") as lines:
        for line in lines:
            word, *phones = line.split()
            if "(" not in word and word.isalpha() and phones:
                entries[word] = tuple(phones)
    return entries

