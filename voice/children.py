"""Child processes the app can lose: spawned, spoken to in typed messages, timed out, killed.

Native speech code (Kaldi, PocketSphinx, espeak-ng under pyttsx3) can abort, segfault or
hang, so it runs in a child Python module; voice/recognizers/worker.py and voice/tts.py
both start, talk to and kill theirs here. Wall time only bounds how long a child may take.

Messages are frozen dataclasses, one per type, as the Wyoming protocol's events are. On
the wire: two big-endian uint32 (header and payload lengths), a JSON header {"type",
"data"}, then the payload, the message's one `bytes` field (PCM) sent raw. No pickle: a
confused child cannot make the app run code.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import select
import signal
import struct
import subprocess
import sys
import time
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar, NoReturn

PREFIX = struct.Struct(">II")
"""Header length, payload length: a reader knows where a frame ends without parsing it."""

MAX_HEADER_BYTES = 1 << 20
"""Larger headers are garbage: ours are a few hundred bytes."""

MAX_PAYLOAD_BYTES = 1 << 28
"""Larger payloads are garbage: a batch of PCM is about 10 kB."""

EXIT_GRACE_S = 5.0
"""How long a child that closed its pipe (it is exiting) or was asked to quit may take."""


class ProtocolError(ValueError):
    """Bytes that are not a message this side expects."""


class ChildLost(Exception):
    """The child died, hung or answered garbage; it has been killed and reaped already."""


class ChildHung(ChildLost):
    """The child took no input or gave no answer within the time allowed."""


class ChildExited(ChildLost):
    """The child's pipe closed: it exited, crashed or was killed."""


class ChildGarbled(ChildLost):
    """The child sent bytes that are no message it may send."""


@dataclass(frozen=True)
class Message:
    """A typed message: each subclass is a frozen dataclass with its own `type` name."""

    type: ClassVar[str] = ""


@dataclass(frozen=True)
class Quit(Message):
    """Parent to child: finish and exit (closing the pipe means the same)."""

    type = "quit"


@dataclass(frozen=True)
class Failed(Message):
    """Child to parent: handling the request raised; the child itself is still running."""

    type = "failed"

    detail: str
    """The exception, as "ValueError: what it said"."""


def message_types(*classes: type[Message]) -> dict[str, type[Message]]:
    """The messages one side may receive, by type name (names must differ)."""
    by_type: dict[str, type[Message]] = {}
    for cls in classes:
        if not cls.type or by_type.setdefault(cls.type, cls) is not cls:
            raise TypeError(f"{cls.__name__} needs a type name of its own, not {cls.type!r}")
        _payload_field(cls)  # a class with two payloads fails here, not on the wire
    return by_type


def encode(message: Message) -> bytes:
    """One message as one frame."""
    payload_name = _payload_field(type(message))
    data = {f.name: getattr(message, f.name) for f in fields(message) if f.name != payload_name}
    payload = b"" if payload_name is None else bytes(getattr(message, payload_name))
    header = json.dumps({"type": message.type, "data": data}, separators=(",", ":")).encode()
    return PREFIX.pack(len(header), len(payload)) + header + payload


def decode(frame: bytes, types: Mapping[str, type[Message]]) -> Message:
    """The message in one whole frame; ProtocolError if it is not one of `types`."""
    lengths = PREFIX.unpack_from(frame) if len(frame) >= PREFIX.size else (len(frame), 0)
    if len(frame) != PREFIX.size + sum(lengths):
        raise ProtocolError("the frame is not as long as its prefix says")
    header_length = lengths[0]
    try:
        header = _tuples(json.loads(frame[PREFIX.size : PREFIX.size + header_length]))
    except (ValueError, RecursionError) as error:  # bad JSON or UTF-8; absurdly deep arrays
        raise ProtocolError(f"unreadable header: {error}") from None
    kind = header.get("type") if isinstance(header, dict) else None
    cls = types.get(kind) if isinstance(kind, str) else None
    if cls is None or not isinstance(header.get("data"), dict):
        raise ProtocolError(f"not a message expected here: {frame[PREFIX.size :][:80]!r}")
    data = dict(header["data"])
    payload = frame[PREFIX.size + header_length :]
    payload_name = _payload_field(cls)
    if payload_name is None or payload_name in data:
        if payload or payload_name is not None:
            raise ProtocolError(f"a {cls.type} message with its payload in the wrong place")
    else:
        data[payload_name] = bytes(payload)
    try:
        return cls(**data)
    except TypeError as error:
        raise ProtocolError(f"bad {cls.type} message: {error}") from None


