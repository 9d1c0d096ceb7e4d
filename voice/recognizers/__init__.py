"""Speech recognizers behind one interface and one registry (`registry.ENGINES`).

Engines are imported only when chosen, so loading one never pays for the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voice.errors import CheckinError
from voice.recognizers.registry import AUTO, Unavailable, auto_order, get, resolve

if TYPE_CHECKING:
    from voice.recognizers.base import Recognizer, Utterance, transcribe_pcm

__all__ = ["Recognizer", "Utterance", "load_recognizer", "transcribe_pcm"]


def __getattr__(name: str) -> Any:
    """The interface (and numpy behind it) loads on first use: `--help` never pays for it."""
    if name in ("Recognizer", "Utterance", "transcribe_pcm"):
        from voice.recognizers import base

        return getattr(base, name)
    raise AttributeError(name)


def load_recognizer(
    engine: str = AUTO,
    model: Path | None = None,
    vocabulary: Sequence[str] = (),
    configured_models: Mapping[str, Path] | None = None,
) -> tuple[Recognizer, str]:
    """Build the recognizer; return it and one sentence saying which engine and why.

    `model` is --model (it wins); `configured_models` maps an engine's name to the model
    folder the config names for it. A forced engine that cannot load raises CheckinError
    naming the path and the fix; `auto` tries the registry's engines in rank order and
    says why it passed over the better ones.
    """
    configured = configured_models or {}
    if engine != AUTO:
        chosen = get(engine)
        located = resolve(chosen.locate)(model, configured.get(chosen.name), False)
        recognizer = resolve(chosen.load)(located.path, tuple(vocabulary))
        return recognizer, f"Using {located.described}: forced."
    passed_over: list[str] = []
    for candidate in auto_order():
        try:
            located = resolve(candidate.locate)(model, configured.get(candidate.name), True)
            recognizer = resolve(candidate.load)(located.path, tuple(vocabulary))
        except (CheckinError, ImportError) as error:  # an engine that can't load here: next
            passed_over.append(str(error))
            continue
        if not passed_over:
            return recognizer, f"Using {located.described}."
        return recognizer, f"Using {located.described}: {'; '.join(passed_over)}."
    raise Unavailable("no speech engine can run here: " + "; ".join(passed_over))

