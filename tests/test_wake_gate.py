"""The wake gate's speech detector learns a noise that starts, so the phrase after it is cut alone.

A fan or running water switched on a second before "hey check in" once joined the phrase in one
utterance too long to be a wake phrase: pink noise passes as speech a third of the time, and
the detector's floor climbs slowly in speech.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audio.frames import SAMPLE_RATE, split_into_frames
from audio.vad import SpeechDetector
from benchmarks import wake_streams
from benchmarks.wake_rooms import REAL_SPEECH, real_speech, speech_span
from voice.wake.detector import WakeDetector
from voice.wake.gate import Candidate, GateSettings, UtteranceGate, same_utterance


@pytest.fixture(scope="module")
def clip_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gate-clips")


def _pink(seconds: float, rms: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return wake_streams.coloured_noise("pink", int(seconds * SAMPLE_RATE), rng) * rms


def _speech_frames(detector: SpeechDetector, samples: np.ndarray) -> list[bool]:
    return [detector.is_speech(frame) for frame in split_into_frames(wake_streams._to_pcm(samples))]


def _detections(samples: np.ndarray) -> list[float]:
    detector = WakeDetector()
    return [d.t for frame in split_into_frames(wake_streams._to_pcm(samples))
            if (d := detector.push(frame)) is not None]


def test_a_steady_pink_noise_is_learned_within_a_second() -> None:
    noise = _pink(3.0, 0.03)
    learning = _speech_frames(SpeechDetector(onset_window_s=0.8), noise)
    slow = _speech_frames(SpeechDetector(), noise)
    last_second = len(learning) // 3
    assert sum(learning[-2 * last_second :]) == 0
    # The detector without the window still hears a third of it as speech after 3 s.
    assert sum(slow[-last_second:]) > 0.2 * last_second


def test_speech_is_not_learned_as_noise(clip_cache: Path) -> None:
    voice = wake_streams.Voice("flite", "rms")
    talk = wake_streams.synthesize(voice, "hey check in, how was your day at work today", 1.0,
                                   clip_cache)
    samples = np.concatenate([np.zeros(8_000), 0.5 * talk / np.abs(talk).max()])
    samples = samples + _pink(samples.size / SAMPLE_RATE, 10 ** (-62 / 20))
    learning = SpeechDetector(onset_window_s=0.8)
    heard = _speech_frames(learning, samples)
    assert heard == _speech_frames(SpeechDetector(), samples)
    assert learning.floor_db < -50


@pytest.mark.parametrize("lead_s", [1.5, 3.0])
def test_a_wake_phrase_after_a_noise_starts_is_found(clip_cache: Path, lead_s: float) -> None:
    """Pink noise at 10 dB below the phrase, starting `lead_s` before it and going on after.

    Not yet when it starts under a second before the phrase and goes on after it: the noise is
    learned only after the phrase, so the utterance ends too late (the streams' noise stops
    0.4 s after the phrase, which the gate handles)."""
    voice = wake_streams.Voice("flite", "slt")
    spoken = wake_streams.synthesize(voice, "hey check in", 1.0, clip_cache)
    speech = 0.5 * spoken / np.abs(spoken).max()
    rms = float(np.sqrt(np.mean(speech**2)))
    lead, tail = np.zeros(int(lead_s * SAMPLE_RATE)), np.zeros(int(1.5 * SAMPLE_RATE))
    block = np.concatenate([lead, speech, tail])
    block = block + _pink(block.size / SAMPLE_RATE, rms / 10 ** (10 / 20), seed=3)
    quiet = np.zeros(SAMPLE_RATE)
    samples = np.concatenate([quiet, block, quiet])
    samples = samples + _pink(samples.size / SAMPLE_RATE, 10 ** (-62 / 20), seed=4)
    phrase_end = (quiet.size + lead.size + speech.size) / SAMPLE_RATE
    found = _detections(samples)
    assert len(found) == 1, found
    assert abs(found[0] - phrase_end) < 0.75


def test_the_gate_learns_noise_onsets_by_default() -> None:
    assert 0.5 <= GateSettings().noise_onset_s < GateSettings().max_speech_s


def _talk(clip_cache: Path, seconds: float) -> np.ndarray:
    """A TV talking without a pause: flite awb's lines back to back, unit peak."""
    voice = wake_streams.Voice("flite", "awb")
    lines = ("The council has approved a new cycle lane on the high street.",
             "Police have asked anyone who saw the accident to get in touch.",
             "Tomorrow will be dry and bright, with a light breeze from the west.")
    pieces, total = [], 0
    while total < seconds * SAMPLE_RATE:
        clip = wake_streams.synthesize(voice, lines[len(pieces) % len(lines)], 1.0, clip_cache)
        pieces.append(clip / np.abs(clip).max())
        total += clip.size
    return np.concatenate(pieces)[: int(seconds * SAMPLE_RATE)]


