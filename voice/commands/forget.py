"""`checkin forget`: delete a week, or everything, leaving no trace on disk."""

from __future__ import annotations

from pathlib import Path

import click

from voice.commands.export import database_path, db_option, validate_week


@click.command("forget")
@click.option("--week", callback=validate_week, metavar="YYYY-Www", help="ISO week to delete.")
@click.option("--all", "all_weeks", is_flag=True, help="Delete every check-in.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
def command(week: str | None, all_weeks: bool, yes: bool, db: Path | None) -> None:
    """Delete the check-ins of one week, or all of them, for good.

    The text is scrubbed from the database and its -wal file, not just unlinked.

    \b
    Example:
      checkin forget --week 2026-W07
      checkin forget --all --yes
    """
    from store import open_store
    from store.forgetting import forget

    if (week is None) == (not all_weeks):
        raise click.UsageError("give exactly one of --week YYYY-Www or --all")
    what = "every check-in" if all_weeks else f"the check-ins of {week}"
    path = database_path(db)
    if not yes and not click.confirm(f"Delete {what} from {path} for good?"):
        click.echo("Nothing was deleted.")
        return
    with open_store(path, create=False) as store:
        deleted = forget(store, None if all_weeks else week, all_weeks)
    click.echo(
        f"Deleted {deleted} check-in{'s' if deleted != 1 else ''}; the text is gone from disk."
    )
