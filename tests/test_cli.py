"""The real `checkin` command line: help everywhere, config precedence, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from voice.cli import cli


def checkin(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voice", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_every_command_has_help_with_an_example() -> None:
    names = cli.list_commands(click.Context(cli))
    assert {"start", "listen", "text", "export", "import", "doctor"} <= set(names)
    for name in names:
        result = checkin(name, "-h")
        assert result.returncode == 0, (name, result.stderr)
        assert "Example" in result.stdout, f"`checkin {name} --help` shows no example"


def test_top_level_help_lists_the_commands() -> None:
    result = checkin("--help")
    assert result.returncode == 0
    for name in ("doctor", "text", "export"):
        assert name in result.stdout


def write_config(home: Path, text: str) -> Path:
    path = home / ".config" / "checkin" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def doctor_config(env: dict[str, str] | None = None, *flags: str) -> dict[str, object]:
    result = checkin("doctor", "--json", *flags, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["config"]


def test_precedence_flag_over_environment_over_file_over_default(
    isolated_home: Path, tmp_path: Path
) -> None:
    assert doctor_config()["origins"]["db_path"] == "default"  # type: ignore[index]
    write_config(isolated_home, f'db = "{tmp_path / "file.db"}"\npartners = ["Ana", "Sam"]\n')
    config = doctor_config()
    assert config["db"] == str(tmp_path / "file.db")
    assert config["partners"] == ["Ana", "Sam"]
    config = doctor_config({"CHECKIN_DB": str(tmp_path / "env.db")})
    assert config["db"] == str(tmp_path / "env.db")
    config = doctor_config(
        {"CHECKIN_DB": str(tmp_path / "env.db")}, "--db", str(tmp_path / "flag.db")
    )
    assert config["db"] == str(tmp_path / "flag.db")
    assert config["origins"]["db_path"] == "flag"  # type: ignore[index]


def test_a_bad_config_value_is_one_line_naming_key_and_file(isolated_home: Path) -> None:
    path = write_config(isolated_home, 'engine = "dragon"\n')
    result = checkin("doctor")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "engine" in lines[0] and str(path) in lines[0]
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(isolated_home: Path) -> None:
    write_config(isolated_home, 'engine = "dragon"\n')
    result = checkin("--debug", "doctor")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


@pytest.mark.parametrize("partners", ["Ana", "Ana,Ana", ",Sam"])
def test_bad_partners_exit_2_with_one_line(partners: str) -> None:
    result = checkin("doctor", "--partners", partners)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "partners" in result.stderr


def test_doctor_reports_the_default_recognizer_and_exits_0() -> None:
    result = checkin("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    # The default install brings Whisper tiny.en; PocketSphinx is listed as the fallback.
    assert "recognizer:  Using Whisper" in result.stdout
    assert "pocketsphinx" in result.stdout
    assert "ok: the app can run" in result.stdout


def test_doctor_reports_a_corrupt_database_and_leaves_it_alone(tmp_path: Path) -> None:
    corrupt = tmp_path / "checkin.db"
    corrupt.write_bytes(b"this is not a database at all" * 100)
    before = corrupt.read_bytes()
    result = checkin("doctor", "--db", str(corrupt))
    assert result.returncode == 1
    assert "database" in result.stdout and str(corrupt) in result.stdout
    assert corrupt.read_bytes() == before


def test_help_loads_no_engine_and_no_store() -> None:
    """`checkin --help` must stay cheap: the recognizers, numpy and sqlite-utils load on use."""
    probe = (
        "import sys; from voice.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('numpy', 'sqlite_utils', 'pocketsphinx', 'vosk', 'rapidfuzz')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
