"""`checkin edit ID "text"`: correct the words of one entry, recorded with the entry."""

from __future__ import annotations

from pathlib import Path

import click

from voice.commands.export import database_path, db_option


@click.command("edit")
@click.argument("entry_id", metavar="ID", type=int)
@click.argument("text")
@db_option
def command(entry_id: int, text: str, db: Path | None) -> None:
    """Replace the text of one entry (what was misheard); `checkin entries` lists the ids.

    The kind and category stay as they were. The edit is recorded and travels with
    `checkin export --format json`, so a copy that still has the old words is
    corrected when the export is imported there.

    \b
    Example:
      checkin edit 12 "you made me coffee this morning"
    """
    from store import open_store
    from store.corrections import edit_entry
    from voice.checkin.typed import clean_typed, trim_answer

    cleaned, trimmed = trim_answer(clean_typed(text))
    with open_store(database_path(db), create=False) as store:
        entry = edit_entry(store, entry_id, cleaned)
    kind = str(entry["kind"]).replace("_", " ")
    note = " (trimmed to 1,000 characters)" if trimmed else ""
    click.echo(f"Edited entry {entry_id} ({entry['partner']}'s {kind}){note}; the edit is "
               "recorded and survives export and import.")
