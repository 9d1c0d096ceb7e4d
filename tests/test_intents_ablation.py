"""What each part of the matcher contributes (intents/matcher.py: fuzzy, cue, semantic).

Each part is switched off in turn over the labelled set and blind set A; the whole
matcher must be at least as accurate as every matcher with a part missing. Run with
`-s` to print the table that benchmarks/RESULTS.md records. The labelled set flatters
the cue rules (many were written against it); blind set A does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from intents_helpers import Accuracy, Example, accuracy, load_labelled

from intents import load_catalogue
from intents.matcher import DEFAULT_SCORERS, Parts, match_with

BLIND_A = Path(__file__).parent / "data" / "intents" / "blind_a.toml"
SETS = {"labelled": load_labelled(), "blind A": load_labelled(BLIND_A)}
WITHOUT = {
    "all parts": Parts(),
    "no fuzzy": Parts(fuzzy=False),
    "no cue": Parts(cue=False),
    "no semantic": Parts(semantic=False),
    "semantic only": Parts(fuzzy=False, cue=False),
}


def _score(examples: list[Example], parts: Parts) -> Accuracy:
    catalogue = load_catalogue()
    return accuracy(
        examples, lambda text, context: match_with(text, context, catalogue, DEFAULT_SCORERS, parts)
    )


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, Accuracy]]:
    results = {
        name: {s: _score(ex, parts) for s, ex in SETS.items()} for name, parts in WITHOUT.items()
    }
    print("\nmatcher ablation: intent / need category accuracy")
    for name, row in results.items():
        cells = "  ".join(f"{s} {a.intent:.1%} / {a.category:.1%}" for s, a in row.items())
        print(f"  {name:14} {cells}")
    return results


def _combined(row: dict[str, Accuracy]) -> float:
    total = sum(len(ex) for ex in SETS.values())
    return sum(row[s].intent * len(ex) for s, ex in SETS.items()) / total


@pytest.mark.parametrize("ablated", ["no fuzzy", "no cue", "no semantic", "semantic only"])
def test_every_part_earns_its_place(table: dict[str, dict[str, Accuracy]], ablated: str) -> None:
    assert _combined(table["all parts"]) > _combined(table[ablated])


def test_the_semantic_part_is_what_generalises(table: dict[str, dict[str, Accuracy]]) -> None:
    # On answers nobody tuned cues against, rules alone fall far behind.
    blind = {name: row["blind A"] for name, row in table.items()}
    assert blind["all parts"].intent - blind["no semantic"].intent >= 0.10
    assert blind["all parts"].category - blind["no semantic"].category >= 0.10


def test_cues_name_categories_better_than_embeddings_alone(
    table: dict[str, dict[str, Accuracy]],
) -> None:
    assert table["all parts"]["blind A"].category > table["no cue"]["blind A"].category
