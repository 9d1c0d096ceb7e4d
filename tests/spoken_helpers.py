"""Reply WAVs for whole spoken check-ins: flite voices saying what partners say."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from audio.wav import load_pcm16k, write_wav

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

    def pausing(self, partner: str, *parts: str, pause_s: float = 0.6) -> Path:
        """One reply of several lines by the same voice, joined by `pause_s` of silence."""
        safe = "_".join("".join(c if c.isalnum() else "_" for c in part)[:30] for part in parts)
        path = self.folder / f"{partner}-paused-{pause_s}-{safe}.wav"
        if not path.exists():
            pieces = []
            for index, part in enumerate(parts):
                if index:
                    pieces.append(bytes(2 * int(pause_s * 16000)))
                pieces.append(load_pcm16k(self.say(partner, part)))
            write_wav(path, b"".join(pieces))
        return path

    def silence(self, seconds: float = 0.5) -> Path:
        path = self.folder / f"silence-{seconds}.wav"
        if not path.exists():
            write_wav(path, bytes(2 * int(seconds * 16000)))
        return path


REPO = Path(__file__).resolve().parent.parent


def partner_turns(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The partners' turns of a `--json` summary, in order (the assistant's left out)."""
    return [turn for turn in summary["turns"] if turn["speaker"] != "assistant"]


def spoken_start(
    db: Path, files: list[Path], *extra: str, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run the real `checkin start --replies FILES --mute --json` for Ana and Sam; its summary.

    `env` adds environment variables (e.g. CHECKIN_CONFIG) to the test's own."""
    result = subprocess.run(
        [sys.executable, "-m", "voice", "start", "--partners", "Ana,Sam", "--db", str(db),
         "--mute", "--json", *extra, "--replies", *map(str, files)],
        capture_output=True, text=True, timeout=300, cwd=REPO, env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary
