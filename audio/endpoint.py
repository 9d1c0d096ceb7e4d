"""Endpointing: where an utterance starts, pauses and ends, on the audio clock.

Feed every frame of a listening to `Endpointer.push`; it answers with events:
`SpeechStarted` once at least `min_speech_s` of speech has been heard (a cough
or a click is not speech), `PauseBegan` when speech has stopped for longer than
a soft word ending, `SpeechResumed` if it comes back, `UtteranceEnded` after
`trailing_silence_s` without speech or at `max_utterance_s`, or `NoSpeech` when
nothing was said within the no-speech timeout. Time is only sample positions.

The frames of a pause are held here, not handed on: a recognizer fed every
frame of an utterance except those between `PauseBegan` and `SpeechResumed`
(which carries them) never decodes the room noise after the last word.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from audio.frames import Frame, to_samples
from audio.vad import SpeechDetector

DEFAULT_TRAILING_SILENCE_S = 1.2
"""Chosen by measurement. Answers made of two flite clips (voices slt, rms, awb, kal16; three
sentence pairs) joined by 0.5-0.6 s of digital silence show a longest non-speech run of
0.81-1.08 s as the detector sees it: flite pads each clip with 0.1-0.2 s of near-silence and soft
word endings fall below the speech test (with the padding trimmed: 0.51-0.93 s). 0.7 s therefore
cut most such answers in two and 0.9 s still cut about half; 1.2 s cut none (see
tests/test_audio_endpoint.py::test_answers_with_pauses_are_not_cut) for 1.2 s of latency.
This is the longest the assistant waits: the spoken ears end a complete answer sooner, after
voice.checkin.turn_end.EARLY_END_SILENCE_S, by `Endpointer.end_now`."""

MIN_SPEECH_S = 0.12
"""Speech needed before an utterance starts: rejects clicks and stray noisy frames.

Measured: a one-word command is short. flite's "skip" has 0.15 s of frames the detector calls
speech and "skip" in another voice 0.21 s, so the first choice of 0.25 s lost them. A cough that
passes becomes an utterance without words (or with words no intent matches), which the dialogue
never logs."""

MAX_GAP_BEFORE_START_S = 0.15
"""A pause longer than this while speech is still too short to count restarts the count."""

SOFT_ENDING_S = 0.3
"""Non-speech audio after speech that still belongs to the words: soft word endings fall below
the speech test. Longer silence is a pause (`PauseBegan`); its frames are held back and handed
on only if speech resumes, so a recognizer never decodes the trailing room noise (PocketSphinx
heard "if" in it)."""


@dataclass(frozen=True)
class SpeechStarted:
    """Speech began at `position`; `preroll` holds the frames from just before it up to now."""

    position: int
    """Clock position of the first speech frame."""

    preroll: list[Frame]
    """Frames from `preroll_s` before `position` through the frame that confirmed speech, so a
    recognizer fed these and then every later frame misses nothing."""


@dataclass(frozen=True)
class PauseBegan:
    """Speech has stopped for longer than a soft ending: the utterance may be over.

    Reported on the first frame held back, once per pause. The moment to judge the words so
    far, or to start decoding them in case the pause turns out to be the end."""

    speech_start: int
    """Clock position where the utterance's speech began."""

    position: int
    """Clock position just after the last speech frame: where the pause began."""


@dataclass(frozen=True)
class SpeechResumed:
    """Speech came back after a pause: the pause was inside the utterance."""

    position: int
    """Clock position of the frame in which speech came back."""

    frames: list[Frame]
    """The frames held back since `PauseBegan`, then the one in which speech came back."""


@dataclass(frozen=True)
class UtteranceEnded:
    """An utterance is complete."""

    speech_start: int
    """Clock position where speech began."""

    speech_end: int
    """Clock position just after the last speech frame."""

    reason: Literal["silence", "max_length", "complete"]
    """Why it ended: trailing silence, the maximum utterance length, or `end_now` (the caller
    judged the words so far a complete answer)."""


@dataclass(frozen=True)
class NoSpeech:
    """Nothing was said within the no-speech timeout."""

    position: int
    """Clock position at which the timeout passed."""


EndpointEvent = SpeechStarted | PauseBegan | SpeechResumed | UtteranceEnded | NoSpeech


