"""A wake phrase split by a hesitation ("Hey... check in") still wakes it; split near misses do not.

A pause longer than the gate's (0.35 s) cut the phrase in two utterances, and neither alone is
the phrase. The gate now hands on an utterance joined to a short one just before it (within
`JOIN_GAP_S`), and the ear, untold only, reads the two together.

Material, all synthesized: the first word(s) and the rest said separately (silence trimmed),
`gap` seconds of silence between, a faint hiss under all.
- **Choice set** (the join's rule was chosen on it: told and PocketSphinx readings of the joined
  audio woke on "they ... checked in" 6 times in 18, the untold ear alone on none): flite slt,
  rms, awb, kal16, espeak-ng en-us and en-gb-x-rp+f2 at 165 wpm; gaps 0.45, 0.6 and 0.8 s.
  Found 14 of 18 "hey ... check in" (0 of 18 before the join; 16 of 18 under the hiss these
  tests add); 0 of 18 each "hey ... chicken", "hey ... check it", "they ... checked in",
  "hey ... check in with me later". Then back-to-back short replies ("yeah", "okay") each
  cost a joined read, so only a second part spelled like the phrase's end is joined
  (`JOIN_TAIL_LIKENESS`, chosen here): 13 of 18, "captain" for "check in" lost.
- **Blind set** (`BLIND_*` below; written down before any run, used for no choice): festival
  kal_diphone and cmu_us_slt_arctic_hts, Piper en_US-joe-medium, espeak-ng West Midlands
  (en-gb-x-gbcwmd+m3, 160 wpm); gaps 0.5, 0.7, 0.9 s. Measured once, before and with the join:
  "hey ... check in" 0 -> 8 of 12 found; "hey ... kitchen", "they ... checked in", "hey ...
  check it out" 0 of 12 each before and after. For "okay sweetheart": "okay ... sweetheart"
  0 -> 5 of 12, but "okay ... sweet tart" woke it 5 times in 12 and "hey ... sweetheart" once
  (Whisper writes both as the phrase, as it does for them unsplit in CUSTOM_PHRASE). The
  tests below add another hiss than that run did; under it "hey ... sweetheart" did not wake.
- With that rule the blind set read the same again (8 of 12, 5 of 12; the same near misses):
  a regression check now, not evidence.
- The benchmark streams hand on no joined utterance at all (their items are over a second
  apart), so every verdict and CPU figure there is unchanged.
- 2026-12-07: the joined utterance is read in the pause too, its end made of the same room as
  the early cut's, and before PocketSphinx reads the second part alone. Choice set 13 -> 15 of
  18 (flite slt and awb at 0.45 s), the near misses 0 of 18 each still; the blind set, rerun
  as a regression check on this machine (under these tests' hiss), 9 of 12 and 7 of 12 before
  and after, "okay ... sweet tart" 5 -> 4 of 12.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from wake_helpers import needs_whisper

from audio.frames import SAMPLE_RATE, split_into_frames
from benchmarks import wake_streams
from benchmarks.wake_recipes import Voice
from voice.wake.detector import WakeDetector
from voice.wake.gate import Candidate, UtteranceGate

CHOICE_VOICES = [Voice("flite", "slt"), Voice("flite", "rms"), Voice("flite", "awb"),
                 Voice("flite", "kal16"), Voice("espeak", "en-us"),
                 Voice("espeak", "en-gb-x-rp+f2", speed=165)]
CHOICE_GAPS = [0.45, 0.6, 0.8]

BLIND_VOICES = [Voice("festival", "kal_diphone"), Voice("festival", "cmu_us_slt_arctic_hts"),
                Voice("piper", "en_US-joe-medium"),
                Voice("espeak", "en-gb-x-gbcwmd+m3", speed=160)]
BLIND_GAPS = [0.5, 0.7, 0.9]


@pytest.fixture(scope="module")
def clip_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hesitation-clips")


def _split(cache: Path, voice: Voice, first: str, rest: str, gap_s: float) -> bytes:
    """`first`, `gap_s` of silence, `rest`, with quiet around and a faint hiss under all."""
    said = [wake_streams.synthesize(voice, text, 1.0, cache) for text in (first, rest)]
    samples = np.concatenate([np.zeros(SAMPLE_RATE), said[0], np.zeros(int(gap_s * SAMPLE_RATE)),
                              said[1], np.zeros(int(1.5 * SAMPLE_RATE))])
    hiss = np.random.default_rng(5).normal(0.0, 0.0005, samples.size)
    return wake_streams._to_pcm(samples + hiss)


def _candidates(pcm: bytes) -> list[Candidate]:
    gate = UtteranceGate()
    return [c for frame in split_into_frames(pcm) if (c := gate.push(frame)) is not None]


def _wakes(detector: WakeDetector, pcm: bytes) -> list[float]:
    detector.reset()
    return [d.t for frame in split_into_frames(pcm) if (d := detector.push(frame)) is not None]


def test_an_utterance_just_after_a_short_one_is_also_handed_on_joined_to_it(
    clip_cache: Path,
) -> None:
    pcm = _split(clip_cache, Voice("flite", "rms"), "hey", "check in", 0.6)
    *_, last = _candidates(pcm)
    assert last.joined is not None
    joined = last.joined
    # The joined one runs from before the first word to the same end, gap and all.
    assert joined.speech_end == last.speech_end
    assert last.speech_start - joined.speech_start > 0.6 * SAMPLE_RATE
    assert joined.start < joined.speech_start
    assert pcm[2 * joined.start: 2 * joined.start + len(joined.pcm)] == joined.pcm


def test_the_early_cut_carries_its_join_made_as_long_as_the_whole_one(clip_cache: Path) -> None:
    """The ear reads the joined utterance in the pause too: cut early, it is the same audio
    as when the pause has lasted, its end made of room (as the plain early cut's is)."""
    pcm = _split(clip_cache, Voice("flite", "rms"), "hey", "check in", 0.6)
    gate, early, whole = UtteranceGate(), [], []
    for frame in split_into_frames(pcm):
        if (candidate := gate.push(frame)) is not None:
            whole.append(candidate)
        if (cut := gate.take_early()) is not None:
            early.append(cut)
    cut, last = early[-1], whole[-1]
    assert cut.joined is not None and last.joined is not None
    assert (cut.joined.start, cut.joined.speech_start, cut.joined.speech_end) == (
        last.joined.start, last.joined.speech_start, last.joined.speech_end)
    # Frames are 30 ms: the cut and the pause's end each fall on a frame boundary.
    assert abs(len(cut.joined.pcm) - len(last.joined.pcm)) <= 2 * 480
    heard = 2 * (cut.speech_end - cut.joined.start)
    assert cut.joined.pcm[:heard] == last.joined.pcm[:heard]


@pytest.mark.parametrize(("first", "gap_s"), [("hey", 1.6), ("how was your day at work", 0.6)])
def test_nothing_is_joined_after_a_long_gap_or_a_long_utterance(
    clip_cache: Path, first: str, gap_s: float
) -> None:
    """Two utterances more than a second apart are two; a sentence before is not a first word."""
    pcm = _split(clip_cache, Voice("flite", "rms"), first, "check in", gap_s)
    assert all(c.joined is None for c in _candidates(pcm))


@needs_whisper
def test_the_phrase_split_by_a_hesitation_wakes_it(clip_cache: Path) -> None:
    """Target: every one. Floor 12 of 18: on the flat streams the untold ear alone takes about
    70 % of wakes (TUNING 14 of 20), and only it may accept a joined utterance."""
    detector = WakeDetector()
    found = 0
    for voice in CHOICE_VOICES:
        for gap_s in CHOICE_GAPS:
            pcm = _split(clip_cache, voice, "hey", "check in", gap_s)
            wakes = _wakes(detector, pcm)
            assert len(wakes) <= 1
            found += len(wakes)
    assert found >= 12


@needs_whisper
@pytest.mark.parametrize(("first", "rest"), [("they", "checked in"), ("hey", "chicken"),
                                             ("hey", "check it")])
def test_a_near_miss_split_the_same_way_does_not(clip_cache: Path, first: str, rest: str) -> None:
    detector = WakeDetector()
    woke = [voice.label for voice in CHOICE_VOICES
            if _wakes(detector, _split(clip_cache, voice, first, rest, 0.6))]
    assert woke == []


def _blind(cache: Path, phrase: str, first: str, rest: str) -> int:
    detector = WakeDetector(phrase)
    return sum(bool(_wakes(detector, _split(cache, voice, first, rest, gap_s)))
               for voice in BLIND_VOICES for gap_s in BLIND_GAPS)


_SWEET_TART = pytest.mark.xfail(
    strict=True, reason="Whisper writes both as the phrase, unsplit too (module notes)")


@pytest.mark.slow
@needs_whisper
@pytest.mark.parametrize(("phrase", "first", "rest"), [
    ("hey check in", "hey", "kitchen"), ("hey check in", "they", "checked in"),
    ("hey check in", "hey", "check it out"),
    pytest.param("okay sweetheart", "okay", "sweet tart", marks=_SWEET_TART),
    # Woke once in 12 under the blind run's hiss, not under this one's: not strict.
    pytest.param("okay sweetheart", "hey", "sweetheart", marks=pytest.mark.xfail(
        strict=False, reason="Whisper may write it as the phrase (module notes)"))])
def test_blind_split_near_misses_do_not_wake_it(
    clip_cache: Path, phrase: str, first: str, rest: str
) -> None:
    assert _blind(clip_cache, phrase, first, rest) == 0


@pytest.mark.slow
@needs_whisper
@pytest.mark.xfail(strict=True, reason="blind: 8 of 12 and 5 of 12 found (module notes)")
@pytest.mark.parametrize(("phrase", "first", "rest"),
                         [("hey check in", "hey", "check in"),
                          ("okay sweetheart", "okay", "sweetheart")])
def test_blind_split_phrases_every_one_found(
    clip_cache: Path, phrase: str, first: str, rest: str
) -> None:
    assert _blind(clip_cache, phrase, first, rest) == len(BLIND_VOICES) * len(BLIND_GAPS)
