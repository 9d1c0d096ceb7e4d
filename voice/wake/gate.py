"""The wake detector's always-on first stage: cut short, pause-bounded utterances.

Speech is told from the room by the app's own frame detector
(`audio.vad.SpeechDetector`: speech-band energy above an adaptive noise floor,
not spectrally flat), so steady room noise, hum and a faint hiss cost a few numpy
operations per frame and never open an utterance. Only an utterance that starts
after a pause, ends in a pause and is short enough to be a wake phrase is handed
on to the (costlier) verification; long talk (TV, conversation) is dropped as
soon as it outgrows a wake phrase, which bounds the CPU spent on it. An utterance that starts
within a second of a short one is also offered joined to it (`Candidate.joined`): "Hey...
check in" with a hesitation longer than the pause. From then on, until the
talk stops, only speech that stands out above the talk syllable by syllable counts
(`voice.wake.talk`): someone speaking up over the TV is cut as a candidate of their own.
Tuning history: benchmarks/RESULTS.md, "Wake phrase: tuning history".
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

from audio.frames import SAMPLE_RATE, Frame
from audio.vad import SpeechDetector
from voice.wake.talk import TalkLevel
from voice.wake.thresholds import (
    JOIN_FIRST_S,
    JOIN_GAP_S,
    MAX_SPEECH_S,
    MIN_SPEECH_S,
    NOISE_ONSET_S,
    PAUSE_S,
    PRE_ROLL_S,
    TAIL_S,
    TALK_MIN_SPEECH_S,
    TALK_SPEAKING_UP,
    TALK_SYLLABLE_S,
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
    joined: Candidate | None = None
    """This utterance joined to a short one just before it, gap and all: the phrase split by
    a hesitation longer than the pause ("Hey... check in"), for the detector to read too."""
    over_talk: bool = False
    """Cut while talk went on in the room (`voice.wake.talk`): someone spoke up over it, and
    what else the candidate holds is the talk's."""


def same_utterance(early: Candidate, candidate: Candidate) -> bool:
    """`early` (from `take_early`) is `candidate` cut short: the pause after it lasted."""
    return (early.start, early.speech_start, early.speech_end) == (
        candidate.start, candidate.speech_start, candidate.speech_end)


@dataclass(frozen=True)
class _Heard:
    """One frame as the gate heard it."""

    frame: Frame
    level_db: float
    speech: bool
    """The speech detector's verdict, before any talk is taken into account."""


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
    tail_s: float | None = TAIL_S
    """This long into the pause (less than `pause_s`) the utterance so far is offered early
    (`UtteranceGate.take_early`), so that a first reading can start before the pause ends;
    None when nothing reads early (no Whisper ear), so no early cut is made."""


