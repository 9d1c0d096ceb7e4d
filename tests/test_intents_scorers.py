"""The measurement behind the matcher's rapidfuzz scorers (see intents/fuzzy.py).

Each alternative scorer is run over the whole labelled set; the chosen ones must be
at least as accurate as every alternative. Rerun with `-s` to print the table
(benchmarks/RESULTS.md keeps its history).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from intents_helpers import accuracy, load_labelled
from rapidfuzz import fuzz

from intents import load_catalogue
from intents.matcher import DEFAULT_SCORERS, Scorer, Scorers, match_with

ALTERNATIVES: dict[str, Scorer] = {
    "ratio": fuzz.ratio,
    "QRatio": fuzz.QRatio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "WRatio": fuzz.WRatio,
    "partial_ratio": fuzz.partial_ratio,
}


def _intent_accuracy(scorers: Scorers) -> float:
    catalogue = load_catalogue()
    examples = load_labelled()
    return accuracy(
        examples, lambda text, context: match_with(text, context, catalogue, scorers)
    ).intent


def _with(role: str, scorer: Scorer) -> Scorers:
    if role == "phrase":
        return replace(DEFAULT_SCORERS, phrase=scorer)
    return replace(DEFAULT_SCORERS, command=scorer)


@pytest.mark.parametrize("role", ["phrase", "command"])
def test_the_chosen_scorer_is_the_most_accurate(role: str) -> None:
    results = {name: _intent_accuracy(_with(role, scorer)) for name, scorer in ALTERNATIVES.items()}
    table = "  ".join(f"{name} {value:.1%}" for name, value in results.items())
    print(f"\n{role} scorer intent accuracy: {table}")
    assert _intent_accuracy(DEFAULT_SCORERS) >= max(results.values())
