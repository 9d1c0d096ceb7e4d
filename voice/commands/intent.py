"""`checkin intent`: show what the matcher makes of an answer (for tuning and scripts)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from intents.catalogue import CONTEXTS
from voice.errors import CheckinError

if TYPE_CHECKING:
    from intents import Catalogue, Match


def _render(result: Match, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {
                "intent": result.intent,
                "category": result.category,
                "score": result.score,
                "decided_by": result.decided_by,
            }
        )
    label = result.intent or "(no match)"
    if result.category:
        label = f"{label}/{result.category}"
    return f"{label}\t{result.score:g}\t{result.decided_by or '-'}"


@click.command(name="intent")
@click.argument("text", required=False)
@click.option(
    "--context",
    "-c",
    required=True,
    type=click.Choice(CONTEXTS),
    help="The question the answer replies to.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='One {"intent", "category", "score", "decided_by"} per line.',
)
@click.option(
    "--catalogue",
    "catalogue_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An intent catalogue TOML to use instead of the packaged one.",
)
def command(text: str | None, context: str, as_json: bool, catalogue_path: Path | None) -> None:
    """Match an answer (TEXT, or one answer per stdin line) to an intent.

    Prints the intent (with its unmet-need category), a 0-100 score and the part
    of the matcher that decided (cue, fuzzy or semantic); "(no match)" when nothing
    matched confidently.

    \b
    Example:
      checkin intent "you never texted me back" --context need
      echo "i hear you" | checkin intent --context response --json
    """
    from intents import CatalogueError, load_catalogue, match

    try:
        catalogue: Catalogue = load_catalogue(catalogue_path)
    except CatalogueError as error:
        raise CheckinError(str(error)) from error
    if text is not None:
        click.echo(_render(match(text, context, catalogue), as_json))
        return
    # One answer in, one result out, as each line arrives (works in a pipe).
    for line in iter(sys.stdin.readline, ""):
        click.echo(_render(match(line.rstrip("\r\n"), context, catalogue), as_json))
