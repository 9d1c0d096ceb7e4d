"""Labelled example answers per context: the catalogue's phrases plus intents/phrasings/.

These are what the semantic part learns from and what near-verbatim matching compares
with. A label is an intent, a command, "unmet_need/<category>", or "none" (not an
answer: room noise, the television). The phrasings files share the format of
tests/data/intents/labelled.toml, so a new batch from a writer is dropped in as is.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from intents.catalogue import OTHER_CATEGORY, UNMET_NEED, Catalogue, CatalogueError

NONE_LABEL = "none"
PHRASINGS_DIR = "phrasings"
MAX_SOUND_WORDS = 5


@dataclass(frozen=True)
class Example:
    """One normalised example answer and what it means in its context."""

    text: str
    label: str

    @property
    def intent(self) -> str:
        return self.label.partition("/")[0]

    @property
    def category(self) -> str | None:
        return self.label.partition("/")[2] or None


def labels_of(catalogue: Catalogue, context: str) -> frozenset[str]:
    """Every label an example may carry in `context`."""
    spec = catalogue.contexts[context]
    labels = {NONE_LABEL, *spec.commands}
    for intent in spec.intents:
        if intent.name == UNMET_NEED:
            labels.update(f"{UNMET_NEED}/{c}" for c in catalogue.categories)
        labels.add(intent.name)
    return frozenset(labels)


def phrasing_files(catalogue: Catalogue) -> tuple[Path, ...]:
    """The phrasings files beside the catalogue, in name order (none for a bare catalogue)."""
    folder = catalogue.source.parent / PHRASINGS_DIR
    return tuple(sorted(folder.glob("*.toml"))) if folder.is_dir() else ()


@lru_cache(maxsize=8)
def examples(catalogue: Catalogue) -> dict[str, tuple[Example, ...]]:
    """Per context: catalogue command and intent phrases, then every phrasings file.

    A text given two labels in one context keeps the first (the catalogue's), so the
    round trip "every catalogue phrase matches its own intent" stays true.
    """
    found: dict[str, dict[str, str]] = {name: {} for name in catalogue.contexts}
    for name, spec in catalogue.contexts.items():
        for command in spec.commands:
            for phrase in catalogue.commands[command]:
                found[name].setdefault(phrase, command)
        for intent in spec.intents:
            # The catalogue's unmet-need phrases name no category ("i felt hurt").
            label = f"{UNMET_NEED}/{OTHER_CATEGORY}" if intent.name == UNMET_NEED else intent.name
            for phrase in intent.phrases:
                found[name].setdefault(phrase, label)
    for path in phrasing_files(catalogue):
        for context, label, text in _read(path, catalogue):
            normalised = catalogue.normaliser.text(text)
            if normalised and not set(normalised.split()) <= catalogue.noise:
                found[context].setdefault(normalised, label)
            # "mm", "uh huh": hesitation sounds that ARE the answer in some contexts
            # (an acknowledgement, a yes) are kept whole for near-verbatim matching.
            kept = " ".join(catalogue.normaliser.words(text, keep_fillers=True))
            if kept != normalised and len(kept.split()) <= MAX_SOUND_WORDS:
                found[context].setdefault(kept, label)
    return {
        name: tuple(Example(text, label) for text, label in texts.items())
        for name, texts in found.items()
    }


def _read(path: Path, catalogue: Catalogue) -> list[tuple[str, str, str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CatalogueError(f"phrasings file {path} cannot be read as TOML ({error})") from error
    rows = []
    for context, table in data.items():
        if context not in catalogue.contexts or not isinstance(table, dict):
            raise CatalogueError(f"phrasings file {path}: [{context}] is not a catalogue context")
        allowed = labels_of(catalogue, context)
        for label, texts in table.items():
            if label not in allowed:
                raise CatalogueError(
                    f"phrasings file {path}: label '{label}' is not one of [{context}]'s "
                    f"{sorted(allowed)}"
                )
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise CatalogueError(f"phrasings file {path}: {context}.{label} is not strings")
            rows += [(context, label, text) for text in texts]
    return rows