class Endpointer:
    """Turns a stream of frames into utterance boundaries and pauses, one listening at a time.

    The speech detector (and the noise floor it has learned) is kept across
    listenings, so the room learned while waiting for the wake phrase helps
    with the answers.
    """

    def __init__(
        self,
        trailing_silence_s: float = DEFAULT_TRAILING_SILENCE_S,
        max_utterance_s: float = 20.0,
        no_speech_timeout_s: float = 8.0,
        preroll_s: float = 0.3,
        min_speech_s: float = MIN_SPEECH_S,
        detector: SpeechDetector | None = None,
        soft_ending_s: float = SOFT_ENDING_S,
    ) -> None:
        self.trailing_silence = to_samples(trailing_silence_s)
        self.max_utterance = to_samples(max_utterance_s)
        self.no_speech_timeout = to_samples(no_speech_timeout_s)
        self.preroll = to_samples(preroll_s)
        self.min_speech = to_samples(min_speech_s)
        self.soft_ending = to_samples(soft_ending_s)
        self._max_gap = to_samples(MAX_GAP_BEFORE_START_S)
        self.detector = detector or SpeechDetector()
        self._listening = False
        self._no_speech_at = 0
        self._recent: deque[Frame] = deque()
        # A run of speech that is not yet long enough to count as an utterance.
        self._candidate_start: int | None = None
        self._candidate_voiced = 0
        self._candidate_last_end = 0
        self._in_speech = False
        self._speech_start = 0
        self._last_speech_end = 0
        # The frames of the pause in progress (empty outside a pause).
        self._held: list[Frame] = []

    @property
    def listening(self) -> bool:
        """True between `start` and the event that ends the listening."""
        return self._listening

    @property
    def last_speech_end(self) -> int:
        """Clock position just after the latest frame judged to be speech in this utterance."""
        return self._last_speech_end

    @property
    def in_speech(self) -> bool:
        """True after SpeechStarted until UtteranceEnded."""
        return self._in_speech

    @property
    def paused(self) -> bool:
        """True after PauseBegan until SpeechResumed or UtteranceEnded."""
        return bool(self._held)

    def start(self, position: int, deadline: int | None = None) -> None:
        """Begin a listening at clock `position`.

        NoSpeech comes when no speech has started `no_speech_timeout` samples after
        `position`, or by clock position `deadline` when the caller has one of its own
        (an answer's time limit); at least one frame is always heard."""
        self._listening = True
        if deadline is None:
            self._no_speech_at = position + self.no_speech_timeout
        else:
            self._no_speech_at = max(deadline, position + 1)
        self._recent.clear()
        self._reset_candidate()
        self._in_speech = False
        self._held = []

    def push(self, frame: Frame) -> list[EndpointEvent]:
        """Consume one frame; return the events it caused (usually none)."""
        speech = self.detector.is_speech(frame)
        if not self._listening:
            return []
        if self._in_speech:
            return self._push_in_speech(frame, speech)
        return self._push_waiting(frame, speech)

    def _push_waiting(self, frame: Frame, speech: bool) -> list[EndpointEvent]:
        self._recent.append(frame)
        if speech:
            if self._candidate_start is None:
                self._candidate_start = frame.start
            self._candidate_voiced += frame.n_samples
            self._candidate_last_end = frame.end
        elif self._candidate_start is not None:
            if frame.end - self._candidate_last_end > self._max_gap:
                self._reset_candidate()
        if self._candidate_start is not None and self._candidate_voiced >= self.min_speech:
            return [self._begin_speech(self._candidate_start, self._candidate_last_end)]
        self._trim_recent(frame.end)
        if self._candidate_start is None and frame.end >= self._no_speech_at:
            self._listening = False
            return [NoSpeech(frame.end)]
        return []

    def _push_in_speech(self, frame: Frame, speech: bool) -> list[EndpointEvent]:
        events: list[EndpointEvent] = []
        if speech:
            self._last_speech_end = frame.end
        if frame.end - self._last_speech_end > self.soft_ending:
            if not self._held:
                events.append(PauseBegan(self._speech_start, self._last_speech_end))
            self._held.append(frame)
        elif self._held:
            events.append(SpeechResumed(frame.start, [*self._held, frame]))
            self._held = []
        if frame.end - self._speech_start >= self.max_utterance:
            events.append(self._end("max_length"))
        elif frame.end - self._last_speech_end >= self.trailing_silence:
            events.append(self._end("silence"))
        return events

    def end_now(self) -> UtteranceEnded:
        """End the utterance in progress at once, before its full trailing silence.

        For a caller that knows more than the silence does: the words heard so far
        already make a complete answer. The frames of a pause in progress are dropped."""
        if not self._in_speech:
            raise RuntimeError("end_now() called outside an utterance")
        return self._end("complete")

    def _begin_speech(self, start: int, last_speech_end: int) -> SpeechStarted:
        self._in_speech = True
        self._speech_start = start
        self._last_speech_end = last_speech_end
        preroll = [f for f in self._recent if f.end > start - self.preroll]
        self._recent.clear()
        self._reset_candidate()
        return SpeechStarted(start, preroll)

    def _end(self, reason: Literal["silence", "max_length", "complete"]) -> UtteranceEnded:
        self._in_speech = False
        self._listening = False
        self._held = []
        return UtteranceEnded(self._speech_start, self._last_speech_end, reason)

    def _trim_recent(self, now: int) -> None:
        # Keep the preroll before any candidate speech, plus the candidate itself.
        keep_from = now - self.preroll
        if self._candidate_start is not None:
            keep_from = min(keep_from, self._candidate_start - self.preroll)
        while self._recent and self._recent[0].end <= keep_from:
            self._recent.popleft()

    def _reset_candidate(self) -> None:
        self._candidate_start = None
        self._candidate_voiced = 0
        self._candidate_last_end = 0
