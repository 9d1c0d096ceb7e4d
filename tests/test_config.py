"""Config precedence (flag > environment > file > default) and bad values."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from voice.config import (
    DEFAULT_VOICE_RATE,
    Config,
    load_config,
    parse_partners,
    updated_text,
    with_flags,
    write_settings,
)
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
        ('engine = "kaldi"\n', "key 'engine' in .*config.toml"),
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


def test_voice_rate_defaults_to_a_calm_pace_and_is_checked(isolated_home: Path) -> None:
    assert load_config().voice_rate == DEFAULT_VOICE_RATE
    write_config(isolated_home, "voice_rate = 140\n")
    assert load_config().voice_rate == 140
    for bad in ("voice_rate = 20\n", 'voice_rate = "slow"\n', "voice_rate = true\n"):
        write_config(isolated_home, bad)
        with pytest.raises(CheckinError, match="key 'voice_rate' in .*words per minute"):
            load_config()


def test_settings_replace_only_their_own_lines() -> None:
    text = (
        "# hand-written\n"
        "partners = [\n"
        '    "Partner A",  # placeholder\n'
        '    "Partner B",\n'
        "]\n"
        'engine = "pocketsphinx"   # faster here\n'
        'reminder = "20:00"\n'
    )
    updated = updated_text(text, {"partners": ["Ana", "Zoë \"Z\""], "reminder": "21:30",
                                  "mic": "USB"})
    assert updated == (
        "# hand-written\n"
        'partners = ["Ana", "Zoë \\"Z\\""]\n'
        'engine = "pocketsphinx"   # faster here\n'
        'reminder = "21:30"\n'
        'mic = "USB"\n'
    )
    assert tomllib.loads(updated)["partners"] == ["Ana", 'Zoë "Z"']


def test_a_new_key_goes_before_any_table_and_a_broken_file_is_left_alone(tmp_path: Path) -> None:
    assert updated_text('db = "x"\n[extra]\nkey = 1', {"mic": "3"}) == (
        'db = "x"\nmic = "3"\n[extra]\nkey = 1\n')
    broken = tmp_path / "config.toml"
    broken.write_text("partners = [\n")
    with pytest.raises(CheckinError, match="not valid TOML"):
        write_settings(broken, {"partners": ["Ana", "Sam"]})
    assert broken.read_text() == "partners = [\n"


def test_written_settings_are_read_back_with_their_origin(isolated_home: Path) -> None:
    path = write_config(isolated_home, "# ours\npatient = true\n")
    path.chmod(0o640)
    write_settings(path, {"partners": ["Ana", "Sam"], "reminder": "21:00"})
    config = load_config()
    assert (config.partners, config.reminder, config.patient) == (("Ana", "Sam"), "21:00", True)
    assert config.origin("partners") == "file" and config.names_set
    assert path.stat().st_mode & 0o777 == 0o640
    assert not load_config(isolated_home / "none.toml", missing_ok=True).names_set
