"""Frame sources that stand in for the microphone: a WAV file, scripted replies, generators.

All of them run on the one audio clock: frames are stamped with their sample
position, and `skip_to(p)` moves the clock so the next frame starts at p or
later (the assistant was speaking; the room's time passed meanwhile).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from audio.errors import AudioError
from audio.frames import FRAME_SAMPLES, SAMPLE_WIDTH, Frame, to_samples
from audio.noise import ROOM_NOISE_LEVEL, mains_hum, room_noise
from audio.wav import read_wav


class _ClockedSource:
    """The clock and the no-op parts of the FrameSource protocol shared by file-like sources."""

    def __init__(self, block: int) -> None:
        if block <= 0:
            raise ValueError(f"block must be a positive number of samples, got {block}")
        self.block = block
        self.position = 0
        """Sample position of the next frame on the audio clock."""

    def skip_to(self, position: int) -> None:
        """Drop input up to `position`; the next frame starts there (never moves backwards)."""
        self.position = max(self.position, position)

    def listening_started(self) -> None:
        """Nothing to do: this source does not react to listening."""

    def listening_ended(self, heard: bool) -> None:
        """Nothing to do: this source does not react to listening."""

    def close(self) -> None:
        """Nothing to release."""


class WavFileSource(_ClockedSource):
    """One WAV file as one continuous stream, sample 0 of the file at clock position 0."""

    def __init__(self, path: str | Path, block: int = FRAME_SAMPLES) -> None:
        super().__init__(block)
        audio = read_wav(path)
        self.path = Path(path)
        self.warnings: list[str] = list(audio.warnings)
        """Conversion warnings (e.g. a truncated file) for the caller to print."""
        self._pcm = audio.pcm
        self.duration_samples = audio.n_samples

    def read(self) -> Frame | None:
        """The next block of the file, or None at its end."""
        if self.position >= self.duration_samples:
            return None
        start = self.position
        pcm = self._pcm[start * SAMPLE_WIDTH : (start + self.block) * SAMPLE_WIDTH]
        self.position += len(pcm) // SAMPLE_WIDTH
        return Frame(pcm, start)


class RepliesSource(_ClockedSource):
    """Scripted replies: each listening hears the next file, then quiet room noise.

    Outside listenings the room is quiet too (noise). After the last file only
    noise follows, and `read()` returns None once the listening that heard the
    last file has ended. Every file is read and checked when the source is made.
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        noise_level: float = ROOM_NOISE_LEVEL,
        seed: int = 0,
        block: int = FRAME_SAMPLES,
    ) -> None:
        super().__init__(block)
        if not paths:
            raise AudioError("no reply files given; pass at least one WAV file to --replies")
        self.paths = [Path(p) for p in paths]
        self.warnings: list[str] = []
        """Conversion warnings of all files, for the caller to print."""
        self._replies: list[bytes] = []
        for path in self.paths:
            audio = read_wav(path)
            self.warnings.extend(audio.warnings)
            self._replies.append(audio.pcm)
        self.noise_level = noise_level
        self._rng = np.random.default_rng(seed)
        self.replies_fed = 0
        """How many files have started playing."""
        self._current = b""
        self._offset = 0
        self._listening = False
        self._exhausted = False

    @property
    def exhausted(self) -> bool:
        """True once the last file was fed and the listening that heard it ended."""
        return self._exhausted

    def listening_started(self) -> None:
        """Start feeding the next reply file, if any remain."""
        self._listening = True
        if self.replies_fed < len(self._replies):
            self._current = self._replies[self.replies_fed]
            self._offset = 0
            self.replies_fed += 1

    def listening_ended(self, heard: bool) -> None:
        """Stop feeding (the rest of an interrupted file is dropped); end after the last file."""
        self._listening = False
        self._current = b""
        self._offset = 0
        if self.replies_fed == len(self._replies):
            self._exhausted = True

    def skip_to(self, position: int) -> None:
        """Move the clock; any reply being fed loses the part spoken over the skipped time."""
        skipped = max(0, position - self.position)
        self._offset += skipped * SAMPLE_WIDTH
        super().skip_to(position)

    def read(self) -> Frame | None:
        """Reply audio while a file is being fed, room noise otherwise; None when exhausted."""
        if self._exhausted:
            return None
        samples = room_noise(self._rng, self.block, self.noise_level)
        reply = self._current[self._offset : self._offset + self.block * SAMPLE_WIDTH]
        if reply:
            spoken = np.frombuffer(reply, dtype="<i2")
            samples[: spoken.size] = spoken
            self._offset += len(reply)
        frame = Frame(samples.tobytes(), self.position)
        self.position += self.block
        return frame


class SilenceSource(_ClockedSource):
    """Digital zeros, for `seconds` of clock time (forever when None)."""

    def __init__(self, seconds: float | None = None, block: int = FRAME_SAMPLES) -> None:
        super().__init__(block)
        self._end = None if seconds is None else to_samples(seconds)

    def read(self) -> Frame | None:
        """A block of zeros, or None once the clock passes the end."""
        n = _block_before(self.position, self._end, self.block)
        if n == 0:
            return None
        frame = Frame(bytes(n * SAMPLE_WIDTH), self.position)
        self.position += n
        return frame


class NoiseSource(_ClockedSource):
    """Deterministic room noise (gaussian) or mains hum at RMS `level`, for `seconds` of clock."""

    def __init__(
        self,
        level: float = ROOM_NOISE_LEVEL,
        seconds: float | None = None,
        kind: str = "room",
        seed: int = 0,
        hum_hz: float = 50.0,
        block: int = FRAME_SAMPLES,
    ) -> None:
        super().__init__(block)
        if kind not in ("room", "hum"):
            raise ValueError(f'kind must be "room" or "hum", got {kind!r}')
        self.kind = kind
        self.level = level
        self.hum_hz = hum_hz
        self._rng = np.random.default_rng(seed)
        self._end = None if seconds is None else to_samples(seconds)

    def read(self) -> Frame | None:
        """A block of noise or hum, or None once the clock passes the end."""
        n = _block_before(self.position, self._end, self.block)
        if n == 0:
            return None
        if self.kind == "hum":
            samples = mains_hum(self.position, n, self.level, self.hum_hz)
        else:
            samples = room_noise(self._rng, n, self.level)
        frame = Frame(samples.tobytes(), self.position)
        self.position += n
        return frame


def _block_before(position: int, end: int | None, block: int) -> int:
    """Samples of the next block that fit before `end` (a whole block when there is no end)."""
    if end is None:
        return block
    return max(0, min(block, end - position))
