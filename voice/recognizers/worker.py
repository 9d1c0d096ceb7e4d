"""The recognizer in a child process that can die without taking the app with it.

Vosk/Kaldi aborts the process on some corrupt files and native code can
segfault or hang; PocketSphinx is C too. `WorkerRecognizer` implements the
Recognizer protocol by proxying to a child (`python -m voice.recognizers.worker`)
through voice.children, in the messages of voice/recognizers/messages.py. Frames
are sent in batches and the child's answers are read without waiting for each
one, so the overhead stays small.

When the child dies (SIGKILL, SIGSEGV, abort) or does not answer within
`timeout_s`, it is killed, `EngineCrashed` is raised for the utterance in
progress, and the next `begin()` starts a fresh child.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from audio.errors import AudioError
from audio.frames import Frame, to_seconds
from voice.children import Child, ChildLost, Failed, Message, serve
from voice.errors import CheckinError
from voice.recognizers.base import Utterance
from voice.recognizers.messages import (
    ANSWERS,
    REQUESTS,
    AudioChunk,
    Begin,
    End,
    EngineError,
    Heard,
    HeardSoFar,
    Load,
    Partial,
    Ready,
    Transcript,
)

WORKER_COMMAND = (sys.executable, "-m", "voice.recognizers.worker")

BATCH_FRAMES = 10
"""Frames (30 ms each) sent to the child in one message: 300 ms per round trip."""

MAX_IN_FLIGHT = 4
"""Batches sent but not yet answered before `accept` waits: bounds the pipe's fill, so a hung
child is noticed by the timeout instead of blocking a write."""

ANSWER_TIMEOUT_S = 20.0
"""How long the child may take for one answer before it is taken for hung."""

LOAD_TIMEOUT_S = 180.0
"""How long loading the engine may take (a large Vosk model loads slowly from a cold disk)."""

CLOSE_GRACE_S = 5.0
"""How long the child may take to quit when closed, before it is killed."""

MAX_CRASHES_IN_A_ROW = 3
"""Crashes without one good utterance between them: then the engine is broken, not unlucky."""

ENGINE_HINT = (
    "run `checkin doctor`; if it keeps happening use --engine pocketsphinx or reinstall the "
    "model with `checkin model download`"
)

Warn = Callable[[str], None]

LOG = logging.getLogger("checkin.engine")
"""State changes only (restarts); what the engine heard is never logged."""
LOG.addHandler(logging.NullHandler())
Answer = TypeVar("Answer", bound=Message)


class EngineCrashed(CheckinError):
    """The engine died or hung during an utterance; it was restarted, that utterance is lost."""


@dataclass(frozen=True)
class EngineSpec:
    """What the child loads: the arguments of `load_recognizer`."""

    engine: str
    model: Path | None
    vocabulary: tuple[str, ...]
    configured_models: tuple[tuple[str, Path], ...] = ()
    """(engine name, model folder) pairs from the config file."""

    def load(self) -> Load:
        """The message that asks the child to load this engine."""
        models = {name: str(path) for name, path in self.configured_models}
        model = None if self.model is None else str(self.model)
        return Load(self.engine, model, self.vocabulary, tuple(models.items()))


def _no_warning(_: str) -> None:
    """Warnings go nowhere unless the caller asks for them."""


class WorkerRecognizer:
    """A Recognizer whose engine runs in a restartable child process."""

    def __init__(
        self,
        spec: EngineSpec,
        warn: Warn = _no_warning,
        timeout_s: float = ANSWER_TIMEOUT_S,
        load_timeout_s: float = LOAD_TIMEOUT_S,
        batch_frames: int = BATCH_FRAMES,
        wait: bool = True,
        command: Sequence[str] = WORKER_COMMAND,
    ) -> None:
        """With wait=False the child loads its model while the caller does other work;
        `ready()` (or the first utterance) waits for it. `command` is for tests' children."""
        self.spec = spec
        self.warn = warn
        self.timeout_s = timeout_s
        self.load_timeout_s = load_timeout_s
        self.batch_frames = max(1, batch_frames)
        self.command = tuple(command)
        self.name = ""
        self.why = ""
        """load_recognizer's sentence saying which engine was chosen and why."""
        self.restarts = 0
        """How many times a dead or hung child was replaced."""
        self._child: Child | None = None
        self._batch: list[Frame] = []
        self._in_flight = 0
        self._partial = ""
        self._in_utterance = False
        self._context: str | None = None
        self._start = 0
        self._crashes_in_a_row = 0
        self._loading = False
        self._spawn(wait)

    @property
    def pid(self) -> int | None:
        """The child's process id (None between a crash and the next utterance)."""
        return self._child.pid if self._child is not None else None

    # ------------------------------------------------------------ the Recognizer protocol

    def begin(self, context: str | None = None, start: int = 0) -> None:
        """Start an utterance at sample `start`; a dead engine is restarted first."""
        gone = self._child.exited() if self._child is not None else None
        if gone is not None:
            # It died between utterances: nothing was lost yet, so just replace it.
            self._stop()
            self.restarts += 1
            LOG.warning("engine restarted: it had stopped between answers (%s)", gone)
            self.warn(f"the speech engine had stopped ({gone}); restarting it")
        if self._child is None:
            self._spawn()
        self.ready()
        self._batch = []
        self._partial = ""
        self._context = context
        self._start = start
        self._in_utterance = True
        self._send(Begin(context, start))

    def accept(self, frame: Frame) -> str | None:
        """Queue a frame; every batch is sent and the newest partial seen is returned if changed."""
        if not self._in_utterance:
            self.begin(self._context, frame.start)
        self._batch.append(frame)
        if len(self._batch) < self.batch_frames:
            return None
        self._flush()
        changed = None
        while self._in_flight and (self._in_flight > MAX_IN_FLIGHT or self._answer_waiting()):
            partial = self._receive_partial()
            if partial is not None and partial != self._partial:
                self._partial = partial
                changed = partial
        return changed

    def heard_so_far(self) -> str:
        """Every frame queued is decoded before the child answers; EngineCrashed as in `end`."""
        if not self._in_utterance:
            return ""
        return self._ask(HeardSoFar(), Heard, "the words so far").text

    def end(self) -> Utterance:
        """Finish the utterance; EngineCrashed if the engine died or hung meanwhile."""
        if not self._in_utterance:
            return Utterance("", to_seconds(self._start), to_seconds(self._start), 0.0)
        self._in_utterance = False
        reply = self._ask(End(), Transcript, "a result")
        self._crashes_in_a_row = 0
        return Utterance(reply.text, reply.start_s, reply.end_s, reply.confidence)

    def close(self) -> None:
        """Stop the child: it is asked to quit, and killed if it does not."""
        child, self._child = self._child, None
        self._in_flight = 0
        if child is not None:
            child.close(CLOSE_GRACE_S)

    def __enter__(self) -> WorkerRecognizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ the child process

    def ready(self) -> str:
        """Wait until the engine has loaded; returns the sentence saying which and why."""
        if self._loading:
            try:
                reply = self._receive(self.load_timeout_s)
                if isinstance(reply, EngineError):
                    self._stop()
                    error_class = AudioError if reply.error == "AudioError" else CheckinError
                    raise error_class(reply.message)
                if not isinstance(reply, Ready):
                    self._crash(f"it answered {reply.type!r} instead of ready")
            finally:
                self._loading = False
            self.name, self.why = reply.name, reply.why
        return self.why

    def _spawn(self, wait: bool = True) -> None:
        try:
            self._child = Child(self.command, ANSWERS)
        except OSError as error:
            raise CheckinError(
                f"cannot start the speech engine worker ({error}); {ENGINE_HINT}"
            ) from None
        self._in_flight = 0
        self._loading = True
        self._send(self.spec.load())
        if wait:
            self.ready()

    def _stop(self) -> None:
        """Kill the child (if any) and forget it."""
        child, self._child = self._child, None
        self._in_flight = 0
        if child is not None:
            child.kill()

    def _ask(self, message: Message, expected: type[Answer], what: str) -> Answer:
        """Send `message` after every queued frame and wait for the reply of type `expected`.

        The partials still in flight are read (and dropped) first: the child answers in order."""
        self._flush()
        self._send(message)
        while self._in_flight:
            self._receive_partial()
        reply = self._receive(self.timeout_s)
        if not isinstance(reply, expected):
            self._crash(f"it answered {reply.type!r} instead of {what}")
        return reply

    def _flush(self) -> None:
        if not self._batch:
            return
        pcm = b"".join(frame.pcm for frame in self._batch)
        start = self._batch[0].start
        self._batch = []
        self._send(AudioChunk(pcm, start))
        self._in_flight += 1

    def _send(self, message: Message) -> None:
        if self._child is None:
            self._crash("it is not running")
        try:
            self._child.send(message, self.timeout_s)
        except ChildLost as lost:
            self._crash(str(lost))

    def _answer_waiting(self) -> bool:
        return self._child is None or self._child.waiting()

    def _receive_partial(self) -> str | None:
        reply = self._receive(self.timeout_s)
        if not isinstance(reply, Partial):
            self._crash(f"it answered {reply.type!r} instead of a partial result")
        self._in_flight -= 1
        return reply.text

    def _receive(self, timeout_s: float) -> Message:
        if self._child is None:
            self._crash("it is not running")
        try:
            reply = self._child.receive(timeout_s)
        except ChildLost as lost:
            self._crash(str(lost))
        if isinstance(reply, Failed):
            # The engine raised a Python error: the child is alive but this utterance is lost.
            self._crash(reply.detail)
        return reply

    def _crash(self, detail: str) -> NoReturn:
        self._stop()
        if self._loading:
            # A crash while loading is a broken engine or model, not one unlucky utterance.
            raise CheckinError(f"the speech engine crashed while loading ({detail}); {ENGINE_HINT}")
        self._in_utterance = False
        self._batch = []
        self.restarts += 1
        self._crashes_in_a_row += 1
        if self._crashes_in_a_row >= MAX_CRASHES_IN_A_ROW:
            raise CheckinError(
                f"the speech engine failed {self._crashes_in_a_row} times in a row "
                f"(last: {detail}); {ENGINE_HINT}"
            )
        message = f"the speech engine stopped ({detail}); restarting it and asking again"
        LOG.warning("engine restarted: it stopped during an answer (%s)", detail)
        self.warn(message)
        raise EngineCrashed(message)


