"""How PocketSphinx reads a wake candidate: the numbers the verifier judges it by.

The forced-alignment fit is scored against the best of the phrase's own senones in each
frame, so it says how well the phrase's sounds follow one another more than how well they
match the audio: strict, but blind to voices far from the model. The two likelihood ratios
score every senone of every frame and compare the phrase with what else the audio could be
(any phones; any rival words), so they hear those voices too. Every reading starts from a
reset feature state, so a candidate always reads the same whatever came before.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
from pocketsphinx import Decoder

from voice.errors import CheckinError
from voice.recognizers.pronounce import add_words
from voice.wake.thresholds import spotted_thresholds, wake_weight
from voice.wake.words import dictionary, pronounced, rival_words

FRAMES_PER_SECOND = 100
"""PocketSphinx's feature frame rate (10 ms frames)."""


class PhraseFit(NamedTuple):
    """The phrase force-aligned to a candidate (PocketSphinx log units per frame)."""

    overall: float
    worst_word: float
    end_frame: int


class LoopRatio(NamedTuple):
    """The phrase against a free phone loop over the same frames (log units per frame)."""

    overall: float
    worst_phone: float
    """Leaving out the weak /h/."""
    end_frame: int
    phrase_total: float
    """The alignment's score over the whole candidate, in search units."""
    frames: int
    """The phrase's frames, first phone to last, pauses between its words included."""


class Readings:
    """PocketSphinx's decoders for one wake phrase, and the readings they take of a candidate."""

    def __init__(self, words: list[str], sensitivity: float) -> None:
        """Raises CheckinError for a word not in the dictionary or a sensitivity out of range."""
        self.words = words
        # No built-in dither (see `dithered`) and no noise removal: on short candidates it
        # has no time to learn the room and garbles the onset. All passes share these
        # settings, so the fit compares scores computed on identical features.
        common = {"loglevel": "FATAL", "dither": False, "remove_noise": False}
        self._grammar = Decoder(lm=None, fwdflat=False, bestpath=False, **common)
        # A word the dictionary lacks (a pet name) is said as `pronounced` guesses.
        unknown = {w: " ".join(pronounced(w)) for w in words
                   if self._grammar.lookup_word(w) is None}
        unsayable = [w for w, phones in unknown.items() if not phones]
        if unsayable:
            raise CheckinError(
                f"wake phrase word(s) {', '.join(unsayable)} have no letters to say: "
                "choose words with --phrase or wake_phrase in the config file"
            )
        weight = wake_weight(sensitivity)
        self._spotter = Decoder(
            keyphrase=" ".join(words),
            kws_threshold=spotted_thresholds(sensitivity).kws_threshold,
            **common,
        )
        rivals = " | ".join(sorted(rival_words(tuple(words))))
        body = f"/{weight:.6f}/ ({' '.join(words)}) | /1/ <other>+"
        self._aligner = Decoder(lm=None, **common)
        self._spotter_search = self._spotter.current_search()
        if unknown:
            for decoder in (self._grammar, self._spotter, self._aligner):
                add_words(decoder, unknown)
            # The keyphrase search was built before its word was known: build it again.
            self._spotter.add_keyphrase(self._spotter_search, " ".join(words))
        self._grammar.add_jsgf_string(_WAKE, _grammar(body, rivals))
        for decoder in (self._grammar, self._spotter, self._aligner):
            decoder.add_jsgf_string(_PRIME, _grammar(words[0], words[0]))
        # The likelihood-ratio reading scores every senone of every frame (compallsen), so
        # the phrase and the loop are normalised by the same best senone, and traces the
        # search itself (no bestpath): the lattice's best path drops a word in noise.
        scoring = {**common, "compallsen": True, "bestpath": False}
        # One decoder holds both searches: a second would load the acoustic model again
        # (about 27 MB and 0.1 s more before the app is listening).
        self._scorer = Decoder(lm=None, **scoring)
        add_words(self._scorer, unknown)
        with tempfile.TemporaryDirectory() as folder:
            self._scorer.add_allphone_file(_PHONE_LOOP, _flat_phone_lm(Path(folder)))
        self._scorer.add_jsgf_string(_RIVALS, _grammar("<other>+", rivals))

    def heard(self, pcm: bytes) -> str:
        """What a grammar of the phrase (weighted by sensitivity) or any rival words hears."""
        return _decode(self._grammar, pcm, lambda: self._grammar.activate_search(_WAKE))

    def spotted(self, pcm: bytes) -> bool:
        """Whether a keyphrase search over the candidate alone finds the phrase."""
        search = self._spotter_search
        return bool(_decode(self._spotter, pcm, lambda: self._spotter.activate_search(search)))

    def fit(self, pcm: bytes) -> PhraseFit | None:
        """The phrase's fit per frame and its worst word's; None if it cannot align."""
        if not _decode(self._aligner, pcm,
                       lambda: self._aligner.set_align_text(" ".join(self.words))):
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
        return PhraseFit(total / frames, min(fits), words[-1][1] + 1)

    def loop_ratio(self, pcm: bytes) -> LoopRatio | None:
        """The phrase against a free phone loop; None if the phrase cannot align.

        Three passes, each from a reset feature state: the phrase's words are aligned, then
        its phones and their scores, then the free phone loop.
        """
        self._scorer.set_align_text(" ".join(self.words))
        if not _decode_once(self._scorer, pcm):
            return None
        # Reset before the phone-level alignment search is set up (it crashes on a reset
        # or on hyp() once set up), so it scores the same features as the word pass.
        self._scorer.reinit_feat()
        self._scorer.set_alignment()
        try:
            _hear(self._scorer, pcm)
        except RuntimeError:
            # PocketSphinx fails to finish the phone-level alignment of some candidates (a
            # piece of "check in opens at noon" in pink noise): the phrase does not align.
            return None
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
        return LoopRatio(overall, worst, phones[-1][2] + 1, whole, frames)

    def rival_ratio(self, pcm: bytes, loop: LoopRatio) -> float | None:
        """Per phrase frame, the phrase's alignment (from `loop`) against the best free sequence
        of rival words over the whole candidate; None if no rival path reached the end.

        Both paths cover every frame, so their difference is exact (the phone loop's is
        shared out by frames).
        """
        self._scorer.activate_search(_RIVALS)
        if not _decode_once(self._scorer, pcm):
            return None
        rivals_total = sum(_log(seg.ascore) for seg in self._scorer.seg())
        return (loop.phrase_total - rivals_total) * _SEARCH_SCALE / loop.frames