class Frames:
    """Bytes in as they come from a pipe, whole frames out: one frame may take many reads."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def ready(self) -> bool:
        """Whether a whole frame is buffered; ProtocolError if the prefix is garbage."""
        return self._end() is not None

    def next(self) -> bytes | None:
        """The first whole frame, removed from the buffer; None until one has arrived."""
        end = self._end()
        if end is None:
            return None
        frame = bytes(self._buffer[:end])
        del self._buffer[:end]
        return frame

    def _end(self) -> int | None:
        if len(self._buffer) < PREFIX.size:
            return None
        header_length, payload_length = PREFIX.unpack_from(self._buffer)
        if header_length > MAX_HEADER_BYTES or payload_length > MAX_PAYLOAD_BYTES:
            raise ProtocolError(f"a frame of {header_length} + {payload_length} bytes")
        end = PREFIX.size + header_length + payload_length
        return end if len(self._buffer) >= end else None


class Child:
    """A child Python module and its two pipes, seen from the parent.

    Every failure kills the child's process group and reaps it before ChildLost is raised,
    so no caller can leave a hung child behind. Sends and receives are independent, so a
    caller may send several requests before reading the answers, which come in order.
    """

    def __init__(self, command: Sequence[str], answers: Iterable[type[Message]]) -> None:
        """Start `command` with the pipes' fds appended (the child calls `serve`).

        OSError if it cannot start."""
        self._answers = message_types(Failed, *answers)
        child_in, self._out = os.pipe()
        self._in, child_out = os.pipe()
        try:
            self._process = subprocess.Popen(
                [*command, str(child_in), str(child_out)],
                pass_fds=(child_in, child_out),
                stdin=subprocess.DEVNULL,
                # Native code logs and prints; the app's own output stays readable.
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                # Its own process group: it and whatever it starts die together, and Ctrl-C
                # in the terminal reaches only the app, which then closes it in order.
                start_new_session=True,
            )
        except BaseException:
            os.close(self._out)
            os.close(self._in)
            raise
        finally:
            os.close(child_in)
            os.close(child_out)
        os.set_blocking(self._out, False)  # a write waits in poll, with a timeout
        self._readable = select.poll()
        self._readable.register(self._in, select.POLLIN)
        self._writable = select.poll()
        self._writable.register(self._out, select.POLLOUT)
        self._frames = Frames()
        self._eof = False
        self._lost: str | None = None

    @property
    def pid(self) -> int:
        return self._process.pid

    def send(self, message: Message, timeout_s: float) -> None:
        """Write one message; ChildHung if the child takes none of it within `timeout_s`."""
        self._check()
        data = memoryview(encode(message))
        deadline = time.monotonic() + timeout_s
        while data:
            try:
                data = data[os.write(self._out, data) :]
                continue
            except BlockingIOError:
                pass
            except OSError:  # BrokenPipeError: the child is gone
                self._lose(ChildExited, self._exit_description())
            if not self._wait(self._writable, deadline):
                self._lose(ChildHung, f"it took no input for {timeout_s:g} s")

    def waiting(self) -> bool:
        """Whether `receive` would return (or fail) at once: an answer or the end has arrived."""
        if self._lost is not None:
            return True
        try:
            while not self._frames.ready():
                if self._eof or not self._readable.poll(0):
                    return self._eof
                self._read()
        except ProtocolError:
            pass  # receive reports it
        return True

    def receive(self, timeout_s: float) -> Message:
        """The next answer; ChildHung if none comes within `timeout_s` (a Failed is returned)."""
        self._check()
        deadline = time.monotonic() + timeout_s
        try:
            while (frame := self._frames.next()) is None:
                if self._eof:
                    self._lose(ChildExited, self._exit_description())
                if not self._wait(self._readable, deadline):
                    self._lose(ChildHung, f"it did not answer within {timeout_s:g} s")
                self._read()
            return decode(frame, self._answers)
        except ProtocolError as error:
            self._lose(ChildGarbled, f"it answered garbage ({error})")

    def ask(self, message: Message, timeout_s: float) -> Message:
        """Send one message and wait for its answer."""
        self.send(message, timeout_s)
        return self.receive(timeout_s)

    def exited(self) -> str | None:
        """None while the child runs; once it has exited, how (and it is reaped)."""
        if self._lost is None and self._process.poll() is not None:
            self._lost = self._exit_description()
            self.kill()  # closes the pipes; the child is reaped already
        return self._lost

    def close(self, grace_s: float = 0.0) -> None:
        """Ask the child to quit, give it `grace_s` to exit, then kill whatever is left."""
        if self._lost is None and grace_s > 0:
            with contextlib.suppress(OSError):  # full or broken: closing it says the same
                os.write(self._out, encode(Quit()))
            self._close_pipes()
            try:
                self._process.wait(timeout=grace_s)
                self._lost = self._exit_description()
            except subprocess.TimeoutExpired:
                pass
        self._lost = self._lost or "it was closed"
        self.kill()

    def kill(self) -> None:
        """SIGKILL the child's process group (it and anything it started) and reap the child."""
        self._lost = self._lost or "it was killed"
        self._close_pipes()
        if self._process.returncode is None:  # not reaped yet, so the pid is still its own
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()

    def _check(self) -> None:
        if self._lost is not None:
            raise ChildExited(self._lost)

    def _read(self) -> None:
        chunk = _read_some(self._in)
        if chunk:
            self._frames.feed(chunk)
        else:
            self._eof = True

    @staticmethod
    def _wait(poller: select.poll, deadline: float) -> bool:
        remaining = deadline - time.monotonic()
        return remaining > 0 and bool(poller.poll(math.ceil(remaining * 1000)))

    def _exit_description(self) -> str:
        try:
            code = self._process.wait(timeout=EXIT_GRACE_S)
        except subprocess.TimeoutExpired:
            return "it closed its pipe but did not exit"
        if code < 0:
            try:
                return f"it was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"it was killed by signal {-code}"
        return f"it exited with status {code}"

    def _lose(self, kind: type[ChildLost], detail: str) -> NoReturn:
        self._lost = detail
        self.kill()
        raise kind(detail)

    def _close_pipes(self) -> None:
        for fd in (self._out, self._in):
            if fd >= 0:
                os.close(fd)
        self._out = self._in = -1
        self._eof = True


