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

    The text is scrubbed from the database and its -wal file, not just
    unlinked, and removed from the recovery files (checkin-recovery-*.json)
    a check-in leaves when the database could not take its answers.

    \b
    Example:
      checkin forget --week 2026-W07
      checkin forget --all --yes
    """
    from store import open_store
    from store.forgetting import count, forget, forget_recovery, recovery_files
    from store.labels import load_labels
    from voice.config import data_dir

    if (week is None) == (not all_weeks):
        raise click.UsageError("give exactly one of --week YYYY-Www or --all")
    chosen = None if all_weeks else week
    path = database_path(db)
    # Recovery files go to the data folder; one beside a database elsewhere is the couple's too.
    folders = [data_dir(), path.expanduser().parent]
    with open_store(path, create=False) as store:
        found = count(store, chosen)
        if not found and not recovery_files(folders):
            forget(store, chosen, all_weeks)  # still scrubs what an interrupted forget left
            notes = load_labels().notes
            click.echo(notes["forget_nothing_all"] if all_weeks
                       else notes["forget_nothing_week"].format(week=week))
            return
        what = "every check-in" if all_weeks else f"the check-ins of {week}"
        if not yes and not click.confirm(f"Delete {what} from {path} for good?"):
            click.echo("Nothing was deleted.")
            return
        deleted = forget(store, chosen, all_weeks)
    recovered = forget_recovery(folders, chosen)
    if not deleted and not recovered:
        notes = load_labels().notes
        click.echo(notes["forget_nothing_all"] if all_weeks
                   else notes["forget_nothing_week"].format(week=week))
        return
    message = f"Deleted {deleted} check-in{'s' if deleted != 1 else ''}"
    if recovered:
        message += f" and {recovered} from recovery files"
    click.echo(f"{message}; the text is gone from disk.")
