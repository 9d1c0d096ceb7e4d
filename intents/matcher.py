"""The matcher: what a partner's answer means, given the question just asked.

`match(text, context)` is a pure function of the text, the context and the
catalogue. "No confident match" is a result (`Match(None, None, score)`), never an
exception, so the dialogue can ask again instead of logging noise.

How an answer is read, in order:
1. Commands (skip, repeat, stop) count only when they are the WHOLE answer, after
   politeness words are dropped: "skip please" skips; "thank you for not stopping
   the movie" is an appreciation.
2. Content intents are weighed from catalogue cues (minding negation and "but")
   plus the similarity of the whole answer to the intent's example phrasings.
3. Substantive text that nothing claims takes the context's fallback (an
   appreciation, or an unmet need of category "other"); noise ("the", "um") never does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from intents.catalogue import (
    CONTEXTS,
    OTHER_CATEGORY,
    UNMET_NEED,
    Catalogue,
    ContextSpec,
    load_catalogue,
)
from intents.evidence import Answer, CueSet, Negation, Weight, weigh
from intents.normalise import stem, strip_phrases

__all__ = ["CONTEXTS", "Match", "Scorers", "match", "match_with"]

Scorer = Callable[..., float]


@dataclass(frozen=True)
class Match:
    """What an answer means in its context."""

    intent: str | None
    """The intent, or None when nothing matched confidently (noise, unclear)."""
    category: str | None
    """The unmet-need category; set only when intent == "unmet_need"."""
    score: float
    """Confidence, 0..100."""


@dataclass(frozen=True)
class Scorers:
    """The rapidfuzz scorers and cut-offs the matcher uses (swappable to measure them)."""

    command: Scorer
    command_cutoff: float
    phrase: Scorer
    phrase_floor: float


# Chosen by measurement on tests/data/intents/labelled.toml (808 answers;
# tests/test_intents_scorers.py reruns it, `pytest -s` prints the table).
# Intent accuracy with each phrase scorer (command scorer fixed at ratio):
#   ratio 99.9%  QRatio 99.9%  token_sort_ratio 99.8%  token_set_ratio 97.8%
#   WRatio 97.6%  partial_ratio 91.1%
# and with each command scorer (phrase scorer fixed at ratio):
#   ratio 99.9%  QRatio 99.9%  token_sort_ratio 99.9%  token_set_ratio 92.9%
#   WRatio 43.8%  partial_ratio 88.2%
# Subset-friendly scorers (token_set, partial, WRatio) fire commands inside ordinary
# answers ("stop" in "thank you for not stopping the movie"), the failure the product
# must not have. ratio is the plainest of the best, and word order matters in speech.
DEFAULT_SCORERS = Scorers(
    command=fuzz.ratio, command_cutoff=85.0, phrase=fuzz.ratio, phrase_floor=70.0
)

# The score of a command found inside a few extra command words.
LOOSE_COMMAND_SCORE = 60.0
# A command is a short answer; anything longer is an ordinary answer.
MAX_COMMAND_WORDS = 9
# Misheard words are snapped to the closest catalogue word only when long enough
# for edit distance to mean something.
SNAP_MIN_LENGTH = 5
SNAP_CUTOFF = 84.0
# Words longer than any catalogue word by this much are never snapped.
MAX_CHARS_WORD = 4
# Evidence needed to call an intent confidently (one clear cue, or a lead word).
MIN_EVIDENCE = 0.9
# Evidence needed to name a category rather than "other" (more than a lone hint).
MIN_CATEGORY_EVIDENCE = 0.75
# A whole-answer similarity this far above the floor is worth this much evidence.
PHRASE_EVIDENCE = 2.5
FALLBACK_SCORE = 50.0
EMPTY_SCORE = 20.0


def match(text: str, context: str, catalogue: Catalogue | None = None) -> Match:
    """What `text` (an answer to the question `context`) means.

    Raises ValueError only for an unknown context (a programming error); any text
    at all, including empty or huge input, gives a Match.
    """
    return match_with(text, context, catalogue or load_catalogue(), DEFAULT_SCORERS)


def match_with(text: str, context: str, catalogue: Catalogue, scorers: Scorers) -> Match:
    """`match` with explicit scorers: used to measure alternatives."""
    spec = catalogue.contexts.get(context)
    if spec is None:
        raise ValueError(
            f"unknown context {context!r}; expected one of {sorted(catalogue.contexts)}"
        )
    words = catalogue.normaliser.words(text if isinstance(text, str) else "")
    substantive = [w for w in words if w not in catalogue.noise]
    if not substantive and not words:
        return _empty(spec)

    command, possible_command = _command(words, spec, catalogue, scorers)
    if command is not None:
        return command

    answer = Answer.of(words, [_snap(catalogue, stem(w)) for w in words])
    content = _content(answer, " ".join(words), spec, catalogue, scorers, bool(substantive))
    if possible_command is not None and content.score <= FALLBACK_SCORE:
        return possible_command
    return content


def _empty(spec: ContextSpec) -> Match:
    if spec.empty is not None:
        return Match(spec.empty, None, EMPTY_SCORE)
    return Match(None, None, 0.0)


def _command(
    words: list[str], spec: ContextSpec, catalogue: Catalogue, scorers: Scorers
) -> tuple[Match | None, Match | None]:
    """(a sure command, a possible one) for an answer.

    Sure: the whole answer is close to a command phrase ("skip please").
    Possible: every word of the answer is command vocabulary and it contains a
    command phrase ("can you say that one more time"); it wins only over the
    context's fallback, never over real content evidence ("what do you want").
    """
    if not spec.commands:
        return None, None
    core = strip_phrases(" ".join(words), catalogue.politeness) or " ".join(words)
    if not core or len(core.split()) > MAX_COMMAND_WORDS:
        return None, None
    sure = _best_command(core, spec, catalogue, scorers.command, scorers.command_cutoff)
    if sure is not None:
        return sure, None
    core_words = set(core.split())
    if not core_words <= _command_vocabulary(catalogue):
        return None, None
    return None, _contained_command(core_words, spec, catalogue)


def _contained_command(
    core_words: set[str], spec: ContextSpec, catalogue: Catalogue
) -> Match | None:
    """The longest command phrase whose words all occur in the answer (not noise alone)."""
    best: tuple[str, int] | None = None
    for name in spec.commands:
        for phrase in catalogue.commands[name]:
            phrase_words = set(phrase.split())
            if phrase_words <= core_words and not phrase_words <= catalogue.noise:
                if best is None or len(phrase_words) > best[1]:
                    best = (name, len(phrase_words))
    return None if best is None else Match(best[0], None, LOOSE_COMMAND_SCORE)


def _best_command(
    core: str, spec: ContextSpec, catalogue: Catalogue, scorer: Scorer, cutoff: float
) -> Match | None:
    best: tuple[str, float] | None = None
    for name in spec.commands:
        # processor=None on purpose: both sides are already normalised by the catalogue's
        # Normaliser (rapidfuzz 3 does no lowercasing or trimming by itself).
        found = process.extractOne(
            core, catalogue.commands[name], scorer=scorer, processor=None, score_cutoff=cutoff
        )
        if found is not None and (best is None or found[1] > best[1]):
            best = (name, float(found[1]))
    return None if best is None else Match(best[0], None, round(best[1], 1))


@lru_cache(maxsize=8)
def _command_vocabulary(catalogue: Catalogue) -> frozenset[str]:
    words = {w for phrases in catalogue.commands.values() for p in phrases for w in p.split()}
    return frozenset(words | catalogue.noise)


def _phrase_evidence(joined: str, phrases: tuple[str, ...], scorers: Scorers) -> float:
    if not phrases or not joined:
        return 0.0
    found = process.extractOne(
        joined, phrases, scorer=scorers.phrase, processor=None, score_cutoff=scorers.phrase_floor
    )
    if found is None:
        return 0.0
    return PHRASE_EVIDENCE * (found[1] - scorers.phrase_floor) / (100.0 - scorers.phrase_floor)


def _content(
    answer: Answer,
    joined: str,
    spec: ContextSpec,
    catalogue: Catalogue,
    scorers: Scorers,
    substantive: bool,
) -> Match:
    weights: dict[str, Weight] = {
        intent.name: weigh(answer, intent.evidence, _negation(catalogue)) for intent in spec.intents
    }
    totals = {
        intent.name: weights[intent.name].own + _phrase_evidence(joined, intent.phrases, scorers)
        for intent in spec.intents
    }
    for intent in spec.intents:
        if intent.opposite in totals:
            totals[intent.opposite] += weights[intent.name].flipped

    category, category_weight = _category(answer, catalogue)
    if UNMET_NEED in totals:
        totals[UNMET_NEED] += category_weight.own
        for intent in spec.intents:
            if intent.name != UNMET_NEED and intent.opposite == UNMET_NEED:
                # "you didn't ignore me today": a negated complaint means there was none.
                totals[intent.name] += category_weight.flipped
    elif spec.complaints_mean is not None:
        # A plain complaint where an appreciation was asked for: there was nothing.
        # Only the general complaint cues count: topics like "hug" or "phone" are
        # as likely to be what someone is thankful for.
        totals[spec.complaints_mean] += weigh(
            answer, _complaints(catalogue), _negation(catalogue)
        ).own

    best_name = max(totals, key=lambda name: totals[name]) if totals else None
    if best_name is not None and totals[best_name] >= MIN_EVIDENCE:
        return _result(best_name, category, _evidence_score(totals[best_name]))
    if spec.fallback is not None and (substantive or spec.fallback == spec.empty):
        score = FALLBACK_SCORE if substantive else EMPTY_SCORE
        return _result(spec.fallback, category, score)
    best = totals[best_name] if best_name is not None else 0.0
    return Match(None, None, round(min(45.0, 45.0 * best / MIN_EVIDENCE), 1))


def _result(intent: str, category: str, score: float) -> Match:
    return Match(intent, category if intent == UNMET_NEED else None, round(score, 1))


def _evidence_score(evidence: float) -> float:
    return min(100.0, 40.0 + 20.0 * evidence)


def _category(answer: Answer, catalogue: Catalogue) -> tuple[str, Weight]:
    """The best-supported unmet-need category ("other" when none has a real cue).

    Hints alone (a stray "talking") are too weak to name a category.
    """
    best_name, best = OTHER_CATEGORY, Weight()
    flipped = 0.0
    for name, evidence in catalogue.categories.items():
        weight = weigh(answer, evidence, _negation(catalogue))
        flipped = max(flipped, weight.flipped)
        if weight.own > best.own:
            best_name, best = name, weight
    if best.own < MIN_CATEGORY_EVIDENCE:
        best_name = OTHER_CATEGORY
    return best_name, Weight(best.own, flipped)


@lru_cache(maxsize=8192)
def _snap(catalogue: Catalogue, word_stem: str) -> str:
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


@lru_cache(maxsize=8)
def _negation(catalogue: Catalogue) -> Negation:
    return Negation(catalogue.negators, catalogue.breakers)


@lru_cache(maxsize=8)
def _complaints(catalogue: Catalogue) -> CueSet:
    """The general complaint cues of the need question's unmet_need intent."""
    need = catalogue.contexts.get("need")
    for intent in need.intents if need is not None else ():
        if intent.name == UNMET_NEED:
            return CueSet(cues=intent.evidence.cues, negators=catalogue.negators)
    return CueSet()
