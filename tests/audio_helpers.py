"""Real audio for tests: flite speech, numpy tones and WAV files in any format.

Everything here produces real bytes that the audio layer reads back, so the
tests exercise the same code paths as a user's own files.
"""

from __future__ import annotations

import struct
import subprocess
from functools import lru_cache
from pathlib import Path

import numpy as np

from audio.frames import SAMPLE_RATE
from audio.wav import load_pcm16k, write_wav

FLITE_VOICES = ("slt", "rms", "awb", "kal16")

_EXTENSIBLE_TAIL = b"\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def flite_wav(path: Path, text: str, voice: str = "slt") -> Path:
    """Synthesize `text` with flite into `path` (flite's own WAV format) and return it."""
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True)
    return path


@lru_cache(maxsize=256)
def flite_pcm(directory: Path, text: str, voice: str = "slt") -> bytes:
    """`text` spoken by a flite voice as 16 kHz mono int16 PCM."""
    safe = "".join(c if c.isalnum() else "_" for c in text)[:40]
    return load_pcm16k(flite_wav(directory / f"{voice}-{safe}.wav", text, voice))


def silence_pcm(seconds: float) -> bytes:
    """Digital zeros at 16 kHz."""
    return bytes(2 * int(round(seconds * SAMPLE_RATE)))


def spoken_with_pauses(
    directory: Path, parts: list[str], pause_s: float, voice: str = "slt"
) -> bytes:
    """Several flite clips joined by `pause_s` of digital silence: a reflective answer."""
    pieces: list[bytes] = []
    for index, part in enumerate(parts):
        if index:
            pieces.append(silence_pcm(pause_s))
        pieces.append(flite_pcm(directory, part, voice))
    return b"".join(pieces)


def tone(
    freq: float, seconds: float, rate: int = SAMPLE_RATE, amplitude: float = 0.5
) -> np.ndarray:
    """A sine tone as float samples in [-1, 1)."""
    t = np.arange(int(round(seconds * rate))) / rate
    return amplitude * np.sin(2 * np.pi * freq * t)


def write_wav_any(
    path: Path,
    samples: np.ndarray,
    rate: int,
    *,
    encoding: str = "pcm16",
    extensible: bool = False,
) -> Path:
    """Write float samples (shape (n,) or (n, channels)) as a WAV in the given encoding.

    encoding: "pcm8", "pcm16", "pcm24", "pcm32", "float32" or "float64".
    """
    frames = samples.reshape(len(samples), -1)
    channels = frames.shape[1]
    flat = frames.reshape(-1)
    if encoding == "pcm8":
        data = np.clip(np.rint(flat * 128 + 128), 0, 255).astype(np.uint8).tobytes()
        code, width = 1, 1
    elif encoding == "pcm16":
        data = np.clip(np.rint(flat * 32768), -32768, 32767).astype("<i2").tobytes()
        code, width = 1, 2
    elif encoding == "pcm24":
        ints = np.clip(np.rint(flat * (1 << 23)), -(1 << 23), (1 << 23) - 1).astype("<i4")
        data = ints.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
        code, width = 1, 3
    elif encoding == "pcm32":
        data = np.clip(np.rint(flat * (1 << 31)), -(1 << 31), (1 << 31) - 1).astype("<i4").tobytes()
        code, width = 1, 4
    elif encoding in ("float32", "float64"):
        data = flat.astype("<f4" if encoding == "float32" else "<f8").tobytes()
        code, width = 3, 4 if encoding == "float32" else 8
    else:
        raise ValueError(encoding)
    block = width * channels
    fmt = struct.pack("<HHIIHH", code, channels, rate, rate * block, block, width * 8)
    if extensible:
        guid = struct.pack("<I", code) + _EXTENSIBLE_TAIL
        fmt = struct.pack("<HHIIHH", 0xFFFE, channels, rate, rate * block, block, width * 8)
        fmt += struct.pack("<HHI", 22, width * 8, 0) + guid
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def write_pcm(path: Path, pcm: bytes) -> Path:
    """Write 16 kHz mono int16 PCM as a WAV and return the path."""
    write_wav(path, pcm)
    return path


def as_float(pcm: bytes) -> np.ndarray:
    """16-bit PCM bytes as floats in [-1, 1)."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0


def dominant_frequency(pcm: bytes, rate: int = SAMPLE_RATE) -> float:
    """Frequency in Hz of the strongest spectral peak."""
    samples = as_float(pcm)
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.argmax(spectrum) * rate / samples.size)


def rms(pcm: bytes) -> float:
    """Root-mean-square level of PCM, as a fraction of full scale."""
    samples = as_float(pcm)
    return float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0


def encoded(source: Path, target: Path, codec: str, container: str) -> Path:
    """`source` (a WAV) encoded by FFmpeg, through PyAV, as `codec` in a `container` file."""
    import av

    with av.open(str(source)) as wav, av.open(str(target), "w", format=container) as out:
        stream = out.add_stream(codec, rate=16_000, layout="mono")
        for frame in wav.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return target
