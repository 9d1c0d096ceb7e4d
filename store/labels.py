"""Category labels, suggestions and every sentence the log shows, loaded from labels.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from store.vocabulary import CATEGORIES


@dataclass(frozen=True)
class Labels:
    """Human words for the weekly log."""

    categories: dict[str, str]
    short: dict[str, str]
    suggestions: dict[str, tuple[str, ...]]
    answers: dict[str, str]
    research_ratio: float
    ratio_note: str
    patterns: dict[str, str]
    page: dict[str, str]
    trends: dict[str, str]
    notes: dict[str, str]

    def category(self, code: str | None) -> str:
        """The label of a category code (the code itself if unknown)."""
        return self.categories.get(code or "other", code or "other")

    def short_category(self, code: str | None) -> str:
        """The short label for narrow columns (the full label if none)."""
        return self.short.get(code or "other", self.category(code))

    def join(self, items: Sequence[str]) -> str:
        """"A", "A and B", "A, B and C"."""
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.page['and']} {items[-1]}"

    def couple(self, names: Sequence[str]) -> str:
        """The partners' names for a title; the neutral title when there are none."""
        return self.join(list(names)) if names else self.page["nobody"]


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
        short={code: str(item.get("short", item["label"])) for code, item in categories.items()},
        suggestions={code: tuple(item["suggestions"]) for code, item in categories.items()},
        answers={key: str(value) for key, value in data["answers"].items()},
        research_ratio=float(data["ratio"]["research"]),
        ratio_note=str(data["ratio"]["note"]),
        patterns={key: str(value) for key, value in data["patterns"].items()},
        page={key: str(value) for key, value in data["page"].items()},
        trends={key: str(value) for key, value in data["trends"].items()},
        notes={key: str(value) for key, value in data["notes"].items()},
    )
