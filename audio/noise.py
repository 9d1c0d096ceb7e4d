"""Synthetic room sound: the quiet between words that a real microphone always hears."""

from __future__ import annotations

import numpy as np

from audio.frames import SAMPLE_RATE

ROOM_NOISE_LEVEL = 0.002
"""Default RMS of room noise as a fraction of full scale (about -54 dBFS: a quiet living room)."""


def room_noise(rng: np.random.Generator, n_samples: int, level: float) -> np.ndarray:
    """Gaussian noise with RMS `level` (fraction of full scale) as int16 samples."""
    noise = rng.normal(0.0, level * 32768.0, n_samples)
    return np.clip(np.rint(noise), -32768, 32767).astype("<i2")


def mains_hum(start: int, n_samples: int, level: float, hz: float = 50.0) -> np.ndarray:
    """Steady mains hum (fundamental plus 2nd and 3rd harmonics) with RMS about `level`.

    The phase follows the clock position, so the hum is continuous across frames.
    """
    t = (start + np.arange(n_samples)) / SAMPLE_RATE
    wave = (
        np.sin(2 * np.pi * hz * t)
        + 0.5 * np.sin(2 * np.pi * 2 * hz * t)
        + 0.25 * np.sin(2 * np.pi * 3 * hz * t)
    )
    # The three partials have RMS sqrt((1 + 0.25 + 0.0625) / 2) together.
    scale = level * 32768.0 / np.sqrt((1 + 0.25 + 0.0625) / 2)
    return np.clip(np.rint(wave * scale), -32768, 32767).astype("<i2")
