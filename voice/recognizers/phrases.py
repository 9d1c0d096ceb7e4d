"""The short answers each dialogue context expects (data in phrases.toml)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources

_NON_WORD = re.compile(r"[^\w' ]+|_")


@cache
def _contexts() -> dict[str, dict[str, object]]:
    text = resources.files("voice.recognizers").joinpath("phrases.toml").read_text("utf-8")
    contexts: dict[str, dict[str, object]] = tomllib.loads(text)["contexts"]
    return contexts


@cache
def _catalogue() -> dict[str, tuple[str, ...]]:
    return {name: tuple(str(p) for p in entry["phrases"]) for name, entry in _contexts().items()}  # type: ignore[attr-defined]


def reread_limit(context: str | None) -> int | None:
    """Words of a first reading up to which it is checked against the phrases (None: any length
    up to the longest phrase)."""
    limit = _contexts().get(context or "", {}).get("reread_up_to")
    return int(limit) if isinstance(limit, int) else None


def normalise(text: str) -> str:
    """Lower-case letters (any script), digits and apostrophes, single spaces."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def constrained_phrases(context: str | None, vocabulary: Sequence[str] = ()) -> tuple[str, ...]:
    """The phrases expected in `context` plus the vocabulary, or () when answers are free."""
    phrases = _catalogue().get(context or "", ())
    if not phrases:
        return ()
    extra = tuple(normalise(word) for word in vocabulary if normalise(word))
    return tuple(dict.fromkeys(phrases + extra))
