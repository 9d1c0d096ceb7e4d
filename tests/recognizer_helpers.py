"""Real speech for recognizer tests: flite voices rendered to 16 kHz mono WAVs."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from audio.wav import load_pcm16k


def synthesize(folder: Path, voice: str, text: str) -> Path:
    """Render `text` with flite's `voice` into folder (cached by voice and text)."""
    name = f"{voice}-{hashlib.sha1(text.encode()).hexdigest()[:12]}.wav"
    path = folder / name
    if not path.exists():
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True)
    return path


def speech_pcm(folder: Path, voice: str, text: str) -> bytes:
    """16 kHz mono int16 PCM of `text` spoken by flite's `voice`."""
    return load_pcm16k(synthesize(folder, voice, text))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level Levenshtein distance over the reference length."""
    ref, hyp = reference.lower().split(), hypothesis.lower().split()
    row = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, hyp_word in enumerate(hyp, 1):
            previous, row[j] = row[j], min(
                row[j] + 1, row[j - 1] + 1, previous + (ref_word != hyp_word)
            )
    return row[-1] / max(1, len(ref))
