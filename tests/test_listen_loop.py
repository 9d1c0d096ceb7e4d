"""The hands-free loop in process: earcons, the evening reminder, a lost microphone, its log.

Real wake detector, real PocketSphinx, real SQLite; the assistant's voice is a
renderer producing real frames whose length follows the text (no TTS needed),
and the microphone is MicSource over a fake device stream that stops.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from listen_helpers import (
    PAUSE_AFTER_WAKE_S,
    TextLengthRenderer,
    fake_mic,
    flite_pcm,
    quiet,
    room_noise,
    spoken_file,
)

from audio.earcon import listen_earcon, wake_earcon
from audio.errors import AudioError
from audio.source import FrameSource
from audio.sources import RepliesSource
from store import Store, open_store
from voice.checkin.session import Turn
from voice.checkin.spoken_run import SpokenEdges
from voice.listen.lines import load_lines
from voice.listen.loop import CANCEL, ListenLoop
from voice.listen.mic_recovery import MicRecovery
from voice.listen.reminder import EveningReminder
from voice.recognizers import load_recognizer
from voice.recognizers.base import Recognizer
from voice.wake.detector import WakeDetector

PARTNERS = ("Ana", "Sam")
TZ = timezone(timedelta(hours=1))


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return load_recognizer("pocketsphinx", vocabulary=list(PARTNERS))[0]


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("loop_clips")


class Collected:
    """A voice output that keeps what the assistant played."""

    def __init__(self) -> None:
        self.played: list[bytes] = []

    def emit(self, pcm: bytes) -> None:
        self.played.append(pcm)


def make_loop(
    source: FrameSource, recognizer: Recognizer, store: Store, **options: object
) -> tuple[ListenLoop, Collected, list[Turn]]:
    output = Collected()
    turns: list[Turn] = []
    edges = SpokenEdges(source, recognizer, TextLengthRenderer(), output, on_turn=turns.append)
    loop = ListenLoop(
        edges, WakeDetector(), PARTNERS, store, load_lines("hey check in"),
        weekly_summary=lambda: "There were no check-ins this week.", **options,  # type: ignore[arg-type]
    )
    return loop, output, turns


def said(turns: list[Turn]) -> list[str]:
    return [turn.text for turn in turns if turn.speaker == "assistant"]


LOG_LINES = [
    r"woke at \d+\.\d s on the audio clock \(score \d\.\d\d\)",
    r"request served: (weekly summary|cancel)",
    r"check-in started at \d+\.\d s",
    r"check-in \d+ ended at \d+\.\d s: (completed|not completed), entries=\d+",
    r"microphone lost at \d+\.\d s( during a check-in \(kept as not completed\))?: "
    r"no audio from the microphone .*",
    r"microphone back at \d+\.\d s",
    r"evening reminder said at \d+\.\d s",
    r"input ended at \d+\.\d s",
]
"""Everything the loop may log: clock times, scores, counts; never anyone's words."""


def service_log(caplog: pytest.LogCaptureFixture, turns: list[Turn]) -> list[str]:
    """The loop's log lines, checked against LOG_LINES and against what the partners said."""
    lines = [record.getMessage() for record in caplog.records if record.name == "checkin.listen"]
    for line in lines:
        assert any(re.fullmatch(pattern, line) for pattern in LOG_LINES), line
    heard = [turn.text for turn in turns if turn.speaker != "assistant" and turn.text]
    words = {word for text in heard for word in text.split() if len(word) > 3} - {"check"}
    for record in caplog.records:
        message = record.getMessage()
        assert not any(text in message for text in heard if " " in text), message
        assert not words & set(re.findall(r"[a-z']+", message.lower())), message
    return lines


def test_chimes_after_the_wake_phrase_and_before_each_answer(
    recognizer: Recognizer, clips: Path
) -> None:
    files = [spoken_file(clips, "wake", ("rms", "hey check in")),
             spoken_file(clips, "done", ("slt", "we're done for tonight"))]
    with open_store(":memory:") as store:
        loop, output, _ = make_loop(RepliesSource(files), recognizer, store)
        results = loop.run(once=True)
    assert len(results) == 1
    assert output.played[0] == wake_earcon()
    # The opening, the first question, then the chime as listening for the answer starts.
    assert listen_earcon() in output.played
    assert output.played.index(listen_earcon()) > 1


def test_quiet_mode_plays_no_chime(recognizer: Recognizer, clips: Path) -> None:
    files = [spoken_file(clips, "wake-not-now", ("rms", "hey check in"), ("slt", "not now"),
                         pause_s=PAUSE_AFTER_WAKE_S)]
    with open_store(":memory:") as store:
        loop, output, turns = make_loop(RepliesSource(files), recognizer, store, earcons=False)
        assert loop.run() == []
    assert loop.requests == [CANCEL]
    assert wake_earcon() not in output.played and listen_earcon() not in output.played
    assert said(turns) == [load_lines("hey check in").cancelled[0]]


