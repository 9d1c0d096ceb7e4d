"""Writing audio to WAV files: a whole timeline with silent gaps, or speech back to back.

Both write 16 kHz mono int16 and keep the header valid after every write, so an
interrupted run still leaves a playable file. They are for the user's explicit
outputs (`checkin demo --record`, `--say-to`); raw microphone audio is never stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Self

from audio.errors import AudioError
from audio.frames import SAMPLE_WIDTH, Frame
from audio.wav import wav_header


class _WavFile:
    """An open mono int16 WAV whose header is rewritten as data is appended."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._file: BinaryIO = self.path.open("wb")
        except OSError as error:
            raise AudioError(
                f"cannot write {self.path} ({error.strerror or error}); choose a writable path"
            ) from None
        self.samples_written = 0
        self._file.write(wav_header(0))

    def _append(self, pcm: bytes) -> None:
        self._file.seek(0, 2)
        self._file.write(pcm)
        self.samples_written += len(pcm) // SAMPLE_WIDTH
        self._file.seek(0)
        self._file.write(wav_header(self.samples_written * SAMPLE_WIDTH))
        self._file.flush()

    def close(self) -> None:
        """Finish the file."""
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class TimelineWavWriter(_WavFile):
    """One WAV of a whole session: each frame at its clock position, silence in the gaps.

    Frames must arrive in clock order; a frame overlapping audio already written
    has its overlapping part dropped (half-duplex means this should not happen).
    """

    def write(self, frame: Frame) -> None:
        """Place `frame` at `frame.start` on the timeline."""
        gap = frame.start - self.samples_written
        pcm = frame.pcm
        if gap < 0:
            pcm = pcm[-gap * SAMPLE_WIDTH :]
            gap = 0
        if pcm:
            self._append(bytes(gap * SAMPLE_WIDTH) + pcm)

    def write_pcm(self, pcm: bytes, start: int) -> None:
        """Place continuous PCM starting at clock position `start`."""
        self.write(Frame(pcm, start))


class AppendingWavWriter(_WavFile):
    """The assistant's speech only, utterance after utterance with nothing between (--say-to)."""

    def write(self, pcm: bytes) -> None:
        """Append 16 kHz mono int16 PCM."""
        if pcm:
            self._append(pcm)
