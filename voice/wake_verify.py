"""The wake detector's strict second stage: does this short utterance say the wake phrase?

Each candidate is decoded by PocketSphinx over one small grammar: the wake phrase
alone, or any sequence of rival words. The rivals are common short words plus
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

import numpy as np
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
    """Mean posterior-like acoustic confidence of the wake words (0..1), 0 when rejected."""
    end_frame: int | None
    """10 ms frame (from the candidate's start) where the wake phrase ended, when accepted."""
    heard: str
    """What the grammar decode heard (the wake phrase or rival words), for diagnostics."""


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


class WakeVerifier:
    """Decides whether a candidate utterance is the wake phrase and nothing else."""

    def __init__(self, phrase: str, sensitivity: float = 0.5) -> None:
        self.words = phrase_words(phrase)
        if not 1 <= len(self.words) <= 6:
            raise CheckinError(
                f"wake phrase {phrase!r} must have 1 to 6 words: set a short phrase with "
                "--phrase or wake_phrase in the config file"
            )
        # Dither: digital silence (zeros) would otherwise give -inf log energies.
        self._decoder = Decoder(
            loglevel="FATAL", lm=None, fwdflat=False, bestpath=False, dither=True
        )
        unknown = [w for w in self.words if self._decoder.lookup_word(w) is None]
        if unknown:
            raise CheckinError(
                f"wake phrase word(s) {', '.join(unknown)} are not in the pronunciation "
                f"dictionary {dictionary_path()}: choose common English words with --phrase "
                "or wake_phrase in the config file"
            )
        rivals = " | ".join(sorted(rival_words(tuple(self.words))))
        weight = wake_weight(sensitivity)
        body = f"/{weight:.6f}/ ({' '.join(self.words)}) | /1/ <other>+"
        self._decoder.add_jsgf_string("wake", _grammar(body, rivals))
        self._decoder.activate_search("wake")

    def verify(self, pcm: bytes) -> Verdict:
        """Decode one candidate (16 kHz int16 PCM, a pause either side)."""
        self._decoder.start_utt()
        self._decoder.process_raw(_with_room_floor(pcm), False, True)
        self._decoder.end_utt()
        hyp = self._decoder.hyp()
        heard = hyp.hypstr if hyp is not None else ""
        if heard.split() != self.words:
            return Verdict(False, 0.0, None, heard)
        segments = [seg for seg in self._decoder.seg() if seg.word in self.words]
        score = math.exp(sum(math.log(max(seg.prob, 1e-9)) for seg in segments) / len(segments))
        return Verdict(True, score, segments[-1].end_frame + 1, heard)


def _with_room_floor(pcm: bytes) -> bytes:
    """Add a faint fixed noise floor (about -66 dBFS): the acoustic model never heard digital
    silence, and runs of exact zeros before a phrase derail its normalisation."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32)
    floor = np.random.default_rng(0).integers(-30, 31, samples.size)
    return np.clip(samples + floor, -32768, 32767).astype("<i2").tobytes()


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
    """Main pronunciation of every plain word in the dictionary (alternates like 'word(2)' skipped)."""
    entries: dict[str, tuple[str, ...]] = {}
    with dictionary_path().open(encoding="utf-8") as lines:
        for line in lines:
            word, *phones = line.split()
            if "(" not in word and word.isalpha() and phones:
                entries[word] = tuple(phones)
    return entries

