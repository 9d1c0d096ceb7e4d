"""The demo's two synthetic partners: their lines (voice/demo.toml) voiced with flite."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from voice.errors import CheckinError

DEMO_SCRIPT = Path(__file__).with_name("demo.toml")


@dataclass(frozen=True)
class DemoAnswer:
    partner: str
    voice: str
    text: str


@dataclass(frozen=True)
class DemoScript:
    partners: tuple[str, str]
    answers: tuple[DemoAnswer, ...]


def load_demo_script(path: Path = DEMO_SCRIPT) -> DemoScript:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    partners = tuple(data["partners"])
    voices = data["voices"]
    answers = tuple(
        DemoAnswer(item["partner"], voices[item["partner"]], item["text"])
        for item in data["answers"]
    )
    return DemoScript((partners[0], partners[1]), answers)


def synthesize_answers(script: DemoScript, folder: Path) -> list[Path]:
    """Voice each answer with flite into its own WAV in `folder`, in order."""
    flite = shutil.which("flite")
    if flite is None:
        raise CheckinError(
            "the demo's partners speak with flite, which is not installed; "
            "install it (Debian: sudo apt install flite)"
        )
    paths = []
    for number, answer in enumerate(script.answers, start=1):
        path = folder / f"answer-{number:02d}-{answer.partner.lower()}.wav"
        try:
            subprocess.run(
                [flite, "-voice", answer.voice, "-t", answer.text, "-o", str(path)],
                check=True,
                capture_output=True,
                timeout=60,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise CheckinError(
                f"flite could not voice the demo line {answer.text!r} ({error}); "
                "check that `flite -voice slt -t hello -o /tmp/x.wav` works"
            ) from None
        paths.append(path)
    return paths
