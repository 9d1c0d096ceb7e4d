"""The recognizer in a child process that can die without taking the app with it.

Vosk/Kaldi aborts the process on some corrupt files and native code can
segfault or hang; PocketSphinx is C too. `WorkerRecognizer` implements the
Recognizer protocol by proxying to a child (`python -m voice.recognizers.worker`)
over a pair of pipes. Frames are sent in batches and the child's answers are
read without waiting for each one, so the overhead stays small.

When the child dies (SIGKILL, SIGSEGV, abort) or does not answer within
`timeout_s`, it is killed, `EngineCrashed` is raised for the utterance in
progress, and the next `begin()` starts a fresh child. Only wall time is used
here, and only to bound how long a real child may take (as in voice/tts.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

from audio.errors import AudioError
from audio.frames import Frame, to_seconds
from voice.errors import CheckinError
from voice.recognizers.base import Utterance

BATCH_FRAMES = 10
"""Frames (30 ms each) sent to the child in one message: 300 ms per round trip."""

MAX_IN_FLIGHT = 4
"""Batches sent but not yet answered before `accept` waits: bounds the pipe's fill, so a hung
child is noticed by the timeout instead of blocking a write forever."""

ANSWER_TIMEOUT_S = 20.0
"""How long the child may take for one answer before it is taken for hung."""

LOAD_TIMEOUT_S = 180.0
"""How long loading the engine may take (a large Vosk model loads slowly from a cold disk)."""

MAX_CRASHES_IN_A_ROW = 3
"""Crashes without one good utterance between them: then the engine is broken, not unlucky."""

ENGINE_HINT = (
    "run `checkin doctor`; if it keeps happening use --engine pocketsphinx or reinstall the "
    "model with `checkin model download`"
)

Warn = Callable[[str], None]


class EngineCrashed(CheckinError):
    """The engine died or hung during an utterance; it was restarted, that utterance is lost."""


@dataclass(frozen=True)
class EngineSpec:
    """What the child loads: the same arguments as `load_recognizer`."""

    engine: str
    model: Path | None
    vocabulary: tuple[str, ...]
    configured_model: Path | None


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
    ) -> None:
        """With wait=False the child loads its model while the caller does other work;
        `ready()` (or the first utterance) waits for it."""
        self.spec = spec
        self.warn = warn
        self.timeout_s = timeout_s
        self.load_timeout_s = load_timeout_s
        self.batch_frames = max(1, batch_frames)
        self.name = ""
        self.why = ""
        """load_recognizer's sentence saying which engine was chosen and why."""
        self.restarts = 0
        """How many times a dead or hung child was replaced."""
        self._child: subprocess.Popen[bytes] | None = None
        self._to_child: Connection | None = None
        self._from_child: Connection | None = None
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
        if self._child is not None and self._child.poll() is not None:
            # It died between utterances: nothing was lost yet, so just replace it.
            detail = self._exit_description()
            self._stop(kill=True)
            self.restarts += 1
            self.warn(f"the speech engine had stopped ({detail}); restarting it")
        if self._child is None:
            self._spawn()
        self.ready()
        self._batch = []
        self._partial = ""
        self._context = context
        self._start = start
        self._in_utterance = True
        self._send(("begin", context, start))

    def accept(self, frame: Frame) -> str | None:
        """Queue a frame; every batch is sent and the newest partial seen is returned if changed."""
        if not self._in_utterance:
            self.begin(self._context, frame.start)
        self._batch.append(frame)
        if len(self._batch) < self.batch_frames:
            return None
        self._flush()
        changed = None
        while self._in_flight and (
            self._in_flight > MAX_IN_FLIGHT or self._answer_waiting()
        ):
            partial = self._receive_partial()
            if partial is not None and partial != self._partial:
                self._partial = partial
                changed = partial
        return changed

    def heard_so_far(self) -> str:
        """Every frame queued is decoded before the child answers; EngineCrashed as in `end`."""
        if not self._in_utterance:
            return ""
        reply = self._ask(("heard_so_far",), "heard", "the words so far")
        return str(reply[1])

    def end(self) -> Utterance:
        """Finish the utterance; EngineCrashed if the engine died or hung meanwhile."""
        if not self._in_utterance:
            return Utterance("", to_seconds(self._start), to_seconds(self._start), 0.0)
        self._in_utterance = False
        reply = self._ask(("end",), "utterance", "a result")
        self._crashes_in_a_row = 0
        text, start_s, end_s, confidence = reply[1:]
        return Utterance(str(text), float(start_s), float(end_s), float(confidence))

    def close(self) -> None:
        """Stop the child."""
        if self._to_child is not None and self._child is not None and self._child.poll() is None:
            try:
                self._to_child.send(("quit",))
            except OSError:
                pass
        self._stop(kill=False)

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
            finally:
                self._loading = False
            if reply[0] == "error":
                self._stop(kill=True)
                error_class = AudioError if reply[1] == "AudioError" else CheckinError
                raise error_class(str(reply[2]))
            self.name, self.why = str(reply[1]), str(reply[2])
        return self.why

    def _spawn(self, wait: bool = True) -> None:
        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "voice.recognizers.worker",
                 str(to_child_read), str(from_child_write)],
                pass_fds=(to_child_read, from_child_write),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                # Kaldi logs on stderr; the app's own output stays readable.
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            for fd in (to_child_read, to_child_write, from_child_read, from_child_write):
                os.close(fd)
            raise CheckinError(f"cannot start the speech engine worker ({error}); "
                               f"{ENGINE_HINT}") from None
        os.close(to_child_read)
        os.close(from_child_write)
        self._to_child = Connection(to_child_write, readable=False)
        self._from_child = Connection(from_child_read, writable=False)
        self._in_flight = 0
        spec = self.spec
        self._loading = True
        self._send(("load", spec.engine, _text(spec.model), list(spec.vocabulary),
                    _text(spec.configured_model)))
        if wait:
            self.ready()

    def _stop(self, kill: bool) -> None:
        child, self._child = self._child, None
        for connection in (self._to_child, self._from_child):
            if connection is not None:
                connection.close()
        self._to_child = self._from_child = None
        self._in_flight = 0
        if child is None:
            return
        if kill and child.poll() is None:
            child.kill()
        try:
            child.wait(timeout=None if kill else 5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

    def _ask(self, message: tuple[Any, ...], expected: str, what: str) -> tuple[Any, ...]:
        """Send `message` after every queued frame and wait for the reply of kind `expected`.

        The partials still in flight are read (and dropped) first: the child answers in order."""
        self._flush()
        self._send(message)
        while self._in_flight:
            self._receive_partial()
        reply = self._receive(self.timeout_s)
        if reply[0] != expected:
            self._crash(f"it answered {reply[0]!r} instead of {what}")
        return reply

    def _flush(self) -> None:
        if not self._batch:
            return
        pcm = b"".join(frame.pcm for frame in self._batch)
        start = self._batch[0].start
        self._batch = []
        self._send(("accept", pcm, start))
        self._in_flight += 1

    def _send(self, message: tuple[Any, ...]) -> None:
        if self._to_child is None:
            self._crash("it is not running")
        assert self._to_child is not None
        try:
            self._to_child.send(message)
        except OSError as error:  # BrokenPipeError: the child is gone
            self._crash(f"the pipe broke: {error}")

    def _answer_waiting(self) -> bool:
        assert self._from_child is not None
        try:
            return self._from_child.poll(0)
        except OSError:
            return True  # let the receive below find out what happened

    def _receive_partial(self) -> str | None:
        reply = self._receive(self.timeout_s)
        if reply[0] != "partial":
            self._crash(f"it answered {reply[0]!r} instead of a partial result")
        self._in_flight -= 1
        return None if reply[1] is None else str(reply[1])

    def _receive(self, timeout_s: float) -> tuple[Any, ...]:
        connection = self._from_child
        if connection is None:
            self._crash("it is not running")
        assert connection is not None
        try:
            if not connection.poll(timeout_s):
                self._crash(f"it did not answer within {timeout_s:g} s")
            reply = connection.recv()
        except (EOFError, OSError):
            self._crash(self._exit_description())
        if reply[0] == "failed":
            # The engine raised a Python error: the child is alive but this utterance is lost.
            self._crash(str(reply[1]))
        return tuple(reply)

    def _exit_description(self) -> str:
        child = self._child
        code = child.wait() if child is not None else None
        if code is not None and code < 0:
            try:
                return f"it was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"it was killed by signal {-code}"
        return f"it exited with status {code}"

    def _crash(self, detail: str) -> NoReturn:
        self._stop(kill=True)
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
        self.warn(message)
        raise EngineCrashed(message)


def load_worker_recognizer(
    engine: str = "auto",
    model: Path | None = None,
    vocabulary: Sequence[str] = (),
    configured_model: Path | None = None,
    warn: Warn = _no_warning,
    timeout_s: float = ANSWER_TIMEOUT_S,
    wait: bool = True,
) -> tuple[WorkerRecognizer, str]:
    """`load_recognizer`, but the engine runs in a restartable child; returns it and the why
    (empty with wait=False until `ready()` is called)."""
    recognizer = WorkerRecognizer(
        EngineSpec(engine, model, tuple(vocabulary), configured_model), warn, timeout_s,
        wait=wait,
    )
    return recognizer, recognizer.why


def _text(path: Path | None) -> str | None:
    return None if path is None else str(path)


# ------------------------------------------------------------------ the child's side


def serve(read_fd: int, write_fd: int) -> None:
    """Answer the parent's messages until it says quit or goes away."""
    from voice.recognizers import load_recognizer

    # Ctrl-C is the parent's to handle: it stops this child in an orderly way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inbox = Connection(read_fd, writable=False)
    outbox = Connection(write_fd, readable=False)
    recognizer: Any = None
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        if kind == "quit":
            return
        try:
            if kind == "load":
                _, engine, model, vocabulary, configured = message
                recognizer, why = load_recognizer(
                    engine, model=_path(model), vocabulary=vocabulary,
                    configured_model=_path(configured),
                )
                outbox.send(("ready", recognizer.name, why))
            elif kind == "begin":
                recognizer.begin(message[1], message[2])
            elif kind == "accept":
                outbox.send(("partial", _accept_block(recognizer, message[1], message[2])))
            elif kind == "heard_so_far":
                outbox.send(("heard", recognizer.heard_so_far()))
            elif kind == "end":
                heard = recognizer.end()
                outbox.send(
                    ("utterance", heard.text, heard.start_s, heard.end_s, heard.confidence)
                )
        except (CheckinError, AudioError) as error:
            outbox.send(("error", type(error).__name__, str(error)))
        except Exception as error:  # an engine bug: report it, the parent restarts this child
            outbox.send(("failed", f"{type(error).__name__}: {error}"))


def _accept_block(recognizer: Any, pcm: bytes, start: int) -> str | None:
    """Feed a batch frame by frame, as the engine would have been fed live."""
    from audio.frames import split_into_frames

    partial = None
    for frame in split_into_frames(pcm, start):
        changed = recognizer.accept(frame)
        if changed is not None:
            partial = changed
    return partial


def _path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
