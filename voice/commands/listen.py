"""`checkin listen`: the hands-free loop — wait for the wake phrase, check in, wait again."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from voice.commands.options import audio_options, first_option

if TYPE_CHECKING:
    from audio.source import FrameSource
    from voice.checkin.session import CheckinStore, Turn


def _now() -> datetime:
    return datetime.now().astimezone()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def answers_hidden(conversation: TextIO) -> bool:
    """Whether what the partners say must stay off the output.

    A service's output goes to the system journal, and a pipe or a file to
    wherever it is kept: the words belong in the database only, where `forget`
    can reach them. Only a person's own terminal shows them.
    """
    from voice.listen.service_unit import running_as_service

    return (
        running_as_service()
        or not _is_terminal(sys.stdout)
        or not _is_terminal(conversation)
    )


class EventStore:
    """The check-in store, telling one event line per check-in ("check-in saved: 4 entries")."""

    def __init__(self, store: CheckinStore, tell: Callable[[str], None]) -> None:
        self.store = store
        self.tell = tell
        self.entries = 0

    def begin_session(self, partners: tuple[str, str], engine: str) -> int:
        self.entries = 0
        return self.store.begin_session(partners, engine)

    def log_entry(self, session_id: int, **fields: Any) -> Any:
        done = self.store.log_entry(session_id, **fields)
        self.entries += 1
        return done

    def withdraw(self, entry: Any) -> None:
        """A misheard answer taken back ("that's not what I said") is not counted."""
        from voice.checkin.store_layers import retract

        if retract(self.store, entry):
            self.entries -= 1

    def end_session(self, session_id: int, *, completed: bool, duration_s: float) -> Any:
        done = self.store.end_session(session_id, completed=completed, duration_s=duration_s)
        kept = getattr(self.store, "recovery_file", None)
        where = f"kept in {kept}" if kept else "saved"
        state = "" if completed else " (not completed)"
        entries = "1 entry" if self.entries == 1 else f"{self.entries} entries"
        self.tell(f"check-in {where}{state}: {entries}")
        return done


def without_answers(summary: dict[str, Any]) -> dict[str, Any]:
    """A `--json` summary with what the partners said left out (kinds and times stay)."""
    from voice.checkin.session import ASSISTANT

    return {
        **summary,
        "entries": [{k: v for k, v in e.items() if k != "text"} for e in summary["entries"]],
        "turns": [
            turn if turn["speaker"] == ASSISTANT else {k: v for k, v in turn.items() if k != "text"}
            for turn in summary["turns"]
        ],
    }


def _reopen_microphone(spec: str | None) -> FrameSource:
    """Open the microphone afresh after it was lost (raises AudioError while it is absent)."""
    from audio.mic import MicSource, rescan_devices, resolve_device

    rescan_devices()
    return MicSource(resolve_device(spec))


@click.command("listen")
@audio_options
@first_option()
@click.option("--once", is_flag=True, help="Exit after one check-in.")
@click.option("--phrase", help="The wake phrase (default: the config's, or \"hey check in\").")
@click.option("--sensitivity", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="Wake phrase sensitivity: higher hears it more easily, and wakes falsely more.")
@click.option("--quiet", is_flag=True, help="No chimes (when the wake phrase is heard, and "
              "before each answer).")
@click.option("--patient", is_flag=True,
              help="Wait out every pause (1.2 s) before replying, even after a whole sentence: "
              "slower replies, but an afterthought is never cut off (config: patient = true).")
def command(
    partners: str | None, db_path: Path | None, engine: str | None, model: Path | None,
    mic: str | None, audio_in: Path | None, use_replies: bool, speaker: str | None,
    say_to: Path | None, mute: bool, as_json: bool, replies: tuple[Path, ...], once: bool,
    phrase: str | None, sensitivity: float, quiet: bool, patient: bool, first: str | None,
) -> None:
    """Wait for the wake phrase, run a check-in, and go back to waiting.

    After the wake phrase a chime plays and, for a few seconds, the assistant
    hears what you want: "how was our week" (it reads this week's summary),
    "not now" or "cancel" (it goes back to waiting); anything else, or
    nothing, starts the check-in.

    With --audio-in or --replies it ends when the input is exhausted. With
    --replies, each listening hears the next file: the first file is what
    the wake listener hears, and a request goes in that SAME file, after the
    wake phrase and a pause (as you would wait for the chime): "hey check
    in ... how was our week". The following files are the check-in's
    answers. If the microphone is lost, the check-in so
    far stays saved (not completed) and `listen` waits for it to come back.
    With `reminder` in the config it says, once an evening outside
    `quiet_hours`, that it is ready if no check-in happened yet.

    \b
    Example:
      checkin listen --partners Ana,Sam
      checkin listen --once --replies wake.wav a1.wav a2.wav --mute --json
    """
    from voice.checkin.session import ASSISTANT
    from voice.config import load_config, with_flags
    from voice.listen.lines import load_lines
    from voice.listen.loop import ListenLoop
    from voice.listen.mic_recovery import MicRecovery
    from voice.listen.reminder import EveningReminder
    from voice.listen.status import StatusLine
    from voice.listen.weekly import weekly_summary_text
    from voice.runtime import (
        Console,
        closing_all,
        open_source,
        open_spoken_checkin,
        open_voice,
        reply_files,
    )
    from voice.wake.detector import WakeDetector

    config = with_flags(
        load_config(), partners=partners, db_path=db_path, engine=engine, mic=mic, speaker=speaker,
        wake_phrase=phrase.lower().strip() if phrase else None, patient=patient or None,
    )
    if first:
        from voice.checkin.store_layers import pin_first

        pin_first(config.partners, first)  # an unknown name is said now, not after the wake
    console = Console(as_json)
    status = StatusLine(sys.stderr)
    # The loop's state changes reach the journal through CHECKIN_LOG (the unit sets it).
    private = answers_hidden(console.stream)

    def show(text: str) -> None:
        status.print_line(text, console.stream)

    def tell(text: str) -> None:
        status.print_line(f"checkin: {text}", sys.stderr)

    def show_turn(turn: Turn) -> None:
        if not private or turn.speaker == ASSISTANT:
            show(f"{turn.speaker}: {turn.text}")

    files = reply_files(use_replies, replies)
    try:
        with closing_all() as stack:
            source = open_source(config.mic, audio_in, files, console.warn)
            output = open_voice(config.speaker, say_to, mute, console.warn, stack)
            detectors: list[WakeDetector] = []
            spoken = open_spoken_checkin(
                stack, config, console, source, output, model,
                # The wake detector is built while the answer recognizer loads.
                meanwhile=lambda: detectors.append(
                    WakeDetector(config.wake_phrase, sensitivity=sensitivity)
                ),
                on_turn=show_turn,
                status=status.show,
                patient=config.patient,
            )
            edges, store = spoken.edges, spoken.store.store
            reminder = None
            if config.reminder is not None:
                reminder = EveningReminder.from_config(
                    config.reminder, config.quiet_hours, _now,
                    lambda day, now: store.had_checkin_on(day, now.tzinfo),
                )
            live_mic = audio_in is None and not files
            loop = ListenLoop(
                edges, detectors[0],
                config.partners, EventStore(spoken.store, tell) if private else spoken.store,
                load_lines(config.wake_phrase),
                weekly_summary=lambda: weekly_summary_text(store, _now()),
                earcons=not quiet,
                reminder=reminder,
                recovery=MicRecovery(lambda: _reopen_microphone(config.mic), time.sleep)
                if live_mic else None,
                tell=tell,
                on_wake=lambda d: show(f"(heard \"{d.phrase}\" at {d.t:.1f} s)"),
                first=first,
            )
            show(f"Waiting for \"{config.wake_phrase}\"…")
            results = loop.run(once=once)
    finally:
        status.clear()
    if as_json:
        for result in results:
            summary = result.to_json()
            click.echo(json.dumps(without_answers(summary) if private else summary,
                                  ensure_ascii=False))
    elif not results:
        click.echo("The input ended before a check-in ran.")
