"""The cue part: catalogue cues weighed in an answer, minding negation and "but".

`cue_evidence` gives, per intent of a context, how strongly the catalogue's cues
speak for it (a negated cue counts for the opposite intent), and the best-supported
unmet-need category. The matcher adds this to the semantic evidence; without an
encoder (a translator's own catalogue) it decides alone, with whole-answer phrase
similarity and the context's fallback, as the matcher always did before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from intents.catalogue import OTHER_CATEGORY, UNMET_NEED, Catalogue, ContextSpec
from intents.evidence import Answer, CueSet, Negation, Weight, weigh

# Evidence needed to call an intent confidently (one clear cue, or a lead word).
MIN_EVIDENCE = 0.9
# Evidence needed to name a category rather than "other" (more than a lone hint).
MIN_CATEGORY_EVIDENCE = 0.75
FALLBACK_SCORE = 50.0
EMPTY_SCORE = 20.0


@dataclass(frozen=True)
class CueEvidence:
    """Cue evidence for each intent of a context, and for each unmet-need category."""

    intents: dict[str, float]
    categories: dict[str, float]
    negated: dict[str, float] = field(default_factory=dict)
    """The part of `intents` that came from negated cues of the opposite intent."""

    def category(self) -> str:
        """The best-supported category, or "other" when none has more than a hint."""
        best = max(self.categories, key=lambda c: self.categories[c], default=OTHER_CATEGORY)
        if self.categories.get(best, 0.0) < MIN_CATEGORY_EVIDENCE:
            return OTHER_CATEGORY
        return best


def cue_evidence(answer: Answer, spec: ContextSpec, catalogue: Catalogue) -> CueEvidence:
    negation = _negation(catalogue)
    weights = {intent.name: weigh(answer, intent.evidence, negation) for intent in spec.intents}
    totals = {name: weight.own for name, weight in weights.items()}
    negated = dict.fromkeys(totals, 0.0)
    for intent in spec.intents:
        if intent.opposite in totals:
            totals[intent.opposite] += weights[intent.name].flipped
            negated[intent.opposite] += weights[intent.name].flipped
    categories: dict[str, float] = {}
    if UNMET_NEED in totals:
        flipped = 0.0
        for name, evidence in catalogue.categories.items():
            weight = weigh(answer, evidence, negation)
            categories[name] = weight.own
            flipped = max(flipped, weight.flipped)
        totals[UNMET_NEED] += max(categories.values(), default=0.0)
        for intent in spec.intents:
            if intent.name != UNMET_NEED and intent.opposite == UNMET_NEED:
                # "you didn't ignore me today": a negated complaint means there was none.
                totals[intent.name] += flipped
                negated[intent.name] += flipped
    elif spec.complaints_mean is not None and spec.complaints_mean in totals:
        # Complaint words where an appreciation was asked for. Only the general
        # complaint cues count: "hug" or "phone" are as likely to be thanked for.
        totals[spec.complaints_mean] += weigh(answer, _complaints(catalogue), negation).own
    return CueEvidence(totals, categories, negated)


def decide(
    evidence: CueEvidence, phrase: dict[str, float], spec: ContextSpec, substantive: bool
) -> tuple[str | None, str | None, float]:
    """(intent, category, score) from cues and phrase similarity alone, with the fallback."""
    totals = {name: value + phrase.get(name, 0.0) for name, value in evidence.intents.items()}
    category = evidence.category()
    best = max(totals, key=lambda name: totals[name]) if totals else None
    if best is not None and totals[best] >= MIN_EVIDENCE:
        return best, category, min(100.0, 40.0 + 20.0 * totals[best])
    if spec.fallback is not None and (substantive or spec.fallback == spec.empty):
        return spec.fallback, category, FALLBACK_SCORE if substantive else EMPTY_SCORE
    value = totals[best] if best is not None else 0.0
    return None, None, min(45.0, 45.0 * value / MIN_EVIDENCE)


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


__all__ = ["CueEvidence", "Weight", "cue_evidence", "decide"]
