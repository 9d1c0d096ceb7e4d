"""The fuzzy part (rapidfuzz): whole-answer commands, near-verbatim examples, misheard words.

Edit distance is what it is good at: an answer that is nearly word for word a known
one ("skip this one please", "i hear ya"), and a recognizer's slip inside a word
("interupted" -> "interrupted"). It never looks for a command inside a longer
answer: "thank you for not stopping the movie" is an appreciation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from intents.catalogue import Catalogue, ContextSpec
from intents.examples import Example, examples
from intents.normalise import strip_phrases

Scorer = Callable[..., float]


@dataclass(frozen=True)
class Scorers:
    """The rapidfuzz scorers and cut-offs the matcher uses (swappable to measure them)."""

    command: Scorer
    command_cutoff: float
    phrase: Scorer
    phrase_floor: float


# Chosen by measurement on tests/data/intents/labelled.toml (tests/test_intents_scorers.py
# reruns it). Subset-friendly scorers (token_set, partial, WRatio) fire commands inside
# ordinary answers ("stop" in "thank you for not stopping the movie"); ratio is the
# plainest of the best, and word order matters in speech.
DEFAULT_SCORERS = Scorers(
    command=fuzz.ratio, command_cutoff=85.0, phrase=fuzz.ratio, phrase_floor=70.0
)

# A command is a short answer; anything longer is an ordinary answer.
MAX_COMMAND_WORDS = 9
LOOSE_COMMAND_SCORE = 60.0
# An example this close (ratio) to the whole answer decides it: a slip or two apart.
VERBATIM_CUTOFF = 90.0
# A whole-answer similarity above the phrase floor is worth up to this much evidence.
PHRASE_EVIDENCE = 2.5
# Misheard words are snapped to the closest catalogue word only when long enough
# for edit distance to mean something, and never to a much shorter or longer word.
SNAP_MIN_LENGTH = 5
SNAP_CUTOFF = 84.0
MAX_CHARS_WORD = 4


def command(
    words: list[str], spec: ContextSpec, catalogue: Catalogue, scorers: Scorers
) -> tuple[tuple[str, float] | None, tuple[str, float] | None]:
    """(a sure command, a possible one), each as (name, score).

    Sure: the whole answer, politeness words dropped, is close to a command phrase.
    Possible: every word is command vocabulary and a command phrase is among them
    ("can you say that one more time"); it wins only where nothing else has evidence.
    """
    if not spec.commands:
        return None, None
    core = strip_phrases(" ".join(words), catalogue.politeness) or " ".join(words)
    if not core or len(core.split()) > MAX_COMMAND_WORDS:
        return None, None
    best: tuple[str, float] | None = None
    for name in spec.commands:
        # processor=None: both sides are already normalised by the catalogue's Normaliser.
        found = process.extractOne(
            core, catalogue.commands[name], scorer=scorers.command, processor=None,
            score_cutoff=scorers.command_cutoff,
        )
        if found is not None and (best is None or found[1] > best[1]):
            best = (name, float(found[1]))
    if best is not None:
        return best, None
    core_words = set(core.split())
    if not core_words <= _command_vocabulary(catalogue):
        return None, None
    contained: tuple[str, int] | None = None
    for name in spec.commands:
        for phrase in catalogue.commands[name]:
            phrase_words = set(phrase.split())
            if phrase_words <= core_words and not phrase_words <= catalogue.noise:
                if contained is None or len(phrase_words) > contained[1]:
                    contained = (name, len(phrase_words))
    return None, None if contained is None else (contained[0], LOOSE_COMMAND_SCORE)


@lru_cache(maxsize=8)
def _command_vocabulary(catalogue: Catalogue) -> frozenset[str]:
    words = {w for phrases in catalogue.commands.values() for p in phrases for w in p.split()}
    return frozenset(words | catalogue.noise)


def verbatim(joined: str, context: str, catalogue: Catalogue) -> tuple[Example, float] | None:
    """The example answer nearly identical to the whole answer, with its ratio."""
    rows, texts = _examples(catalogue, context)
    found = process.extractOne(
        joined, texts, scorer=fuzz.ratio, processor=None, score_cutoff=VERBATIM_CUTOFF
    )
    return None if found is None else (rows[found[2]], float(found[1]))


@lru_cache(maxsize=32)
def _examples(catalogue: Catalogue, context: str) -> tuple[tuple[Example, ...], tuple[str, ...]]:
    rows = examples(catalogue).get(context, ())
    return rows, tuple(e.text for e in rows)


def phrase_evidence(joined: str, spec: ContextSpec, scorers: Scorers) -> dict[str, float]:
    """Per intent: how close the whole answer is to one of its catalogue phrases."""
    evidence = {}
    for intent in spec.intents:
        if not intent.phrases or not joined:
            continue
        found = process.extractOne(
            joined, intent.phrases, scorer=scorers.phrase, processor=None,
            score_cutoff=scorers.phrase_floor,
        )
        if found is not None:
            span = 100.0 - scorers.phrase_floor
            evidence[intent.name] = PHRASE_EVIDENCE * (found[1] - scorers.phrase_floor) / span
    return evidence


@lru_cache(maxsize=8192)
def snap(catalogue: Catalogue, word_stem: str) -> str:
    """The catalogue word a misheard or misspelt word most likely was (or itself)."""
    if len(word_stem) < SNAP_MIN_LENGTH or word_stem in _vocabulary_set(catalogue):
        return word_stem
    candidates = _vocabulary_by_length(catalogue).get(len(word_stem), ())
    found = process.extractOne(
        word_stem, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=SNAP_CUTOFF
    )
    return word_stem if found is None else str(found[0])


@lru_cache(maxsize=8)
def _vocabulary_set(catalogue: Catalogue) -> frozenset[str]:
    return frozenset(catalogue.vocabulary)


@lru_cache(maxsize=8)
def _vocabulary_by_length(catalogue: Catalogue) -> dict[int, tuple[str, ...]]:
    """Catalogue words that could reach SNAP_CUTOFF against a word of each length.

    ratio = 2 * matches / (len(a) + len(b)), so words whose lengths differ by more
    than this can never score high enough: leaving them out changes no result.
    """
    longest = max((len(w) for w in catalogue.vocabulary), default=0) + 1
    by_length: dict[int, tuple[str, ...]] = {}
    for length in range(SNAP_MIN_LENGTH, longest + MAX_CHARS_WORD):
        by_length[length] = tuple(
            w
            for w in catalogue.vocabulary
            if 2 * min(length, len(w)) / (length + len(w)) * 100 >= SNAP_CUTOFF
        )
    return by_length
