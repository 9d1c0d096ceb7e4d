"""The systemd user unit that keeps `checkin listen` running, and talking to systemctl.

The unit runs the same `checkin` executable that installed it (an absolute
path, since a service has no shell PATH), with the environment variables that
decide which config, database and model it uses, and restarts it on failure.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

UNIT_NAME = "checkin.service"

PINNED_ENVIRONMENT = (
    "CHECKIN_CONFIG", "CHECKIN_DB", "CHECKIN_VOSK_MODEL",
    "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
)
"""Variables that choose the couple's config, data and models: carried into the unit when set,
because the user manager does not see the installing shell's environment."""

SYSTEMCTL_TIMEOUT_S = 20.0

SERVICE_MARKERS = ("INVOCATION_ID", "JOURNAL_STREAM")
"""Variables systemd sets for every service it starts (and for output going to the journal)."""


def running_as_service(environ: dict[str, str] | None = None) -> bool:
    """Whether systemd started this process: its output then ends up in the journal."""
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in SERVICE_MARKERS)


@dataclass(frozen=True)
class UnitSettings:
    """What a unit file tells systemd to run: the command, its environment, its output."""

    command: list[str]
    environment: dict[str, str]
    standard_output: str
    """Where stdout goes: "journal" unless the unit says otherwise."""


def unit_settings(text: str) -> UnitSettings:
    """Read ExecStart, Environment= and StandardOutput= back from a unit's text."""
    command: list[str] = []
    environment: dict[str, str] = {}
    output = "journal"
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key == "ExecStart":
            command = [word.replace("%%", "%") for word in shlex.split(value)]
        elif key == "Environment":
            for word in shlex.split(value):
                name, _, setting = word.replace("%%", "%").partition("=")
                environment[name] = setting
        elif key == "StandardOutput":
            output = value.strip()
    return UnitSettings(command, environment, output)


def unit_dir() -> Path:
    """Where systemd looks for the user's own units."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def unit_path() -> Path:
    return unit_dir() / UNIT_NAME


def listen_command() -> list[str]:
    """`checkin listen` as an absolute command line: this installation's console script."""
    script = Path(sys.executable).parent / "checkin"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script.absolute()), "listen"]
    # Run from a checkout without the console script installed: the module does the same.
    return [str(Path(sys.executable).absolute()), "-m", "voice", "listen"]


def _systemd_quote(argument: str) -> str:
    """One ExecStart word: "%" is a specifier and needs doubling; spaces need quotes."""
    escaped = argument.replace("%", "%%")
    if any(c.isspace() for c in escaped) or '"' in escaped or "\\" in escaped:
        escaped = '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return escaped


def unit_text(command: list[str], environment: dict[str, str]) -> str:
    """The unit file's contents for running `command` with `environment` pinned."""
    exec_start = " ".join(_systemd_quote(word) for word in command)
    env_lines = "".join(
        f"Environment={_systemd_quote(f'{key}={value}')}\n"
        for key, value in sorted(environment.items())
    )
    return (
        "[Unit]\n"
        "Description=Couple check-in: waits for the wake phrase and runs the evening check-in\n"
        "After=pipewire.service pulseaudio.service\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={exec_start}\n"
        f"{env_lines}"
        "Environment=PYTHONUNBUFFERED=1\n"
        # The service's state changes (woke, ended, mic lost) go to the journal; no words.
        "Environment=CHECKIN_LOG=info\n"
        "Restart=on-failure\n"
        "RestartSec=5\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def current_unit_text() -> str:
    """The unit for this installation and this environment."""
    pinned = {key: os.environ[key] for key in PINNED_ENVIRONMENT if os.environ.get(key)}
    return unit_text(listen_command(), pinned)


def manual_command() -> str:
    """What to run by hand where there is no systemd, with the same environment."""
    pinned = [f"{key}={shlex.quote(os.environ[key])}" for key in PINNED_ENVIRONMENT
              if os.environ.get(key)]
    return " ".join(pinned + [shlex.quote(word) for word in listen_command()])


@dataclass(frozen=True)
class Completed:
    """What a systemctl or journalctl call returned."""

    returncode: int
    output: str


def run_user(tool: str, *args: str) -> Completed:
    """Run `tool --user args...` (systemctl or journalctl) and capture its output."""
    try:
        done = subprocess.run(
            [tool, "--user", *args], capture_output=True, text=True, timeout=SYSTEMCTL_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Completed(127, str(error))
    return Completed(done.returncode, (done.stdout + done.stderr).strip())


def systemd_missing() -> str | None:
    """Why the user's systemd cannot be used here, or None when it can."""
    if shutil.which("systemctl") is None:
        return "systemd is not available here (no systemctl on PATH)"
    probe = run_user("systemctl", "show-environment")
    if probe.returncode != 0:
        detail = probe.output.splitlines()[0] if probe.output else f"exit {probe.returncode}"
        return f"the systemd user manager is not reachable ({detail})"
    return None
