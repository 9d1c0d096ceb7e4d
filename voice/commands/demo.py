"""`checkin demo`: a whole spoken check-in between two synthetic partners."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from voice.commands.options import db_option, engine_option, json_option, model_option

NEXT_STEP = (
    "Next: run `checkin setup` to set your names, microphone and an evening reminder; "
    "then `checkin listen` and say \"hey check in\" (or type one with `checkin text`)."
)


@click.command("demo")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("checkin-demo.wav"),
    show_default=True,
    help="The WAV that receives the whole conversation, both sides.",
)
@db_option("Log into this database (default: a throwaway one, never the couple's data).")
@engine_option()
@model_option()
@click.option(
    "--play", is_flag=True, help="Play the recorded conversation on the speakers at the end."
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="Choose the variants of the lines."
)
@json_option("Print one summary object on stdout; the transcript goes to stderr.")
def command(
    out: Path,
    db_path: Path | None,
    engine: str | None,
    model: Path | None,
    play: bool,
    seed: int,
    as_json: bool,
) -> None:
    """Run a complete spoken check-in between two synthetic partners, Ana and Sam.

    Their answers are voiced with flite and go through the real recognizer and
    intent matcher; the assistant speaks through pyttsx3. The whole
    conversation goes into one WAV and the transcript is printed. Needs no
    microphone, no speakers and no network.

    \b
    Example:
      checkin demo
      checkin demo --out tonight.wav --json
    """
    from audio.wav import load_pcm16k
    from audio.wavout import TimelineWavWriter
    from voice.checkin.demo import load_demo_script, synthesize_answers
    from voice.checkin.spoken_run import spoken_checkin
    from voice.checkin.wording import plural
    from voice.config import load_config, with_flags
    from voice.runtime import Console, PrintedVoice, closing_all, open_spoken_checkin

    script = load_demo_script()
    config = with_flags(load_config(), partners=",".join(script.partners), engine=engine)
    console = Console(as_json)
    with closing_all() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="checkin-demo-")))
        answers = synthesize_answers(script, workdir)
        from audio.sources import RepliesSource

        recorder = stack.enter_context(TimelineWavWriter(out))
        spoken = open_spoken_checkin(
            stack, config, console, RepliesSource(answers), PrintedVoice(), model,
            db_path=db_path or workdir / "demo.db",
            recorder=recorder,
            on_turn=lambda turn: console.line(
                f"[{turn.start_s:6.1f} s] {turn.speaker}: {turn.text}"
            ),
            earcons=True,
        )
        # The demo's answers are in Ana-then-Sam order: never alternated.
        result = spoken_checkin(spoken.edges, config.partners, spoken.store, seed=seed,
                                first=script.partners[0])
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
    count = len(result.entries)
    console.line(
        f"The whole conversation ({result.duration_s:.0f} s of audio) is in {out}; "
        f"{plural(count, 'entry was', 'entries were')} logged "
        + (f"to {db_path}." if db_path else "to a throwaway database.")
    )
    if play:
        from audio.playback import NoSpeaker
        from audio.playback import play as play_pcm

        try:
            play_pcm(load_pcm16k(out))
        except NoSpeaker:
            # The playback error's own advice names start's options, which demo does not take.
            console.warn(f"no speaker to play it on here; the conversation is in {out}: "
                         f"play it on a machine with speakers (e.g. `aplay {out}`)")
    console.line(NEXT_STEP)
