"""Load the intent catalogue (TOML data) into an immutable, pre-normalised form.

Everything in the catalogue is normalised once, here, with the same rules the
answers get, so the matcher compares like with like.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from intents.evidence import Cue, CueSet
from intents.normalise import Normaliser, stem, strip_phrases

DEFAULT_CATALOGUE = Path(__file__).with_name("catalogue.toml")
CONTEXTS = ("appreciation", "need", "response", "yesno", "wake_request")
UNMET_NEED = "unmet_need"
OTHER_CATEGORY = "other"


class CatalogueError(ValueError):
    """The catalogue file is unreadable or malformed; the message names the file and key."""


@dataclass(frozen=True)
class IntentSpec:
    """A content intent within one context."""

    name: str
    phrases: tuple[str, ...]
    evidence: CueSet
    opposite: str | None


@dataclass(frozen=True)
class ContextSpec:
    """What an answer can mean right after one question."""

    name: str
    commands: tuple[str, ...]
    intents: tuple[IntentSpec, ...]
    fallback: str | None
    empty: str | None
    complaints_mean: str | None


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The whole catalogue, normalised and ready for `intents.match`.

    Compared (and hashed) by identity, so per-catalogue caches can key on it.
    """

    source: Path
    normaliser: Normaliser
    noise: frozenset[str]
    negators: tuple[Cue, ...]
    breakers: frozenset[str]
    politeness: tuple[str, ...]
    commands: dict[str, tuple[str, ...]]
    contexts: dict[str, ContextSpec]
    categories: dict[str, CueSet]
    vocabulary: tuple[str, ...]


class _Reader:
    """Reads one TOML document, naming the file and key in every error."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    def fail(self, key: str, problem: str) -> CatalogueError:
        return CatalogueError(
            f"intent catalogue {self.path}: key '{key}' {problem}; fix that entry in the file"
        )

    def table(self, node: Any, key: str) -> dict[str, Any]:
        if not isinstance(node, dict):
            raise self.fail(key, "must be a table")
        return node

    def strings(self, node: dict[str, Any], field: str, key: str) -> tuple[str, ...]:
        value = node.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key}.{field}", "must be a list of strings")
        return tuple(value)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and normalise a catalogue; the default (packaged) one is cached.

    Raises CatalogueError naming the file and key when it is missing or malformed.
    """
    if path is None:
        return _load_cached(DEFAULT_CATALOGUE)
    return _load(Path(path))


@lru_cache(maxsize=4)
def _load_cached(path: Path) -> Catalogue:
    return _load(path)


def _load(path: Path) -> Catalogue:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueError(
            f"intent catalogue {path} cannot be read ({error.strerror}); "
            "pass an existing TOML file or use the packaged intents/catalogue.toml"
        ) from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CatalogueError(
            f"intent catalogue {path} is not valid TOML ({error}); fix the syntax there"
        ) from error
    return _build(_Reader(path, data))


