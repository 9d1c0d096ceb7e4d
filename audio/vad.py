"""Frame-level speech detection that ignores digital zeros, quiet rooms, hum and DC offsets.

A frame counts as speech only when all of these hold:
- its energy in the speech band (250-4000 Hz) is above an absolute minimum, so
  digital zeros and a quiet room never qualify;
- that energy is well above an adaptive noise floor, so a steady fan or a
  louder room is learned and ignored;
- its spectrum is not flat like broadband noise (spectral flatness).
The speech band leaves out DC (any constant offset) and 50/60 Hz hum with its
first harmonics. Minimum durations are the endpointer's job, not this module's.
"""

from __future__ import annotations

import numpy as np

from audio.frames import SAMPLE_RATE, Frame

BAND_LOW_HZ = 250.0
BAND_HIGH_HZ = 4000.0

ABSOLUTE_MIN_DB = -50.0
"""Speech-band level (dBFS) below which nothing is speech: a quiet room sits near -60."""

MARGIN_DB = 10.0
"""How far above the noise floor a frame must be to count as speech."""

MAX_FLATNESS = 0.42
"""Spectral flatness above which a frame is broadband noise (white noise is about 0.56)."""

INITIAL_FLOOR_DB = -65.0

FLOOR_FALL = 0.3
"""Fraction of the way the floor moves down towards a quieter frame, per frame."""

FLOOR_RISE_DB_PER_S = 4.0
"""How fast the floor climbs towards louder non-speech: a new steady noise is learned in seconds."""

FLOOR_RISE_IN_SPEECH_DB_PER_S = 0.5
"""How fast the floor climbs during speech: slow, so talking does not raise it much, yet a loud
steady noise that passes as speech is still absorbed eventually."""


class SpeechDetector:
    """Decide per frame whether it holds speech, learning the room's noise floor as it goes."""

    def __init__(self) -> None:
        self.floor_db = INITIAL_FLOOR_DB
        """Current noise-floor estimate of the speech band, in dBFS."""

    def is_speech(self, frame: Frame) -> bool:
        """Classify `frame` and update the noise floor."""
        samples = frame.samples()
        if samples.size < 32:
            return False
        level_db, flatness = band_features(samples)
        speech = (
            level_db > ABSOLUTE_MIN_DB
            and level_db > self.floor_db + MARGIN_DB
            and flatness < MAX_FLATNESS
        )
        self._update_floor(level_db, speech, samples.size / SAMPLE_RATE)
        return speech

    def _update_floor(self, level_db: float, speech: bool, seconds: float) -> None:
        if level_db < self.floor_db:
            self.floor_db += FLOOR_FALL * (level_db - self.floor_db)
            return
        rise = (FLOOR_RISE_IN_SPEECH_DB_PER_S if speech else FLOOR_RISE_DB_PER_S) * seconds
        self.floor_db = min(level_db, self.floor_db + rise)


def band_features(samples: np.ndarray) -> tuple[float, float]:
    """Speech-band RMS level in dBFS and spectral flatness (0 = tonal, ~0.56 = white noise)."""
    values = samples.astype(np.float64) / 32768.0
    values = values - values.mean()  # a DC offset is not sound
    window = np.hanning(values.size)
    power = np.abs(np.fft.rfft(values * window)) ** 2
    freqs = np.fft.rfftfreq(values.size, 1.0 / SAMPLE_RATE)
    band = power[(freqs >= BAND_LOW_HZ) & (freqs <= BAND_HIGH_HZ)]
    # Parseval with the Hann window's power gain (3/8): band power as a mean square of the frame.
    mean_square = 2.0 * band.sum() / (values.size * values.size * 0.375)
    level_db = 10.0 * np.log10(mean_square + 1e-12)
    flatness = float(np.exp(np.mean(np.log(band + 1e-20))) / (np.mean(band) + 1e-20))
    return float(level_db), flatness
