"""The matcher: what a partner's answer means, given the question just asked.

`match(text, context)` is a pure function of the text, the context and the catalogue
(with its example phrasings and fitted weights). "No confident match" is a result
(`Match(None, None, score)`), never an exception, so the dialogue can ask again.

Three parts, each doing what it is good at (their shares are measured in
tests/test_intents_ablation.py):
1. fuzzy (rapidfuzz): a whole answer that is a command ("skip please", "hang on"),
   or nearly word for word a known example, decides at once. It never looks for a
   command inside a longer answer.
2. noise: an answer made only of noise words ("the", "uh the") is no answer.
3. semantic + cue: the encoder's per-context regression gives each intent a
   probability; catalogue cues (minding negation) add a little evidence on top, in
   log-odds, and the unmet-need category is chosen the same way. "none" (room
   noise, the television) and a winner below MIN_PROBABILITY are no match.
Without the encoder (a translator's catalogue has no fitted weights) cues and
phrase similarity decide alone, with the context's fallback.

`Match.decided_by` names the part whose evidence separated the winner from the
runner-up: "fuzzy", "cue" or "semantic".
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

from intents import fuzzy, rules, semantic
from intents.catalogue import CONTEXTS, UNMET_NEED, Catalogue, ContextSpec, load_catalogue
from intents.evidence import Answer
from intents.examples import NONE_LABEL, Example
from intents.fuzzy import DEFAULT_SCORERS, Scorer, Scorers
from intents.normalise import stem

__all__ = ["CONTEXTS", "DEFAULT_SCORERS", "Match", "Parts", "Scorer", "Scorers", "match",
           "match_with"]

log = logging.getLogger("checkin.intents")
log.addHandler(logging.NullHandler())

CUE, FUZZY, SEMANTIC = "cue", "fuzzy", "semantic"


@dataclass(frozen=True)
class Match:
    """What an answer means in its context."""

    intent: str | None
    """The intent, or None when nothing matched confidently (noise, unclear)."""
    category: str | None
    """The unmet-need category; set only when intent == "unmet_need"."""
    score: float
    """Confidence, 0..100."""
    decided_by: str | None = field(default=None, compare=False)
    """Which part decided: "fuzzy", "cue" or "semantic" (None for an empty answer)."""


@dataclass(frozen=True)
class Parts:
    """Which parts are switched on (all, in the app; fewer, to measure each one)."""

    fuzzy: bool = True
    cue: bool = True
    semantic: bool = True


ALL_PARTS = Parts()
# Cue evidence counts this much (in log-odds) beside the semantic probabilities, for
# intents and for categories. Chosen on development set F (benchmarks/RESULTS.md).
CUE_WEIGHT = 0.5
CATEGORY_CUE_WEIGHT = 1.0
# A negated cue ("you didn't ignore me") counts this much for the opposite intent:
# sentence embeddings barely see negation, the cue rules do.
NEGATION_WEIGHT = 2.0
# Below this the semantic+cue winner is a guess: no match, so the dialogue asks again.
MIN_PROBABILITY = 0.3
# One word ("banana", "kettle") is as likely room noise as an answer: it needs more.
MIN_ONE_WORD_PROBABILITY = 0.5
# A command made of command words ("say that one more time") gives way only to this.
SURE_PROBABILITY = 0.8


def match(text: str, context: str, catalogue: Catalogue | None = None) -> Match:
    """What `text` (an answer to the question `context`) means.

    Raises ValueError only for an unknown context (a programming error); any text
    at all, including empty or huge input, gives a Match.
    """
    return match_with(text, context, catalogue or load_catalogue(), DEFAULT_SCORERS)


def match_with(
    text: str, context: str, catalogue: Catalogue, scorers: Scorers, parts: Parts = ALL_PARTS
) -> Match:
    """`match` with explicit scorers and parts: used to measure alternatives."""
    spec = catalogue.contexts.get(context)
    if spec is None:
        raise ValueError(
            f"unknown context {context!r}; expected one of {sorted(catalogue.contexts)}"
        )
    text = text if isinstance(text, str) else ""
    words = catalogue.normaliser.words(text)
    if not words or all(w in catalogue.noise for w in words):
        return _sound(text, words, spec, catalogue, parts)
    joined = " ".join(words)
    possible = None
    if parts.fuzzy:
        sure, possible = fuzzy.command(words, spec, catalogue, scorers)
        if sure is not None:
            return Match(sure[0], None, round(sure[1], 1), FUZZY)
        near = fuzzy.verbatim(joined, context, catalogue)
        if near is not None:
            return _from_example(near[0], near[1], spec)
    snapped = [fuzzy.snap(catalogue, stem(w)) if parts.fuzzy else stem(w) for w in words]
    answer = Answer.of(words, snapped)
    evidence = rules.cue_evidence(answer, spec, catalogue)
    if not parts.cue:
        evidence = rules.CueEvidence({k: 0.0 for k in evidence.intents}, {})
    model = _model(catalogue, context) if parts.semantic else None
    if model is None:
        return _by_rules(joined, evidence, possible, spec, scorers, parts)
    return _fused(joined, len(words), evidence, model, spec, possible)


def _empty(spec: ContextSpec, decided_by: str | None = None) -> Match:
    if spec.empty is not None:
        return Match(spec.empty, None, rules.EMPTY_SCORE, decided_by)
    return Match(None, None, 0.0, decided_by)


def _sound(
    text: str, words: list[str], spec: ContextSpec, catalogue: Catalogue, parts: Parts
) -> Match:
    """An answer of only fillers and noise words: no answer, unless it is a known one.

    "mm" is an acknowledgement and "uh huh" a yes where examples say so; "um the" never.
    """
    if parts.fuzzy:
        kept = " ".join(catalogue.normaliser.words(text, keep_fillers=True))
        near = fuzzy.verbatim(kept, spec.name, catalogue) if kept else None
        if near is not None:
            return _from_example(near[0], near[1], spec)
    return _empty(spec, CUE if words else None)


def _from_example(example: Example, ratio: float, spec: ContextSpec) -> Match:
    if example.label == NONE_LABEL:
        return Match(None, None, 0.0, FUZZY)
    category = example.category if example.intent == UNMET_NEED else None
    return Match(example.intent, category, round(ratio, 1), FUZZY)


def _by_rules(
    joined: str, evidence: rules.CueEvidence, possible: tuple[str, float] | None,
    spec: ContextSpec, scorers: Scorers, parts: Parts,
) -> Match:
    """Cues and phrase similarity alone (no encoder), as before the semantic part."""
    phrase = fuzzy.phrase_evidence(joined, spec, scorers) if parts.fuzzy else {}
    intent, category, score = rules.decide(evidence, phrase, spec, substantive=True)
    if possible is not None and score <= rules.FALLBACK_SCORE:
        return Match(possible[0], None, possible[1], FUZZY)
    if intent is None:
        return Match(None, None, round(score, 1), CUE)
    return Match(intent, category if intent == UNMET_NEED else None, round(score, 1), CUE)


def _fused(
    joined: str, word_count: int, evidence: rules.CueEvidence, model: tuple[semantic.Model, Embed],
    spec: ContextSpec, possible: tuple[str, float] | None,
) -> Match:
    regression, embed = model
    probabilities = regression.probabilities(embed(joined))
    allowed = {i.name for i in spec.intents} | set(spec.commands) | {NONE_LABEL}
    if word_count > fuzzy.MAX_COMMAND_WORDS:
        allowed -= set(spec.commands)  # a long answer is an answer, not a command
    by_intent: dict[str, float] = {}
    by_category: dict[str, float] = {}
    for label, p in probabilities.items():
        intent, _, kind = label.partition("/")
        if intent in allowed:
            by_intent[intent] = by_intent.get(intent, 0.0) + p
            if kind:
                by_category[kind] = by_category.get(kind, 0.0) + p
    if not by_intent:
        return Match(None, None, 0.0, SEMANTIC)
    sem = {name: math.log(max(p, 1e-9)) for name, p in by_intent.items()}
    cue = {
        name: CUE_WEIGHT * evidence.intents.get(name, 0.0)
        + (NEGATION_WEIGHT - CUE_WEIGHT) * evidence.negated.get(name, 0.0)
        for name in by_intent
    }
    totals = {name: sem[name] + cue[name] for name in by_intent}
    ranked = sorted(totals, key=lambda name: totals[name], reverse=True)
    best = ranked[0]
    posterior = _softmax(totals)[best]
    decided_by = SEMANTIC
    if len(ranked) > 1:
        second = ranked[1]
        if cue[best] - cue[second] > sem[best] - sem[second]:
            decided_by = CUE
    if possible is not None and best not in spec.commands and posterior < SURE_PROBABILITY:
        # Every word is command vocabulary ("can you say that one more time").
        return Match(possible[0], None, possible[1], FUZZY)
    floor = MIN_PROBABILITY if word_count > 1 else MIN_ONE_WORD_PROBABILITY
    # One odd word ("kettle") is a command only when fuzzy knew it as one ("pardon").
    one_word_command = word_count == 1 and best in spec.commands
    if best == NONE_LABEL or posterior < floor or one_word_command:
        return Match(None, None, round(100 * posterior, 1), decided_by)
    category = _category(by_category, evidence) if best == UNMET_NEED else None
    return Match(best, category, round(100 * posterior, 1), decided_by)


def _category(by_category: dict[str, float], evidence: rules.CueEvidence) -> str:
    total = sum(by_category.values()) or 1.0
    scores = {
        name: math.log(max(p / total, 1e-9))
        + CATEGORY_CUE_WEIGHT * evidence.categories.get(name, 0.0)
        for name, p in by_category.items()
    }
    return max(scores, key=lambda name: scores[name])


def _softmax(values: dict[str, float]) -> dict[str, float]:
    top = max(values.values())
    exp = {k: math.exp(v - top) for k, v in values.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


Embed = semantic.Embed
_WARNED: set[str] = set()


def _model(catalogue: Catalogue, context: str) -> tuple[semantic.Model, Embed] | None:
    """The context's regression and the encoder, or None when either is missing."""
    loaded = semantic.load(catalogue)
    if loaded is None or context not in loaded[0]:
        return None
    from intents.encoder import Encoder, EncoderUnavailable

    try:
        encoder = Encoder.shared()
    except EncoderUnavailable as error:
        if "encoder" not in _WARNED:
            _WARNED.add("encoder")
            log.warning("matching without the sentence encoder: %s", error)
        return None
    return loaded[0][context], encoder.encode
