"""Speech recognizers behind one interface: PocketSphinx (built in) and Vosk.

Engines are imported only when chosen, so loading one never pays for the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from voice.errors import CheckinError
from voice.recognizers.base import Recognizer, Utterance, transcribe_pcm

ENGINES = ("auto", "vosk", "pocketsphinx")

__all__ = ["ENGINES", "Recognizer", "Utterance", "load_recognizer", "transcribe_pcm"]


def load_recognizer(
    engine: str = "auto",
    model: Path | None = None,
    vocabulary: Sequence[str] = (),
    configured_model: Path | None = None,
) -> tuple[Recognizer, str]:
    """Build the recognizer; return it and one sentence saying which engine and why.

    `model` is --model (it wins); `configured_model` is the config file's vosk_model.
    A forced engine that cannot load raises CheckinError naming the path and the fix.
    """
    from voice.recognizers import models

    if engine not in ENGINES:
        raise CheckinError(f"unknown engine {engine!r}; use one of: {', '.join(ENGINES)}")
    if engine == "pocketsphinx":
        return _sphinx(vocabulary), "Using PocketSphinx (built-in US English model): forced."
    found = models.find_model(model, configured_model)
    if engine == "vosk":
        if found is None:
            dirs = " or ".join(str(folder) for folder in models.search_dirs())
            raise CheckinError(f"no Vosk model found in {dirs}; {models.FIX}")
        return _vosk(found.path, vocabulary), (
            f"Using Vosk with {found.path} "
            f"(from {found.origin}, language {found.language}): forced."
        )
    if found is None:
        return _sphinx(vocabulary), (
            "Using PocketSphinx (built-in US English model): no Vosk model is installed; "
            "`checkin model download` gets the more accurate Vosk one."
        )
    if found.language != "en":
        return _sphinx(vocabulary), (
            f"Using PocketSphinx (built-in US English model): the Vosk model at {found.path} "
            f"is not English (language {found.language})."
        )
    try:
        models.validate_model(found.path)
    except CheckinError as error:
        return _sphinx(vocabulary), (
            f"Using PocketSphinx (built-in US English model): the Vosk model is unusable: {error}"
        )
    return _vosk(found.path, vocabulary), (
        f"Using Vosk with the English model {found.path} (from {found.origin})."
    )


def _sphinx(vocabulary: Sequence[str]) -> Recognizer:
    from voice.recognizers.sphinx import PocketSphinxRecognizer

    return PocketSphinxRecognizer(vocabulary)


def _vosk(path: Path, vocabulary: Sequence[str]) -> Recognizer:
    from voice.recognizers.vosk_backend import VoskRecognizer

    return VoskRecognizer(path, vocabulary)
