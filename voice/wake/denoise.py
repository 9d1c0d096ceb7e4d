"""Noise reduction for wake candidates heard in steady broadband noise.

PocketSphinx's acoustic model was trained on fairly clean speech. Under 10 dB of
white noise its free phone loop hears the quieter stretches of the phrase as
noise, and the phrase loses every reading. White noise is spectrally flat, so
the gate's speech detector (`audio.vad`) does not open on it: the gate's pre-roll
at the start of each candidate then holds the noise alone. Its spectrum, measured
there, is subtracted from the whole candidate (power spectral subtraction with a
spectral floor and gains smoothed over time, so the residual is a faint steady
hiss rather than "musical" tones).

Only candidates whose loud frames stand less than `DENOISE_BELOW_SNR_DB`
(`voice.wake.thresholds`) above their pre-roll are touched, so speech in a quiet room is
read exactly as it is.
"""

from __future__ import annotations

import numpy as np

from voice.wake.thresholds import DENOISE_BELOW_SNR_DB

NOISE_S = 0.2
"""The start of the candidate measured as noise: inside the gate's 0.3 s pre-roll."""

OVER_SUBTRACTION = 2.0
"""Noise power subtracted, in multiples of its estimate (more removes more, and more speech)."""

SPECTRAL_FLOOR = 0.1
"""Smallest power gain: the noise is brought down by 10 dB, never to silence (which the
acoustic model never heard either)."""

GAIN_SMOOTHING = 0.5
"""Weight of the previous frame's gain in each frame's: recursive smoothing over time."""

_FRAME = 400
"""25 ms analysis frames."""
_HOP = _FRAME // 2
"""Half-overlapping periodic Hann windows sum to one, so the frames add back exactly."""
_LEVEL_BLOCK = 160
"""10 ms blocks for the level comparison."""


def _block_power(samples: np.ndarray) -> np.ndarray:
    """Mean power of each whole 10 ms block."""
    blocks = samples.size // _LEVEL_BLOCK
    return np.mean(samples[: blocks * _LEVEL_BLOCK].reshape(blocks, _LEVEL_BLOCK) ** 2, axis=1)


def snr_db(samples: np.ndarray) -> float:
    """How far (dB) the loud 10 ms blocks (90th percentile) stand above the first `NOISE_S`."""
    power = _block_power(samples)
    if power.size < 2 * round(NOISE_S * 100):
        return float("inf")
    noise = float(np.median(power[: round(NOISE_S * 100)]))
    loud = float(np.percentile(power, 90))
    return 10.0 * float(np.log10(max(loud, 1e-9) / max(noise, 1e-9)))


def speech_to_gap_db(pcm: bytes) -> float:
    """How far (dB) the loud 10 ms blocks of the speech stand above the quiet ones between them.

    Measured inside the span from the first to the last block within 25 dB of the loudest, so
    it tells noise that starts with the speech (where `snr_db`'s pre-roll is silent) from clean
    speech, whose gaps and closures are near silence: 90th against 10th percentile."""
    power = _block_power(np.frombuffer(pcm, dtype="<i2").astype(np.float64))
    if power.size < 2:
        return float("inf")
    levels = 10.0 * np.log10(power + 1e-3)
    inside = np.flatnonzero(levels > levels.max() - 25.0)
    span = levels[inside[0] : inside[-1] + 1]
    return float(np.percentile(span, 90) - np.percentile(span, 10))


def denoised(pcm: bytes) -> bytes:
    """`pcm` (16 kHz int16) with the noise of its first `NOISE_S` taken out, if it is noisy.

    Returns `pcm` itself when its SNR is `DENOISE_BELOW_SNR_DB` or better.
    """
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    if snr_db(samples) >= DENOISE_BELOW_SNR_DB:
        return pcm
    cleaned = _spectral_subtraction(samples)
    return np.clip(np.round(cleaned), -32768, 32767).astype("<i2").tobytes()


def _spectral_subtraction(samples: np.ndarray) -> np.ndarray:
    window = np.hanning(_FRAME + 1)[:_FRAME]
    padded = np.concatenate([np.zeros(_FRAME), samples, np.zeros(_FRAME)])
    count = (padded.size - _FRAME) // _HOP + 1
    index = np.arange(_FRAME)[None, :] + _HOP * np.arange(count)[:, None]
    spectra = np.fft.rfft(padded[index] * window, axis=1)
    power = np.abs(spectra) ** 2
    # Frames 2.. start at the first sample (the padding is two hops long); take those that
    # end within the noise-only start.
    last = int(NOISE_S * 16_000 / _HOP)
    noise = power[2:last].mean(axis=0)
    gains = np.sqrt(
        np.maximum(1.0 - OVER_SUBTRACTION * noise / np.maximum(power, 1e-12), SPECTRAL_FLOOR)
    )
    for i in range(1, count):
        gains[i] = GAIN_SMOOTHING * gains[i - 1] + (1.0 - GAIN_SMOOTHING) * gains[i]
    frames = np.fft.irfft(spectra * gains, _FRAME, axis=1)
    out = np.zeros(padded.size)
    for i in range(count):
        out[i * _HOP : i * _HOP + _FRAME] += frames[i]
    return out[_FRAME : _FRAME + samples.size]
