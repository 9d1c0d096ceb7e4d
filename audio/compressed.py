"""Audio that is not a WAV (MP3, FLAC, Ogg, M4A, WebM...), decoded with PyAV.

Recordings of people come as phone memos and podcast files more often than as WAVs. PyAV
(FFmpeg's decoders in a wheel) is already installed with faster-whisper, so these are read
rather than refused; without it, or when FFmpeg cannot decode the file, the caller says how
to convert it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from audio.frames import SAMPLE_RATE


def decode(path: Path) -> tuple[bytes, int, int, str] | None:
    """(16 kHz mono int16 PCM, source rate, source channels, codec name) of the file's first
    audio stream; None when PyAV is missing or cannot decode it."""
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                return None
            stream = container.streams.audio[0]
            rate, channels = stream.rate or 0, stream.channels or 0
            codec = stream.codec_context.name
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            chunks = []
            for frame in container.decode(stream):
                chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
            chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    except (av.FFmpegError, OSError, ValueError):
        return None
    if not chunks or rate <= 0:
        return None
    return np.concatenate(chunks).astype("<i2").tobytes(), rate, channels, codec