def _build(reader: _Reader) -> Catalogue:
    data = reader.data
    norm_table = reader.table(data.get("normalise", {}), "normalise")
    contractions = reader.table(norm_table.get("contractions", {}), "normalise.contractions")
    fixes = reader.table(norm_table.get("fixes", {}), "normalise.fixes")
    for table, key in ((contractions, "normalise.contractions"), (fixes, "normalise.fixes")):
        for name, value in table.items():
            if not isinstance(value, str):
                raise reader.fail(f"{key}.{name}", "must be a string")
    filler_pattern = norm_table.get("filler_pattern", "")
    if not isinstance(filler_pattern, str):
        raise reader.fail("normalise.filler_pattern", "must be a string (a regular expression)")
    try:
        normaliser = Normaliser(
            contractions={k.lower().replace("'", ""): v.lower() for k, v in contractions.items()},
            fixes=dict(fixes),
            fillers=reader.strings(norm_table, "fillers", "normalise"),
            filler_pattern=filler_pattern,
        )
    except re.error as error:
        raise reader.fail(
            "normalise.filler_pattern", f"is not a valid regular expression ({error})"
        ) from error

    def words(text: str) -> list[str]:
        return normaliser.words(text, keep_fillers=True)

    def stems(entries: tuple[str, ...], key: str) -> tuple[Cue, ...]:
        result = []
        for entry in entries:
            cue = tuple(stem(w) for w in normaliser.words(entry))
            if not cue:
                raise reader.fail(key, f"has the entry '{entry}' that is only filler words")
            result.append(cue)
        # Different spellings can stem alike ("text", "texts"): count each once.
        return tuple(dict.fromkeys(result))

    def phrases(entries: tuple[str, ...], key: str) -> tuple[str, ...]:
        result = tuple(normaliser.text(e) for e in entries)
        for entry, normalised in zip(entries, result, strict=True):
            if not normalised:
                raise reader.fail(key, f"has the phrase '{entry}' that is only filler words")
        return result

    def cue_set(node: dict[str, Any], key: str) -> CueSet:
        leads = reader.strings(node, "leads", key)
        return CueSet(
            negators=negators,
            cues=stems(reader.strings(node, "cues", key), f"{key}.cues"),
            topics=stems(reader.strings(node, "topics", key), f"{key}.topics"),
            hints=stems(reader.strings(node, "hints", key), f"{key}.hints"),
            leads=frozenset(stem(w) for lead in leads for w in words(lead)[:1]),
        )

    noise = frozenset(w for n in reader.strings(norm_table, "noise", "normalise") for w in words(n))
    negators = tuple(
        tuple(words(n)) for n in reader.strings(norm_table, "negators", "normalise") if words(n)
    )

    breakers = frozenset(
        w for b in reader.strings(norm_table, "clause_breakers", "normalise") for w in words(b)
    )

    commands_table = reader.table(data.get("commands", {}), "commands")
    politeness = tuple(
        " ".join(words(p)) for p in reader.strings(commands_table, "politeness", "commands")
    )
    commands: dict[str, tuple[str, ...]] = {}
    for name, node in commands_table.items():
        if name == "politeness":
            continue
        node = reader.table(node, f"commands.{name}")
        # Answers lose their politeness words before they meet command phrases, so
        # the phrases lose them too ("i would rather not say" -> "not say").
        commands[name] = tuple(
            strip_phrases(p, politeness) or p
            for p in phrases(reader.strings(node, "phrases", name), f"commands.{name}.phrases")
        )

    contexts: dict[str, ContextSpec] = {}
    contexts_table = reader.table(data.get("contexts", {}), "contexts")
    for name in CONTEXTS:
        if name not in contexts_table:
            raise reader.fail(f"contexts.{name}", "is missing")
    for name, node in contexts_table.items():
        key = f"contexts.{name}"
        node = reader.table(node, key)
        command_names = reader.strings(node, "commands", key)
        for command in command_names:
            if command not in commands:
                raise reader.fail(
                    f"{key}.commands", f"names '{command}', which has no [commands.{command}]"
                )
        intent_table = reader.table(node.get("intent", {}), f"{key}.intent")
        intents = []
        for intent_name in reader.strings(node, "intents", key):
            if intent_name not in intent_table:
                raise reader.fail(f"{key}.intent.{intent_name}", "is missing")
            spec_node = reader.table(intent_table[intent_name], f"{key}.intent.{intent_name}")
            spec_key = f"{key}.intent.{intent_name}"
            opposite = spec_node.get("opposite")
            if opposite is not None and not isinstance(opposite, str):
                raise reader.fail(f"{spec_key}.opposite", "must be a string")
            intents.append(
                IntentSpec(
                    name=intent_name,
                    phrases=phrases(
                        reader.strings(spec_node, "phrases", spec_key), f"{spec_key}.phrases"
                    ),
                    evidence=cue_set(spec_node, spec_key),
                    opposite=opposite,
                )
            )
        known = {i.name for i in intents}
        optional: dict[str, str | None] = {}
        for field in ("fallback", "empty", "complaints_mean"):
            value = node.get(field)
            if value is not None and (not isinstance(value, str) or value not in known):
                raise reader.fail(
                    f"{key}.{field}", f"must be one of this context's intents {sorted(known)}"
                )
            optional[field] = value
        contexts[name] = ContextSpec(
            name=name,
            commands=command_names,
            intents=tuple(intents),
            fallback=optional["fallback"],
            empty=optional["empty"],
            complaints_mean=optional["complaints_mean"],
        )

    categories_table = reader.table(data.get("categories", {}), "categories")
    categories = {
        name: cue_set(reader.table(node, f"categories.{name}"), f"categories.{name}")
        for name, node in categories_table.items()
    }
    if OTHER_CATEGORY not in categories:
        categories[OTHER_CATEGORY] = CueSet(negators=negators)

    vocabulary = _vocabulary(commands, contexts, categories)
    return Catalogue(
        source=reader.path,
        normaliser=normaliser,
        noise=noise,
        negators=negators,
        breakers=breakers,
        politeness=politeness,
        commands=commands,
        contexts=contexts,
        categories=categories,
        vocabulary=vocabulary,
    )


def _vocabulary(
    commands: dict[str, tuple[str, ...]],
    contexts: dict[str, ContextSpec],
    categories: dict[str, CueSet],
) -> tuple[str, ...]:
    """Every stem the catalogue knows: misheard words are snapped onto these."""
    known: set[str] = set()
    for phrase_list in commands.values():
        known.update(stem(w) for p in phrase_list for w in p.split())
    cue_sets = list(categories.values())
    for context in contexts.values():
        for intent in context.intents:
            known.update(stem(w) for p in intent.phrases for w in p.split())
            cue_sets.append(intent.evidence)
    for cue_set in cue_sets:
        for cue in (*cue_set.cues, *cue_set.topics, *cue_set.hints):
            known.update(cue)
        known.update(cue_set.leads)
    return tuple(sorted(known))
