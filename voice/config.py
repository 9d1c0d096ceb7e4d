"""Configuration: command-line flag, then environment, then the TOML file, then defaults.

The file lives at `$XDG_CONFIG_HOME/checkin/config.toml` (or `CHECKIN_CONFIG`).
Every value remembers where it came from, so `checkin doctor` can say why, and a
bad value names its key and its file.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice.errors import CheckinError
from voice.recognizers import registry

DEFAULT_PARTNERS = ("Partner A", "Partner B")
DEFAULT_WAKE_PHRASE = "hey check in"

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
    source: Path | None = None
    """The config file that was read, or None when there is none."""
    origins: dict[str, str] = field(default_factory=dict)
    """For each key: "default", "file", "environment" or "flag"."""

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")


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


def load_config(path: Path | None = None) -> Config:
    """Read the settings from the environment, the file and the defaults.

    Command-line flags are applied by the caller on top (see `with_flags`).
    """
    origins: dict[str, str] = {}
    explicit = path or (
        Path(os.environ["CHECKIN_CONFIG"]) if os.environ.get("CHECKIN_CONFIG") else None
    )
    config_path = explicit or default_config_path()
    if explicit and not explicit.is_file():
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
