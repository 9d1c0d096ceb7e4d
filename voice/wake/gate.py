"""The wake detector's always-on first stage: cut short, pause-bounded utterances.

Speech is told from the room by the app's own frame detector
(`audio.vad.SpeechDetector`: speech-band energy above an adaptive noise floor,
not spectrally flat), so steady room noise, hum and a faint hiss cost a few numpy
operations per frame and never open an utterance. Only an utterance that starts
after a pause, ends in a pause and is short enough to be a wake phrase is handed
on to the (costlier) verification; long talk (TV, conversation) is dropped as
soon as it outgrows a wake phrase, which bounds the CPU spent on it.
Tuning history: benchmarks/RESULTS.md, "Wake phrase: tuning history".
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from audio.frames import SAMPLE_RATE, Frame
from audio.vad import SpeechDetector
from voice.wake.thresholds import (
    MAX_SPEECH_S,
    MIN_SPEECH_S,
    NOISE_ONSET_S,
    PAUSE_S,
    PRE_ROLL_S,
)


@dataclass(frozen=True)
class Candidate:
    """A short utterance, with some audio either side, for the verifier."""

    pcm: bytes
    start: int
    """Clock position (samples) of the first sample of `pcm`."""
    speech_start: int
    speech_end: int
    """Clock positions (samples) where the detector said speech began and ended."""


@dataclass(frozen=True)
class GateSettings:
    """How the gate cuts utterances; the defaults (`voice.wake.thresholds`) suit a short phrase."""

    pause_s: float = PAUSE_S
    """Non-speech that ends an utterance: a phrase followed by room noise ends here too."""
    min_speech_s: float = MIN_SPEECH_S
    max_speech_s: float = MAX_SPEECH_S
    """Utterances outside these bounds (first to last speech frame) cannot be a wake phrase."""
    pre_roll_s: float = PRE_ROLL_S
    """Audio kept before the first speech frame, so the decoder hears the onset and some room."""
    noise_onset_s: float = NOISE_ONSET_S
    """A sound this steady for this long is learned as the room (`audio.vad.SpeechDetector`)."""


class UtteranceGate:
    """Feed frames; get a Candidate when a short, pause-bounded utterance has ended."""

    def __init__(self, settings: GateSettings | None = None) -> None:
        self.settings = settings or GateSettings()
        self._detector = SpeechDetector(onset_window_s=self.settings.noise_onset_s)
        self.reset()

    def reset(self) -> None:
        """Forget the current utterance (the noise floor is kept: the room has not changed)."""
        self._history: deque[Frame] = deque()
        self._history_samples = 0
        self._speech: list[Frame] = []
        self._speech_start = 0
        self._last_speech_end = 0
        self._too_long = False

    @property
    def in_speech(self) -> bool:
        """True while an utterance is open."""
        return bool(self._speech) or self._too_long

    def push(self, frame: Frame) -> Candidate | None:
        """Take one frame; return a Candidate when an utterance of wake-phrase length ended."""
        speech = self._detector.is_speech(frame)
        if not self.in_speech:
            if speech:
                self._speech_start = frame.start
                self._last_speech_end = frame.end
                self._speech = [*self._history, frame]
                return None
            self._remember(frame)
            return None
        if not self._too_long:
            self._speech.append(frame)
        if speech:
            self._last_speech_end = frame.end
            longest = self.settings.max_speech_s * SAMPLE_RATE
            if self._last_speech_end - self._speech_start > longest:
                # Talk, not a wake phrase: stop keeping it, wait for the next pause.
                self._too_long = True
                self._speech = []
            return None
        if frame.end - self._last_speech_end < self.settings.pause_s * SAMPLE_RATE:
            return None
        return self._close(frame)

    def _close(self, frame: Frame) -> Candidate | None:
        frames, too_long = self._speech, self._too_long
        self._speech, self._too_long = [], False
        self._history.clear()
        self._history_samples = 0
        self._remember(frame)
        length = self._last_speech_end - self._speech_start
        if too_long or length < self.settings.min_speech_s * SAMPLE_RATE:
            return None
        return Candidate(
            b"".join(f.pcm for f in frames),
            frames[0].start,
            self._speech_start,
            self._last_speech_end,
        )

    def _remember(self, frame: Frame) -> None:
        self._history.append(frame)
        self._history_samples += frame.n_samples
        keep = self.settings.pre_roll_s * SAMPLE_RATE
        while self._history and self._history_samples - self._history[0].n_samples >= keep:
            self._history_samples -= self._history.popleft().n_samples
