"""Find catalogue cues inside an answer and weigh them, minding negation and "but".

An answer is seen as a sequence of word stems. A cue matches in order, allowing a
few extra words inside it ("texted me back" meets the cue "texted back"). A cue after
a negation ("you didn't ignore me") counts for the opposite intent instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from intents.normalise import stem

Cue = tuple[str, ...]
"""A cue as a sequence of words (stems, for cues; plain words, for negators)."""

# Extra words allowed between the words of a cue: "pulled your hand away" meets
# "pulled away", and a recognizer's inserted word does not break a cue.
MAX_GAP = 2
# ... but each extra word makes the hit weaker evidence than an exact one.
GAP_DISCOUNT = 0.75
# How far back (in words) a negation reaches: "i do not think you are overreacting".
NEGATION_REACH = 4
HINT_WEIGHT = 0.5
LEAD_WEIGHT = 1.0
# Longer cues are more specific: each extra word adds this much weight.
PER_EXTRA_WORD = 0.25
# A negated cue counts this much for the opposite intent.
FLIP_WEIGHT = 1.0
# In "sorry, but you are overreacting" the clause after "but" is what was meant.
AFTER_BUT = 1.3
BEFORE_BUT = 0.7
# Beyond the strongest cue, further cues add only this fraction (they often overlap).
EXTRA_CUE_SHARE = 0.3


@dataclass(frozen=True)
class CueEntry:
    """One cue, ready to weigh."""

    cue: Cue
    weight: float
    flips: bool
    """Whether a negation before it makes it count for the opposite intent."""
    self_negated: bool
    """Whether it carries its own negation ("never texted"): then it never flips."""


@dataclass(frozen=True)
class CueSet:
    """Evidence for one intent or category.

    cues flip to the opposite under negation; topics (what a need is about, such as
    "hug" or "text back") count either way; hints are weak; leads count only first.
    """

    cues: tuple[Cue, ...] = ()
    topics: tuple[Cue, ...] = ()
    hints: tuple[Cue, ...] = ()
    leads: frozenset[str] = frozenset()
    negators: tuple[Cue, ...] = ()
    by_first: Mapping[str, tuple[CueEntry, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Indexed by first stem, so weighing an answer looks up only its own words.
        negator_stems = [tuple(stem(w) for w in n) for n in self.negators]
        index: dict[str, list[CueEntry]] = {}
        kinds = ((self.cues, 1.0, True), (self.topics, 1.0, False), (self.hints, HINT_WEIGHT, True))
        for cues, base, flips in kinds:
            for cue in cues:
                self_negated = any(_find(cue, n) for n in negator_stems)
                weight = base * (1.0 + PER_EXTRA_WORD * (len(cue) - 1))
                index.setdefault(cue[0], []).append(CueEntry(cue, weight, flips, self_negated))
        object.__setattr__(self, "by_first", {k: tuple(v) for k, v in index.items()})


@dataclass(frozen=True)
class Negation:
    """The words that negate a cue, and the clause words that stop a negation."""

    negators: tuple[Cue, ...]
    breakers: frozenset[str]


@dataclass(frozen=True)
class Answer:
    """One normalised answer: its words, their stems, where each stem is, the last "but"."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    positions: Mapping[str, tuple[int, ...]]
    last_but: int

    @classmethod
    def of(cls, words: Sequence[str], stems: Sequence[str]) -> Answer:
        positions: dict[str, list[int]] = {}
        for i, word_stem in enumerate(stems):
            positions.setdefault(word_stem, []).append(i)
        last_but = max((i for i, w in enumerate(words) if w == "but"), default=-1)
        return cls(
            tuple(words), tuple(stems), {k: tuple(v) for k, v in positions.items()}, last_but
        )


@dataclass(frozen=True)
class Weight:
    """Evidence for an intent (own) and for its opposite (from negated cues)."""

    own: float = 0.0
    flipped: float = 0.0


def _span(stems: Sequence[str], start: int, cue: Cue) -> int | None:
    """The last position of `cue` if it occurs from `start` on, in order, with small gaps."""
    if start >= len(stems) or stems[start] != cue[0]:
        return None
    at = start
    for part in cue[1:]:
        for step in range(1, MAX_GAP + 2):
            if at + step < len(stems) and stems[at + step] == part:
                at += step
                break
        else:
            return None
    return at


def _find(stems: Sequence[str], cue: Cue) -> list[tuple[int, int]]:
    """(first, last) positions of every occurrence of `cue` in `stems`."""
    found = []
    for start in range(len(stems)):
        last = _span(stems, start, cue)
        if last is not None:
            found.append((start, last))
    return found


def _negated(words: Sequence[str], start: int, negation: Negation) -> bool:
    """Whether a negation in the few words before `start` reaches the cue there.

    A clause word in between stops it: in "i do not see what the problem is" the
    "not" belongs to "see", not to "what the problem is".
    """
    if words[start] in negation.breakers:
        return False
    before = words[max(0, start - NEGATION_REACH) : start]
    last = max((end for n in negation.negators for _, end in _find(before, n)), default=-1)
    return last >= 0 and not any(w in negation.breakers for w in before[last + 1 :])


def _position_factor(answer: Answer, start: int) -> float:
    if answer.last_but < 0:
        return 1.0
    return AFTER_BUT if start > answer.last_but else BEFORE_BUT


def _combine(weights: list[float]) -> float:
    if not weights:
        return 0.0
    strongest = max(weights)
    return strongest + EXTRA_CUE_SHARE * (sum(weights) - strongest)


def weigh(answer: Answer, evidence: CueSet, negation: Negation) -> Weight:
    """How strongly `answer` speaks for (and, through negation, against) a cue set."""
    own: list[float] = []
    # Negated hits, and the spans of cues that carry their own negation ("never
    # texted back"): inside those, "texted back" is the complaint, not negated.
    negated_hits: list[tuple[int, float]] = []
    negative_spans: list[range] = []
    for first, starts in answer.positions.items():
        for entry in evidence.by_first.get(first, ()):
            for start in starts:
                last = _span(answer.stems, start, entry.cue)
                if last is None:
                    continue
                gaps = (last - start + 1) - len(entry.cue)
                weight = entry.weight * GAP_DISCOUNT**gaps * _position_factor(answer, start)
                if entry.self_negated:
                    negative_spans.append(range(start, last + 1))
                if (
                    entry.flips
                    and not entry.self_negated
                    and _negated(answer.words, start, negation)
                ):
                    negated_hits.append((start, weight))
                else:
                    own.append(weight)
    flipped: list[float] = []
    for start, weight in negated_hits:
        if any(start in span for span in negative_spans):
            own.append(weight)
        else:
            flipped.append(weight * FLIP_WEIGHT)
    # An opening "no" or "yeah" is a separate signal from the cues, so it adds in full.
    lead = LEAD_WEIGHT if answer.stems and answer.stems[0] in evidence.leads else 0.0
    return Weight(_combine(own) + lead, _combine(flipped))
