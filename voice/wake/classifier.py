"""A small learned wake-phrase classifier: one more reading for the wake verifier.

PocketSphinx's acoustic model hears some voices badly (espeak-ng's variants and flite's kal
read "hey check in" as "i ay and our can"), however its bars are set. This classifier, fitted
on the gate's candidates from about 2,800 synthetic speakers (`training/wake_classifier.py`),
sees the whole candidate at once: a log-mel spectrogram normalised for level and channel and
stretched to a fixed length, so a voice's speed matters little. Four small perceptrons whose
weights ship in `classifier.npz`, numpy only at run time. Having never heard a real living
room it never accepts alone, but it may veto the other readings (`voice.wake.verify`); its
bars are in `voice.wake.thresholds`. Tuning history: benchmarks/RESULTS.md, "Wake phrase:
tuning history".
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

MEL_BANDS = 32
TIME_STEPS = 40
"""The utterance is resampled to this many frames, whatever its length."""
_FRAME = 400
_HOP = 160
_FFT = 512
_SAMPLE_RATE = 16_000
_KEEP_DB = 35.0
"""Frames within this many dB of the loudest are the utterance; quieter ones at either end are
the pauses the gate kept around it."""
_WEIGHTS = "classifier.npz"


def features(pcm: bytes) -> np.ndarray:
    """The classifier's input for one candidate (16 kHz int16 PCM): a flat float32 vector.

    Log-mel energies of the loud part of the utterance, minus each band's mean (the
    room and the microphone), divided by their spread (the level), resampled to
    `TIME_STEPS` frames, with the utterance's length in seconds appended.
    """
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    if samples.size < _FRAME:
        samples = np.pad(samples, (0, _FRAME - samples.size))
    emphasised = np.append(samples[0], samples[1:] - 0.97 * samples[:-1])
    count = 1 + (emphasised.size - _FRAME) // _HOP
    index = np.arange(_FRAME)[None, :] + _HOP * np.arange(count)[:, None]
    frames = emphasised[index] * np.hamming(_FRAME)
    power = np.abs(np.fft.rfft(frames, _FFT)) ** 2
    mel = np.log(power @ _mel_filters().T + 1e-10)
    energy = 10.0 * np.log10(power.sum(axis=1) + 1e-10)
    loud = np.flatnonzero(energy > energy.max() - _KEEP_DB)
    mel = mel[loud[0] : loud[-1] + 1]
    mel = mel - mel.mean(axis=0)
    mel = mel / (mel.std() + 1e-6)
    positions = np.linspace(0, len(mel) - 1, TIME_STEPS)
    stretched = np.stack([np.interp(positions, np.arange(len(mel)), band) for band in mel.T])
    seconds = len(mel) * _HOP / _SAMPLE_RATE
    return np.append(stretched.ravel(), seconds).astype(np.float32)


def wake_probability(denoised_pcm: bytes) -> float:
    """How likely the classifier finds it that a candidate is the wake phrase (0..1).

    `denoised_pcm` is the candidate after `voice.wake.denoise.denoised`, as in training.
    """
    inputs = features(denoised_pcm)[None, :]
    return float(np.mean([model.probability(inputs)[0] for model in _models()]))


class Perceptron:
    """A multi-layer perceptron's forward pass: standardise, ReLU layers, a logistic output."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.mean = weights["mean"]
        self.scale = weights["scale"]
        layers = sum(1 for name in weights if name.startswith("w"))
        self.layers = [(weights[f"w{i}"], weights[f"b{i}"]) for i in range(layers)]

    def probability(self, inputs: np.ndarray) -> np.ndarray:
        hidden = (inputs - self.mean) / self.scale
        for weight, bias in self.layers[:-1]:
            hidden = np.maximum(hidden @ weight + bias, 0.0)
        weight, bias = self.layers[-1]
        logit = (hidden @ weight + bias)[:, 0]
        return 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))


def pack(models: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Several perceptrons' weights as one flat mapping for `np.savez` ("m0_w0", ...)."""
    return {f"m{i}_{name}": value for i, model in enumerate(models)
            for name, value in model.items()}


def unpack(stored: dict[str, np.ndarray]) -> list[Perceptron]:
    """The perceptrons `pack` stored, weights as float32 whatever they were saved as."""
    count = 1 + max(int(name.split("_")[0][1:]) for name in stored)
    return [
        Perceptron({name.split("_", 1)[1]: value.astype(np.float32)
                    for name, value in stored.items() if name.startswith(f"m{i}_")})
        for i in range(count)
    ]


@lru_cache(maxsize=1)
def _models() -> list[Perceptron]:
    with resources.files("voice.wake").joinpath(_WEIGHTS).open("rb") as stored:
        return unpack(dict(np.load(stored)))


@lru_cache(maxsize=1)
def _mel_filters() -> np.ndarray:
    """Triangular mel filters (MEL_BANDS x FFT bins) from 100 Hz to 7.6 kHz."""

    def to_mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    def to_hz(mel: np.ndarray) -> np.ndarray:
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)

    edges = to_hz(np.linspace(to_mel(np.array(100.0)), to_mel(np.array(7600.0)), MEL_BANDS + 2))
    bins = np.fft.rfftfreq(_FFT, 1.0 / _SAMPLE_RATE)
    filters = np.zeros((MEL_BANDS, bins.size))
    for band in range(MEL_BANDS):
        low, centre, high = edges[band : band + 3]
        rising = (bins - low) / (centre - low)
        falling = (high - bins) / (high - centre)
        filters[band] = np.clip(np.minimum(rising, falling), 0.0, None)
    return filters
