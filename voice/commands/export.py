"""`checkin export`: the weekly log as md, html, csv or json."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from store.vocabulary import FORMATS
from voice.commands import options


def database_path(db: Path | None) -> Path:
    """--db if given, else the configured database (CHECKIN_DB, config file, default)."""
    if db is not None:
        return db
    from voice.config import load_config  # lazily: a bad config only matters when needed

    return load_config().db_path


def validate_week(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Click callback: a YYYY-Www week or a usage error."""
    if value is None:
        return None
    from store.weeks import parse_week

    try:
        parse_week(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    return value.strip()


db_option = options.db_option(
    "Database file (default: CHECKIN_DB, then the config file, then the data folder).", name="db"
)


@click.command("export")
@click.option(
    "--week", callback=validate_week, metavar="YYYY-Www",
    help="ISO week (default: this week; while it has no check-in yet, the week just ended).",
)
@click.option(
    "--weeks", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
    help="The N weeks ending with --week, with their trends (md, html and json).",
)
@click.option("--all", "all_weeks", is_flag=True, help="Export every week, with their trends.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="Output format; json is a complete backup that `checkin import` reads.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (mode 0600) instead of stdout.",
)
@db_option
def command(
    week: str | None, weeks: int, all_weeks: bool, fmt: str, output: Path | None,
    db: Path | None,
) -> None:
    """Export the weekly log: a readable md/html log, csv rows or a json backup.

    \b
    Example:
      checkin export --week 2026-W07 --format html -o week7.html
      checkin export --format html --weeks 8 -o trends.html
      checkin export --all --format json -o backup.json
    """
    from store import open_store
    from store.exporting import export
    from store.privacy import write_private_file

    if week is not None and all_weeks:
        raise click.UsageError("give either --week or --all, not both")
    if weeks > 1 and all_weeks:
        raise click.UsageError("give either --weeks or --all, not both")
    with open_store(database_path(db), create=False) as store:
        done = export(store, fmt, week=week, weeks=weeks, all_weeks=all_weeks)
    text = done.text
    if done.note:
        click.echo(f"checkin: {done.note}", err=True)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_private_file(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}", err=True)
