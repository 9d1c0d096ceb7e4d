"""Configuration: command-line flag, then environment, then the TOML file, then defaults.

The file lives at `$XDG_CONFIG_HOME/checkin/config.toml` (or `CHECKIN_CONFIG`).
Every value remembers where it came from, so `checkin doctor` can say why, and a
bad value names its key and its file. `write_settings` (for `checkin setup`) changes
only the keys it sets, keeping every line written by hand.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice.errors import CheckinError
from voice.recognizers import registry

DEFAULT_PARTNERS = ("Partner A", "Partner B")
DEFAULT_WAKE_PHRASE = "hey check in"
DEFAULT_VOICE_RATE = 155
"""espeak-ng's rate setting for the assistant's voice: about 165 spoken words a minute
measured on the script's lines (its own default, 200, comes out near 215: hurried)."""
VOICE_RATES = (80, 300)
"""The voice_rate values accepted, in espeak-ng's words per minute."""

SETUP_HINT = "run `checkin setup` once to set your names (or pass --partners Ana,Sam)"

_TIME_OF_DAY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else Path.home() / fallback


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "checkin"


def data_dir() -> Path:
    """Where the couple's database lives."""
    return _xdg("XDG_DATA_HOME", ".local/share") / "checkin"


def cache_dir() -> Path:
    """Where downloaded models live."""
    return _xdg("XDG_CACHE_HOME", ".cache") / "checkin"


def default_config_path() -> Path:
    return config_dir() / "config.toml"


@dataclass(frozen=True)
class Config:
    """The settings in effect, and where each one came from."""

    partners: tuple[str, str] = DEFAULT_PARTNERS
    wake_phrase: str = DEFAULT_WAKE_PHRASE
    engine: str = "auto"
    models: dict[str, Path] = field(default_factory=dict)
    """Model folder per engine name, from the registry's model keys (`vosk_model = ...`)."""
    mic: str | None = None
    speaker: str | None = None
    db_path: Path = field(default_factory=lambda: data_dir() / "checkin.db")
    reminder: str | None = None
    quiet_hours: tuple[str, str] | None = None
    patient: bool = False
    """Wait out every pause before replying, even after a complete sentence (slower replies,
    never an afterthought cut off)."""
    voice_rate: int = DEFAULT_VOICE_RATE
    """The assistant's speaking rate (espeak-ng words per minute)."""
    source: Path | None = None
    """The config file that was read, or None when there is none."""
    origins: dict[str, str] = field(default_factory=dict)
    """For each key: "default", "file", "environment" or "flag"."""

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    @property
    def names_set(self) -> bool:
        """Whether the couple's names were given (config file or --partners), not defaults."""
        return self.origin("partners") != "default"


def require_partners(config: Config) -> None:
    """A check-in never runs as "Partner A and Partner B": say how to set the names."""
    if not config.names_set:
        raise CheckinError(f"no partner names are set; {SETUP_HINT}")


def parse_partners(value: str | list[Any], where: str = "--partners") -> tuple[str, str]:
    """Two distinct, non-empty names, from "A,B" or a TOML list."""
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise CheckinError(f'{where}: partners must be two names, for example "Ana,Sam"')
    cleaned = [n.strip() for n in names]
    if len(cleaned) != 2 or not all(cleaned):
        raise CheckinError(
            f'{where}: partners must be exactly two non-empty names, for example "Ana,Sam" '
            f"(got {value!r})"
        )
    if cleaned[0].casefold() == cleaned[1].casefold():
        raise CheckinError(f"{where}: the two partners need different names (got {value!r})")
    return cleaned[0], cleaned[1]


def parse_engine(value: Any, where: str = "--engine") -> str:
    engines = registry.names()
    if value not in engines:
        raise CheckinError(f"{where}: engine must be one of {', '.join(engines)} (got {value!r})")
    return str(value)