def test_the_service_logs_what_it_does_and_never_what_was_said(
    recognizer: Recognizer, clips: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wake = ("rms", "hey check in")
    files = [
        spoken_file(clips, "wake-week", wake, ("slt", "how was our week"),
                    pause_s=PAUSE_AFTER_WAKE_S),
        spoken_file(clips, "wake-not-now", wake, ("slt", "not now"), pause_s=PAUSE_AFTER_WAKE_S),
        spoken_file(clips, "wake", wake),
        spoken_file(clips, "coffee", ("slt", "I appreciated that you made me coffee this morning")),
        spoken_file(clips, "done", ("slt", "we're done for tonight")),
    ]
    caplog.set_level(logging.INFO, logger="checkin.listen")
    with open_store(":memory:") as store:
        loop, _, turns = make_loop(RepliesSource(files), recognizer, store)
        results = loop.run()
    assert [r.completed for r in results] == [False] and len(results[0].entries) == 1
    assert [turn.speaker for turn in turns if turn.speaker != "assistant"] == [
        "you", "you", "Ana", "Sam"
    ]
    lines = service_log(caplog, turns)
    assert [line.split(" at ")[0] for line in lines] == [
        "woke", "request served: weekly summary",
        "woke", "request served: cancel",
        "woke", "check-in started", "check-in 1 ended",
        "input ended",
    ]
    assert lines[6].endswith(": not completed, entries=1")


def reminder_at(hour: int, minute: int, store: Store) -> EveningReminder:
    now = datetime(2026, 3, 4, hour, minute, tzinfo=TZ)
    return EveningReminder.from_config(
        "21:00", ("23:00", "07:00"), lambda: now,
        lambda day, moment: store.had_checkin_on(day, moment.tzinfo),
    )


@pytest.mark.parametrize(("hour", "minute", "expected"), [(21, 5, 1), (20, 55, 0), (23, 30, 0)])
def test_the_reminder_is_said_once_when_due(
    recognizer: Recognizer, clips: Path, hour: int, minute: int, expected: int
) -> None:
    # Three wake listenings without the wake phrase: the reminder may come before each.
    files = [spoken_file(clips, "near-jack", ("slt", "hey jack, come in")),
             spoken_file(clips, "chatter", ("rms", "did you feed the cat")),
             spoken_file(clips, "near-opens", ("slt", "the check in opens at noon"))]
    with open_store(":memory:") as store:
        loop, _, turns = make_loop(RepliesSource(files), recognizer, store,
                                   reminder=reminder_at(hour, minute, store))
        assert loop.run() == []
    reminder = "Ready for your evening check-in? Just say 'hey check in'."
    assert said(turns).count(reminder) == expected


class Devices:
    """Reopening the microphone: first it is still missing, then it is back (a new stream)."""

    def __init__(self, opens: list[Callable[[], FrameSource]]) -> None:
        self.opens = opens
        self.waits: list[float] = []

    def reopen(self) -> FrameSource:
        return self.opens.pop(0)()

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)


def still_missing() -> FrameSource:
    raise AudioError("no input device matches 'usb'")


def test_a_lost_microphone_keeps_the_session_and_listen_carries_on(
    recognizer: Recognizer, clips: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="checkin.listen")
    wake = quiet(0.5) + flite_pcm(clips, "rms", "hey check in") + quiet(0.3)
    # The first device stops a few seconds into the check-in; the second one works.
    first = fake_mic(wake + room_noise(7.0))
    devices = Devices([still_missing, lambda: fake_mic(wake + room_noise(60.0, seed=2))])
    told: list[str] = []
    db = tmp_path / "checkin.db"
    with open_store(db) as store:
        loop, _, turns = make_loop(
            first, recognizer, store, recovery=MicRecovery(devices.reopen, devices.wait),
            tell=told.append, budget_s=30.0,
        )
        results = loop.run(once=True)
        sessions = [store.session(number) for number in (1, 2)]
    assert devices.waits == [1.0, 2.0]  # the backoff grew while the device was missing
    assert sessions[0] is not None and sessions[0]["completed"] == 0
    assert sessions[1] is not None and results[0].session_id == 2
    assert results[0].completed is True
    assert len(told) == 2
    assert told[0].startswith("The microphone stopped, so tonight's check-in is paused")
    assert "no audio from the microphone" in told[0]
    assert told[1].startswith("The microphone is back")
    # The audio clock carried on from where it stood: nothing overlaps.
    for earlier, later in zip(turns, turns[1:], strict=False):
        assert earlier.end_s <= later.start_s + 1e-6, (earlier, later)
    assert results[0].turns[0].start_s > turns[0].start_s
    # The notice was said to the room without the microphone: not a turn of the conversation.
    assert not any(turn.text.startswith("The microphone") for turn in turns)
    lines = [line.split(" at ")[0] for line in service_log(caplog, turns)]
    assert lines == ["woke", "check-in started", "microphone lost", "microphone back",
                     "woke", "check-in started", "check-in 2 ended"]
