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

from collections import deque

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

STEADY_RANGE_DB = 6.0
"""A sound whose 30 ms levels stay within this range for a whole window is steady: noise. Speech
swings by 20 dB and more between syllables and pauses."""

FLOOR_FALL = 0.3
"""Fraction of the way the floor moves down towards a quieter frame, per frame."""

FLOOR_RISE_DB_PER_S = 4.0
"""How fast the floor climbs towards louder non-speech: a new steady noise is learned in seconds."""

FLOOR_RISE_IN_SPEECH_DB_PER_S = 0.5
"""How fast the floor climbs during speech: slow, so talking does not raise it much, yet a loud
steady noise that passes as speech is still absorbed eventually."""


class SpeechDetector:
    """Decide per frame whether it holds speech, learning the room's noise floor as it goes.

    With `onset_window_s`, a steady sound that passes as speech now and then is learned as the
    room once it has lasted that long: speech's level swings by tens of dB within a second, a
    fan's or running water's by a few. Without it such a noise (pink noise passes a third of
    the time) would be learned only over tens of seconds, at the slow rise in speech. Flat
    noise (white) never passes and is learned by the ordinary rise, as before."""

    def __init__(self, onset_window_s: float = 0.0) -> None:
        self.floor_db = INITIAL_FLOOR_DB
        """Current noise-floor estimate of the speech band, in dBFS."""
        self.last_level_db = -120.0
        """Speech-band level (dBFS) of the frame classified last."""
        self.onset_window_s = onset_window_s
        self._recent: deque[tuple[float, bool, float]] = deque()
        """(level dBFS, not flat, seconds) of the frames inside the window, newest last."""
        self._recent_s = 0.0

    def is_speech(self, frame: Frame) -> bool:
        """Classify `frame` and update the noise floor."""
        samples = frame.samples()
        if samples.size < 32:
            return False
        level_db, flatness = band_features(samples)
        self.last_level_db = level_db
        speech = (
            level_db > ABSOLUTE_MIN_DB
            and level_db > self.floor_db + MARGIN_DB
            and flatness < MAX_FLATNESS
        )
        self._update_floor(level_db, speech, samples.size / SAMPLE_RATE)
        if self.onset_window_s:
            self._learn_a_steady_noise(level_db, flatness < MAX_FLATNESS,
                                       samples.size / SAMPLE_RATE)
        return speech

    def _update_floor(self, level_db: float, speech: bool, seconds: float) -> None:
        if level_db < self.floor_db:
            self.floor_db += FLOOR_FALL * (level_db - self.floor_db)
            return
        rise = (FLOOR_RISE_IN_SPEECH_DB_PER_S if speech else FLOOR_RISE_DB_PER_S) * seconds
        self.floor_db = min(level_db, self.floor_db + rise)

    def _learn_a_steady_noise(self, level_db: float, not_flat: bool, seconds: float) -> None:
        self._recent.append((level_db, not_flat, seconds))
        self._recent_s += seconds
        while self._recent_s - self._recent[0][2] >= self.onset_window_s:
            self._recent_s -= self._recent.popleft()[2]
        if self._recent_s < self.onset_window_s - 1e-9:
            return
        levels = [level for level, _, _ in self._recent]
        quietest = min(levels)
        steady = max(levels) - quietest < STEADY_RANGE_DB
        passes = sum(not_flat for _, not_flat, _ in self._recent) >= 0.2 * len(self._recent)
        if steady and passes and quietest > max(self.floor_db + MARGIN_DB, ABSOLUTE_MIN_DB):
            self.floor_db = quietest


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
