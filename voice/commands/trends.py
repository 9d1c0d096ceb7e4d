"""`checkin trends`: how the last weeks add up, together and for each partner."""

from __future__ import annotations

import json
from pathlib import Path

import click

from voice.commands import options
from voice.commands.export import database_path, validate_week


@click.command("trends")
@click.option("--weeks", type=click.IntRange(min=1), default=8, show_default=True, metavar="N",
              help="How many weeks to show.")
@click.option("--week", callback=validate_week, metavar="YYYY-Www",
              help="The last week shown (default: this week; while it has no check-in yet, "
              "the week just ended).")
@options.json_option("Print the figures as one json object.")
@options.db_option(name="db")
def command(weeks: int, week: str | None, as_json: bool, db: Path | None) -> None:
    """Show the trends of the last weeks: appreciations against needs (and the 5:1
    mark), check-ins kept, needs validated, and each kind of micro-rejection.

    Micro-rejections do their harm by adding up over time; this is where that shows.

    \b
    Example:
      checkin trends
      checkin trends --weeks 12 --json
    """
    from store import open_store
    from store.exporting import default_week
    from store.render_trends import render_trends_md
    from store.trends import trends

    with open_store(database_path(db), create=False) as store:
        note = None
        if week is None:
            week, note = default_week(store)
        figures = trends(store, week, weeks)
    if note:
        click.echo(f"checkin: {note}", err=True)
    if as_json:
        click.echo(json.dumps(figures.as_json(), ensure_ascii=False))
    else:
        click.echo(render_trends_md(figures, level=1), nl=False)
