"""Shared helpers for the intent tests: the labelled set and its accuracy."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from intents import Match

LABELLED = Path(__file__).parent / "data" / "intents" / "labelled.toml"


@dataclass(frozen=True)
class Example:
    """One labelled answer: the context it was given in and what it should mean."""

    context: str
    text: str
    intent: str | None
    category: str | None


def load_labelled(path: Path = LABELLED) -> list[Example]:
    """Every labelled answer, in file order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    examples = []
    for context, labels in data.items():
        for label, texts in labels.items():
            intent, _, category = label.partition("/")
            for text in texts:
                examples.append(
                    Example(context, text, None if intent == "none" else intent, category or None)
                )
    return examples


@dataclass(frozen=True)
class Accuracy:
    """Intent accuracy over all examples; category accuracy over the unmet needs."""

    intent: float
    category: float
    misses: list[tuple[Example, Match]]


def accuracy(examples: list[Example], matcher: Callable[[str, str], Match]) -> Accuracy:
    """Run `matcher` over `examples` and score it."""
    right = 0
    category_right = 0
    category_total = 0
    misses = []
    for example in examples:
        result = matcher(example.text, example.context)
        ok = result.intent == example.intent
        if example.category is not None:
            category_total += 1
            if ok and result.category == example.category:
                category_right += 1
            else:
                ok = False
        right += ok
        if not ok:
            misses.append((example, result))
    return Accuracy(
        intent=right / len(examples),
        category=category_right / category_total if category_total else 1.0,
        misses=misses,
    )
