"""Reply WAVs for whole spoken check-ins: flite voices saying what partners say."""

from __future__ import annotations

import subprocess
from pathlib import Path

from audio.wav import write_wav

VOICES = {"Ana": "slt", "Sam": "rms"}


class ReplyBank:
    """Makes (and caches) one WAV per line, in the partner's flite voice."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def say(self, partner: str, text: str) -> Path:
        safe = "".join(c if c.isalnum() else "_" for c in text)[:60]
        path = self.folder / f"{partner}-{safe}.wav"
        if not path.exists():
            voice = VOICES[partner]
            subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True)
        return path

    def silence(self, seconds: float = 0.5) -> Path:
        path = self.folder / f"silence-{seconds}.wav"
        if not path.exists():
            write_wav(path, bytes(2 * int(seconds * 16000)))
        return path