def load_worker_recognizer(
    engine: str = "auto",
    model: Path | None = None,
    vocabulary: Sequence[str] = (),
    configured_models: Mapping[str, Path] | None = None,
    warn: Warn = _no_warning,
    timeout_s: float = ANSWER_TIMEOUT_S,
    wait: bool = True,
) -> tuple[WorkerRecognizer, str]:
    """`load_recognizer`, but the engine runs in a restartable child; returns it and the why
    (empty with wait=False until `ready()` is called)."""
    spec = EngineSpec(
        engine, model, tuple(vocabulary), tuple((configured_models or {}).items()),
    )
    recognizer = WorkerRecognizer(spec, warn, timeout_s, wait=wait)
    return recognizer, recognizer.why


# ------------------------------------------------------------------ the child's side


def serve_engine() -> None:
    """Run the real recognizer for the parent until it says quit or goes away."""
    from voice.recognizers import load_recognizer

    recognizer: Any = None

    def handle(request: Message) -> Message | None:
        nonlocal recognizer
        try:
            if isinstance(request, Load):
                recognizer, why = load_recognizer(
                    request.engine,
                    model=None if request.model is None else Path(request.model),
                    vocabulary=request.vocabulary,
                    configured_models={name: Path(at) for name, at in request.configured_models},
                )
                return Ready(recognizer.name, why)
            if isinstance(request, Begin):
                recognizer.begin(request.context, request.start)
                return None
            if isinstance(request, AudioChunk):
                return Partial(_accept_block(recognizer, request.pcm, request.start))
            if isinstance(request, HeardSoFar):
                return Heard(recognizer.heard_so_far())
            if isinstance(request, End):
                heard = recognizer.end()
                return Transcript(heard.text, heard.start_s, heard.end_s, heard.confidence)
        except (CheckinError, AudioError) as error:
            return EngineError(type(error).__name__, str(error))
        raise TypeError(f"no handler for {request.type!r}")

    serve(handle, REQUESTS)


def _accept_block(recognizer: Any, pcm: bytes, start: int) -> str | None:
    """Feed a batch frame by frame, as the engine would have been fed live."""
    from audio.frames import split_into_frames

    partial = None
    for frame in split_into_frames(pcm, start):
        changed = recognizer.accept(frame)
        if changed is not None:
            partial = changed
    return partial


if __name__ == "__main__":
    serve_engine()
