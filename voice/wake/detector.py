"""The wake phrase detector: always on, cheap, and strict before it wakes the app.

A false wake in a living room is worse than asking twice, so everything that is not clearly
the phrase is dropped. Two stages keep that affordable: an energy gate (`voice.wake.gate`)
that costs a few numpy operations per frame hands on only short utterances bounded by
pauses, the shape of "hey check in" said to the room; only those get the costly readings of
the verifier (`voice.wake.verify`): the Whisper ear (`voice.wake.ear`) first, trained on real
people and good for any phrase, then PocketSphinx's for a short utterance it did not take (for
a phrase other than "hey check in", only one the ear, told the phrase, wrote as it). Each
candidate is judged on its own (no state carried from earlier audio), so the same clip always
gets the same verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from audio.frames import SAMPLE_RATE, Frame, to_seconds
from voice.wake.ear import EarReading, load_ear
from voice.wake.gate import Candidate, GateSettings, UtteranceGate, same_utterance
from voice.wake.readings import FRAMES_PER_SECOND
from voice.wake.verify import Verdict, WakeVerifier
from voice.wake.words import may_end_phrase, wake_words

DEFAULT_PHRASE = "hey check in"


@dataclass(frozen=True)
class WakeDetection:
    """The wake phrase was heard."""

    t: float
    """Seconds into the stream (audio clock) where the phrase ended."""
    phrase: str
    """The wake phrase, as configured."""
    score: float
    """Acoustic confidence of the phrase's words (0..1)."""


@dataclass(frozen=True)
class _EarlyRead:
    """An utterance cut early in its pause, and the ear's readings of it."""

    cut: Candidate
    heard: EarReading
    joined: Verdict | None
    """The verdict on it joined to the utterance before (`Candidate.joined`), if read."""


class WakeDetector:
    """Feed 16 kHz frames continuously with `push`; it returns a WakeDetection when it wakes."""

    def __init__(
        self,
        phrase: str = DEFAULT_PHRASE,
        sensitivity: float = 0.5,
        gate: GateSettings | None = None,
        whisper: bool = True,
    ) -> None:
        """`sensitivity` from 0 (strict) to 1 (eager); raises CheckinError for a bad phrase.

        With `whisper` (and faster-whisper and its model installed) the Whisper ear reads
        every candidate first; without, PocketSphinx decides alone."""
        self.phrase = " ".join(wake_words(phrase))
        self.sensitivity = sensitivity
        ear = load_ear(self.phrase) if whisper else None
        self._verifier = WakeVerifier(self.phrase, sensitivity, ear)
        self.has_ear = ear is not None
        # Only the ear reads a candidate early: without it, no early cut is made.
        settings = gate or GateSettings()
        self._gate = UtteranceGate(settings if self.has_ear else replace(settings, tail_s=None))
        self.candidates = 0
        """How many utterances reached the verifier (a measure of its CPU use)."""
        self._early: _EarlyRead | None = None
        """The open utterance cut early in its pause, and what the ear heard in it."""

    @property
    def loudest_db(self) -> float:
        """The loudest frame heard so far, speech-band dBFS (`UtteranceGate.loudest_db`)."""
        return self._gate.loudest_db

    @property
    def sphinx_reads(self) -> int:
        """How many candidates went on past the Whisper ear to the PocketSphinx readings."""
        return self._verifier.sphinx_reads

    def push(self, frame: Frame) -> WakeDetection | None:
        """Take the next frame of the stream; a WakeDetection once the phrase has been heard.

        The detection comes a pause (0.35 s) after the phrase ends, because the phrase must
        be said on its own. The Whisper ear reads the candidate during that pause, cut
        `GateSettings.tail_s` into it, so on a live stream the read overlaps the rest of the
        pause. PocketSphinx reads the whole candidate at the pause's end: the early cut, padded
        with room from before the phrase instead of its own reverberant tail, lost a real
        person's wake in a reverberant room (benchmarks/RESULTS.md). An utterance joined to a
        short one before it is read joined in the pause too. `t` is where the phrase ended.
        """
        candidate = self._gate.push(frame)
        early = self._gate.take_early()
        if early is not None:
            heard = self._verifier.hear(early.pcm)
            self._early = None if heard is None else _EarlyRead(
                early, heard, self._joined_verdict(early, heard))
        if candidate is None:
            return None
        self.candidates += 1
        read, self._early = self._early, None
        # A reading of another utterance (its early cut was void) is dropped here too.
        if read is not None and not same_utterance(read.cut, candidate):
            read = None
        return self._verified(candidate, read)

    def finish(self) -> WakeDetection | None:
        """The stream has ended (a recording's end): an utterance still open is heard as if
        the pause after it had lasted, so a clip cut where the phrase ends still wakes it."""
        self._early = None
        candidate = self._gate.finish()
        if candidate is None:
            return None
        self.candidates += 1
        return self._verified(candidate, None)

    def _verified(self, candidate: Candidate, read: _EarlyRead | None) -> WakeDetection | None:
        """The detection in `candidate`, if the verifier accepts it or it joined to the
        utterance before it; `read` is what the ear made of it in its pause, if it did."""
        heard = None if read is None else read.heard
        if candidate.joined is not None:
            # Before PocketSphinx's readings of this part alone (0.2-1 s of wall time): either
            # may accept, and the joined read is the one a split phrase needs.
            if heard is None:
                heard = self._verifier.hear(candidate.pcm)
            joined = read.joined if read is not None and read.cut.joined is not None else (
                self._joined_verdict(candidate, heard))
            if joined is not None and joined.accepted:
                return self._detection(candidate.joined, joined)
        return self._detection(candidate, self._verifier.verify(
            candidate.pcm, heard, over_talk=candidate.over_talk))

    def _joined_verdict(self, candidate: Candidate, heard: EarReading | None) -> Verdict | None:
        """The verdict on `candidate` joined to the short utterance before it ("Hey... check
        in": a pause cut the phrase in two); None when it has no such join, or this part alone
        is the phrase or is not spelled like its end: else short replies ("yeah", "okay") one
        after another would each cost a second read."""
        if candidate.joined is None or heard is None or heard.accepted or not may_end_phrase(
                heard.text.split(), tuple(self._verifier.words)):
            return None
        return self._verifier.verify_joined(candidate.joined.pcm)

    def _detection(self, candidate: Candidate, verdict: Verdict) -> WakeDetection | None:
        if not verdict.accepted or verdict.end_frame is None:
            return None
        end = candidate.start + verdict.end_frame * SAMPLE_RATE // FRAMES_PER_SECOND
        return WakeDetection(round(to_seconds(end), 3), self.phrase, round(verdict.score, 3))

    def reset(self) -> None:
        """Forget any half-heard utterance (e.g. after the app spoke)."""
        self._gate.reset()
        self._early = None
