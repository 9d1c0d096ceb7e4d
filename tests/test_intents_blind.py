"""Blind set A: 335 answers by a writer who never saw the catalogue (now a regression test).

Scored on the matcher as it was BEFORE any change for issue 19: intent 66.6% (79.9% on
the 279 answers whose labels existed in that catalogue), need category 72.9%. After
that score was taken the set became a regression test, no longer evidence: the
matcher's engineer has read it (never copying its answers into intents/phrasings/,
which tests/test_intents_semantic.py checks). Blind set B, by another writer, is held
back and scored only at the end of the issue.

The floors come from the issue's targets (intent 95%, category 92%) less a margin for
sampling noise: one standard error is about 1.2 points on 335 answers and 2.7 points on
its 96 unmet needs, so the floors sit two and three points under the targets. Two
labels are known to disagree with the product: "the" in wake_request starts the
check-in (README: silence starts it), and "ill pass on this one" is a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from intents_helpers import accuracy, load_labelled

from intents import match

BLIND_A = Path(__file__).parent / "data" / "intents" / "blind_a.toml"
DEV_F = Path(__file__).parent / "data" / "intents" / "dev_f.toml"
"""Development set F: 396 answers by writer F, from the brief only (no catalogue, no other
set seen). Scored once when it arrived, on the matcher as it then stood (the encoder with a
regression fitted on writers C and D-E's phrasings): intent 91.2%, category 90.8%. It was
then used to choose the neighbour blend and the category cue weight (intents/semantic.py,
intents/matcher.py), so it is a regression test, not evidence. Blind set B is the evidence."""
BLIND_B = Path(__file__).parent / "data" / "intents" / "blind_b_held_back.toml"
"""Blind set B: 343 answers by writer B, from the brief only, held back for the whole issue.
Scored once before any change (intent 64.1%, category 63.0%) and once at the end, after the
last change to intents/ (2026-12-02): intent 95.3%, need category 92.0% (appreciation 98.0%,
need 93.5%, response 95.8%, wake requests 93.9%). From then on a regression test."""
INTENT_FLOOR = 0.93
CATEGORY_FLOOR = 0.89


@pytest.mark.parametrize(
    ("path", "size"), [(BLIND_A, 335), (DEV_F, 396), (BLIND_B, 343)], ids=["A", "F", "B"]
)
def test_each_set_is_the_recorded_one_and_holds_its_floors(path: Path, size: int) -> None:
    examples = load_labelled(path)
    assert len(examples) == size
    assert {e.context for e in examples} == {"appreciation", "need", "response", "wake_request"}
    result = accuracy(examples, match)
    misses = "\n".join(
        f"[{e.context}] {e.text!r}: wanted {e.intent}/{e.category}, got {m.intent}/{m.category}"
        for e, m in result.misses
    )
    print(f"\n{path.stem}: intent {result.intent:.1%}, category {result.category:.1%}")
    assert result.intent >= INTENT_FLOOR, misses
    assert result.category >= CATEGORY_FLOOR, misses
