"""The hands-free loop: wait for the wake phrase, hear what the couple wants, act, wait again.

A listening for the wake phrase ends when the phrase is detected, or when an
utterance (or the no-speech timeout) passes without it. For a live microphone
that changes nothing; for scripted replies it moves on to the next file, so a
near miss followed by the real phrase plays out as it would in a room.

After the wake phrase an earcon plays and the SAME listening carries on for a
few seconds to hear a request ("how was our week", "not now", "let's check
in"): the couple says it after the chime, a pause after the wake phrase (the
detector wakes only on a phrase said on its own).
Anything else, or nothing, starts the check-in. Keeping it one listening is
what lets `--replies wake.wav a1.wav ...` work: wake.wav is the wake listener's
(and the request's) file, a1.wav the first answer of the check-in.

The evening reminder is checked between wake listenings, never over someone
speaking. A microphone that disappears (MicLost) is reported, the check-in it
interrupted stays saved as not completed, and the loop waits for the device
and carries on.

The service's state changes go to the "checkin.listen" logger (a service's
journal); never what anyone said: only clock times, scores, counts and which
request was served.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from audio.earcon import wake_earcon
from audio.endpoint import Endpointer, NoSpeech, UtteranceEnded
from audio.frames import Frame
from audio.mic import MicLost
from audio.source import FrameSource
from intents import Match, match
from voice.checkin.dialogue import Silence
from voice.checkin.session import CheckinStore, InputEnded, SessionResult
from voice.checkin.spoken import SpokenEars, SpokenMouth
from voice.checkin.spoken_run import SpokenEdges, spoken_checkin
from voice.listen.lines import ListenLines
from voice.listen.mic_recovery import MicRecovery
from voice.listen.reminder import EveningReminder

WAKE_LISTEN_TIMEOUT_S = 8.0
"""A wake listening with no speech at all ends after this (then a new one starts)."""

REQUEST_TIMEOUT_S = 4.0
"""How long after the wake chime a request may take to start; silence starts the check-in."""

WAKE_REQUEST = "wake_request"
"""The intents context of what is said after the wake phrase."""

REQUESTER = "you"
"""The speaker shown for a request in the live transcript (it belongs to no session)."""

WEEKLY_SUMMARY = "weekly_summary"
CANCEL = "cancel"
START_CHECKIN = "start_checkin"

log = logging.getLogger("checkin.listen")
# Nothing is printed unless the app configures logging: the user is told by `tell` already.
log.addHandler(logging.NullHandler())


class WakeDetection(Protocol):
    """What voice.wake.detector.WakeDetector reports (read-only fields)."""

    @property
    def t(self) -> float: ...
    @property
    def phrase(self) -> str: ...
    @property
    def score(self) -> float: ...


class WakeDetectorLike(Protocol):
    def push(self, frame: Frame) -> WakeDetection | None: ...

    def reset(self) -> None: ...


def sentences(text: str) -> list[str]:
    """`text` cut after each ".", "!" or "?" that ends a sentence."""
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


class _Current:
    """Whichever source the edges hold now: after a lost microphone the loop swaps in the
    reopened one, and the mouth and ears it built once must hear (and skip) that one."""

    def __init__(self, edges: SpokenEdges) -> None:
        self.edges = edges

    def read(self) -> Frame | None:
        return self.edges.source.read()

    def skip_to(self, position: int) -> None:
        self.edges.source.skip_to(position)

    def listening_started(self) -> None:
        self.edges.source.listening_started()

    def listening_ended(self, heard: bool) -> None:
        self.edges.source.listening_ended(heard)

    def close(self) -> None:
        self.edges.source.close()


class _Continued:
    """The wake listening's source, carried on into the request: it is already listening."""

    def __init__(self, source: FrameSource) -> None:
        self.source = source

    def read(self) -> Frame | None:
        return self.source.read()

    def skip_to(self, position: int) -> None:
        self.source.skip_to(position)

    def listening_started(self) -> None:
        """Already started when the wake listening began."""

    def listening_ended(self, heard: bool) -> None:
        self.source.listening_ended(heard)

    def close(self) -> None:
        self.source.close()


