"""Builds the edges of a spoken check-in from command-line options.

`start`, `listen` and `demo` all open their ears, mouth, clock and store through
`open_spoken_checkin`, so they cannot drift apart: every one of them writes through
the safe store, which keeps answers when the database is locked or full.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from audio.errors import AudioError
from audio.playback import NoSpeaker, is_available, play
from audio.source import FrameSource
from audio.wavout import AppendingWavWriter
from voice.config import Config
from voice.errors import CheckinError


def reply_files(use_replies: bool, replies: tuple[Path, ...]) -> tuple[Path, ...]:
    """`--replies A.wav B.wav`: the files are the arguments, allowed only after the flag."""
    if replies and not use_replies:
        raise CheckinError(
            f"unexpected file {replies[0]}: to feed reply WAVs, put --replies before them"
        )
    if use_replies and not replies:
        raise CheckinError("--replies needs at least one WAV file after it")
    return replies


def open_source(
    mic: str | None, audio_in: Path | None, replies: Sequence[Path], warn: Callable[[str], None]
) -> FrameSource:
    """The one place "microphone" frames come from."""
    chosen = [
        name
        for name, value in (("--mic", mic), ("--audio-in", audio_in), ("--replies", replies))
        if value
    ]
    if len(chosen) > 1:
        raise CheckinError(f"{' and '.join(chosen)} both name the input; pass only one of them")
    if replies:
        from audio.sources import RepliesSource

        source = RepliesSource(list(replies))
        for warning in source.warnings:
            warn(warning)
        return source
    if audio_in:
        from audio.sources import WavFileSource

        file_source = WavFileSource(audio_in)
        for warning in getattr(file_source, "warnings", []):
            warn(warning)
        return file_source
    from audio.mic import MicSource, resolve_device

    return MicSource(resolve_device(mic))


class PrintedVoice:
    """No speech is played; the transcript already shows the text."""

    def emit(self, pcm: bytes) -> None:
        """Nothing to play."""


@dataclass
class SpeakerVoice:
    """Plays prompts on a speaker; if the speaker is gone, falls back to text with one warning."""

    device: str | None
    warn: Callable[[str], None]
    lost: bool = False

    def emit(self, pcm: bytes) -> None:
        if self.lost:
            return
        try:
            play(pcm, self.device)
        except NoSpeaker as error:
            self.lost = True
            self.warn(f"{error}; printing the prompts instead")


@dataclass
class WavVoice:
    """Appends the assistant's speech to a WAV file (--say-to)."""

    writer: AppendingWavWriter

    def emit(self, pcm: bytes) -> None:
        self.writer.write(pcm)


def open_voice(
    speaker: str | None,
    say_to: Path | None,
    mute: bool,
    warn: Callable[[str], None],
    stack: ExitStack,
    play_by_default: bool = True,
) -> SpeakerVoice | WavVoice | PrintedVoice:
    chosen = [
        name
        for name, value in (("--speaker", speaker), ("--say-to", say_to), ("--mute", mute))
        if value
    ]
    if len(chosen) > 1:
        raise CheckinError(f"{' and '.join(chosen)} both name the output; pass only one of them")
    if mute:
        return PrintedVoice()
    if say_to:
        return WavVoice(stack.enter_context(AppendingWavWriter(say_to)))
    if speaker is None and not play_by_default:
        return PrintedVoice()
    if not is_available(speaker):
        if speaker is not None or play_by_default:
            warn(
                "no speaker available: printing the prompts instead (use --say-to FILE.wav to keep "
                "the voice)"
            )
        return PrintedVoice()
    return SpeakerVoice(speaker, warn)


@dataclass
class Console:
    """Where the conversation and warnings are shown (stderr when stdout carries JSON)."""

    as_json: bool
    warned: set[str] = field(default_factory=set)

    @property
    def stream(self) -> TextIO:
        return sys.stderr if self.as_json else sys.stdout

    def line(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def warn(self, text: str) -> None:
        if text not in self.warned:
            self.warned.add(text)
            print(f"checkin: warning: {text}", file=sys.stderr, flush=True)


def start_engine(config: Config, model: Path | None, console: Console) -> Callable[[], Any]:
    """Start loading the recognizer; the returned function waits for it and says which and why.

    The engine loads in its own process, so the caller can build other things meanwhile.
    """
    # The engine runs in a restartable child process: a Kaldi abort or a hang costs one
    # answer, not the evening (voice/recognizers/worker.py; the overhead measured is nil).
    from voice.recognizers.nearfield import NearTalkerGate
    from voice.recognizers.worker import load_worker_recognizer

    worker, _ = load_worker_recognizer(
        config.engine,
        model=model,
        vocabulary=list(config.partners) + config.wake_phrase.split(),
        configured_models=config.models,
        warn=console.warn,
        wait=False,
    )

    def finish() -> Any:
        try:
            why = worker.ready()
        except BaseException:
            worker.close()
            raise
        print(f"checkin: {why}", file=sys.stderr, flush=True)
        # A TV or radio across the room is heard too; only speech near the microphone is an answer.
        return NearTalkerGate(worker)

    return finish


def load_engine(
    config: Config, model: Path | None, console: Console, stack: ExitStack | None = None
) -> Any:
    """The recognizer, loaded; says once which engine was picked and why."""
    recognizer = start_engine(config, model, console)()
    if stack is not None:
        stack.callback(recognizer.close)
    return recognizer


@contextmanager
def closing_all() -> Iterator[ExitStack]:
    """An ExitStack that also turns a failing output file into a clear error."""
    with ExitStack() as stack:
        try:
            yield stack
        except OSError as error:
            raise AudioError(
                f"audio output failed ({error.strerror or error}); check the path "
                "and free disk space"
            ) from error


@dataclass
class SpokenCheckin:
    """What `open_spoken_checkin` opened: the edges of the conversation and its store."""

    edges: Any
    """voice.checkin.spoken_run.SpokenEdges."""
    store: Any
    """voice.checkin.safe_store.SafeStore: answers survive a locked or full database."""


def open_spoken_checkin(
    stack: ExitStack,
    config: Config,
    console: Console,
    source: FrameSource,
    output: Any,
    model: Path | None,
    db_path: Path | None = None,
    meanwhile: Callable[[], None] | None = None,
    **edge_options: Any,
) -> SpokenCheckin:
    """Open the recognizer, the voice and the store for spoken check-ins; close them on exit.

    `meanwhile` runs while the engine loads in its own process (listen builds its wake
    detector there). `edge_options` go to SpokenEdges (on_turn, earcons, recorder...).
    """
    from store import open_store
    from voice.checkin.safe_store import SafeStore
    from voice.checkin.spoken_run import SpokenEdges
    from voice.config import require_partners
    from voice.tts import Speaker

    require_partners(config)  # listen and start never check in as "Partner A"
    opened: list[Any] = []
    # Listen may swap in a reopened microphone: close whichever source is current.
    stack.callback(lambda: (opened[0].source if opened else source).close())
    finish_engine = start_engine(config, model, console)
    if meanwhile is not None:
        meanwhile()
    recognizer = finish_engine()
    stack.callback(recognizer.close)
    renderer = stack.enter_context(Speaker(rate=config.voice_rate))
    store = SafeStore(open_store(db_path or config.db_path), warn=console.warn)
    stack.callback(store.close)
    edges = SpokenEdges(source, recognizer, renderer, output, **edge_options)
    opened.append(edges)
    return SpokenCheckin(edges, store)
