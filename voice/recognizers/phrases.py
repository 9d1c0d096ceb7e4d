"""The short answers each dialogue context expects (data in phrases.toml)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources

_NON_WORD = re.compile(r"[^\w' ]+|_")


@cache
def _catalogue() -> dict[str, tuple[str, ...]]:
    text = resources.files("voice.recognizers").joinpath("phrases.toml").read_text("utf-8")
    contexts = tomllib.loads(text)["contexts"]
    return {name: tuple(entry["phrases"]) for name, entry in contexts.items()}


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