@pytest.mark.parametrize(("at_s", "above_db"), [(1.0, 18.0), (4.0, 18.0), (4.0, 12.0)])
def test_a_wake_phrase_spoken_up_over_talk_that_never_pauses_is_found(
    clip_cache: Path, at_s: float, above_db: float
) -> None:
    """A TV talks for 9 s without a pause and someone says the phrase over it, louder by
    `above_db` (RMS).

    The gate once dropped the whole utterance as talk, so over a TV the detector was deaf.
    At 1.0 s the phrase is part of the utterance that outgrows a wake phrase; at 4.0 s the gate
    already knows the talk's level. The issue's rooms have talk 10-15 dB below the talker."""
    spoken = wake_streams.synthesize(wake_streams.Voice("flite", "slt"), "hey check in", 1.0,
                                     clip_cache)
    phrase = 0.5 * spoken / np.abs(spoken).max()
    talk = _talk(clip_cache, 9.0)
    rms = lambda x: float(np.sqrt(np.mean(x**2)))  # noqa: E731
    talk = talk * rms(phrase) / rms(talk) / 10 ** (above_db / 20)
    start = int(at_s * SAMPLE_RATE)
    talk[start : start + phrase.size] += phrase
    quiet = np.zeros(SAMPLE_RATE)
    samples = np.concatenate([quiet, talk, quiet])
    samples = samples + _pink(samples.size / SAMPLE_RATE, 10 ** (-62 / 20), seed=5)
    phrase_end = (quiet.size + start + phrase.size) / SAMPLE_RATE
    found = _detections(samples)
    assert len(found) == 1, found
    assert abs(found[0] - phrase_end) < 0.75


def _readers(seconds: float) -> np.ndarray:
    """A TV that never pauses, of real people: pocketsphinx's LibriVox readers back to back,
    each trimmed to its speech and at unit RMS."""
    names = sorted(path.name for path in REAL_SPEECH.glob("librivox-*.wav"))
    pieces, total = [], 0
    while total < seconds * SAMPLE_RATE:
        clip = real_speech(names[len(pieces) % len(names)])
        first, last = speech_span(clip)
        pieces.append(clip[first:last] / np.sqrt(np.mean(clip[first:last] ** 2)))
        total += last - first
    return np.concatenate(pieces)[: int(seconds * SAMPLE_RATE)]


@pytest.mark.parametrize("above_db", [12.0, 15.0])
@pytest.mark.parametrize("at_s", [3.0, 6.0, 9.0, 12.0, 15.0, 18.0])
def test_the_gate_cuts_a_phrase_spoken_up_over_real_people_who_never_pause(
    clip_cache: Path, at_s: float, above_db: float
) -> None:
    """Real readers talk for 21 s without a pause, and someone says the phrase over them,
    `above_db` louder (RMS), `at_s` in: the gate must hand on the phrase, from before its
    start to its end, as a candidate of its own.

    The readers' louder syllables stand out above their level one or two frames at a time.
    They once opened an utterance that the next kept open, until it outgrew a wake phrase and
    the gate waited for a pause that never came: it cut 5 of these 12."""
    spoken = wake_streams.synthesize(wake_streams.Voice("flite", "slt"), "hey check in", 1.0,
                                     clip_cache)
    phrase = 0.5 * spoken / np.abs(spoken).max()
    talk = _readers(21.0) * float(np.sqrt(np.mean(phrase**2))) / 10 ** (above_db / 20)
    start = int(at_s * SAMPLE_RATE)
    talk[start : start + phrase.size] += phrase
    quiet = np.zeros(SAMPLE_RATE)
    _, whole = _gate_events(np.concatenate([quiet, talk, quiet]))
    begins = (quiet.size + start) / SAMPLE_RATE
    ends = begins + phrase.size / SAMPLE_RATE
    cut = [(c.start / SAMPLE_RATE, c.speech_end / SAMPLE_RATE) for _, c in whole]
    assert any(first <= begins and last >= ends - 0.15 for first, last in cut), (
        begins, ends, [span for span in cut if abs(span[0] - begins) < 2])