def dithered(pcm: bytes) -> bytes:
    """`pcm` plus a fixed ±1 LSB noise, so digital silence has a finite log energy.

    PocketSphinx's own dither draws from one generator for the decoder's lifetime,
    so the same candidate scored differently depending on what came before; this
    noise is the same for every call, so a candidate always gets the same verdict.
    """
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32)
    noise = np.random.default_rng(0).integers(-1, 2, samples.size)
    return np.clip(samples + noise, -32768, 32767).astype("<i2").tobytes()


def _decode(decoder: Decoder, pcm: bytes, activate: Callable[[], object]) -> str:
    """Decode one candidate on its own: the result never depends on earlier candidates.

    PocketSphinx carries its cepstral mean (CMN) over from one utterance to the
    next, so a candidate scored differently after different talk. The feature state
    is reset, then the candidate is heard once to set the mean from its own frames
    (the priming pass finds more wakes, see RESULTS.md), then `activate` sets up the
    search that decodes it. The priming pass searches a one-word grammar: the mean it
    leaves is the same as the real search's would be, for a fraction of the CPU.
    """
    decoder.reinit_feat()
    decoder.activate_search(_PRIME)
    _hear(decoder, pcm)
    activate()
    _hear(decoder, pcm)
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


_WAKE = "wake"
"""The name of the phrase-or-rival-words grammar search."""

_PRIME = "prime"
"""The name of the one-word grammar search each decoder primes its cepstral mean with."""

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
    phones = sorted({p for pron in dictionary().values() for p in pron} | {"SIL"})
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
