"""The learned wake classifier: its input, its shipped weights, and its training set's rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks import wake_streams
from training import wake_classifier as training
from voice.wake.classifier import (
    MEL_BANDS,
    TIME_STEPS,
    Perceptron,
    features,
    pack,
    unpack,
    wake_probability,
)
from voice.wake.thresholds import classifier_thresholds


@pytest.fixture(scope="module")
def clip_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("classifier-clips")


def _candidate(voice: wake_streams.Voice, text: str, cache: Path, gain: float = 0.5) -> bytes:
    """`text` spoken by `voice` as the gate hands it on: 0.3 s before, 0.35 s after."""
    speech = wake_streams.synthesize(voice, text, 1.0, cache)
    speech = speech * gain / np.abs(speech).max()
    samples = np.concatenate([np.zeros(4_800), speech, np.zeros(5_600)])
    samples = samples + wake_streams.coloured_noise("pink", samples.size,
                                                    np.random.default_rng(1)) * 10 ** (-62 / 20)
    return wake_streams._to_pcm(samples)


def test_features_have_a_fixed_size_whatever_the_length(clip_cache: Path) -> None:
    short = _candidate(wake_streams.Voice("flite", "slt"), "hey", clip_cache)
    long = _candidate(wake_streams.Voice("flite", "slt"), "hey check in please", clip_cache)
    assert features(short).shape == features(long).shape == (MEL_BANDS * TIME_STEPS + 1,)
    # The last value is the utterance's length in seconds: the one thing kept of its timing.
    assert features(short)[-1] < features(long)[-1]


def test_the_level_of_the_voice_hardly_matters(clip_cache: Path) -> None:
    """Features are normalised for level; only the room's fixed noise floor comes closer."""
    voice = wake_streams.Voice("flite", "rms")
    for gain in (0.8, 0.4, 0.1):
        # Measured 0.987 to 0.993 over these 18 dB.
        assert wake_probability(_candidate(voice, "hey check in", clip_cache, gain)) > 0.9


def test_it_finds_the_phrase_likely_and_other_words_unlikely(clip_cache: Path) -> None:
    voice = wake_streams.Voice("espeak", "en-us")
    assert wake_probability(_candidate(voice, "hey check in", clip_cache)) > 0.9
    for other in ("good morning", "hey there", "the kitchen is open"):
        assert wake_probability(_candidate(voice, other, clip_cache)) < 0.1, other


def test_the_shipped_weights_are_four_perceptrons_that_round_trip() -> None:
    rng = np.random.default_rng(0)
    inputs = rng.standard_normal((3, MEL_BANDS * TIME_STEPS + 1)).astype(np.float32)
    model = {"mean": np.zeros(inputs.shape[1]), "scale": np.ones(inputs.shape[1]),
             "w0": rng.standard_normal((inputs.shape[1], 4)), "b0": np.zeros(4),
             "w1": rng.standard_normal((4, 1)), "b1": np.zeros(1)}
    [restored] = unpack(pack([model]))
    expected = Perceptron({k: v.astype(np.float32) for k, v in model.items()})
    assert np.allclose(restored.probability(inputs), expected.probability(inputs))
    from voice.wake.classifier import _models

    assert len(_models()) == 4


def test_eager_sensitivity_lowers_every_bar() -> None:
    strict, middle, eager = (classifier_thresholds(s) for s in (0.2, 0.5, 0.8))
    assert middle.accept == pytest.approx(0.5)
    for bar in ("accept", "accept_in_noise", "loop", "sure", "loop_when_sure", "veto"):
        assert getattr(strict, bar) > getattr(middle, bar) > getattr(eager, bar), bar
    # Noise asks more of the classifier, and being sure of it asks less of PocketSphinx.
    assert middle.accept < middle.accept_in_noise < middle.sure
    assert middle.loop_when_sure < middle.loop


@pytest.mark.parametrize("recipe", [wake_streams.VALIDATION, wake_streams.OTHER_VOICES])
def test_training_leaves_the_held_out_recipes_out(recipe: wake_streams.Recipe) -> None:
    """A held-out stream judges generalisation only if training never heard its voices."""
    variants = {voice.name.split("+")[1] for voice in recipe.voices if voice.engine == "espeak"}
    assert variants <= training.HELD_OUT_VARIANTS
    assert not variants & set(training.espeak_variants())
    assert "kal" not in training.FLITE_VOICES
    assert not set(recipe.near_misses) & set(training.NEAR_MISSES)
    assert not set(recipe.conversation) & set(training.OTHER_TALK)


def test_a_training_wake_is_one_whole_candidate_cut_by_the_gate(clip_cache: Path) -> None:
    speaker = training.Speaker("espeak", "en-us+m3", 1.0, 50.0)
    [(pcm, label, _)] = training.examples(
        training.Item(speaker, training.WAKE, 1, "pink", seed=4), clip_cache
    )
    assert label == 1
    spoken = training.synthesize(speaker, training.WAKE, clip_cache)
    # The candidate holds the whole phrase plus the gate's pre-roll and closing pause.
    assert len(pcm) // 2 > spoken.size


def test_a_wake_the_detector_hears_only_in_part_is_still_a_training_wake(
    clip_cache: Path,
) -> None:
    """In white noise the speech detector opens late on flite rms's soft "h" and closes early,
    but the candidate's pre-roll and pause still hold the whole phrase: the verifier hears it
    whole at run time, so training must too (it once dropped every such wake)."""
    speaker = training.Speaker("flite", "rms")
    [(pcm, label, _)] = training.examples(
        training.Item(speaker, training.WAKE, 1, "white", seed=0), clip_cache
    )
    assert label == 1
    assert len(pcm) // 2 > training.synthesize(speaker, training.WAKE, clip_cache).size


def test_a_warped_voice_is_shorter_and_higher(clip_cache: Path) -> None:
    speaker = training.Speaker("flite", "slt")
    spoken = training.synthesize(speaker, training.WAKE, clip_cache)
    warped = training.speed_shifted(spoken, 1.1)
    assert warped.size == pytest.approx(spoken.size / 1.1, rel=0.01)

    def centroid(samples: np.ndarray) -> float:
        power = np.abs(np.fft.rfft(samples)) ** 2
        return float((power * np.arange(power.size)).sum() / power.sum() / samples.size)

    assert centroid(warped) > 1.05 * centroid(spoken)