def test_a_wake_phrase_after_a_short_pause_in_talk_is_heard_at_the_talks_own_level(
    clip_cache: Path,
) -> None:
    """Someone talks for 5 s, pauses half a second and says the phrase no louder: the gate must
    not still be listening for speech that stands out above the talk."""
    voice = wake_streams.Voice("flite", "slt")
    talk = _talk(clip_cache, 5.0)
    spoken = wake_streams.synthesize(voice, "hey check in", 1.0, clip_cache)
    phrase = spoken / np.abs(spoken).max()
    pause = np.zeros(SAMPLE_RATE // 2)
    quiet = np.zeros(SAMPLE_RATE)
    samples = 0.4 * np.concatenate([quiet, talk, pause, phrase, quiet])
    samples = samples + _pink(samples.size / SAMPLE_RATE, 10 ** (-62 / 20), seed=6)
    phrase_end = (quiet.size + talk.size + pause.size + phrase.size) / SAMPLE_RATE
    found = _detections(samples)
    assert len(found) == 1, found
    assert abs(found[0] - phrase_end) < 0.75


def test_talk_that_never_pauses_hands_on_nothing_by_itself(clip_cache: Path) -> None:
    """Nine seconds of a TV with no pause and nobody speaking up: its louder words stand out
    now and then, but never as someone speaking up, so the verifier (the CPU) is not asked."""
    samples = 0.3 * _talk(clip_cache, 9.0)
    samples = np.concatenate([np.zeros(SAMPLE_RATE), samples, np.zeros(SAMPLE_RATE)])
    early, whole = _gate_events(samples)
    assert whole == []


def _gate_events(samples: np.ndarray, settings: GateSettings | None = None,
                 ) -> tuple[list[tuple[float, Candidate]], list[tuple[float, Candidate]]]:
    """(time, candidate) of every early cut and every whole candidate the gate gives."""
    gate = UtteranceGate(settings)
    early, whole = [], []
    for frame in split_into_frames(wake_streams._to_pcm(samples)):
        if (c := gate.push(frame)) is not None:
            whole.append((frame.end / SAMPLE_RATE, c))
        if (e := gate.take_early()) is not None:
            early.append((frame.end / SAMPLE_RATE, e))
    return early, whole


def _said(clip_cache: Path, *parts: str, gap_s: float = 0.0) -> np.ndarray:
    """flite slt saying `parts` with `gap_s` of silence between them, 1 s of quiet around."""
    voice = wake_streams.Voice("flite", "slt")
    pieces = []
    for i, text in enumerate(parts):
        if i:
            pieces.append(np.zeros(int(gap_s * SAMPLE_RATE)))
        clip = wake_streams.synthesize(voice, text, 1.0, clip_cache)
        pieces.append(0.5 * clip / np.abs(clip).max())
    quiet = np.zeros(SAMPLE_RATE)
    samples = np.concatenate([quiet, *pieces, quiet])
    return samples + _pink(samples.size / SAMPLE_RATE, 10 ** (-62 / 20), seed=7)


def test_the_phrase_is_offered_early_in_its_pause_and_whole_when_the_pause_lasts(
    clip_cache: Path,
) -> None:
    """So that the verifier can start reading while the pause goes on (the chime waits for
    the pause, not for the pause and then the reading)."""
    early, whole = _gate_events(_said(clip_cache, "hey check in"))
    assert len(early) == 1 and len(whole) == 1
    (offered_at, cut), (closed_at, candidate) = early[0], whole[0]
    assert same_utterance(cut, candidate)
    settings = GateSettings()
    assert closed_at - offered_at == pytest.approx(settings.pause_s - settings.tail_s, abs=0.03)
    # The cut is the candidate so far, then room from before the phrase for the rest of the
    # pause: as long as the whole candidate, give or take a frame.
    heard = 2 * (round(offered_at * SAMPLE_RATE) - candidate.start)
    assert cut.pcm[:heard] == candidate.pcm[:heard]
    assert cut.pcm[heard:] == cut.pcm[: len(cut.pcm) - heard]
    assert abs(len(cut.pcm) - len(candidate.pcm)) <= 2 * 480


def test_a_gate_with_no_early_reader_makes_no_early_cut(clip_cache: Path) -> None:
    """Without the Whisper ear nothing reads early (the detector sets no tail), so the gate
    spends nothing on early cuts; the whole candidate is the same."""
    said = _said(clip_cache, "hey check in")
    early, whole = _gate_events(said, GateSettings(tail_s=None))
    assert early == []
    assert [c for _, c in whole] == [c for _, c in _gate_events(said)[1]]
    assert WakeDetector(whisper=False)._gate.settings.tail_s is None


def test_speech_that_comes_back_within_the_pause_voids_the_early_cut(clip_cache: Path) -> None:
    """"hey check in" and, 0.3 s later, "with me later": one utterance, not a wake phrase
    said on its own, so the early cut of "hey check in" is never returned whole."""
    early, whole = _gate_events(_said(clip_cache, "hey check in", "with me later", gap_s=0.3))
    assert early, "the first words were offered early"
    assert len(whole) == 1
    assert not same_utterance(early[0][1], whole[0][1])
    assert whole[0][1].speech_end > early[0][1].speech_end + SAMPLE_RATE // 2
