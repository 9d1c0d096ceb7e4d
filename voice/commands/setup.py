"""`checkin setup`: one guided first run that writes the config file."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from voice.commands.options import audio_in_option, engine_option, mic_option, model_option


@click.command("setup")
@click.option("--text", "typed", is_flag=True,
              help="Type the answers instead of speaking them (a noisy room, no microphone).")
@engine_option()
@model_option()
@mic_option()
@audio_in_option("Test the wake phrase on this recording instead of the microphone.")
@click.option("--replies", "use_replies", is_flag=True,
              help="Hear the WAV files listed after the options, one per listening.")
@click.option("--speaker", help="Speaker: device index or part of its name.")
@click.option("--say-to", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the assistant's speech to this WAV instead of the speakers.")
@click.option("--mute", is_flag=True, help="Do not voice the prompts (they are printed).")
@click.argument("replies", nargs=-1, type=click.Path(dir_okay=False, path_type=Path),
                metavar="[REPLY.wav]...")
def command(
    typed: bool, engine: str | None, model: Path | None, mic: str | None,
    audio_in: Path | None, use_replies: bool, speaker: str | None, say_to: Path | None,
    mute: bool, replies: tuple[Path, ...],
) -> None:
    """Set the app up once: your names, the microphone, the wake phrase, a reminder.

    Asks each partner's name and checks how the recognizer spells it; picks
    the microphone and checks its level while each of you says the wake
    phrase once; asks for an optional evening reminder. Then it writes the
    config file (CHECKIN_CONFIG, or ~/.config/checkin/config.toml), changing
    only those keys: everything you set by hand, comments included, stays.

    \b
    Example:
      checkin setup
      checkin setup --text
    """
    from intents import match
    from voice.checkin.setup_flow import load_words, run_setup
    from voice.config import config_target, load_config, with_flags, write_settings
    from voice.runtime import Console, closing_all, reply_files

    target = config_target()
    config = with_flags(load_config(missing_ok=True), engine=engine, mic=mic)
    files = reply_files(use_replies, replies)
    words = load_words()
    console = Console(False)

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    terminal = _is_terminal(sys.stdin) and _is_terminal(sys.stdout)
    with closing_all() as stack:
        if typed:
            io, mic_name = _typed_io(stack, config, console, audio_in, files, write, terminal,
                                     words)
            spelling = _spelling_check(stack, config, model)
        else:
            io, mic_name = _spoken_io(stack, config, console, model, audio_in, files, speaker,
                                      say_to, mute, write, terminal)
            spelling = None  # the partners confirm the spelling the recognizer heard
        found = run_setup(io, words, config.wake_phrase, match, spelling)
    settings = found.settings(mic_name)
    write_settings(target, settings)
    shown = ", ".join(
        f"{key} {' and '.join(value) if isinstance(value, list) else value}"
        for key, value in settings.items()
    )
    click.echo(words.note("written", path=target, settings=shown))
    click.echo(words.note("next", phrase=config.wake_phrase))


def _typed_io(stack: ExitStack, config: Any, console: Any, audio_in: Path | None,
              files: tuple[Path, ...], write: Any, terminal: bool, words: Any
              ) -> tuple[Any, str | None]:
    """Typed answers; the wake phrase from --audio-in/--replies, or a microphone picked here."""
    from audio.errors import AudioError
    from voice.checkin.setup_io import TypedSetupIO
    from voice.runtime import open_source

    io = TypedSetupIO(sys.stdin, write, None, terminal)
    mic_name = config.mic if config.origin("mic") == "flag" else None
    if audio_in or files:
        io.source = open_source(None, audio_in, files, console.warn)
        stack.callback(io.source.close)
        return io, mic_name
    from audio.mic import MicSource, list_input_devices, resolve_device

    try:
        devices = list_input_devices()
    except AudioError:
        devices = []
    if not devices:
        io.note(words.note("no_mic"))
        return io, mic_name
    if config.mic is None and len(devices) > 1:
        io.note(words.note("mics", listing="; ".join(f"{d.index}: {d.name}" for d in devices)))
        picked = (io.type_line(words.note("pick_mic")) or "").strip()
        chosen = next((d for d in devices if picked and str(d.index) == picked), None)
        mic_name = chosen.name if chosen is not None else None
    io.source = MicSource(resolve_device(mic_name or config.mic))
    stack.callback(io.source.close)
    return io, mic_name


def _spoken_io(stack: ExitStack, config: Any, console: Any, model: Path | None,
               audio_in: Path | None, files: tuple[Path, ...], speaker: str | None,
               say_to: Path | None, mute: bool, write: Any, terminal: bool
               ) -> tuple[Any, str | None]:
    """The assistant's voice, and ears on the microphone (or --audio-in / --replies)."""
    from voice.checkin.session import ASSISTANT
    from voice.checkin.setup_io import SpokenSetupIO, TypedSetupIO
    from voice.checkin.spoken_run import SpokenEdges
    from voice.runtime import load_engine, open_source, open_voice
    from voice.tts import Speaker

    if config.mic is None and not audio_in and not files:
        _say_default_mic(write)
    source = open_source(config.mic, audio_in, files, console.warn)
    stack.callback(source.close)
    output = open_voice(config.speaker if speaker is None else speaker, say_to, mute,
                        console.warn, stack)
    recognizer = load_engine(config, model, console, stack)
    renderer = stack.enter_context(Speaker(rate=config.voice_rate))
    edges = SpokenEdges(source, recognizer, renderer, output, on_turn=lambda turn: (
        console.line(turn.text) if turn.speaker == ASSISTANT else None))
    mouth = edges.mouth()
    typed = TypedSetupIO(sys.stdin, write, None, terminal) if terminal else None
    io = SpokenSetupIO(mouth, edges.ears(mouth=mouth), source, edges.clock, write, typed)
    return io, config.mic if config.origin("mic") == "flag" else None


def _say_default_mic(write: Any) -> None:
    """Spoken setup cannot pick a device by voice: say which is used, and how to pick."""
    from audio.errors import AudioError
    from audio.mic import list_input_devices
    from voice.checkin.setup_flow import load_words

    try:
        devices = list_input_devices()
    except AudioError:
        return
    if len(devices) > 1:
        listing = "; ".join(f"{d.index}: {d.name}" for d in devices)
        write(load_words().note("default_mic", listing=listing) + "\n")


def _spelling_check(stack: ExitStack, config: Any, model: Path | None) -> Any:
    """How the recognizer spells a typed name: the app's voice says "NAME, you go first" to it,
    primed with both names as a check-in is. Loaded on first use."""
    loaded: dict[str, Any] = {}

    def spelling(name: str, names: list[str]) -> str:
        from voice.recognizers import load_recognizer, transcribe_pcm
        from voice.tts import Speaker

        if "speaker" not in loaded:
            loaded["speaker"] = stack.enter_context(Speaker(rate=config.voice_rate))
        key = ",".join(names)
        if key not in loaded:
            loaded[key], _ = load_recognizer(
                config.engine, model, vocabulary=names, configured_models=config.models)
            stack.callback(getattr(loaded[key], "close", lambda: None))
        heard = transcribe_pcm(loaded[key], loaded["speaker"].render(f"{name}, you go first"))
        return " ".join(heard.text.split()[:2])

    return spelling


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
