"""`checkin service`: the systemd user unit's text, and the paths with and without systemd.

The CLI runs as a real subprocess. "No systemd" is a PATH without systemctl; a
working systemd is a small stand-in `systemctl`/`journalctl` on PATH that keeps
the state a real one would (the unit enabled and active) in a file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from voice.listen.service_unit import running_as_service, unit_settings, unit_text

PYTHON_DIR = str(Path(sys.executable).parent)


def checkin(
    *args: str, path: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PATH=path, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "voice", "service", *args],
        capture_output=True, text=True, timeout=60, env=environment,
    )


def unit_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user" / "checkin.service"


def test_the_unit_runs_listen_with_the_users_config_and_restarts_on_failure() -> None:
    text = unit_text(["/opt/check in/bin/checkin", "listen"],
                     {"CHECKIN_CONFIG": "/home/ana/.config/checkin/config.toml"})
    lines = text.splitlines()
    assert 'ExecStart="/opt/check in/bin/checkin" listen' in lines
    assert "Environment=CHECKIN_CONFIG=/home/ana/.config/checkin/config.toml" in lines
    assert "Restart=on-failure" in lines
    assert "WantedBy=default.target" in lines
    assert lines[0] == "[Unit]" and "[Service]" in lines and "[Install]" in lines


def test_percent_signs_are_not_taken_for_systemd_specifiers() -> None:
    text = unit_text(["/srv/100%/checkin", "listen"], {"CHECKIN_DB": "/data/50% off.db"})
    assert "ExecStart=/srv/100%%/checkin listen" in text
    assert 'Environment="CHECKIN_DB=/data/50%% off.db"' in text


def test_the_units_settings_read_back_as_systemd_reads_them() -> None:
    text = unit_text(["/opt/check in/bin/checkin", "listen"],
                     {"CHECKIN_DB": "/data/50% off.db", "XDG_DATA_HOME": "/home/ana/.local/share"})
    settings = unit_settings(text)
    assert settings.command == ["/opt/check in/bin/checkin", "listen"]
    assert settings.environment["CHECKIN_DB"] == "/data/50% off.db"
    assert settings.environment["XDG_DATA_HOME"] == "/home/ana/.local/share"
    assert settings.environment["PYTHONUNBUFFERED"] == "1"
    assert settings.standard_output == "journal"  # systemd's default: the journal


def test_a_service_is_known_by_what_systemd_sets() -> None:
    assert running_as_service({"INVOCATION_ID": "5d1c0b2a9e8f4c7b8a6d3e2f1a0b9c8d"})
    assert running_as_service({"JOURNAL_STREAM": "8:424242"})
    assert not running_as_service({"HOME": "/home/ana", "TERM": "xterm"})


def test_dry_run_prints_the_unit_for_this_installation(tmp_path: Path) -> None:
    config = tmp_path / "couple.toml"
    config.write_text('partners = ["Ana", "Sam"]\n')
    done = checkin("install", "--dry-run", path=os.environ["PATH"],
                   env={"CHECKIN_CONFIG": str(config)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"# {unit_file()}\n")
    exec_start = next(line for line in done.stdout.splitlines() if line.startswith("ExecStart="))
    program = exec_start.removeprefix("ExecStart=").split()[0]
    assert Path(program).is_absolute() and Path(program).exists()
    assert exec_start.endswith(" listen")
    assert f"Environment=CHECKIN_CONFIG={config}" in done.stdout.splitlines()
    assert not unit_file().exists()


@pytest.mark.parametrize("action", ["install", "uninstall"])
def test_without_systemctl_it_says_so_and_prints_the_command(action: str, tmp_path: Path) -> None:
    done = checkin(action, path=PYTHON_DIR,  # only the venv's programs: no systemctl
                   env=named_config(tmp_path))
    assert done.returncode == 2
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "systemd is not available here" in message
    assert message.endswith(" listen") and "run this instead" in message
    assert not unit_file().exists()


def test_status_without_systemctl_points_to_the_manual_command(tmp_path: Path) -> None:
    done = checkin("status", path=PYTHON_DIR)
    assert done.returncode == 0, done.stderr
    assert "not installed" in done.stdout
    assert "systemd is not available here" in done.stdout and "run this instead" in done.stdout


FAKE_SYSTEMCTL = """#!/bin/sh
# A stand-in systemd user manager: remembers enable/disable in $STATE.
[ "$1" = "--user" ] || exit 64
shift
echo "$*" >> "$STATE.calls"
case "$1" in
  show-environment) echo "HOME=$HOME" ;;
  daemon-reload) ;;
  enable) [ -f "$XDG_CONFIG_HOME/systemd/user/$3" ] || { echo "Unit $3 not found." >&2; exit 1; }
          echo active > "$STATE" ;;
  disable) rm -f "$STATE" ;;
  is-active) if [ -f "$STATE" ]; then echo active; else echo inactive; exit 3; fi ;;
  is-enabled) if [ -f "$STATE" ]; then echo enabled; else echo disabled; exit 1; fi ;;
  *) exit 1 ;;
esac
"""

FAKE_JOURNALCTL = """#!/bin/sh
echo "checkin: Using PocketSphinx (built-in US English model)"
echo 'Waiting for "hey check in"...'
"""


def fake_systemd(folder: Path) -> dict[str, str]:
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    for name, script in (("systemctl", FAKE_SYSTEMCTL), ("journalctl", FAKE_JOURNALCTL)):
        program = bin_dir / name
        program.write_text(script)
        program.chmod(0o755)
    return {"STATE": str(folder / "state")}


def named_config(folder: Path) -> dict[str, str]:
    config = folder / "couple.toml"
    config.write_text('partners = ["Ana", "Sam"]\n')
    return {"CHECKIN_CONFIG": str(config)}


def test_install_status_uninstall_with_a_user_systemd(tmp_path: Path) -> None:
    env = {**fake_systemd(tmp_path), **named_config(tmp_path)}
    path = f"{tmp_path / 'bin'}:{PYTHON_DIR}:/usr/bin:/bin"

    installed = checkin("install", path=path, env=env)
    assert installed.returncode == 0, installed.stderr
    assert "Restart=on-failure" in unit_file().read_text()
    calls = (tmp_path / "state.calls").read_text().splitlines()
    assert calls[-2:] == ["daemon-reload", "enable --now checkin.service"]

    status = checkin("status", path=path, env=env)
    assert status.returncode == 0, status.stderr
    assert "(installed)" in status.stdout
    assert "running: active (enabled: enabled)" in status.stdout
    assert 'Waiting for "hey check in"' in status.stdout

    removed = checkin("uninstall", path=path, env=env)
    assert removed.returncode == 0, removed.stderr
    assert not unit_file().exists()
    after = checkin("status", path=path, env=env)
    assert "not installed" in after.stdout and "running: inactive" in after.stdout


def test_install_without_names_says_how_to_set_them_and_installs_nothing(tmp_path: Path) -> None:
    env = fake_systemd(tmp_path)
    path = f"{tmp_path / 'bin'}:{PYTHON_DIR}:/usr/bin:/bin"
    done = checkin("install", path=path, env=env)
    assert done.returncode == 2
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert "checkin setup" in message and "Partner A" in message
    assert not unit_file().exists()
    assert not (tmp_path / "state.calls").exists()  # systemd was never asked to start it


def test_a_dry_run_without_names_warns(tmp_path: Path) -> None:
    done = checkin("install", "--dry-run", path=os.environ["PATH"])
    assert done.returncode == 0
    assert "checkin setup" in done.stderr and "ExecStart=" in done.stdout
