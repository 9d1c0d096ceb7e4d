"""The wake detector's strict second stage: does this short utterance say the wake phrase?

Each candidate is read up to five ways by PocketSphinx (see `WakeVerifier`). First the
phrase is force-aligned to it and scored per frame and per word. PocketSphinx
scores each frame against the best senone it evaluated in that frame, and an
alignment only evaluates the phrase's own senones, so this fit says how well the
phrase's sounds follow one another more than how well they match the audio; it
is strict, and most near misses and other talk fit far worse. A keyphrase search
over the candidate is a second, lenient reading, accepted only with a fair fit.
Then it is decoded over one small grammar: the wake phrase alone, or any sequence
of rival words. The rivals are common short words (the wake words among them)
plus dictionary words that sound like the wake words or their run-togethers
("chicken", "kitchen", "paycheck" for "hey check in"). A near miss ("hey
chicken", "they checked in", "check in opens at noon") then finds a rival path
that explains the audio better, so the wake phrase is accepted only when it beats
every rival on the acoustics. Sensitivity is the prior weight of the wake branch
against the rival branch.

The fourth reading is a log-likelihood ratio: the phrase's phones, aligned and
scored against every senone of every frame, minus a free phone loop over the same
frames scored the same way, per frame and for the worst phone. It hears voices
the other readings miss (held-out espeak and flite kal voices). An earlier try
at a phone loop "came back within 20 units of 0" because of two bugs: the loop's
segment scores are the search's own, shifted 10 bits right (x1024 smaller than
the word segments'), and the aligner had only normalised by its own senones.

The fifth, run only when the phone loop came close, is the same kind of ratio
against the rival words instead of phones: a free sequence of them decoded over the
whole candidate. A near miss is explained by its own words there, which a phone
loop cannot tell from the phrase's; a true wake that is merely far from the model
(espeak at x1.15) scores no worse than its best rival reading. It is read only on
clean candidates: in noise the rival words explain the noise badly and near misses
won (see `RIVAL_RATIO_MIN_SPEECH_TO_GAP_DB`).

The sixth is learned (`voice.wake.classifier`): a classifier trained on the gate's
candidates from hundreds of synthetic voices. It accepts, with a fair phone-loop ratio,
the held-out voices PocketSphinx misreads ("hey check in" by espeak-ng en+m7 read as
"two chuck you"), and vetoes any reading when it finds the phrase very unlikely ("they
checked in" in brown noise). See `voice.wake.classifier.classifier_thresholds` for
what it measured.

A candidate whose loud frames stand less than 15 dB above its pre-roll is denoised
before any reading (`voice.wake.denoise`): under 10 dB of white noise the phone loop
heard the phrase's quieter stretches as noise. Measured on 54 extra wakes of flite
and espeak voices in 10 dB white, pink or brown noise: 38 -> 45 found, and 2 fewer
false wakes on 120 noisy near misses (15 -> 13; 6 once the rival-word ratio was kept
to clean candidates). Those 6 remain: four "they check(ed) in" in noise, which the
phone loop cannot tell from the phrase, and two from the first readings.
"""

from __future__ import annotations

import math
import tempfile
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from pocketsphinx import Decoder, get_model_path
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from voice.errors import CheckinError
from voice.wake.classifier import classifier_thresholds, wake_probability
from voice.wake.denoise import denoised, speech_to_gap_db

_WORDS_TOML = "words.toml"
FRAMES_PER_SECOND = 100
"""PocketSphinx's feature frame rate (10 ms frames)."""


