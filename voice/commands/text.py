"""`checkin text`: the same check-in, typed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from voice.commands.options import first_option


@click.command("text")
@click.option(
    "--partners",
    metavar="A,B",
    help="The two partners (default: from the config file, which `checkin setup` writes).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The check-in database (default: from the config, CHECKIN_DB, or the data folder).",
)
@click.option(
    "--seed",
    type=int,
    help="Choose the variants of the lines (default: the session's id, so they vary nightly).",
)
@first_option()
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one summary object on stdout; the conversation goes to stderr.",
)
def command(
    partners: str | None, db_path: Path | None, seed: int | None, first: str | None,
    as_json: bool,
) -> None:
    """Run tonight's check-in typed: prompts are printed, answers read from stdin.

    Each line on stdin is one answer; an empty line counts as no answer, and the
    end of input (Ctrl-D) ends the check-in (kept, marked not completed). Answers
    are understood and logged exactly as in a spoken check-in. Times are on a typed
    clock: every line advances it by its speaking time at about 150 words a
    minute, so the two-minute budget behaves as when spoken. Who goes first
    alternates from one check-in to the next.

    \b
    Example:
      checkin text --partners Ana,Sam
      printf 'you made me coffee\\nthe hug this morning\\n' | checkin text --json
    """
    from store import open_store
    from voice.checkin.script import load_script
    from voice.checkin.session import run_checkin
    from voice.checkin.typed import PrintedMouth, TypedClock, TypedEars
    from voice.config import load_config, require_partners, with_flags

    config = with_flags(load_config(), partners=partners, db_path=db_path)
    require_partners(config)
    conversation = sys.stderr if as_json else sys.stdout

    def write(text: str) -> None:
        conversation.write(text)
        conversation.flush()

    script = load_script()
    clock = TypedClock()
    stdin = sys.stdin
    terminal = _is_terminal(stdin)
    ears = TypedEars(
        clock, stdin, write, echo=not terminal, notes=script.typed,
        # readline prompts on stdout: only when the conversation is shown there too.
        line_editing=terminal and not as_json and _is_terminal(sys.stdout),
    )
    with open_store(config.db_path) as store:
        result = run_checkin(
            config.partners,
            ears=ears,
            mouth=PrintedMouth(clock, write),
            clock=clock,
            store=store,
            engine_name="text",
            script=script,
            seed=seed,
            first=first,
        )
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
