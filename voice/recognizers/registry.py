"""Every speech engine the app knows, in one table.

The CLI's `--engine` choices, config validation, `doctor`, `demo`, `model list` and
`--engine auto` all read `ENGINES`, so adding an engine is one module plus one row.
Rows name their code as "module:attribute" strings: reading the table (for `--help`)
imports no engine.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice.errors import CheckinError

AUTO = "auto"


@dataclass(frozen=True)
class Located:
    """Where an engine's model was found, and how to say so."""

    path: Path | None
    """The model folder; None for an engine whose model is built in."""

    described: str
    """The engine and model in a few words, e.g. "Vosk with /m (from config, language en)"."""


class Unavailable(CheckinError):
    """An engine cannot run here: no model, a foreign language, or a broken install."""


@dataclass(frozen=True)
class Engine:
    """One row of the registry."""

    name: str
    """What `--engine` and the config's `engine` key call it."""

    summary: str
    """One line for `--help` and `doctor`."""

    load: str
    """"module:function"; `function(model: Path | None, vocabulary) -> Recognizer`."""

    locate: str
    """"module:function"; `function(explicit, configured, strict) -> Located`, or raises
    Unavailable. `strict` is `auto`'s question: would this engine serve an English check-in?"""

    auto_rank: int | None
    """Order in which `auto` tries engines, lowest first; None: only when asked for by name."""

    model_key: str | None = None
    """The config key that names this engine's model folder (None: the engine needs none)."""


ENGINES: list[Engine] = [
    Engine(
        name="whisper",
        summary="Whisper tiny.en (faster-whisper, int8 on the CPU), from an installed package",
        load="voice.recognizers.whisper:load",
        locate="voice.recognizers.whisper:locate",
        auto_rank=0,
        model_key="whisper_model",
    ),
    Engine(
        name="vosk",
        summary="Vosk (Kaldi), when a Vosk model is installed",
        load="voice.recognizers.vosk_backend:load",
        locate="voice.recognizers.models:locate_for_engine",
        auto_rank=1,
        model_key="vosk_model",
    ),
    Engine(
        name="pocketsphinx",
        summary="PocketSphinx, built-in US English model (no download)",
        load="voice.recognizers.sphinx:load",
        locate="voice.recognizers.sphinx:locate",
        auto_rank=9,
    ),
]
"""A list, not a tuple, so a test can add a row the way a new engine would."""


def names() -> tuple[str, ...]:
    """The values `--engine` accepts: auto, then every engine."""
    return (AUTO, *(engine.name for engine in ENGINES))


def model_keys() -> tuple[str, ...]:
    """Config keys that name a model folder, one per engine that has a model."""
    return tuple(engine.model_key for engine in ENGINES if engine.model_key)


def get(name: str) -> Engine:
    for engine in ENGINES:
        if engine.name == name:
            return engine
    raise CheckinError(f"unknown engine {name!r}; use one of: {', '.join(names())}")


def auto_order() -> list[Engine]:
    ranked = [engine for engine in ENGINES if engine.auto_rank is not None]
    return sorted(ranked, key=lambda engine: engine.auto_rank or 0)


def resolve(reference: str) -> Callable[..., Any]:
    """The function a "module:attribute" reference names, imported on first use."""
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]