def serve(
    handle: Callable[[Message], Message | None],
    requests: Iterable[type[Message]],
    argv: Sequence[str] | None = None,
) -> None:
    """The child's side: answer each request with `handle`'s reply until Quit or end of input.

    The pipes' fds are the last two arguments. An exception from `handle` is answered with
    Failed: the parent decides what it costs."""
    args = sys.argv if argv is None else argv
    inbox, outbox = int(args[-2]), int(args[-1])
    types = message_types(Quit, *requests)
    frames = Frames()
    while True:
        while (frame := frames.next()) is None:
            chunk = _read_some(inbox)
            if not chunk:
                return  # the parent closed the pipe or is gone
            frames.feed(chunk)
        reply: Message | None
        try:
            request = decode(frame, types)
            if isinstance(request, Quit):
                return
            reply = handle(request)
        except Exception as error:
            reply = Failed(f"{type(error).__name__}: {error}")
        view = memoryview(b"" if reply is None else encode(reply))
        try:
            while view:
                view = view[os.write(outbox, view) :]
        except OSError:
            return


def _read_some(fd: int) -> bytes:
    """What the pipe holds (waiting for something); b"" at its end or if it is gone."""
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return b""


_PAYLOAD_FIELDS: dict[type[Message], str | None] = {}


def _payload_field(cls: type[Message]) -> str | None:
    """The name of the message's one `bytes` field, sent raw after the header."""
    if cls not in _PAYLOAD_FIELDS:
        hints = typing.get_type_hints(cls)
        names = [f.name for f in fields(cls) if hints[f.name] is bytes]
        if len(names) > 1:
            raise TypeError(f"{cls.__name__} has more than one bytes field: {names}")
        _PAYLOAD_FIELDS[cls] = names[0] if names else None
    return _PAYLOAD_FIELDS[cls]


def _tuples(value: Any) -> Any:
    """JSON arrays as tuples, so frozen messages stay hashable and compare equal."""
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: _tuples(item) for key, item in value.items()}
    return value
