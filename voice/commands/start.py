"""`checkin start`: run one spoken check-in now."""

from __future__ import annotations

import json
from pathlib import Path

import click

from voice.commands.options import audio_options, first_option


@click.command("start")
@audio_options
@click.option(
    "--seed", type=int, help="Choose the variants of the lines (default: the session id)."
)
@click.option(
    "--budget",
    type=click.FloatRange(min=20.0),
    default=120.0,
    show_default=True,
    help="Seconds of audio the check-in may take before it closes.",
)
@first_option()
@click.option("--quiet", is_flag=True, help="No chime before each answer.")
@click.option("--patient", is_flag=True,
              help="Wait out every pause (1.2 s) before replying, even after a whole sentence: "
              "slower replies, but an afterthought is never cut off (config: patient = true).")
def command(
    partners: str | None,
    db_path: Path | None,
    engine: str | None,
    model: Path | None,
    mic: str | None,
    audio_in: Path | None,
    use_replies: bool,
    speaker: str | None,
    say_to: Path | None,
    mute: bool,
    as_json: bool,
    replies: tuple[Path, ...],
    seed: int | None,
    budget: float,
    first: str | None,
    quiet: bool,
    patient: bool,
) -> None:
    """Run one spoken check-in now, without waiting for the wake phrase.

    The partners answer into the microphone (or a WAV file, or scripted reply
    files); every answer is saved the moment it is understood. Who goes first
    alternates from one check-in to the next.

    \b
    Example:
      checkin start --partners Ana,Sam
      checkin start --replies a1.wav a2.wav a3.wav --mute --json
    """
    from voice.checkin.spoken_run import spoken_checkin
    from voice.checkin.wording import entries_saved
    from voice.config import load_config, require_partners, with_flags
    from voice.runtime import (
        Console,
        closing_all,
        open_source,
        open_spoken_checkin,
        open_voice,
        reply_files,
    )

    config = with_flags(
        load_config(), partners=partners, db_path=db_path, engine=engine, mic=mic, speaker=speaker,
        patient=patient or None,
    )
    require_partners(config)
    console = Console(as_json)
    with closing_all() as stack:
        source = open_source(config.mic, audio_in, reply_files(use_replies, replies), console.warn)
        output = open_voice(config.speaker, say_to, mute, console.warn, stack)
        spoken = open_spoken_checkin(
            stack, config, console, source, output, model,
            on_turn=lambda turn: console.line(f"{turn.speaker}: {turn.text}"),
            earcons=not quiet,
            patient=config.patient,
        )
        result = spoken_checkin(
            spoken.edges, config.partners, spoken.store, seed=seed, budget_s=budget, first=first
        )
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        state = "completed" if result.completed else "not completed"
        click.echo(
            f"session {result.session_id} {state}, {result.duration_s:.1f} s, "
            f"{entries_saved(len(result.entries))} to {config.db_path}"
        )
