"""`checkin delete ID`: remove one entry (a misheard answer), recorded so it stays removed."""

from __future__ import annotations

from pathlib import Path

import click

from voice.commands.export import database_path, db_option


@click.command("delete")
@click.argument("entry_id", metavar="ID", type=int)
@db_option
def command(entry_id: int, db: Path | None) -> None:
    """Delete one entry; `checkin entries` lists them with their ids.

    The deletion is recorded and travels with `checkin export --format json`, so
    importing an older backup does not bring the entry back.

    \b
    Example:
      checkin entries
      checkin delete 12
    """
    from store import open_store
    from store.corrections import delete_entry

    with open_store(database_path(db), create=False) as store:
        entry = delete_entry(store, entry_id)
    kind = str(entry["kind"]).replace("_", " ")
    click.echo(f"Deleted entry {entry_id} ({entry['partner']}'s {kind}); the deletion is "
               "recorded, so an older export will not bring it back.")
