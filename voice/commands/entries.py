"""`checkin entries`: what was logged, with the ids `checkin delete` and `checkin edit` take."""

from __future__ import annotations

import json
from pathlib import Path

import click

from voice.commands.export import database_path, db_option, validate_week


@click.command("entries")
@click.option("--week", callback=validate_week, metavar="YYYY-Www",
              help="Only this ISO week (default: every week).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entry.")
@db_option
def command(week: str | None, as_json: bool, db: Path | None) -> None:
    """List the logged entries with their ids, oldest first.

    A misheard answer can then be fixed with `checkin edit ID "text"` or removed
    with `checkin delete ID`; both are recorded and survive export and import.

    \b
    Example:
      checkin entries --week 2026-W07
      checkin edit 12 "you made me coffee this morning"
    """
    from store import open_store
    from store.corrections import edited_ids, entry_list
    from store.timefmt import parse_utc_text

    with open_store(database_path(db), create=False) as store:
        entries = entry_list(store, week)
        edited = edited_ids(store)
    if as_json:
        for entry in entries:
            fields = ("id", "at", "partner", "kind", "category", "validated", "text")
            click.echo(json.dumps({**{key: entry[key] for key in fields},
                                   "edited": entry["id"] in edited}, ensure_ascii=False))
        return
    if not entries:
        click.echo(f"No entries in {week}." if week else "No entries yet.")
        return
    for entry in entries:
        when = parse_utc_text(entry["at"]).astimezone().strftime("%Y-%m-%d %H:%M")
        kind = entry["kind"].replace("_", " ")
        if entry["category"]:
            kind += f" ({entry['category'].replace('_', ' ')})"
        elif entry["validated"] is not None:
            kind += " (validated)" if entry["validated"] else " (dismissive)"
        text = " ".join(str(entry["text"]).split())
        mark = " [edited]" if entry["id"] in edited else ""
        click.echo(f"{entry['id']:>5}  {when}  {entry['partner']}: {kind}: {text}{mark}")
