"""A speech engine that crashes or hangs costs one answer, never the check-in.

The recognizer runs in a child process (voice/recognizers/worker.py). These
tests kill that child for real (SIGKILL), freeze it (SIGSTOP) and check that
the app notices, restarts it, and carries on. A fake engine child (FAKE_ENGINE)
speaks the same messages but never loads, raises, or stops answering on cue.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spoken_helpers import ReplyBank

from audio.frames import split_into_frames
from audio.sources import RepliesSource
from audio.wav import load_pcm16k
from store import open_store
from voice.checkin.spoken_run import SpokenEdges, spoken_checkin
from voice.errors import CheckinError
from voice.recognizers import load_recognizer, transcribe_pcm
from voice.recognizers.worker import (
    BATCH_FRAMES,
    MAX_IN_FLIGHT,
    EngineCrashed,
    EngineSpec,
    WorkerRecognizer,
    load_worker_recognizer,
)

COFFEE = "I appreciated that you made me coffee this morning"
LISTENING = "Thank you for listening to me after my long day at work"


class SilentRenderer:
    """The assistant's prompts as quiet audio of a speaking-like length (no TTS needed)."""

    def render(self, text: str) -> bytes:
        return bytes(2 * 16_000 * max(1, len(text.split())) // 3)


class Nowhere:
    def emit(self, pcm: bytes) -> None:
        """The prompts are not played."""


class KillingReplies(RepliesSource):
    """Reply files, with the engine's child SIGKILLed a second into reply number `at_reply`."""

    def __init__(self, paths: list[Path], at_reply: int, kill: KillSwitch) -> None:
        super().__init__(paths)
        self.at_reply = at_reply
        self.kill = kill
        self._frames_into_reply = 0

    def listening_started(self) -> None:
        super().listening_started()
        self._frames_into_reply = 0

    def read(self):  # type: ignore[no-untyped-def]
        frame = super().read()
        self._frames_into_reply += 1
        # ~1 s in: the partner is mid-sentence, so the utterance in progress is lost.
        if self.replies_fed == self.at_reply and self._frames_into_reply == 33:
            self.kill()
        return frame


class KillSwitch:
    def __init__(self) -> None:
        self.recognizer: WorkerRecognizer | None = None
        self.killed: list[int] = []

    def __call__(self) -> None:
        assert self.recognizer is not None and self.recognizer.pid is not None
        self.killed.append(self.recognizer.pid)
        os.kill(self.recognizer.pid, signal.SIGKILL)


@pytest.fixture()
def worker() -> Iterator[WorkerRecognizer]:
    recognizer, _ = load_worker_recognizer("pocketsphinx", vocabulary=["Ana", "Sam"])
    yield recognizer
    recognizer.close()


def test_the_worker_hears_what_the_engine_hears(
    worker: WorkerRecognizer, replies: ReplyBank
) -> None:
    pcm = load_pcm16k(replies.say("Ana", COFFEE))
    direct, _ = load_recognizer("pocketsphinx", vocabulary=["Ana", "Sam"])
    in_process = transcribe_pcm(direct, pcm, "appreciation", start=16_000)
    proxied = transcribe_pcm(worker, pcm, "appreciation", start=16_000)
    assert proxied == in_process
    assert "coffee" in proxied.text and proxied.start_s >= 1.0
    assert worker.name == "pocketsphinx"


def test_partials_still_arrive_through_the_worker(
    worker: WorkerRecognizer, replies: ReplyBank
) -> None:
    pcm = load_pcm16k(replies.say("Sam", LISTENING))
    worker.begin(None, 0)
    partials = [p for p in (worker.accept(f) for f in split_into_frames(pcm, 0)) if p]
    final = worker.end()
    assert partials and "listening" in final.text


def test_a_killed_engine_loses_one_utterance_and_the_next_is_heard(
    worker: WorkerRecognizer, replies: ReplyBank
) -> None:
    pcm = load_pcm16k(replies.say("Ana", COFFEE))
    frames = split_into_frames(pcm, 0)
    warnings: list[str] = []
    worker.warn = warnings.append
    first_child = worker.pid
    assert first_child is not None
    worker.begin("appreciation", 0)
    with pytest.raises(EngineCrashed, match="SIGKILL"):
        for number, frame in enumerate(frames):
            if number == 20:
                os.kill(first_child, signal.SIGKILL)
            worker.accept(frame)
        worker.end()
    assert worker.restarts == 1 and warnings and "restarting" in warnings[0]
    assert "coffee" in transcribe_pcm(worker, pcm, "appreciation").text
    assert worker.pid not in (None, first_child)


def test_a_hung_engine_is_killed_after_the_timeout_and_replaced(replies: ReplyBank) -> None:
    pcm = load_pcm16k(replies.say("Sam", LISTENING))
    recognizer, _ = load_worker_recognizer("pocketsphinx", timeout_s=1.0)
    try:
        frozen = recognizer.pid
        assert frozen is not None
        recognizer.begin(None, 0)
        os.kill(frozen, signal.SIGSTOP)  # a hang: alive, never answering
        with pytest.raises(EngineCrashed, match="did not answer"):
            for frame in split_into_frames(pcm, 0):
                recognizer.accept(frame)
            recognizer.end()
        with pytest.raises(ProcessLookupError):
            os.kill(frozen, 0)  # the frozen child was killed and reaped, not left behind
        assert "listening" in transcribe_pcm(recognizer, pcm).text
    finally:
        recognizer.close()


def test_an_engine_dying_between_answers_is_replaced_without_losing_one(
    worker: WorkerRecognizer, replies: ReplyBank
) -> None:
    pcm = load_pcm16k(replies.say("Ana", COFFEE))
    child = worker.pid
    assert child is not None
    os.kill(child, signal.SIGKILL)
    os.waitid(os.P_PID, child, os.WEXITED | os.WNOWAIT)  # dead, left for the worker to reap
    assert "coffee" in transcribe_pcm(worker, pcm, "appreciation").text
    assert worker.restarts == 1


def test_an_engine_that_keeps_dying_ends_with_a_clear_error(
    worker: WorkerRecognizer, replies: ReplyBank
) -> None:
    frames = split_into_frames(load_pcm16k(replies.say("Ana", COFFEE)), 0)
    with pytest.raises(CheckinError) as caught:
        for _ in range(5):
            worker.begin(None, 0)
            worker.accept(frames[0])
            pid = worker.pid
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            try:
                for frame in frames[1:]:
                    worker.accept(frame)
                worker.end()
            except EngineCrashed:
                continue
    assert not isinstance(caught.value, EngineCrashed)
    assert "3 times in a row" in str(caught.value) and "--engine" in str(caught.value)


def test_a_forced_engine_that_cannot_load_says_why_through_the_worker() -> None:
    with pytest.raises(CheckinError, match="no Vosk model found.*checkin model download"):
        load_worker_recognizer("vosk")


def test_a_whole_check_in_survives_a_sigkilled_engine(replies: ReplyBank, tmp_path: Path) -> None:
    db = tmp_path / "checkin.db"
    kill = KillSwitch()
    source = KillingReplies(
        [
            replies.say("Ana", COFFEE),
            replies.say("Sam", LISTENING),  # killed a second into this answer
            replies.say("Sam", LISTENING),  # ... so Sam is asked again and answers again
        ],
        at_reply=2,
        kill=kill,
    )
    warnings: list[str] = []
    recognizer, _ = load_worker_recognizer(
        "pocketsphinx", vocabulary=["Ana", "Sam"], warn=warnings.append
    )
    kill.recognizer = recognizer
    try:
        with open_store(db) as store:
            edges = SpokenEdges(source, recognizer, SilentRenderer(), Nowhere())
            result = spoken_checkin(edges, ("Ana", "Sam"), store, seed=1)
    finally:
        recognizer.close()
    assert len(kill.killed) == 1 and recognizer.restarts == 1
    assert any("SIGKILL" in warning for warning in warnings)
    assert [(e["partner"], e["kind"]) for e in result.entries] == [
        ("Ana", "appreciation"),
        ("Sam", "appreciation"),
    ]
    assert "coffee" in result.entries[0]["text"] and "listening" in result.entries[1]["text"]
    asked_sam = [t.text for t in result.turns if t.speaker == "assistant" and "Sam" in t.text]
    assert len(asked_sam) >= 2, asked_sam  # the lost answer was asked for again
    with open_store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [e["text"] for e in store.entries(result.session_id)] == [
            e["text"] for e in result.entries
        ]


FAKE_ENGINE = """
import signal, sys
from voice.children import serve
from voice.recognizers.messages import REQUESTS, AudioChunk, End, Load, Partial, Ready, Transcript

chunks = 0

def handle(request):
    global chunks
    if isinstance(request, Load):
        if sys.argv[1] == "mute":
            signal.pause()  # a load that never finishes
        return Ready("fake", "Using a fake engine.")
    if isinstance(request, AudioChunk):
        chunks += 1
        if sys.argv[1] == "raise":
            raise ValueError("the engine tripped")
        if chunks > 1:
            signal.pause()  # stuck in native code on the second batch
        return Partial(None)
    if isinstance(request, End):
        return Transcript("", 0.0, 0.0, 0.0)
    return None

serve(handle, REQUESTS)
"""

SILENCE = split_into_frames(bytes(2 * 16_000 * 3), 0)


def fake_engine(mode: str, **options: Any) -> WorkerRecognizer:
    command = [sys.executable, "-c", FAKE_ENGINE, mode]
    return WorkerRecognizer(EngineSpec("fake", None, ()), command=command, **options)


def test_an_engine_that_never_finishes_loading_is_killed() -> None:
    recognizer = fake_engine("mute", load_timeout_s=0.5, wait=False)
    child = recognizer.pid
    assert child is not None
    with pytest.raises(CheckinError, match=r"crashed while loading \(it did not answer within 0.5"):
        recognizer.ready()
    assert recognizer.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # killed and reaped


def test_an_engine_that_raises_costs_the_utterance_and_a_fresh_child() -> None:
    warnings: list[str] = []
    recognizer = fake_engine("raise", warn=warnings.append)
    try:
        first = recognizer.pid
        assert recognizer.ready() == "Using a fake engine." and recognizer.name == "fake"
        recognizer.begin(None, 0)
        with pytest.raises(EngineCrashed, match="ValueError: the engine tripped"):
            for frame in SILENCE:
                recognizer.accept(frame)
            recognizer.end()
        assert recognizer.restarts == 1 and "restarting" in warnings[0]
        recognizer.begin(None, 0)
        assert recognizer.pid not in (None, first)
        assert recognizer.end().text == ""  # no audio: no chunk, so nothing raised
    finally:
        recognizer.close()


def test_batches_run_ahead_of_the_answers() -> None:
    recognizer = fake_engine("stall", timeout_s=0.5)
    fed = 0
    recognizer.begin(None, 0)
    with pytest.raises(EngineCrashed, match="did not answer within 0.5 s"):
        for frame in SILENCE:
            fed += 1
            recognizer.accept(frame)
    # The engine answered batch 1 and stuck on batch 2; batches 3 to 6 were still sent
    # without waiting for it, until MAX_IN_FLIGHT went unanswered.
    assert fed == (MAX_IN_FLIGHT + 2) * BATCH_FRAMES
