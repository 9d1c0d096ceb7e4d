"""Typed messages survive the wire, and a real child that dies, hangs or babbles is killed.

The children here are this file run as a script (`python tests/test_children.py MODE`):
an echo server, one that hangs (after starting a grandchild), one that never reads, one
that kills itself and one that answers garbage.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import typing
from dataclasses import dataclass, fields
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voice import tts
from voice.children import (
    EXIT_GRACE_S,
    PREFIX,
    Child,
    ChildExited,
    ChildGarbled,
    ChildHung,
    Failed,
    Frames,
    Message,
    ProtocolError,
    Quit,
    decode,
    encode,
    message_types,
    serve,
)
from voice.recognizers import messages as engine

TIMEOUT_S = 20.0
"""Generous: only a broken child ever takes this long."""


@dataclass(frozen=True)
class Ping(Message):
    type = "ping"

    number: int
    """Echoed back; negative makes the echo child raise."""

    blob: bytes
    """Echoed back, as the payload."""


@dataclass(frozen=True)
class Pong(Message):
    type = "pong"

    number: int
    """The ping's number (in `hang` mode, the grandchild's pid)."""

    blob: bytes
    """The ping's blob."""


CHILD = [sys.executable, __file__]

EVERY_MESSAGE: list[type[Message]] = [
    Quit, Failed, Ping, Pong, *engine.REQUESTS, *engine.ANSWERS, *tts.REQUESTS, *tts.ANSWERS,
]


def messages_of(cls: type[Message]) -> st.SearchStrategy[Message]:
    """Any message of the class (NaN aside: it equals nothing, not even itself)."""
    hints = typing.get_type_hints(cls)
    floats = {f.name: st.floats(allow_nan=False) for f in fields(cls) if hints[f.name] is float}
    return st.builds(cls, **floats)


# ------------------------------------------------------------------ the wire format


@pytest.mark.parametrize("cls", EVERY_MESSAGE, ids=lambda cls: cls.type)
@given(data=st.data())
def test_every_message_type_round_trips(cls: type[Message], data: st.DataObject) -> None:
    message = data.draw(messages_of(cls))
    assert decode(encode(message), message_types(cls)) == message


@given(
    sent=st.lists(st.one_of([messages_of(cls) for cls in EVERY_MESSAGE]), max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=4000)),
)
def test_frames_come_out_whole_however_the_pipe_splits_the_bytes(
    sent: list[Message], cuts: list[int]
) -> None:
    stream = b"".join(encode(message) for message in sent)
    points = sorted({0, len(stream), *(min(cut, len(stream)) for cut in cuts)})
    frames, received = Frames(), []
    for start, end in zip(points, points[1:], strict=False):
        frames.feed(stream[start:end])
        while (frame := frames.next()) is not None:
            received.append(decode(frame, message_types(*EVERY_MESSAGE)))
    assert received == sent


def test_pcm_travels_raw_after_a_json_header() -> None:
    pcm = b"\x01\x02" * 480
    frame = encode(engine.AudioChunk(pcm, start=16_000))
    header_length, payload_length = PREFIX.unpack_from(frame)
    header = json.loads(frame[PREFIX.size : PREFIX.size + header_length])
    assert header == {"type": "audio-chunk", "data": {"start": 16_000}}
    assert payload_length == len(pcm) and frame.endswith(pcm)


def _frame(header: bytes, payload: bytes = b"") -> bytes:
    return PREFIX.pack(len(header), len(payload)) + header + payload


@pytest.mark.parametrize(
    ("frame", "why"),
    [
        (encode(engine.Partial("hi"))[:-1], "not as long as its prefix"),
        (encode(engine.Begin(None, 0)), "not a message expected here"),  # the wrong direction
        (_frame(b"{not json"), "unreadable"),
        (_frame(b"[1, 2]"), "not a message expected here"),
        (_frame(b'{"type": ["partial"], "data": {}}'), "not a message expected here"),
        (_frame(b'{"type": "partial", "data": {}}'), "bad partial message"),
        (_frame(b'{"type": "partial", "data": {"text": "a", "x": 1}}'), "bad partial message"),
        (_frame(b'{"type": "partial", "data": {"text": "a"}}', b"pcm"), "payload"),
    ],
)
def test_garbage_is_refused_not_guessed_at(frame: bytes, why: str) -> None:
    with pytest.raises(ProtocolError, match=why):
        decode(frame, message_types(*engine.ANSWERS))


@given(
    sent=messages_of(engine.Transcript) | messages_of(engine.AudioChunk),
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), max_size=4),
    noise=st.binary(),
)
def test_damaged_frames_decode_to_a_message_or_a_protocol_error(
    sent: Message, flips: list[tuple[int, int]], noise: bytes
) -> None:
    frame = bytearray(encode(sent))
    for where, mask in flips:
        frame[where % len(frame)] ^= mask
    for candidate in (bytes(frame), noise, _frame(b"[" * 5000 + b"]" * 5000)):
        try:
            decoded = decode(candidate, message_types(*EVERY_MESSAGE))
        except ProtocolError:
            continue
        assert isinstance(decoded, Message)


def test_a_prefix_announcing_a_huge_frame_is_garbage_at_once() -> None:
    frames = Frames()
    frames.feed(PREFIX.pack(10, 2**31))
    with pytest.raises(ProtocolError, match="a frame of"):
        frames.next()


