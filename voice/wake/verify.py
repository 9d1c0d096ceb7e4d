"""The wake detector's strict second stage: does this short utterance say the wake phrase?

Wherever a single PocketSphinx reading's bar is set, it either misses voices far from its
model or wakes on near misses ("hey chicken", "they checked in"). So each candidate is read
several ways (`voice.wake.readings`), each strict on its own and any of which may accept,
and a learned classifier (`voice.wake.classifier`) that can also veto them all. The bars
are in `voice.wake.thresholds`. Tuning history: benchmarks/RESULTS.md, "Wake phrase: tuning
history".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from voice.wake.classifier import wake_probability
from voice.wake.denoise import denoised, speech_to_gap_db
from voice.wake.ear import EarReading, WhisperEar
from voice.wake.readings import Readings, dithered
from voice.wake.thresholds import (
    CLEAN_SPEECH_TO_GAP_DB,
    EAR_PHRASE_LOGPROB,
    EAR_TOLD_EXTRA_WORDS,
    classifier_thresholds,
    fit_thresholds,
    loop_thresholds,
    rival_ratio_thresholds,
    spotted_thresholds,
)
from voice.wake.words import ends_phrase_g_dropped, sounds_alike, wake_words


@dataclass(frozen=True)
class Verdict:
    """What the verifier concluded about one candidate."""

    accepted: bool
    score: float
    """Confidence that the candidate is the wake phrase (0..1)."""
    end_frame: int | None
    """10 ms frame (from the candidate's start) where the wake phrase ended, when accepted."""
    heard: str
    """What the rival-word grammar heard (the wake phrase or rival words), for diagnostics;
    empty when it was not asked (the fit or the keyphrase spotting accepted first)."""
    fit: float | None = None
    """Per-frame acoustic score of the phrase's forced alignment, relative to the best senone of
    each frame (PocketSphinx log units; nearer 0 is a better fit); None if it cannot align."""
    worst_word_fit: float | None = None
    """The same for the word that fits worst: a near miss ("hey jack") fails on one word."""
    loop_fit: float | None = None
    """Per-frame score of the phrase against a free phone loop over the same frames, both
    scored against every senone (0: fits as well as the best phones; see `LoopThresholds`);
    None when it was not measured (another reading accepted, the fit was hopeless, or the
    phrase could not align)."""
    worst_phone_fit: float | None = None
    """The same for the phone that fits worst, leaving out the weak /h/."""
    rival_fit: float | None = None
    """Per phrase frame, the phrase's alignment against the best free sequence of rival words
    over the whole candidate, both scored against every senone (see `RivalRatioThresholds`);
    None when it was not measured."""
    wake_probability: float | None = None
    """The learned classifier's probability that this is the wake phrase
    (`voice.wake.classifier`), when the PocketSphinx readings were asked."""
    vetoed: bool = False
    """A PocketSphinx reading accepted, but the classifier found the phrase too unlikely."""
    ear_text: str | None = None
    """What the Whisper ear transcribed, when it was asked (`voice.wake.ear`)."""
    ear_logprob: float | None = None
    """The ear's mean log-probability per token of the phrase, when it was asked."""
    by_ear: bool = False
    """The Whisper ear accepted it (the PocketSphinx readings were then not asked)."""
    ear_told_text: str | None = None
    """What the ear transcribed when told the phrase was coming, when it was asked."""


class WakeVerifier:
    """Decides whether a candidate utterance is the wake phrase and nothing else.

    Six readings, any of which may accept (each is strict on its own):
    - fit: the phrase force-aligned to the candidate, scored per frame and for its
      worst word against the best of the phrase's senones in each frame; a near miss
      or other talk fits the phrase far worse than it fits whatever it really says;
    - rivals: a grammar decode where the phrase competes with rival words that sound
      like it; the phrase must win outright;
    - spotted: a keyphrase search over the candidate alone finds the phrase AND the
      fit is fair (two lenient readings that near misses rarely pass together);
    - loop: the phrase's likelihood ratio against a free phone loop, overall and for
      its worst phone (see `LoopThresholds`); it runs only when the others reject;
    - rival ratio: the phrase's alignment against a free sequence of rival words, both
      scored against every senone, with a fair phone-loop ratio (see
      `RivalRatioThresholds`); it runs only when the phone loop came close;
    - classifier: the learned classifier's probability with a fair phone-loop ratio
      (`voice.wake.classifier`); it runs before the rival ratio, and its probability
      vetoes every other reading when it is very low.
    A candidate in steady broadband noise is denoised before all six readings. With a
    Whisper ear, the ear reads first and these six only when it heard a short utterance
    that is not the phrase (see `verify`).
    Every word of the phrase must take part in the alignment, or nothing accepts.
    Every reading starts from a reset feature state, so a verdict depends on the
    candidate alone.
    """

    def __init__(self, phrase: str, sensitivity: float = 0.5,
                 ear: WhisperEar | None = None) -> None:
        """`ear`, when given, reads every candidate the PocketSphinx readings do not accept."""
        self.words = wake_words(phrase)
        self._readings = Readings(self.words, sensitivity)
        self.thresholds = fit_thresholds(sensitivity)
        self.spotted = spotted_thresholds(sensitivity)
        self.loop = loop_thresholds(sensitivity)
        self.rival_ratio = rival_ratio_thresholds(sensitivity)
        self.classifier = classifier_thresholds(sensitivity)
        self.ear = ear
        # The classifier was trained on "hey check in" alone: for any other phrase it would
        # veto every wake (issue 18), so it is not asked.
        self._classifier_on = self.words == CLASSIFIER_PHRASE
        self.sphinx_reads = 0
        """How many candidates the PocketSphinx readings read (the costly ones)."""

    def hear(self, pcm: bytes) -> EarReading | None:
        """The Whisper ear's reading of a candidate (None without an ear), for `verify`: it
        may read the candidate cut early in its pause (`voice.wake.gate.UtteranceGate`)."""
        return None if self.ear is None else self.ear.read(pcm)

    def verify(self, pcm: bytes, heard: EarReading | None = None,
               over_talk: bool = False) -> Verdict:
        """Decode one candidate (16 kHz int16 PCM, a pause either side).

        The Whisper ear reads first (or has read it: `heard`, from `hear`): its acceptance
        stands whatever the classifier says, and a transcript that is a whole sentence ends
        the matter without the PocketSphinx readings, which cost twice as much (on talk, most
        candidates are sentences). A short utterance that the ear, told the phrase was coming,
        wrote as the phrase is accepted too, unless untold it heard a sound-alike word or more
        words than the phrase has; `over_talk` (the gate cut it from talk going on in the room),
        the talk's words are in the untold transcript too, so its length says nothing. What is
        left PocketSphinx reads; for a phrase other than "hey check in", only what the told ear
        wrote as the phrase.
        """
        if self.ear is None:
            return self._sphinx(pcm)
        if heard is None:
            heard = self.ear.read(pcm)
        # Told the phrase was coming, Whisper wrote it, and untold it heard no word that
        # sounds like the phrase ("hey chicken"; "hey checking" is the phrase's end) and no
        # more words than the phrase has ("okay sweetie talk"): a wake too. Else PocketSphinx.
        untold = heard.text.split()
        told = (heard.told_phrase
                and (over_talk or len(set(untold)) <= len(self.words) + EAR_TOLD_EXTRA_WORDS)
                and not any(self._held_back_by(word, last=i == len(untold) - 1)
                            for i, word in enumerate(untold)))
        if heard.accepted or told:
            return self._by_ear(heard)
        # PocketSphinx's bars were set on "hey check in", with the classifier beside them; for
        # another phrase they are lenient ("seven of clubs" for "ten of clubs"). There they
        # only confirm a told reading of the phrase that a rule above held back: when the
        # ear, told the phrase was coming, still wrote other words, that stands.
        held = not self._classifier_on and not heard.told_phrase
        if heard.sentence or held:
            return Verdict(False, 0.0, None, "", ear_text=heard.text,
                           ear_logprob=heard.phrase_logprob, ear_told_text=heard.told_text)
        verdict = self._sphinx(pcm)
        return replace(verdict, ear_text=heard.text, ear_logprob=heard.phrase_logprob,
                       ear_told_text=heard.told_text)

    def _held_back_by(self, word: str, last: bool) -> bool:
        """Does this untold word hold the told reading back: a sound-alike ("hey chicken"),
        unless it ends the transcript spelled as the phrase's end ("hey checking")?"""
        words = tuple(self.words)
        return sounds_alike(word, words) and not (last and ends_phrase_g_dropped(word, words))

    def _by_ear(self, heard: EarReading) -> Verdict:
        """The ear's acceptance as a verdict."""
        logprob = EAR_PHRASE_LOGPROB if heard.phrase_logprob is None else heard.phrase_logprob
        score = _confidence((logprob - EAR_PHRASE_LOGPROB) * CONFIDENCE_SCALE)
        return Verdict(True, round(max(score, 0.01), 3), heard.end_frame, "",
                       ear_text=heard.text, ear_logprob=heard.phrase_logprob, by_ear=True,
                       ear_told_text=heard.told_text)

    def verify_joined(self, pcm: bytes) -> Verdict:
        """A candidate made of two utterances and the gap between (`Candidate.joined`): a wake
        only when the ear, untold, wrote the phrase. Told, and to PocketSphinx, a phrase-long
        gap lets two unlike words pass ("they ... checked in" told as "hey check in")."""
        heard = None if self.ear is None else self.ear.read(pcm, told=False)
        if heard is None or not heard.accepted:
            return Verdict(False, 0.0, None, "", ear_text=None if heard is None else heard.text)
        return self._by_ear(heard)

    def _sphinx(self, pcm: bytes) -> Verdict:
        """The PocketSphinx readings and the classifier (a candidate in steady noise is
        denoised first, see `voice.wake.denoise`)."""
        raw, clean = pcm, denoised(pcm)
        probability = wake_probability(clean) if self._classifier_on else None
        if probability is not None and self._vetoed_whatever_they_read(probability):
            return Verdict(False, 0.0, None, "", wake_probability=probability)
        self.sphinx_reads += 1
        pcm = dithered(clean)
        fit = self._readings.fit(pcm)
        # The give-up bar saves the costlier readings on hopeless candidates, but a voice the
        # classifier is sure of can fit PocketSphinx's model that badly (espeak en-029+f3).
        if fit is not None and fit[0] < self.thresholds.give_up and (
            probability is None or probability <= self.classifier.sure
        ):
            return Verdict(False, 0.0, None, "", *fit[:2], wake_probability=probability)
        if fit is None:
            # The lattice squeezed a word out: in noise a true phrase can do that too, so
            # only the likelihood-ratio readings (which trace the search itself) may accept.
            unaligned = Verdict(False, 0.0, None, "", wake_probability=probability)
            return self._by_loop(pcm, unaligned, raw)
        overall, worst, end_frame = fit
        score = _confidence(overall - self.thresholds.fit)
        verdict = Verdict(False, round(score, 3), None, "", overall, worst,
                          wake_probability=probability)
        # Any one of the three accepts alike, so they are read cheapest first and no further
        # than the first that accepts (the rival grammar costs 0.2-0.5 s, spotting 0.07).
        by_fit = overall > self.thresholds.fit and worst > self.thresholds.worst_word_fit
        if not by_fit and not (overall > self.spotted.fit and self._readings.spotted(pcm)):
            heard = self._readings.heard(pcm)
            verdict = replace(verdict, heard=heard)
            if heard.split() != self.words:
                return self._by_loop(pcm, verdict, raw)
        return self._unless_vetoed(replace(verdict, score=max(score, 0.01), end_frame=end_frame))

    def _vetoed_whatever_they_read(self, probability: float) -> bool:
        """The classifier vetoes whatever the readings accept, and is too unsure to accept on
        its own: no reading can wake it, so none is read (most candidates in talk; the phone
        loop alone costs 0.08 s)."""
        bars = self.classifier
        return probability <= bars.veto and probability <= min(
            bars.accept, bars.accept_in_noise, bars.sure)

    def _unless_vetoed(self, accepted: Verdict) -> Verdict:
        """`accepted`, unless the classifier finds the wake phrase unlikely (see its veto)."""
        if accepted.wake_probability is not None and (
            accepted.wake_probability <= self.classifier.veto
        ):
            return replace(accepted, end_frame=None, vetoed=True)
        return replace(accepted, accepted=True)

    def _by_loop(self, pcm: bytes, rejected: Verdict, raw: bytes) -> Verdict:
        """`rejected`, unless a likelihood ratio against a phone loop (alone, with the
        classifier or with the rival words) accepts it.

        `pcm` is the candidate as read; the rival-word ratio is only read, and the classifier
        trusted at its lower bar, when `raw`, the candidate as heard, is clean (see
        `CLEAN_SPEECH_TO_GAP_DB`)."""
        ratio = self._readings.loop_ratio(pcm)
        if ratio is None:
            return rejected
        overall, worst_phone, end_frame = ratio.overall, ratio.worst_phone, ratio.end_frame
        measured = replace(rejected, loop_fit=overall, worst_phone_fit=worst_phone)
        if overall > self.loop.overall and worst_phone > self.loop.worst_phone:
            score = _confidence(overall - self.loop.overall)
            return self._unless_vetoed(replace(measured, score=max(score, 0.01),
                                               end_frame=end_frame))
        probability = measured.wake_probability or 0.0
        clean = speech_to_gap_db(raw) >= CLEAN_SPEECH_TO_GAP_DB
        accept = self.classifier.accept if clean else self.classifier.accept_in_noise
        by_classifier = probability > accept and overall > self.classifier.loop
        if by_classifier or (probability > self.classifier.sure
                             and overall > self.classifier.loop_when_sure):
            score = _confidence(overall - self.classifier.loop)
            return replace(measured, accepted=True, score=max(score, 0.01), end_frame=end_frame)
        if overall <= self.rival_ratio.loop or not clean:
            return measured
        # Only now, on the few candidates that come close, the costlier rival-word decode.
        by_rivals = self._readings.rival_ratio(pcm, ratio)
        if by_rivals is None:
            # No rival path reached the end (seen on noisy talk): nothing to compare with.
            return measured
        measured = replace(measured, rival_fit=by_rivals)
        if by_rivals > self.rival_ratio.ratio:
            score = _confidence(overall - self.rival_ratio.loop)
            return self._unless_vetoed(replace(measured, score=max(score, 0.01),
                                               end_frame=end_frame))
        return measured


CLASSIFIER_PHRASE = ["hey", "check", "in"]
"""The only phrase the learned classifier knows."""


CONFIDENCE_SCALE = 3_000.0
"""Log units per frame above its bar at which a reading's confidence reaches about 0.73."""


def _confidence(above_bar: float) -> float:
    """0..1 from how far (log units per frame) a fit stands above the bar that accepts it."""
    return 1.0 / (1.0 + math.exp(-above_bar / CONFIDENCE_SCALE))
