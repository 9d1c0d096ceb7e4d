"""Vosk models on disk: where to find them, what language they are, how to install one.

Nothing here downloads implicitly: only `download_model` (behind
`checkin model download`) touches the network.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from voice.errors import CheckinError
from voice.recognizers.registry import Located, Unavailable

DEFAULT_MODEL = "vosk-model-small-en-us-0.15"
URL_BASE = "https://alphacephei.com/vosk/models"
ENV_MODEL = "CHECKIN_VOSK_MODEL"

FIX = "run `checkin model download` or point --model at an unpacked Vosk model folder"

KALDI_BINARY = b"\x00B"
"""Kaldi binary files (am/final.mdl) begin with a NUL and 'B'."""

FST_MAGIC = bytes.fromhex("d6fdb27e")
"""OpenFst files begin with the magic number 2125659606, little-endian."""

_LANGUAGE_CODES = {
    "en": "en", "us": "en", "ko": "ko", "kr": "ko", "de": "de", "fr": "fr", "es": "es",
    "ru": "ru", "cn": "zh", "zh": "zh", "it": "it", "pt": "pt", "ja": "ja", "jp": "ja",
    "nl": "nl", "uk": "uk", "ua": "uk", "pl": "pl", "tr": "tr", "hi": "hi", "fa": "fa",
    "sv": "sv", "ca": "ca", "ar": "ar", "vn": "vi", "cs": "cs", "el": "el", "kz": "kk",
}
_LANGUAGE_NAMES = {
    "english": "en", "korean": "ko", "german": "de", "french": "fr", "spanish": "es",
    "russian": "ru", "chinese": "zh", "italian": "it", "portuguese": "pt", "japanese": "ja",
    "dutch": "nl", "ukrainian": "uk", "polish": "pl", "turkish": "tr", "hindi": "hi",
}


@dataclass(frozen=True)
class ModelInfo:
    """A Vosk model folder and what is known about it."""

    name: str
    path: Path
    language: str
    """ISO 639-1 code ("en", "ko"...) or "unknown"."""
    size_bytes: int
    origin: str
    """Where it was found: "--model", "CHECKIN_VOSK_MODEL", "config", or "cache"."""


def search_dirs() -> list[Path]:
    """Folders whose subfolders are installed models: the app's cache, then Vosk's own."""
    from voice.config import cache_dir

    return [cache_dir() / "models", Path.home() / ".cache" / "vosk"]


def model_language(path: Path) -> str:
    """The model's language from its folder name (vosk-model-small-en-us-0.15) or README."""
    for token in path.name.lower().replace("_", "-").split("-"):
        if token in _LANGUAGE_CODES and token not in ("vosk", "model"):
            return _LANGUAGE_CODES[token]
    readme = path / "README"
    if readme.is_file():
        words = readme.read_text("utf-8", errors="replace")[:2000].lower().split()
        for word in words:
            if word.strip(".,:;()") in _LANGUAGE_NAMES:
                return _LANGUAGE_NAMES[word.strip(".,:;()")]
    return "unknown"


def folder_size(path: Path) -> int:
    """Total bytes of the files under `path`."""
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def require_model_folder(path: Path) -> None:
    """Raise CheckinError (one line) unless `--model` names an existing folder.

    A typo must not quietly fall back to another engine with an unrelated reason."""
    folder = Path(path).expanduser()
    if not folder.exists():
        raise CheckinError(
            f"--model {path}: the folder does not exist; check the path (`checkin model list` "
            "shows the installed models, `checkin model download` gets one)"
        )
    if not folder.is_dir():
        raise CheckinError(f"--model {path} is a file, not a model folder (unzip it first)")


def validate_model(path: Path) -> None:
    """Raise CheckinError unless `path` looks like a complete, uncorrupted Vosk model folder."""
    if not path.exists():
        raise CheckinError(f"Vosk model folder {path} does not exist; {FIX}")
    if not path.is_dir():
        raise CheckinError(f"Vosk model {path} is not a folder (unzip it first); {FIX}")
    if not any(path.iterdir()):
        raise CheckinError(f"Vosk model folder {path} is empty; {FIX}")
    acoustic = path / "am" / "final.mdl"
    _check_header(acoustic, KALDI_BINARY, "acoustic model")
    if not (path / "conf" / "mfcc.conf").is_file() or not (path / "conf" / "model.conf").is_file():
        raise CheckinError(
            f"Vosk model folder {path} has no conf/mfcc.conf and conf/model.conf; {FIX}"
        )
    graph = path / "graph"
    static = graph / "HCLG.fst"
    dynamic = [graph / "HCLr.fst", graph / "Gr.fst"]
    if static.exists():
        _check_header(static, FST_MAGIC, "decoding graph")
    elif all(file.exists() for file in dynamic):
        for file in dynamic:
            _check_header(file, FST_MAGIC, "decoding graph")
    else:
        raise CheckinError(
            f"Vosk model folder {path} has no graph/HCLG.fst (or graph/HCLr.fst + Gr.fst); {FIX}"
        )


def _check_header(file: Path, magic: bytes, what: str) -> None:
    if not file.is_file():
        raise CheckinError(f"Vosk model {what} {file} is missing; {FIX}")
    with file.open("rb") as handle:
        head = handle.read(len(magic))
    if head != magic or file.stat().st_size < 1024:
        raise CheckinError(f"Vosk model {what} {file} is corrupt or truncated; {FIX}")


def _looks_like_model(path: Path) -> bool:
    return path.is_dir() and ((path / "am").is_dir() or (path / "graph").is_dir())


