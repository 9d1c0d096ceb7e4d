"""The words the store understands: entry kinds and unmet-need categories.

Labels and suggestions for people live in labels.toml; these are the stored codes.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = ("appreciation", "unmet_need", "response")
CATEGORIES: tuple[str, ...] = (
    "no_response",
    "dismissed",
    "unacknowledged_effort",
    "avoided_affection",
    "distracted",
    "cancelled_plans",
    "sarcasm",
    "other",
)


def check_entry_fields(kind: str, category: str | None, validated: bool | None) -> None:
    """Raise ValueError when an entry's kind, category and validated do not fit together."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if kind == "unmet_need":
        if category not in CATEGORIES:
            raise ValueError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    elif category is not None:
        raise ValueError(f"only an unmet_need has a category, not a {kind}")
    if kind == "response":
        if not isinstance(validated, bool):
            raise ValueError("a response needs validated=True or validated=False")
    elif validated is not None:
        raise ValueError(f"only a response is validated, not a {kind}")

FORMATS: tuple[str, ...] = ("md", "html", "csv", "json")
"""What `checkin export --format` writes."""