@dataclass
class ListenLoop:
    """Everything the loop needs, injected: the edges, the detector, the store and the clocks."""

    edges: SpokenEdges
    detector: WakeDetectorLike
    partners: tuple[str, str]
    store: CheckinStore
    lines: ListenLines
    weekly_summary: Callable[[], str]
    """The spoken summary of this week (reads the store at the moment it is asked)."""
    earcons: bool = True
    """Chime when the wake phrase is heard and before each answer (off: --quiet)."""
    reminder: EveningReminder | None = None
    recovery: MicRecovery | None = None
    """How to get the microphone back; None when the input cannot be lost (files)."""
    tell: Callable[[str], None] = print
    """Prints one line to the user (not part of the transcript)."""
    on_wake: Callable[[WakeDetection], None] | None = None
    budget_s: float = 120.0
    first: str | None = None
    """Who goes first in this run's first check-in (`--first`); later ones alternate."""
    request_timeout_s: float = REQUEST_TIMEOUT_S
    matcher: Callable[[str, str], Match] = match
    requests: list[str] = field(default_factory=list)
    """What each wake led to, in order: weekly_summary, cancel or start_checkin."""
    _in_checkin: bool = False
    _mouth: SpokenMouth = field(init=False, repr=False)
    _request_ears: SpokenEars = field(init=False, repr=False)
    _checkin_ears: SpokenEars = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Built once, on whichever source is current (see _Current).
        current = _Current(self.edges)
        self._mouth = self.edges.mouth(current)
        self._request_ears = self.edges.ears(_Continued(current), self._mouth)
        self._checkin_ears = replace(self.edges, earcons=self.earcons).ears(current, self._mouth)

    def run(self, once: bool = False) -> list[SessionResult]:
        """Wake, serve, repeat; returns the check-ins run (ends when the input is exhausted).

        With `once`, returns after the first check-in that ran to its end (a
        check-in cut short by a lost microphone does not count).
        """
        results: list[SessionResult] = []
        while True:
            try:
                outcome = self._serve_one_wake()
            except MicLost as lost:
                if self.recovery is None:
                    raise
                self._recover(lost, self.recovery)
                continue
            if outcome is None:
                log.info("input ended at %.1f s", self.edges.clock.now_s())
                return results
            if isinstance(outcome, SessionResult):
                results.append(outcome)
                if once:
                    return results

    def wait_for_wake(self) -> WakeDetection | None:
        """Listen until the wake phrase is heard; None when the input is exhausted.

        On a detection the listening stays open: what follows is the request.
        """
        source, clock = self.edges.source, self.edges.clock
        self.detector.reset()
        # A separate endpointer only decides when one listening (one reply file) is over.
        boundaries = Endpointer(no_speech_timeout_s=WAKE_LISTEN_TIMEOUT_S)
        self._start_wake_listening(boundaries)
        while True:
            frame = source.read()
            if frame is None:
                source.listening_ended(False)
                return None
            clock.position = frame.end
            detection = self.detector.push(frame)
            if detection is not None:
                return detection
            if any(isinstance(e, (UtteranceEnded, NoSpeech)) for e in boundaries.push(frame)):
                source.listening_ended(False)
                self._start_wake_listening(boundaries)

    def hear_request(self) -> str | None:
        """After the wake phrase: the chime, then what the couple asks; None if the input ended."""
        if self.earcons:
            self._mouth.play(wake_earcon())
        heard = self._request_ears.listen(WAKE_REQUEST, REQUESTER, self.request_timeout_s)
        if isinstance(heard, InputEnded):
            return None
        if isinstance(heard, Silence):
            return START_CHECKIN
        intent = self.matcher(heard.text, WAKE_REQUEST).intent
        return intent if intent in (WEEKLY_SUMMARY, CANCEL) else START_CHECKIN

    def check_in(self) -> SessionResult:
        """One check-in through the edges, with a chime before each answer unless quiet."""
        log.info("check-in started at %.1f s", self.edges.clock.now_s())
        # Left set if the microphone is lost mid-check-in: the recovery tells the couple so.
        self._in_checkin = True
        result = spoken_checkin(
            self.edges, self.partners, self.store, budget_s=self.budget_s,
            ears=self._checkin_ears, mouth=self._mouth, first=self.first,
        )
        self.first = None
        self._in_checkin = False
        log.info(
            "check-in %d ended at %.1f s: %s, entries=%d", result.session_id,
            self.edges.clock.now_s(), "completed" if result.completed else "not completed",
            len(result.entries),
        )
        return result

    def _serve_one_wake(self) -> SessionResult | bool | None:
        """One wake and what it led to: a check-in, True for a request served, None at the end."""
        detection = self.wait_for_wake()
        if detection is None:
            return None
        log.info("woke at %.1f s on the audio clock (score %.2f)", detection.t, detection.score)
        if self.on_wake is not None:
            self.on_wake(detection)
        request = self.hear_request()
        if request is None:
            return None
        self.requests.append(request)
        if request == WEEKLY_SUMMARY:
            # Sentence by sentence: each starts playing sooner, and the TTS worker fails on
            # a first render of more than about ten seconds of speech.
            for sentence in sentences(self.weekly_summary()):
                self._mouth.say(sentence)
            log.info("request served: weekly summary")
            return True
        if request == CANCEL:
            self._mouth.say(self.lines.cancelled_line(self.requests.count(CANCEL) - 1))
            log.info("request served: cancel")
            return True
        return self.check_in()

    def _start_wake_listening(self, boundaries: Endpointer) -> None:
        if self.reminder is not None and self.reminder.due():
            self._mouth.say(self.lines.reminder)
            self.reminder.said()
            log.info("evening reminder said at %.1f s", self.edges.clock.now_s())
            # The detector must not join audio from before the reminder to audio after it.
            self.detector.reset()
        self.edges.status("waiting for the wake phrase")
        self.edges.source.listening_started()
        boundaries.start(self.edges.clock.position)

    def _recover(self, lost: MicLost, recovery: MicRecovery) -> None:
        interrupted = self._in_checkin
        self._in_checkin = False
        log.warning(
            "microphone lost at %.1f s%s: %s", self.edges.clock.now_s(),
            " during a check-in (kept as not completed)" if interrupted else "", lost,
        )
        self.edges.source.close()
        notice = self.lines.mic_lost_in_checkin if interrupted else self.lines.mic_lost
        self.tell(f"{notice.rstrip('.')} ({lost}); {self.lines.mic_waiting}")
        # Said to the room, not a turn of the conversation: `tell` has printed it.
        self._mouth.play(self.edges.renderer.render(notice), notice, input_gone=True)
        self.edges.status("waiting for the microphone")
        self.edges.source = recovery.reconnect(self.edges.clock.position)
        self.tell(self.lines.mic_back)
        log.info("microphone back at %.1f s", self.edges.clock.now_s())