class UtteranceGate:
    """Feed frames; get a Candidate when a short, pause-bounded utterance has ended.

    The utterance is offered earlier too, cut `tail_s` into the pause (`take_early`), so that
    it can be read while the pause goes on; if speech comes back before the pause ends, that
    early cut is void and the utterance goes on."""

    def __init__(self, settings: GateSettings | None = None) -> None:
        self.settings = settings or GateSettings()
        self._detector = SpeechDetector(onset_window_s=self.settings.noise_onset_s)
        settings = self.settings
        # The longest joined utterance, its pre-roll and pause, and the gap it may span.
        self._recent_samples = (settings.max_speech_s + settings.pre_roll_s + settings.pause_s
                                + JOIN_GAP_S) * SAMPLE_RATE
        self.loudest_db = -120.0
        """The loudest frame heard so far (speech-band dBFS): speech quieter than the
        detector's `ABSOLUTE_MIN_DB` is never heard, so a silent result may mean a quiet file."""
        self.reset()

    def reset(self) -> None:
        """Forget the current utterance and any talk (the noise floor is kept: the room has not
        changed)."""
        self._history: deque[_Heard] = deque()
        self._history_samples = 0
        self._speech: list[_Heard] = []
        self._speech_start = 0
        self._last_speech_end = 0
        self._too_long = False
        self._talk: TalkLevel | None = None
        self._ready: deque[Candidate] = deque()
        self._recent: deque[Frame] = deque()
        """Every frame of the last few seconds, for an utterance joined to the one before."""
        self._previous: tuple[int, int] | None = None
        """Speech start and end (samples) of the utterance closed last, if it was short."""
        self._cut = False
        """The open utterance was offered early, `tail_s` into its pause, and the pause goes on."""
        self._offered: Candidate | None = None
        self._last_syllable: deque[tuple[int, bool]] = deque()
        """Over talk, the last `TALK_SYLLABLE_S` of frames: start and whether each stood out."""

    @property
    def in_speech(self) -> bool:
        """True while an utterance is open."""
        return bool(self._speech) or self._too_long

    def push(self, frame: Frame) -> Candidate | None:
        """Take one frame; return a Candidate when an utterance of wake-phrase length ended."""
        speech = self._detector.is_speech(frame)
        heard = _Heard(frame, self._detector.last_level_db, speech)
        self.loudest_db = max(self.loudest_db, heard.level_db)
        self._keep_recent(frame)
        talk = self._talk
        if talk is not None:
            speech = talk.stands_out(heard.level_db, speech)
            talk.hear(heard.level_db, heard.speech, speaking_up=self.in_speech)
            if talk.ended and not self.in_speech:
                self._talk = None
        self._step(heard, speech)
        return self._ready.popleft() if self._ready else None

    def take_early(self) -> Candidate | None:
        """The open utterance cut `tail_s` into its pause (once per pause), if it is the shape
        of a wake phrase; if the pause lasts, `push` returns the same utterance whole, with
        the same `start` and `speech_end` (`same_utterance`)."""
        offered, self._offered = self._offered, None
        return offered

    def finish(self) -> Candidate | None:
        """The stream ended with an utterance open (a recording cut where the phrase ends): the
        utterance as if its pause had lasted, the rest of the pause made of the room heard
        before it, as the early cut is. The gate is then empty."""
        candidate = None
        if self._speech and not self._too_long:
            paused = (self._speech[-1].frame.end - self._last_speech_end) / SAMPLE_RATE
            candidate = self._early_cut(min(paused, self.settings.pause_s))
        self.reset()
        return candidate

    def _step(self, heard: _Heard, speech: bool) -> None:
        """Advance the utterance by one frame; `speech` is whether it counts as speech."""
        frame = heard.frame
        # Where this frame's speech starts and ends: over talk, that of someone speaking up.
        spoken = (frame.start, frame.end) if speech else None
        if self._talk is not None:
            speaking_up = self._spoken_up(frame, speech)
            spoken = speaking_up if speech else None
        if not self.in_speech:
            if spoken is not None:
                self._speech_start, self._last_speech_end = spoken
                # Over talk the start may be `TALK_SYLLABLE_S` back: the pre-roll is before it.
                keep_from = spoken[0] - self.settings.pre_roll_s * SAMPLE_RATE
                self._speech = [*(h for h in self._history if h.frame.end > keep_from), heard]
                return
            self._remember(heard)
            return
        if not self._too_long:
            self._speech.append(heard)
        if spoken is not None:
            self._cut, self._offered = False, None
            self._last_speech_end = spoken[1]
            longest = self.settings.max_speech_s * SAMPLE_RATE
            if self._last_speech_end - self._speech_start > longest:
                self._outgrown()
            return
        paused = frame.end - self._last_speech_end
        if paused < self.settings.pause_s * SAMPLE_RATE:
            tail_s = self.settings.tail_s
            if tail_s is not None and not self._cut and paused >= tail_s * SAMPLE_RATE:
                self._cut = True
                self._offered = self._early_cut(tail_s)
            return
        self._close(heard)

    def _spoken_up(self, frame: Frame, stood_out: bool) -> tuple[int, int] | None:
        """Over talk, whether someone is speaking up at this frame: most of the last
        `TALK_SYLLABLE_S` of frames stood out above the talk. If so, where the first of them that
        did starts and the last ends (samples), else None: the talk's own louder frames stand
        out one or two at a time, and once opened an utterance, or kept one open, on their own."""
        self._last_syllable.append((frame.start, stood_out))
        window = TALK_SYLLABLE_S * SAMPLE_RATE
        while frame.end - self._last_syllable[0][0] > window + 1e-9:
            self._last_syllable.popleft()
        if frame.end - self._last_syllable[0][0] < window - frame.n_samples / 2:
            return None
        standing_out = [start for start, out in self._last_syllable if out]
        if len(standing_out) < TALK_SPEAKING_UP * len(self._last_syllable):
            return None
        return standing_out[0], standing_out[-1] + frame.n_samples

    def _outgrown(self) -> None:
        """The utterance is talk, not a wake phrase. What was heard becomes the talk's level
        (the first time) or is learned into it (talk grown louder, a TV turned up), and it is
        heard again against that: a phrase said over it stands out. Only talk that no longer
        raises the level makes the gate wait for a pause: else a TV that never pauses left it
        deaf for the rest of the evening."""
        heard = self._speech
        levels = [h.level_db for h in heard if h.speech]
        if self._talk is None:
            self._talk = TalkLevel(levels, heard[-1].frame.n_samples / SAMPLE_RATE,
                                   self.settings.pause_s)
        elif not self._talk.learn(levels):
            self._too_long = True
            self._speech = []
            return
        self._speech, self._too_long = [], False
        self._history.clear()
        self._history_samples = 0
        self._last_syllable.clear()
        for again in heard:
            self._step(again, self._talk.stands_out(again.level_db, again.speech))

    def _candidate(self, frames: list[_Heard]) -> Candidate | None:
        """The utterance so far as a Candidate, if it is the shape of a wake phrase."""
        length = self._last_speech_end - self._speech_start
        if self._too_long or length < self.settings.min_speech_s * SAMPLE_RATE:
            return None
        if self._talk is not None and not self._speaks_up(frames, length):
            return None
        pcm, start = self._with_room_before(
            b"".join(h.frame.pcm for h in frames), frames[0].frame.start, self._speech_start)
        return Candidate(pcm, start, self._speech_start, self._last_speech_end,
                         over_talk=self._talk is not None)

    def _with_room_before(self, pcm: bytes, start: int, speech_start: int) -> tuple[bytes, int]:
        """`pcm` (first sample at `start`) with its pre-roll before `speech_start` made whole.
        A recording that starts as the phrase does has no room before it: Whisper then misses
        the first word ("check in"), and a cut at the stream's end has no room to close with.
        So where the stream began inside the pre-roll, the rest of it is silence."""
        missing = int(self.settings.pre_roll_s * SAMPLE_RATE) - (speech_start - start)
        if start != 0 or missing <= 0:
            return pcm, start
        return bytes(2 * missing) + pcm, -missing

    def _early_cut(self, tail_s: float) -> Candidate | None:
        """The utterance so far, made as long as it will be when the pause ends with room
        heard before it (its pre-roll): Whisper, told the phrase was coming, wrote it for near
        misses whose audio stopped that much sooner (benchmarks/RESULTS.md)."""
        candidate = self._candidate(self._speech)
        if candidate is None:
            return None
        missing = 2 * int((self.settings.pause_s - tail_s) * SAMPLE_RATE)
        room = candidate.pcm[: 2 * (candidate.speech_start - candidate.start)][:missing]
        # Joined to a short utterance before it, the same room ends it: the ear may read the
        # two together in the pause as well ("Hey... check in").
        joined = self._joined(candidate)
        if joined is not None:
            joined = replace(joined, pcm=joined.pcm + room)
        return replace(candidate, pcm=candidate.pcm + room, joined=joined)

    def _close(self, heard: _Heard) -> None:
        candidate = self._candidate(self._speech)
        if candidate is not None:
            candidate = replace(candidate, joined=self._joined(candidate))
        short = not self._too_long and (
            self._last_speech_end - self._speech_start <= JOIN_FIRST_S * SAMPLE_RATE)
        self._previous = (self._speech_start, self._last_speech_end) if short else None
        self._cut, self._offered = False, None
        self._speech, self._too_long = [], False
        self._history.clear()
        self._history_samples = 0
        self._remember(heard)
        if candidate is not None:
            self._ready.append(candidate)

    def _joined(self, candidate: Candidate) -> Candidate | None:
        """`candidate` with the short utterance just before it and the gap between, when the
        two could be one phrase split by a hesitation (`JOIN_GAP_S`); never over talk."""
        if self._previous is None or self._talk is not None:
            return None
        first_start, first_end = self._previous
        gap = candidate.speech_start - first_end
        if gap > JOIN_GAP_S * SAMPLE_RATE or (
            candidate.speech_end - first_start > self.settings.max_speech_s * SAMPLE_RATE
        ):
            return None
        start = first_start - int(self.settings.pre_roll_s * SAMPLE_RATE)
        frames = [frame for frame in self._recent if frame.end > start]
        pcm, start = self._with_room_before(
            b"".join(frame.pcm for frame in frames), frames[0].start, first_start)
        return Candidate(pcm, start, first_start, candidate.speech_end)

    def _keep_recent(self, frame: Frame) -> None:
        self._recent.append(frame)
        while self._recent and frame.end - self._recent[0].end >= self._recent_samples:
            self._recent.popleft()

    def _speaks_up(self, frames: list[_Heard], length: int) -> bool:
        """Over talk, the talk's own louder words stand out now and then too; someone who
        speaks up over it stands out for most of what they say (`TALK_SPEAKING_UP`)."""
        assert self._talk is not None
        if length < TALK_MIN_SPEECH_S * SAMPLE_RATE:
            return False
        spoken = [h for h in frames
                  if self._speech_start <= h.frame.start < self._last_speech_end]
        standing_out = sum(self._talk.stands_out(h.level_db, h.speech) for h in spoken)
        return standing_out >= TALK_SPEAKING_UP * len(spoken)

    def _remember(self, heard: _Heard) -> None:
        self._history.append(heard)
        self._history_samples += heard.frame.n_samples
        keep = (self.settings.pre_roll_s + TALK_SYLLABLE_S) * SAMPLE_RATE
        while self._history and self._history_samples - self._history[0].frame.n_samples >= keep:
            self._history_samples -= self._history.popleft().frame.n_samples
