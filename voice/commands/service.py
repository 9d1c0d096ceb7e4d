"""`checkin service install | uninstall | status`: keep `checkin listen` running, hands-free."""

from __future__ import annotations

import click

from voice.errors import CheckinError

LOG_LINES = 10


def _require_systemd() -> None:
    from voice.listen.service_unit import manual_command, systemd_missing

    why = systemd_missing()
    if why is not None:
        raise CheckinError(f"{why}; run this instead (e.g. from your session's autostart): "
                           f"{manual_command()}")


def _systemctl(*args: str) -> str:
    from voice.listen.service_unit import run_user

    done = run_user("systemctl", *args)
    if done.returncode != 0:
        detail = done.output or "no output"
        raise CheckinError(f"`systemctl --user {' '.join(args)}` failed ({detail}); "
                           "see `journalctl --user -u checkin` for details")
    return done.output


@click.group("service")
def command() -> None:
    """Run `checkin listen` as a background service (a systemd user unit).

    The unit starts with your session, uses your config (CHECKIN_CONFIG and
    the other CHECKIN_* and XDG_* variables set when you install it) and is
    restarted if it fails.

    \b
    Example:
      checkin service install --dry-run
      checkin service install
      checkin service status
    """


@command.command("install")
@click.option("--dry-run", is_flag=True, help="Print the unit and its path; change nothing.")
def install(dry_run: bool) -> None:
    """Write the user unit, then enable and start it.

    The service checks in with the names in the config file, so they must be set
    first (`checkin setup`).

    \b
    Example:
      checkin service install --dry-run
    """
    from voice.config import load_config
    from voice.listen.service_unit import UNIT_NAME, current_unit_text, unit_path

    config = load_config()
    # The service has no --partners: without names in the file it would run as "Partner A".
    unnamed = None if config.origin("partners") == "file" else (
        f"the config file has no partner names, and the service would check in as "
        f"\"{' and '.join(config.partners)}\"; run `checkin setup` once to set them"
    )
    text = current_unit_text()
    if dry_run:
        if unnamed:
            click.echo(f"checkin: warning: {unnamed}", err=True)
        click.echo(f"# {unit_path()}")
        click.echo(text, nl=False)
        return
    if unnamed:
        raise CheckinError(unnamed)
    _require_systemd()
    path = unit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _systemctl("daemon-reload")
    _systemctl("enable", "--now", UNIT_NAME)
    click.echo(f"installed {path} and started it; `checkin service status` shows how it runs")


@command.command("uninstall")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
def uninstall(dry_run: bool) -> None:
    """Stop and disable the unit, and remove its file.

    \b
    Example:
      checkin service uninstall
    """
    from voice.listen.service_unit import UNIT_NAME, unit_path

    path = unit_path()
    if dry_run:
        click.echo(f"would run: systemctl --user disable --now {UNIT_NAME}")
        click.echo(f"would remove: {path}" if path.exists() else f"{path} is not installed")
        return
    _require_systemd()
    if not path.exists():
        click.echo(f"{path} is not installed; nothing to do")
        return
    _systemctl("disable", "--now", UNIT_NAME)
    path.unlink()
    _systemctl("daemon-reload")
    click.echo(f"stopped and removed {path}")


@command.command("status")
def status() -> None:
    """Whether the service is installed and running, and its last log lines.

    \b
    Example:
      checkin service status
    """
    from voice.listen.service_unit import (
        UNIT_NAME,
        manual_command,
        run_user,
        systemd_missing,
        unit_path,
    )

    path = unit_path()
    click.echo(f"unit:    {path} ({'installed' if path.exists() else 'not installed'})")
    why = systemd_missing()
    if why is not None:
        click.echo(f"{why}; run this instead: {manual_command()}")
        return
    active = run_user("systemctl", "is-active", UNIT_NAME).output or "unknown"
    enabled = run_user("systemctl", "is-enabled", UNIT_NAME).output or "unknown"
    click.echo(f"running: {active} (enabled: {enabled})")
    log = run_user("journalctl", "-u", UNIT_NAME, "-n", str(LOG_LINES), "--no-pager", "-o", "cat")
    click.echo("last log lines:")
    click.echo(log.output or "(none)")
