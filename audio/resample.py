"""Sample-rate conversion with a streaming polyphase windowed-sinc filter (numpy only).

The same `Resampler` serves whole files (`resample`) and the microphone, whose
blocks arrive one by one: it keeps the filter's history between calls, so block
edges leave no clicks and the output is identical however the input is split.

The filter is centred on each output instant (it looks ahead half its length),
so output sample n is the signal at exactly n / rate_out seconds: resampling
never shifts audio on the clock.
"""

from __future__ import annotations

import math

import numpy as np

from audio.frames import SAMPLE_RATE

ZERO_CROSSINGS = 16
"""Half-width of the sinc in zero crossings: ~ -80 dB stop band with the Kaiser window below."""

KAISER_BETA = 8.0

ROLLOFF = 0.92
"""Cut-off as a fraction of the lower Nyquist frequency (7.36 kHz for 16 kHz output)."""

_MAX_TABLE_ENTRIES = 4_000_000
"""Above this many coefficients (odd rate pairs), weights are computed per chunk, not tabled."""

_CHUNK_OUTPUTS = 8192


class Resampler:
    """Convert a float signal from `rate_in` to `rate_out`, block by block.

    `process` returns every output sample that the input so far fully
    determines; `flush` pads the end with silence and returns the rest, so the
    total output length is ceil(n_in * rate_out / rate_in).
    """

    def __init__(self, rate_in: int, rate_out: int = SAMPLE_RATE) -> None:
        if rate_in <= 0 or rate_out <= 0:
            raise ValueError(f"sample rates must be positive, got {rate_in} -> {rate_out}")
        divisor = math.gcd(rate_in, rate_out)
        self.rate_in = rate_in
        self.rate_out = rate_out
        self._up = rate_out // divisor
        self._down = rate_in // divisor
        self._identity = self._up == self._down
        # Cut-off in cycles per input sample, below the lower of the two Nyquist limits.
        self._cutoff = 0.5 * min(1.0, self._up / self._down) * ROLLOFF
        self._half = max(1, math.ceil(ZERO_CROSSINGS / (2.0 * self._cutoff)))
        self._offsets = np.arange(-self._half + 1, self._half + 1)
        self._table: np.ndarray | None = None
        if self._up * self._offsets.size <= _MAX_TABLE_ENTRIES:
            self._table = self._weights(np.arange(self._up))
        # Input history; _buf[0] is input sample number _buf_start (negative = leading silence).
        self._buf = np.zeros(self._half, dtype=np.float64)
        self._buf_start = -self._half
        self._in_total = 0
        self._next_out = 0

    def process(self, samples: np.ndarray) -> np.ndarray:
        """Feed input samples; return the output samples now fully determined."""
        samples = np.asarray(samples, dtype=np.float64)
        if self._identity:
            self._in_total += samples.size
            return samples.copy()
        self._buf = np.concatenate([self._buf, samples])
        self._in_total += samples.size
        last_base = self._in_total - 1 - self._half
        if last_base < 0:
            return np.zeros(0)
        end = ((last_base + 1) * self._up + self._down - 1) // self._down
        return self._emit(end)

    def flush(self) -> np.ndarray:
        """Return the remaining output, treating the input as followed by silence."""
        if self._identity:
            return np.zeros(0)
        self._buf = np.concatenate([self._buf, np.zeros(self._half)])
        end = (self._in_total * self._up + self._down - 1) // self._down
        return self._emit(end)

    def _emit(self, end: int) -> np.ndarray:
        pieces = []
        for chunk_start in range(self._next_out, end, _CHUNK_OUTPUTS):
            outputs = np.arange(chunk_start, min(end, chunk_start + _CHUNK_OUTPUTS), dtype=np.int64)
            base = outputs * self._down // self._up
            phase = outputs * self._down - base * self._up
            weights = self._table[phase] if self._table is not None else self._weights(phase)
            index = (base - self._buf_start)[:, None] + self._offsets[None, :]
            pieces.append(np.einsum("ij,ij->i", self._buf[index], weights))
        self._next_out = max(self._next_out, end)
        # Keep only the history the next output still needs.
        next_base = self._next_out * self._down // self._up
        keep_from = next_base - self._half + 1 - self._buf_start
        if keep_from > 0:
            self._buf = self._buf[keep_from:]
            self._buf_start += keep_from
        return np.concatenate(pieces) if pieces else np.zeros(0)

    def _weights(self, phases: np.ndarray) -> np.ndarray:
        """Filter taps for outputs that fall `phase / up` of a sample after their base input."""
        distance = self._offsets[None, :] - (phases[:, None] / self._up)
        lowpass = 2.0 * self._cutoff * np.sinc(2.0 * self._cutoff * distance)
        ratio = np.clip(distance / self._half, -1.0, 1.0)
        window = np.i0(KAISER_BETA * np.sqrt(1.0 - ratio * ratio)) / np.i0(KAISER_BETA)
        taps = lowpass * window
        # Unit gain at DC for every phase, so a constant stays exactly constant.
        result: np.ndarray = taps / taps.sum(axis=1, keepdims=True)
        return result


def resample(samples: np.ndarray, rate_in: int, rate_out: int = SAMPLE_RATE) -> np.ndarray:
    """Resample a whole float signal; the result has ceil(n * rate_out / rate_in) samples."""
    resampler = Resampler(rate_in, rate_out)
    return np.concatenate([resampler.process(samples), resampler.flush()])


def float_to_pcm16(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1) to int16 little-endian PCM, clipping what lies outside."""
    scaled = np.rint(np.nan_to_num(np.asarray(samples, dtype=np.float64)) * 32768.0)
    return np.clip(scaled, -32768, 32767).astype("<i2").tobytes()