@dataclass(frozen=True)
class Verdict:
    """What the verifier concluded about one candidate."""

    accepted: bool
    score: float
    """Confidence that the candidate is the wake phrase (0..1)."""
    end_frame: int | None
    """10 ms frame (from the candidate's start) where the wake phrase ended, when accepted."""
    heard: str
    """What the rival-word grammar heard (the wake phrase or rival words), for diagnostics."""
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
    (`voice.wake.classifier`); `WakeVerifier.verify` always sets it."""
    vetoed: bool = False
    """A PocketSphinx reading accepted, but the classifier found the phrase too unlikely."""


def dictionary_path() -> Path:
    """The US English pronunciation dictionary that ships with the pocketsphinx wheel."""
    return Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"


def phrase_words(phrase: str) -> list[str]:
    """The lower-case words of `phrase` (hyphens and commas split words)."""
    cleaned = "".join(c if c.isalnum() or c == "'" else " " for c in phrase.lower())
    return cleaned.split()


def wake_weight(sensitivity: float) -> float:
    """Prior weight of the wake branch: 1 at sensitivity 0.5, x100 at 1, /100 at 0."""
    if not 0.0 <= sensitivity <= 1.0:
        raise CheckinError(
            f"sensitivity {sensitivity} is out of range: use a value from 0 to 1 with --sensitivity"
        )
    return 10.0 ** (4.0 * (sensitivity - 0.5))


@dataclass(frozen=True)
class FitThresholds:
    """Acceptance by phrase fit alone (measured on the TUNING stream; see the module notes)."""

    fit: float
    worst_word_fit: float
    give_up: float
    """Below this fit the candidate is not worth the rival-word decode (saves CPU)."""


def fit_thresholds(sensitivity: float) -> FitThresholds:
    """Stricter below 0.5, more lenient above.

    At 0.5 the nearest near misses ("hey chicken" by flite awb: -11.8k / -14.7k; "hey
    jack, come in" by flite slt: -12.0k / -14.1k) stay about 2k below the overall bar.
    """
    eager = 2.0 * (sensitivity - 0.5)
    return FitThresholds(-10_000.0 - 4_000.0 * eager, -13_000.0 - 4_000.0 * eager, -32_000.0)


@dataclass(frozen=True)
class SpottedThresholds:
    """Acceptance when a keyphrase search spots the phrase in the candidate AND the fit is fair.

    Either reading alone lets near misses through ("hey chicken" is spotted at 1e-30 and
    fits at -12k; other talk is spotted at 1e-10 with a fit of -33k); together they are
    strict. Measured on TUNING: no near miss is spotted at 1e-20 with a fit above -28k.
    """

    kws_threshold: float
    fit: float


def spotted_thresholds(sensitivity: float) -> SpottedThresholds:
    """1e-20 and -20k at 0.5; each step of sensitivity moves the search threshold 10x."""
    eager = 2.0 * (sensitivity - 0.5)
    return SpottedThresholds(10.0 ** (-20.0 - 5.0 * eager), -20_000.0 - 4_000.0 * eager)


@dataclass(frozen=True)
class LoopThresholds:
    """Acceptance by the phrase's likelihood ratio against a free phone loop.

    Both the phrase's phone alignment and the loop are scored against every senone
    of every frame, so per frame their difference is a log-likelihood ratio: near 0
    when the phrase explains the audio as well as any phone sequence would. A near miss
    can fit overall almost as well ("hey chicken" by flite awb: -5.9k) but has a phone
    that fits far worse (-31k); the /h/ is left out of that check, since it is a
    breath that voices and noise blur (true wakes reach -100k on it). Measured at 0.5:
    every near miss of TUNING and VALIDATION misses a bar by 3k or more; the reading
    adds 4 held-out wakes (VALIDATION 5 -> 9 of 20) and none on TUNING.
    """

    overall: float
    worst_phone: float


def loop_thresholds(sensitivity: float) -> LoopThresholds:
    """-12k overall and -25k for the worst phone at 0.5; eager moves each by 4k."""
    eager = 2.0 * (sensitivity - 0.5)
    return LoopThresholds(-12_000.0 - 4_000.0 * eager, -25_000.0 - 4_000.0 * eager)


@dataclass(frozen=True)
class RivalRatioThresholds:
    """Acceptance by the phrase's acoustic score against the best sequence of rival words.

    The rival words (see `rival_words`) are decoded freely over the candidate, scored
    like the phrase's alignment against every senone; both paths cover every frame,
    so their difference is exact (the phone loop's is shared out by frames). A near
    miss is explained by its own words ("hey chicken" by flite awb: -1.5k per frame,
    "hey jack" by flite kal16: -4.7k); a true wake scores as well as its best rival
    reading or better (espeak at x1.15: +1.3k). Long talk can beat a rival path that
    its word penalties bent ("they checked in" in noise: +12k), so the phrase's
    likelihood ratio against the phone loop must be fair too (that one: -21.5k).
    Measured at 0.5: TUNING 17 -> 18 of 20 and VALIDATION 9 -> 10 of 20 found, no false
    wake there, on real recorded speech or on near misses (the nearest, "hey chicken", stays
    1.5k below the bar; every other near miss that reaches this reading, 4.7k or more).
    """

    ratio: float
    loop: float


RIVAL_RATIO_MIN_SPEECH_TO_GAP_DB = 25.0
"""The rival-word ratio is trusted only on candidates whose loud blocks stand this far above the
quiet gaps inside them (`speech_to_gap_db`). In noise a free decode of rival words explains the
noise badly, so the phrase beat it on near misses: on 120 extra near misses in 10 dB white, pink
or brown noise it woke 7 times. Clean candidates read 26-41 dB, noisy ones 13-24 dB. Measured with
this bar: those false wakes 13 -> 6 (the rest come from the other readings), TUNING 19 -> 18 of 20
(flite awb in white noise), VALIDATION unchanged, noisy extra wakes 45 -> 33 of 54."""


def rival_ratio_thresholds(sensitivity: float) -> RivalRatioThresholds:
    """0 per frame and a phone-loop ratio of -16k at 0.5; eager moves them 1k and 4k."""
    eager = 2.0 * (sensitivity - 0.5)
    return RivalRatioThresholds(-1_000.0 * eager, -16_000.0 - 4_000.0 * eager)


def dithered(pcm: bytes) -> bytes:
    """`pcm` plus a fixed ±1 LSB noise, so digital silence has a finite log energy.

    PocketSphinx's own dither draws from one generator for the decoder's lifetime,
    so the same candidate scored differently depending on what came before; this
    noise is the same for every call, so a candidate always gets the same verdict.
    """
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32)
    noise = np.random.default_rng(0).integers(-1, 2, samples.size)
    return np.clip(samples + noise, -32768, 32767).astype("<i2").tobytes()


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
    A candidate in steady broadband noise is denoised before all six readings.
    Every word of the phrase must take part in the alignment, or nothing accepts.
    Every reading starts from a reset feature state, so a verdict depends on the
    candidate alone.
    """

    def __init__(self, phrase: str, sensitivity: float = 0.5) -> None:
        self.words = phrase_words(phrase)
        if not 1 <= len(self.words) <= 6:
            raise CheckinError(
                f"wake phrase {phrase!r} must have 1 to 6 words: set a short phrase with "
                "--phrase or wake_phrase in the config file"
            )
        # No built-in dither (see `dithered`) and no noise removal: on short candidates it
        # has no time to learn the room and garbles the onset. All passes share these
        # settings, so the fit compares scores computed on identical features.
        common = {"loglevel": "FATAL", "dither": False, "remove_noise": False}
        self._decoder = Decoder(lm=None, fwdflat=False, bestpath=False, **common)
        unknown = [w for w in self.words if self._decoder.lookup_word(w) is None]
        if unknown:
            raise CheckinError(
                f"wake phrase word(s) {', '.join(unknown)} are not in the pronunciation "
                f"dictionary {dictionary_path()}: choose common English words with --phrase "
                "or wake_phrase in the config file"
            )
        self.thresholds = fit_thresholds(_checked(sensitivity))
        self.spotted = spotted_thresholds(sensitivity)
        self._spotter = Decoder(
            keyphrase=" ".join(self.words), kws_threshold=self.spotted.kws_threshold, **common
        )
        rivals = " | ".join(sorted(rival_words(tuple(self.words))))
        weight = wake_weight(sensitivity)
        body = f"/{weight:.6f}/ ({' '.join(self.words)}) | /1/ <other>+"
        self._decoder.add_jsgf_string("wake", _grammar(body, rivals))
        self._decoder.activate_search("wake")
        self._aligner = Decoder(lm=None, **common)
        self.loop = loop_thresholds(sensitivity)
        # The likelihood-ratio reading scores every senone of every frame (compallsen), so
        # the phrase and the loop are normalised by the same best senone, and traces the
        # search itself (no bestpath): the lattice's best path drops a word in noise.
        scoring = {**common, "compallsen": True, "bestpath": False}
        # One decoder holds both searches: a second would load the acoustic model again
        # (about 27 MB and 0.1 s more before the app is listening).
        self._scorer = Decoder(lm=None, **scoring)
        with tempfile.TemporaryDirectory() as folder:
            self._scorer.add_allphone_file(_PHONE_LOOP, _flat_phone_lm(Path(folder)))
        self._scorer.add_jsgf_string(_RIVALS, _grammar("<other>+", rivals))
        self.rival_ratio = rival_ratio_thresholds(sensitivity)
        self.classifier = classifier_thresholds(sensitivity)

    def verify(self, pcm: bytes) -> Verdict:
        """Decode one candidate (16 kHz int16 PCM, a pause either side).

        A candidate heard in steady noise is denoised first (see `voice.wake.denoise`).
        """
        raw, clean = pcm, denoised(pcm)
        pcm = dithered(clean)
        fit = self._fit(pcm)
        probability = wake_probability(clean)
        # The give-up bar saves the costlier readings on hopeless candidates, but a voice the
        # classifier is sure of can fit PocketSphinx's model that badly (espeak en-029+f3).
        if fit is not None and fit[0] < self.thresholds.give_up and (
            probability <= self.classifier.sure
        ):
            return Verdict(False, 0.0, None, "", *fit[:2], wake_probability=probability)
        if fit is None:
            # The lattice squeezed a word out: in noise a true phrase can do that too, so
            # only the likelihood-ratio readings (which trace the search itself) may accept.
            unaligned = Verdict(False, 0.0, None, "", wake_probability=probability)
            return self._by_loop(pcm, unaligned, raw)
        overall, worst, end_frame = fit
        by_fit = overall > self.thresholds.fit and worst > self.thresholds.worst_word_fit
        heard = _decode(self._decoder, pcm)
        by_rivals = heard.split() == self.words
        by_spotting = overall > self.spotted.fit and bool(_decode(self._spotter, pcm))
        score = _confidence(overall - self.thresholds.fit)
        verdict = Verdict(False, round(score, 3), None, heard, overall, worst,
                          wake_probability=probability)
        if not (by_fit or by_rivals or by_spotting):
            return self._by_loop(pcm, verdict, raw)
        return self._unless_vetoed(replace(verdict, score=max(score, 0.01), end_frame=end_frame))

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
        `RIVAL_RATIO_MIN_SPEECH_TO_GAP_DB`)."""
        ratio = self._loop_ratio(pcm)
        if ratio is None:
            return rejected
        overall, worst_phone, end_frame, phrase_total, frames = ratio
        measured = replace(rejected, loop_fit=overall, worst_phone_fit=worst_phone)
        if overall > self.loop.overall and worst_phone > self.loop.worst_phone:
            score = _confidence(overall - self.loop.overall)
            return self._unless_vetoed(replace(measured, score=max(score, 0.01),
                                               end_frame=end_frame))
        probability = measured.wake_probability or 0.0
        clean = speech_to_gap_db(raw) >= RIVAL_RATIO_MIN_SPEECH_TO_GAP_DB
        # In noise the classifier is less sure of what it hears: noisy near misses reach 0.6-0.9.
        accept = self.classifier.accept if clean else self.classifier.accept_in_noise
        by_classifier = probability > accept and overall > self.classifier.loop
        if by_classifier or (probability > self.classifier.sure
                             and overall > self.classifier.loop_when_sure):
            score = _confidence(overall - self.classifier.loop)
            return replace(measured, accepted=True, score=max(score, 0.01), end_frame=end_frame)
        if overall <= self.rival_ratio.loop or not clean:
            return measured
        # Only now, on the few candidates that come close, the costlier rival-word decode.
        self._scorer.activate_search(_RIVALS)
        if not _decode_once(self._scorer, pcm):
            # No rival path reached the end (seen on noisy talk): nothing to compare with.
            return measured
        rivals_total = sum(_log(seg.ascore) for seg in self._scorer.seg())
        by_rivals = (phrase_total - rivals_total) * _SEARCH_SCALE / frames
        measured = replace(measured, rival_fit=by_rivals)
        if by_rivals > self.rival_ratio.ratio:
            score = _confidence(overall - self.rival_ratio.loop)
            return self._unless_vetoed(replace(measured, score=max(score, 0.01),
                                               end_frame=end_frame))
        return measured

    def _loop_ratio(self, pcm: bytes) -> tuple[float, float, int, float, int] | None:
        """The phrase against a free phone loop.

        (per-frame ratio, worst phone's ratio but /h/, end frame, the alignment's score
        over the whole candidate in search units, the phrase's frames). Three passes,
        each from a reset feature state: the phrase's words are aligned, then its phones
        and their scores, then the free phone loop. The phrase runs from its first phone
        to its last, pauses between its words included.
        """
        self._scorer.set_align_text(" ".join(self.words))
        if not _decode_once(self._scorer, pcm):
            return None
        # Reset before the phone-level alignment search is set up (it crashes on a reset
        # or on hyp() once set up), so it scores the same features as the word pass.
        self._scorer.reinit_feat()
        self._scorer.set_alignment()
        _hear(self._scorer, pcm)
        aligned = [
            (word.name.split("(")[0], phone.name, phone.start, phone.start + phone.duration - 1,
             phone.score)
            for word in self._scorer.get_alignment()
            for phone in word
        ]
        whole = float(sum(score for *_, score in aligned))
        spoken = [i for i, (word, *_) in enumerate(aligned) if word in self.words]
        if not spoken or not set(self.words) <= {aligned[i][0] for i in spoken}:
            return None
        # Pauses the alignment put between the words count too: "hey jack, come in" aligns
        # as "hey check <pause> in" with "come" in the pause, which the loop hears as speech.
        phones = [phone for _, *phone in aligned[spoken[0] : spoken[-1] + 1]]
        self._scorer.activate_search(_PHONE_LOOP)
        _decode_once(self._scorer, pcm)
        # The loop's segments carry the search's own (shifted) integer scores, as the
        # alignment's phones do, so the two subtract directly.
        loop = [(seg.start_frame, seg.end_frame, _log(seg.ascore)) for seg in self._scorer.seg()]
        ratios = [
            (name, end - start + 1, (score - _loop_score(loop, start, end)) * _SEARCH_SCALE)
            for name, start, end, score in phones
        ]
        frames = sum(n for _, n, _ in ratios)
        overall = sum(ratio for _, _, ratio in ratios) / frames
        worst = min(ratio / n for name, n, ratio in ratios if name not in _WEAK_PHONES)
        return overall, worst, phones[-1][2] + 1, whole, frames

    def _fit(self, pcm: bytes) -> tuple[float, float, int] | None:
        """(per-frame fit, worst word's fit, end frame) of the phrase, None if it cannot align."""
        self._aligner.set_align_text(" ".join(self.words))
        if not _decode(self._aligner, pcm):
            return None
        words = [
            (seg.start_frame, seg.end_frame, _log(seg.ascore))
            for seg in self._aligner.seg()
            if seg.word.split("(")[0] in self.words
        ]
        if len(words) != len(self.words):
            # A word squeezed out of the alignment ("hey jack" read as "hey check in"
            # with no room for "in") is not the phrase.
            return None
        fits = [score / (end - start + 1) for start, end, score in words]
        frames = sum(end - start + 1 for start, end, _ in words)
        total = sum(score for _, _, score in words)
        return total / frames, min(fits), words[-1][1] + 1


def _checked(sensitivity: float) -> float:
    wake_weight(sensitivity)
    return sensitivity


def _decode(decoder: Decoder, pcm: bytes) -> str:
    """Decode one candidate on its own: the result never depends on earlier candidates.

    PocketSphinx carries its cepstral mean (CMN) over from one utterance to the
    next, so a candidate scored differently after different talk. The feature state
    is reset, then the candidate is heard once to set the mean from its own frames.
    """
    decoder.reinit_feat()
    # Priming pass: measured 17/20 on TUNING and 5/20 on VALIDATION against 16 and 5
    # without it, for twice the verifier's CPU (still 0.014 CPU s per audio s).
    decoder.start_utt()
    decoder.process_raw(pcm, False, True)
    decoder.end_utt()
    decoder.start_utt()
    decoder.process_raw(pcm, False, True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


def _decode_once(decoder: Decoder, pcm: bytes) -> str:
    """Decode one candidate once from a reset feature state; the hypothesis."""
    _hear_once(decoder, pcm)
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


def _hear_once(decoder: Decoder, pcm: bytes) -> None:
    """Run one candidate through `decoder` from a reset feature state.

    The first utterance after a reset is heard whole, so PocketSphinx normalises it by
    its own cepstral mean (batch CMN): every reading of the likelihood ratio then
    scores the same features, whatever came before.
    """
    decoder.reinit_feat()
    _hear(decoder, pcm)


def _hear(decoder: Decoder, pcm: bytes) -> None:
    """Run one candidate, whole, through `decoder`."""
    decoder.start_utt()
    decoder.process_raw(pcm, False, True)
    decoder.end_utt()


def _confidence(above_bar: float) -> float:
    """0..1 from how far (log units per frame) a fit stands above the bar that accepts it."""
    return 1.0 / (1.0 + math.exp(-above_bar / 3_000.0))


_PHONE_LOOP = "phone_loop"
"""The name of the free phone loop search in the scoring decoder."""

_RIVALS = "rival_words"
"""The name of the free rival-word search in the scoring decoder."""

_SEARCH_SCALE = 1024
"""The search keeps scores shifted right by 10 bits (SENSCR_SHIFT); this brings them back to
the units of the word segments' scores and of `fit`."""

_WEAK_PHONES = frozenset({"HH"})
"""Phones left out of the worst-phone check: /h/ is a breath that voices and noise blur."""


def _loop_score(loop: list[tuple[int, int, float]], start: int, end: int) -> float:
    """The phone loop's score over frames start..end, sharing a phone's score out by frames."""
    return sum(
        score * (min(end, last) - max(start, first) + 1) / (last - first + 1)
        for first, last, score in loop
        if min(end, last) >= max(start, first)
    )


def _flat_phone_lm(folder: Path) -> str:
    """Write a unigram phone model with every phone equally likely; return its path.

    A free phone loop is the competing hypothesis of the likelihood ratio: any phone
    may follow any other, so it explains any speech about as well as it can be.
    """
    phones = sorted({p for pron in _dictionary().values() for p in pron} | {"SIL"})
    weight = math.log10(1.0 / len(phones))
    lines = ["\\data\\", f"ngram 1={len(phones)}", "", "\\1-grams:"]
    lines += [f"{weight:.4f} {phone}" for phone in phones]
    lines += ["", "\\end\\", ""]
    path = folder / "phones.arpa"
    path.write_text("\n".join(lines), encoding="ascii")
    return str(path)


_LOG_BASE = math.log(1.0001)


def _log(value: float) -> float:
    """PocketSphinx's Python API hands scores back exponentiated: undo it (its log base)."""
    return math.log(max(value, 1e-300)) / _LOG_BASE


def _grammar(body: str, others: str) -> str:
    rules = ["#JSGF V1.0;", "grammar wake;", f"public <utt> = {body};", f"<other> = {others};"]
    return "\n".join(rules) + "\n"


@lru_cache(maxsize=8)
def rival_words(words: tuple[str, ...]) -> frozenset[str]:
    """Filler words plus dictionary words that sound close to the wake words.

    Exact homophones of the wake words or of runs of them ("heycheck") are left out,
    but the wake words themselves stay when they are fillers ("hey", "in"): spelling
    the phrase word by word costs each word's rival prior, so the phrase's own
    branch wins a tie.
    """
    settings = tomllib.loads(resources.files("voice.wake").joinpath(_WORDS_TOML).read_text("utf-8"))
    pronunciations = _dictionary()
    targets = [pronunciations[w] for w in words]
    runs = [
        sum(targets[i:j], ()) for i in range(len(targets)) for j in range(i + 1, len(targets) + 1)
    ]
    forbidden = {run for run in runs}
    rivals = {w for w in settings["filler"]["words"] if w in pronunciations}
    rivals |= _neighbours(runs, pronunciations, settings["neighbours"])
    return frozenset(w for w in rivals if pronunciations[w] not in forbidden or w in words)


def _neighbours(
    runs: list[tuple[str, ...]], pronunciations: dict[str, tuple[str, ...]], settings: dict
) -> set[str]:
    names = list(pronunciations)
    phones = sorted({p for pron in pronunciations.values() for p in pron})
    code = {p: chr(0x100 + i) for i, p in enumerate(phones)}
    encoded = ["".join(code[p] for p in pronunciations[name]) for name in names]
    found: set[str] = set()
    for run in runs:
        query = "".join(code[p] for p in run)
        matches = process.extract(
            query,
            encoded,
            scorer=Levenshtein.distance,
            score_cutoff=int(settings["max_edits"]),
            limit=int(settings["per_target"]) + 4,
        )
        found |= {names[index] for _, distance, index in matches if distance > 0}
    return found


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, tuple[str, ...]]:
    """Main pronunciation of each plain word in the dictionary (alternates 'word(2)' skipped)."""
    entries: dict[str, tuple[str, ...]] = {}
    with dictionary_path().open(encoding="utf-8") as lines:
        for line in lines:
            word, *phones = line.split()
            if "(" not in word and word.isalpha() and phones:
                entries[word] = tuple(phones)
    return entries

