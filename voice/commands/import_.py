"""`checkin import`: merge a json export back in (backup, restore, new machine)."""

from __future__ import annotations

from pathlib import Path

import click

from voice.commands.export import database_path, db_option


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Import an export that names other partners than this database's.")
@db_option
def command(file: Path, force: bool, db: Path | None) -> None:
    """Merge a json export into the database; importing it twice adds nothing.

    A malformed file changes nothing. An export from another couple (other
    partner names) is refused unless you pass --force.

    \b
    Example:
      checkin import backup.json
    """
    from store import StoreError, open_store
    from store.importing import import_export

    try:
        data = file.read_bytes()
    except OSError as error:
        raise StoreError(
            f"cannot read {file}: {error.strerror}; give the path of a json export"
        ) from None
    with open_store(database_path(db)) as store:
        result = import_export(store, data, source=str(file), same_couple=not force)
    from voice.checkin.wording import plural

    click.echo(
        f"Imported {plural(result.sessions_added, 'session')} and "
        f"{plural(result.entries_added, 'entry', 'entries')} "
        f"({plural(result.sessions_present, 'session')} and "
        f"{plural(result.entries_present, 'entry', 'entries')} were already there)."
    )
