"""Config precedence (flag > environment > file > default) and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice.config import Config, load_config, parse_partners, with_flags
from voice.errors import CheckinError


def write_config(home: Path, text: str) -> Path:
    path = home / ".config" / "checkin" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_defaults_without_a_file(isolated_home: Path) -> None:
    config = load_config()
    assert config.source is None
    assert config.engine == "auto"
    assert config.wake_phrase == "hey check in"
    assert config.db_path == isolated_home / ".local" / "share" / "checkin" / "checkin.db"
    assert config.origin("db_path") == "default"


def test_file_then_environment_then_flag(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(
        isolated_home, 'partners = ["Ana", "Sam"]\ndb = "/tmp/from-file.db"\nreminder = "9:05"\n'
    )
    config = load_config()
    assert config.source == path
    assert config.partners == ("Ana", "Sam")
    assert config.db_path == Path("/tmp/from-file.db")
    assert config.reminder == "09:05"
    assert config.origin("db_path") == "file"

    monkeypatch.setenv("CHECKIN_DB", "/tmp/from-env.db")
    config = load_config()
    assert config.db_path == Path("/tmp/from-env.db")
    assert config.origin("db_path") == "environment"

    config = with_flags(config, db_path="/tmp/from-flag.db", partners="Lee,Kim", engine=None)
    assert config.db_path == Path("/tmp/from-flag.db")
    assert config.partners == ("Lee", "Kim")
    assert config.origin("db_path") == "flag"
    assert config.engine == "auto"


def test_checkin_config_variable_points_at_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('engine = "pocketsphinx"\n')
    monkeypatch.setenv("CHECKIN_CONFIG", str(other))
    assert load_config().engine == "pocketsphinx"
    monkeypatch.setenv("CHECKIN_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(CheckinError, match="missing.toml does not exist"):
        load_config()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('engine = "whisper"\n', "key 'engine' in .*config.toml"),
        ('partners = ["Ana"]\n', "key 'partners' in .*exactly two"),
        ('partners = ["Ana", "ana"]\n', "different names"),
        ('reminder = "25:00"\n', "key 'reminder' in .*21:00"),
        ('quiet_hours = "late"\n', "key 'quiet_hours'"),
        ('patient = "yes"\n', "key 'patient' in .*true or false"),
        ('colour = "blue"\n', "unknown key 'colour'"),
        ("partners = [\n", "not valid TOML"),
    ],
)
def test_bad_values_name_the_key_and_the_file(isolated_home: Path, text: str, message: str) -> None:
    write_config(isolated_home, text)
    with pytest.raises(CheckinError, match=message):
        load_config()


@pytest.mark.parametrize("value", ["", "Ana", "Ana,", ",Sam", "Ana,Sam,Lee", "Ana,ana", " , "])
def test_bad_partner_flags(value: str) -> None:
    with pytest.raises(CheckinError):
        parse_partners(value)


def test_partner_names_are_trimmed() -> None:
    assert parse_partners(" Ana , Sam ") == ("Ana", "Sam")
    assert isinstance(with_flags(Config(), partners="A,B"), Config)
