"""Options more than one command takes, declared once so they read and behave alike.

Importing this is cheap (click and the engine registry's table only): `checkin --help`
builds every command's options without loading any engine or the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from voice.recognizers import registry

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class EngineChoice(click.Choice):
    """`--engine`'s choices, read from the registry each time, so a new row is a new choice."""

    name = "engine"

    def __init__(self) -> None:
        super().__init__(registry.names())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return registry.names()

    @choices.setter
    def choices(self, _: Sequence[str]) -> None:
        """click sets this in __init__; the registry stays the one source."""


def _engine_help() -> str:
    ranked = ", then ".join(engine.name for engine in registry.auto_order())
    return f"Speech recognizer (default: auto = {ranked}, the first that can run here)."


def engine_option(help: str | None = None) -> Decorator:
    return click.option("--engine", type=EngineChoice(), default=None, help=help or _engine_help())


def existing_model(_ctx: click.Context, _param: click.Parameter, value: Path | None
                    ) -> Path | None:
    """A --model folder that does not exist is the user's typo: say so, never fall back."""
    if value is not None:
        from voice.recognizers.models import require_model_folder

        require_model_folder(value)
    return value


def model_option() -> Decorator:
    return click.option(
        "--model",
        type=click.Path(file_okay=False, path_type=Path),
        callback=existing_model,
        help="The model folder for the chosen engine (default: the config, then installed ones).",
    )


def first_option() -> Decorator:
    return click.option(
        "--first", metavar="NAME",
        help="Who goes first tonight (default: whoever did not go first last time).",
    )


def db_option(help: str = "The check-in database (default: config, CHECKIN_DB, data folder).",
              name: str = "db_path") -> Decorator:
    return click.option("--db", name, type=click.Path(dir_okay=False, path_type=Path), help=help)


def partners_option() -> Decorator:
    return click.option(
        "--partners", metavar="A,B",
        help="The two partners (default: the config, which `checkin setup` writes).",
    )


def json_option(help: str = "Print one summary object on stdout; the conversation on stderr.",
                ) -> Decorator:
    return click.option("--json", "as_json", is_flag=True, help=help)


def mic_option(help: str = "Microphone: device index or part of its name.") -> Decorator:
    return click.option("--mic", help=help)


def audio_in_option(help: str = "Hear a WAV file instead of the microphone.") -> Decorator:
    return click.option("--audio-in", type=click.Path(dir_okay=False, path_type=Path), help=help)


def audio_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options every spoken command takes (`start`, `listen`), in the order help shows them."""
    options: list[Decorator] = [
        partners_option(),
        db_option(),
        engine_option(),
        model_option(),
        mic_option(),
        audio_in_option(),
        click.option(
            "--replies",
            "use_replies",
            is_flag=True,
            help="Hear the WAV files listed after the options, one per listening.",
        ),
        click.option("--speaker", help="Speaker: device index or part of its name."),
        click.option(
            "--say-to",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the assistant's speech to this WAV instead of the speakers.",
        ),
        click.option("--mute", is_flag=True, help="Do not voice the prompts (they are printed)."),
        json_option(),
    ]
    for option in reversed(options):
        function = option(function)
    return click.argument(
        "replies",
        nargs=-1,
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="[REPLY.wav]...",
    )(function)