def test_message_classes_must_be_told_apart() -> None:
    @dataclass(frozen=True)
    class Echo(Message):
        type = "heard"

        text: str

    @dataclass(frozen=True)
    class TwoPayloads(Message):
        type = "two-payloads"

        left: bytes
        right: bytes

    with pytest.raises(TypeError, match="type name of its own"):
        message_types(engine.Heard, Echo)
    with pytest.raises(TypeError, match="more than one bytes field"):
        message_types(TwoPayloads)


# ------------------------------------------------------------------ real children


def test_a_child_answers_in_order_while_requests_run_ahead() -> None:
    child = Child([*CHILD, "echo"], [Pong])
    try:
        for number in range(8):  # all sent before any answer is read
            child.send(Ping(number, bytes([number]) * number), TIMEOUT_S)
        answers = [child.receive(TIMEOUT_S) for _ in range(8)]
        assert answers == [Pong(number, bytes([number]) * number) for number in range(8)]
        assert not child.waiting()
        big = os.urandom(3 << 20)  # many pipe-fulls each way
        assert child.ask(Ping(3, big), TIMEOUT_S) == Pong(3, big)
        assert child.ask(Ping(-1, b""), TIMEOUT_S) == Failed("ValueError: a negative ping")
        assert child.ask(Ping(4, b"still here"), TIMEOUT_S) == Pong(4, b"still here")
    finally:
        child.close(EXIT_GRACE_S)
    assert child.exited() == "it exited with status 0"  # it quit when asked, nothing killed


def test_a_child_that_never_answers_is_killed_with_its_own_children(tmp_path: Path) -> None:
    fifo = str(tmp_path / "grandchild")
    os.mkfifo(fifo)
    watch = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        child = Child([*CHILD, "hang", fifo], [Pong])
        started = child.ask(Ping(0, b""), TIMEOUT_S)  # it started a grandchild, then answered
        assert isinstance(started, Pong)
        with pytest.raises(ChildHung, match="did not answer within 0.5 s"):
            child.ask(Ping(1, b""), 0.5)
        with pytest.raises(ProcessLookupError):
            os.kill(child.pid, 0)  # killed and reaped, not left behind
        # The grandchild alone holds the fifo's write end: end of file means it died too.
        assert select.select([watch], [], [], TIMEOUT_S)[0], f"{started.number} still runs"
        assert os.read(watch, 1) == b""
        with pytest.raises(ChildExited):
            child.send(Ping(2, b""), TIMEOUT_S)
    finally:
        os.close(watch)


def test_a_child_that_reads_nothing_cannot_block_a_send() -> None:
    child = Child([*CHILD, "deaf"], [Pong])
    with pytest.raises(ChildHung, match="took no input for 0.5 s"):
        child.send(Ping(0, bytes(1 << 20)), 0.5)  # far more than a pipe holds
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)


def test_a_child_killed_mid_request_says_how_it_died() -> None:
    child = Child([*CHILD, "die"], [Pong])
    with pytest.raises(ChildExited, match="killed by SIGKILL"):
        child.ask(Ping(0, b""), TIMEOUT_S)
    assert child.waiting()  # nothing to wait for: receive fails at once
    with pytest.raises(ChildExited, match="killed by SIGKILL"):
        child.receive(TIMEOUT_S)


def test_a_child_that_died_between_requests_is_noticed_and_reaped() -> None:
    child = Child([*CHILD, "echo"], [Pong])
    assert child.exited() is None
    os.kill(child.pid, signal.SIGKILL)
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # dead, not yet reaped
    assert child.waiting()
    assert child.exited() == "it was killed by SIGKILL"
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)


def test_a_child_that_answers_garbage_is_killed() -> None:
    child = Child([*CHILD, "garble"], [Pong])
    with pytest.raises(ChildGarbled, match="answered garbage"):
        child.ask(Ping(0, b""), TIMEOUT_S)
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)


def test_a_command_that_cannot_start_is_an_os_error() -> None:
    with pytest.raises(OSError):
        Child(["/nonexistent/python"], [Pong])


# ------------------------------------------------------------------ the children's side


def _child_main(mode: str) -> None:
    inbox = int(sys.argv[-2])
    if mode == "deaf":
        signal.pause()
    if mode == "garble":
        os.read(inbox, 1)
        os.write(int(sys.argv[-1]), PREFIX.pack(5, 0) + b"hello")
        signal.pause()
    grandchildren: list[subprocess.Popen[bytes]] = []

    def handle(request: Message) -> Message:
        assert isinstance(request, Ping)
        if mode == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "hang":
            if grandchildren:
                signal.pause()  # a hung native call: alive, never answering
            writer = os.open(sys.argv[2], os.O_WRONLY)
            grandchildren.append(subprocess.Popen(
                [sys.executable, "-c", "import signal; signal.pause()"], stdout=writer
            ))
            os.close(writer)
            return Pong(grandchildren[0].pid, b"")
        if request.number < 0:
            raise ValueError("a negative ping")
        return Pong(request.number, request.blob)

    serve(handle, [Ping])


if __name__ == "__main__":
    _child_main(sys.argv[1])
