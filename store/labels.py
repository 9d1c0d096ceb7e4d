"""Category labels and gentle suggestions for people, loaded from labels.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from store.vocabulary import CATEGORIES


@dataclass(frozen=True)
class Labels:
    """Human words for the weekly log."""

    categories: dict[str, str]
    suggestions: dict[str, tuple[str, ...]]
    answers: dict[str, str]
    research_ratio: float
    ratio_note: str

    def category(self, code: str | None) -> str:
        """The label of a category code (the code itself if unknown)."""
        return self.categories.get(code or "other", code or "other")


@cache
def load_labels() -> Labels:
    """Read store/labels.toml once; every category must have a label and suggestions."""
    data = tomllib.loads(resources.files("store").joinpath("labels.toml").read_text("utf-8"))
    categories = data["categories"]
    missing = [code for code in CATEGORIES if code not in categories]
    if missing:
        raise RuntimeError(f"store/labels.toml lacks categories: {', '.join(missing)}")
    return Labels(
        categories={code: str(item["label"]) for code, item in categories.items()},
        suggestions={code: tuple(item["suggestions"]) for code, item in categories.items()},
        answers={key: str(value) for key, value in data["answers"].items()},
        research_ratio=float(data["ratio"]["research"]),
        ratio_note=str(data["ratio"]["note"]),
    )