def list_models() -> list[ModelInfo]:
    """Installed models in the cache folders, sorted by name within each folder."""
    found = []
    for folder in search_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if _looks_like_model(path) and not path.name.startswith("."):
                found.append(
                    ModelInfo(path.name, path, model_language(path), folder_size(path), "cache")
                )
    return found


def describe(path: Path, origin: str) -> ModelInfo:
    """ModelInfo for a folder given explicitly (it may not exist; size is then 0)."""
    size = folder_size(path) if path.is_dir() else 0
    return ModelInfo(path.name, path, model_language(path), size, origin)


def find_model(explicit: Path | None = None, configured: Path | None = None) -> ModelInfo | None:
    """The model to use: --model, then CHECKIN_VOSK_MODEL, then the config, then the cache.

    An explicitly named folder is returned even if it is broken, so the error can
    name it; from the cache an English model is preferred.
    """
    if explicit is not None:
        return describe(Path(explicit).expanduser(), "--model")
    if os.environ.get(ENV_MODEL):
        return describe(Path(os.environ[ENV_MODEL]).expanduser(), ENV_MODEL)
    if configured is not None:
        return describe(Path(configured).expanduser(), "config")
    installed = list_models()
    english = [model for model in installed if model.language == "en"]
    preferred = english or installed
    return preferred[0] if preferred else None


def manual_install_hint(name: str, dest: Path) -> str:
    return (
        f"download {URL_BASE}/{name}.zip on another machine, unzip it into {dest} "
        "(or anywhere and pass --model DIR)"
    )


def download_model(
    name: str = DEFAULT_MODEL,
    dest: Path | None = None,
    url_base: str = URL_BASE,
    progress: bool = True,
    timeout_s: float = 30.0,
) -> Path:
    """Fetch NAME.zip, check it, and unpack it atomically as dest/NAME. Returns the folder."""
    from tqdm import tqdm

    dest = dest or search_dirs()[0]
    target = dest / name
    if target.exists():
        raise CheckinError(f"model {name} is already installed at {target}; delete it to reinstall")
    dest.mkdir(parents=True, exist_ok=True)
    url = f"{url_base.rstrip('/')}/{name}.zip"
    with tempfile.TemporaryDirectory(dir=dest, prefix=f".{name}-") as work:
        archive = Path(work) / f"{name}.zip"
        try:
            with urllib.request.urlopen(url, timeout=timeout_s) as response:
                expected = int(response.headers.get("Content-Length") or 0) or None
                with archive.open("wb") as out, tqdm(
                    total=expected, unit="B", unit_scale=True, desc=name, disable=not progress
                ) as bar:
                    while chunk := response.read(1 << 16):
                        out.write(chunk)
                        bar.update(len(chunk))
        except urllib.error.HTTPError as error:
            raise CheckinError(
                f"could not download {url} (HTTP {error.code}); check the model name against "
                f"{URL_BASE}, or install by hand: " + manual_install_hint(name, dest)
            ) from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise CheckinError(
                f"could not download {url} ({reason}); to install by hand, "
                + manual_install_hint(name, dest)
            ) from error
        if expected is not None and archive.stat().st_size != expected:
            raise CheckinError(
                f"download of {url} was cut short ({archive.stat().st_size} of {expected} bytes); "
                "run `checkin model download` again"
            )
        unpacked = _unpack(archive, Path(work) / "unpacked", url)
        validate_model(unpacked)
        # Same filesystem (the temp dir is inside dest), so the rename is atomic.
        os.rename(unpacked, target)
    return target


def _unpack(archive: Path, into: Path, url: str) -> Path:
    """Extract a model zip after testing it; return the model folder inside."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            broken = bundle.testzip()
            if broken is not None:
                raise CheckinError(f"archive from {url} is corrupt at {broken}; download it again")
            for member in bundle.namelist():
                parts = PurePosixPath(member).parts
                if member.startswith("/") or ".." in parts:
                    raise CheckinError(f"archive from {url} has an unsafe path {member!r}")
            tops = {PurePosixPath(member).parts[0] for member in bundle.namelist()}
            bundle.extractall(into)
    except zipfile.BadZipFile as error:
        raise CheckinError(
            f"download from {url} is not a zip archive; check the model name"
        ) from error
    if len(tops) == 1 and (into / next(iter(tops))).is_dir():
        return into / next(iter(tops))
    if (into / "am").is_dir():
        return into
    shutil.rmtree(into, ignore_errors=True)
    raise CheckinError(f"archive from {url} does not hold one Vosk model folder; check the name")


def locate_for_engine(explicit: Path | None, configured: Path | None, strict: bool) -> Located:
    """The registry's view of `find_model`.

    `strict` is `--engine auto`: only a usable English model will do, and the reason
    another engine is used instead is said. Forced, any folder is taken, so loading it
    names what is wrong with it.
    """
    found = find_model(explicit, configured)
    if found is None:
        if strict:
            raise Unavailable(
                "no Vosk model is installed; `checkin model download` gets the more accurate "
                "Vosk one"
            )
        dirs = " or ".join(str(folder) for folder in search_dirs())
        raise Unavailable(f"no Vosk model found in {dirs}; {FIX}")
    if not strict:
        return Located(
            found.path, f"Vosk with {found.path} (from {found.origin}, language {found.language})"
        )
    if found.language != "en":
        raise Unavailable(
            f"the Vosk model at {found.path} is not English (language {found.language})"
        )
    try:
        validate_model(found.path)
    except CheckinError as error:
        raise Unavailable(f"the Vosk model is unusable: {error}") from error
    return Located(found.path, f"Vosk with the English model {found.path} (from {found.origin})")