def parse_time_of_day(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _TIME_OF_DAY.match(value.strip()):
        raise CheckinError(f'{where}: expected a time like "21:00" (got {value!r})')
    hours, minutes = value.strip().split(":")
    return f"{int(hours):02d}:{minutes}"


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CheckinError(f"{where}: expected a non-empty text value (got {value!r})")
    return value.strip()


def _device(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise CheckinError(f"{where}: expected a device index or name (got {value!r})")
    return str(value)


def _true_or_false(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise CheckinError(f"{where}: expected true or false (got {value!r})")
    return value


def _rate(value: Any, where: str) -> int:
    low, high = VOICE_RATES
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CheckinError(
            f"{where}: expected words per minute from {low} to {high}, for example "
            f"{DEFAULT_VOICE_RATE} (got {value!r})"
        )
    return value


def _quiet_hours(value: Any, where: str) -> tuple[str, str]:
    if not isinstance(value, str) or value.count("-") != 1:
        raise CheckinError(f'{where}: expected a range like "23:00-07:00" (got {value!r})')
    start, end = value.split("-")
    return parse_time_of_day(start, where), parse_time_of_day(end, where)


_FILE_KEYS = (
    "partners",
    "wake_phrase",
    "engine",
    "mic",
    "speaker",
    "db",
    "reminder",
    "quiet_hours",
    "patient",
    "voice_rate",
)


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise CheckinError(
            f"config file {path} is not valid TOML ({error}); fix or remove it"
        ) from error
    except OSError as error:
        raise CheckinError(
            f"cannot read config file {path} ({error.strerror}); check its permissions"
        ) from error


def config_target() -> Path:
    """The config file in effect: CHECKIN_CONFIG, else the default (it may not exist yet)."""
    if os.environ.get("CHECKIN_CONFIG"):
        return Path(os.environ["CHECKIN_CONFIG"]).expanduser()
    return default_config_path()


def load_config(path: Path | None = None, missing_ok: bool = False) -> Config:
    """Read the settings from the environment, the file and the defaults.

    Command-line flags are applied by the caller on top (see `with_flags`).
    `missing_ok`: a CHECKIN_CONFIG file that does not exist yet is fine (setup makes it).
    """
    origins: dict[str, str] = {}
    explicit = path or (
        Path(os.environ["CHECKIN_CONFIG"]) if os.environ.get("CHECKIN_CONFIG") else None
    )
    config_path = explicit or default_config_path()
    if explicit and not explicit.is_file() and not missing_ok:
        raise CheckinError(
            f"config file {explicit} does not exist; create it or unset CHECKIN_CONFIG"
        )
    raw = _read_file(config_path) if config_path.is_file() else {}
    source = config_path if config_path.is_file() else None

    def where(key: str) -> str:
        return f"key '{key}' in {config_path}"

    model_keys = {engine.model_key: engine.name for engine in registry.ENGINES if engine.model_key}
    known = (*_FILE_KEYS, *model_keys)
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise CheckinError(f"unknown {where(unknown[0])}; known keys are: {', '.join(known)}")
    values: dict[str, Any] = {}
    parsers = {
        "partners": lambda v: parse_partners(v, where("partners")),
        "wake_phrase": lambda v: _text(v, where("wake_phrase")).lower(),
        "engine": lambda v: parse_engine(v, where("engine")),
        "mic": lambda v: _device(v, where("mic")),
        "speaker": lambda v: _device(v, where("speaker")),
        "db": lambda v: Path(_text(v, where("db"))).expanduser(),
        "reminder": lambda v: parse_time_of_day(v, where("reminder")),
        "quiet_hours": lambda v: _quiet_hours(v, where("quiet_hours")),
        "patient": lambda v: _true_or_false(v, where("patient")),
        "voice_rate": lambda v: _rate(v, where("voice_rate")),
    }
    models: dict[str, Path] = {}
    for key, value in raw.items():
        if key in model_keys:
            models[model_keys[key]] = Path(_text(value, where(key))).expanduser()
            origins[key] = "file"
            continue
        values["db_path" if key == "db" else key] = parsers[key](value)
        origins["db_path" if key == "db" else key] = "file"

    if os.environ.get("CHECKIN_DB"):
        values["db_path"] = Path(os.environ["CHECKIN_DB"]).expanduser()
        origins["db_path"] = "environment"
    for key, engine in model_keys.items():
        variable = f"CHECKIN_{key.upper()}"
        if os.environ.get(variable):
            models[engine] = Path(os.environ[variable]).expanduser()
            origins[key] = "environment"
    return Config(source=source, origins=origins, models=models, **values)


def with_flags(config: Config, **flags: Any) -> Config:
    """Apply command-line flags (None means "not given") on top of the config."""
    from dataclasses import replace

    given = {key: value for key, value in flags.items() if value is not None}
    if "partners" in given and isinstance(given["partners"], str):
        given["partners"] = parse_partners(given["partners"])
    if "engine" in given:
        given["engine"] = parse_engine(given["engine"])
    for key in ("db_path",):
        if key in given:
            given[key] = Path(given[key]).expanduser()
    origins = dict(config.origins)
    origins.update({key: "flag" for key in given})
    return replace(config, origins=origins, **given)


# --- writing settings (checkin setup) ---------------------------------------------------------
# tomllib only reads, and rewriting the file from parsed values would drop comments and
# reorder keys. So each setting replaces just the lines of its own top-level assignment (or
# is added before the first table), every other line is kept byte for byte, and the result
# must parse before it replaces the file (atomically).

_TABLE = re.compile(r"^\s*\[")


def toml_value(value: Any) -> str:
    """`value` (text, whole number, true/false or a list of those) as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are valid TOML
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {value!r} to the config file")


def _span(lines: list[str], key: str) -> tuple[int, int] | None:
    """The lines [start, end) of `key`'s top-level assignment, or None when it has none."""
    assignment = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
    for start, line in enumerate(lines):
        if _TABLE.match(line):
            return None
        if assignment.match(line):
            # The value may span lines (a list): take lines until they parse on their own.
            for end in range(start + 1, len(lines) + 1):
                try:
                    tomllib.loads("".join(lines[start:end]))
                except tomllib.TOMLDecodeError:
                    continue
                return start, end
            return start, start + 1
    return None


def updated_text(text: str, settings: Mapping[str, Any]) -> str:
    """`text` with each of `settings` set, every other line as it was."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for key, value in settings.items():
        line = f"{key} = {toml_value(value)}\n"
        span = _span(lines, key)
        if span is not None:
            lines[span[0] : span[1]] = [line]
            continue
        first_table = next((i for i, text in enumerate(lines) if _TABLE.match(text)), len(lines))
        lines.insert(first_table, line)
    return "".join(lines)


def write_settings(path: Path, settings: Mapping[str, Any]) -> None:
    """Set `settings` in the config file at `path` (created if missing), keeping the rest."""
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise CheckinError(f"cannot read config file {path} ({error}); fix or move it") from None
    try:
        tomllib.loads(old)  # a file that does not parse is the user's to fix, not ours to guess
        text = updated_text(old, settings)
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CheckinError(
            f"config file {path} is not valid TOML ({error}); fix it, then run setup again"
        ) from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise CheckinError(
            f"cannot write config file {path} ({error.strerror or error}); check the folder's "
            "permissions"
        ) from None
