"""Read any reasonable WAV file as 16 kHz mono int16 PCM, and write such PCM as a WAV.

The RIFF structure is parsed here rather than with the `wave` module, which
raises EOFError on truncated files and refuses IEEE float and
WAVE_FORMAT_EXTENSIBLE files. Every problem a user can cause becomes an
AudioError naming the file and the fix; nothing else escapes, whatever the bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from audio.compressed import decode
from audio.errors import AudioError
from audio.frames import SAMPLE_RATE, SAMPLE_WIDTH
from audio.resample import float_to_pcm16, resample

FORMAT_PCM = 0x0001
FORMAT_FLOAT = 0x0003
FORMAT_EXTENSIBLE = 0xFFFE

# Every KSDATAFORMAT_SUBTYPE_* GUID for a WAVE format code is the code followed by this tail.
_GUID_TAIL = b"\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"

_CODEC_NAMES = {
    0x0002: "Microsoft ADPCM",
    0x0006: "A-law",
    0x0007: "mu-law",
    0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10",
    0x0050: "MPEG",
    0x0055: "MP3",
}

MIN_RATE = 1_000
MAX_RATE = 768_000
"""Rates outside this range are refused: they are corrupt headers, not microphones."""


@dataclass
class WavAudio:
    """A WAV file's audio, converted to the app's format, with what it was before."""

    pcm: bytes
    """16 kHz mono int16 little-endian PCM."""

    source_rate: int
    """Sample rate of the file, in Hz."""

    source_channels: int
    """Channel count of the file (averaged to mono)."""

    source_format: str
    """Sample format of the file, e.g. "PCM 16-bit", "float 32-bit", "PCM 24-bit (extensible)"."""

    warnings: list[str] = field(default_factory=list)
    """Problems that did not stop the read (e.g. a truncated data chunk); CLI callers print them."""

    @property
    def n_samples(self) -> int:
        """Samples of converted audio."""
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def duration_s(self) -> float:
        """Duration of the converted audio in seconds."""
        return self.n_samples / SAMPLE_RATE


@dataclass(frozen=True)
class _Format:
    code: int
    channels: int
    rate: int
    block_align: int
    bits: int
    extensible: bool


def read_wav(path: str | Path) -> WavAudio:
    """Read a PCM (8/16/24/32-bit) or IEEE float (32/64-bit) WAV as 16 kHz mono int16; a file
    with no RIFF header is decoded by FFmpeg when it can (`audio.compressed`).

    Any rate and channel count are accepted: channels are averaged, the rate is
    converted with a windowed-sinc filter and samples are clipped to int16.
    Raises AudioError, naming the file and the fix, for anything it cannot read.
    """
    path = Path(path)
    data = _read_bytes(path)
    warnings: list[str] = []
    if len(data) >= 12 and data[:4] != b"RIFF" and data[:4] not in _OTHER_WAVES:
        return _decoded_or_refused(path, data)
    fmt, payload = _parse_riff(path, data, warnings)
    samples = _decode(fmt, payload, path, warnings)
    if samples.size == 0:
        warnings.append(f"{path}: contains no audio samples")
    mono = samples.reshape(-1, fmt.channels).mean(axis=1) if samples.size else np.zeros(0)
    if fmt.rate == SAMPLE_RATE and fmt.channels == 1 and fmt.code == FORMAT_PCM and fmt.bits == 16:
        # Already the app's format: keep the exact bytes.
        pcm = payload[: len(payload) - len(payload) % 2]
    else:
        pcm = float_to_pcm16(resample(mono, fmt.rate) if fmt.rate != SAMPLE_RATE else mono)
    return WavAudio(
        pcm=pcm,
        source_rate=fmt.rate,
        source_channels=fmt.channels,
        source_format=_describe(fmt),
        warnings=warnings,
    )


def load_pcm16k(path: str | Path) -> bytes:
    """The file's audio as 16 kHz mono int16 PCM (warnings dropped; read_wav keeps them)."""
    return read_wav(path).pcm


def write_wav(path: str | Path, pcm: bytes, rate: int = SAMPLE_RATE) -> None:
    """Write mono int16 little-endian PCM as a canonical 44-byte-header WAV file."""
    if len(pcm) % SAMPLE_WIDTH:
        raise ValueError("PCM must hold whole int16 samples (even byte count)")
    header = wav_header(len(pcm), rate)
    Path(path).write_bytes(header + pcm)


def wav_header(data_bytes: int, rate: int = SAMPLE_RATE) -> bytes:
    """The 44-byte header of a mono int16 PCM WAV whose data chunk holds `data_bytes`."""
    fmt_chunk = struct.pack(
        "<HHIIHH", FORMAT_PCM, 1, rate, rate * SAMPLE_WIDTH, SAMPLE_WIDTH, 8 * SAMPLE_WIDTH
    )
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt_chunk))
        + fmt_chunk
        + b"data"
        + struct.pack("<I", data_bytes)
    )


def _convert_hint(path: Path) -> str:
    """For a WAV that sox reads (another codec or sample width): a sox command that works."""
    return f"convert it with: sox {path} -b 16 {path.with_name(path.stem + '-16bit.wav')}"


_OTHER_FORMATS = (
    (lambda head: head[:3] == b"ID3" or (head[:1] == b"\xff" and head[1:2] >= b"\xe0"), "an MP3"),
    (lambda head: head[:4] == b"OggS", "an Ogg"),
    (lambda head: head[:4] == b"fLaC", "a FLAC"),
    (lambda head: head[4:8] == b"ftyp", "an MP4 (M4A)"),
    (lambda head: head[:4] == b"\x1aE\xdf\xa3", "a WebM (Matroska)"),
)
"""Audio that is often renamed .wav: sox cannot read most of it, ffmpeg reads all of it."""


_OTHER_WAVES = (b"RIFX", b"RF64", b"BW64")
"""WAV variants this reader refuses with a sox command (FFmpeg would not be needed)."""


def _decoded_or_refused(path: Path, data: bytes) -> WavAudio:
    """A file with no RIFF header: audio FFmpeg decodes (`audio.compressed`), else refused."""
    decoded = decode(path)
    if decoded is None:
        raise _not_a_wav(path, data)
    pcm, rate, channels, codec = decoded
    return WavAudio(pcm=pcm, source_rate=rate, source_channels=channels,
                    source_format=f"{codec} (decoded by FFmpeg)")


def _not_a_wav(path: Path, data: bytes) -> AudioError:
    """What a file without a RIFF/WAVE header is, and a command that really converts it."""
    command = f"ffmpeg -i {path} -ar 16000 -ac 1 {path.with_name(path.stem + '-16k.wav')}"
    for looks_like, name in _OTHER_FORMATS:
        if looks_like(data[:12]):
            return AudioError(
                f"{path} is {name} file, not a WAV (only its name says .wav); convert it "
                f"with: {command} (Debian: sudo apt install ffmpeg)"
            )
    return AudioError(
        f"{path} is not a WAV file (no RIFF/WAVE header); if it is audio in another format, "
        f"convert it with: {command}"
    )


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise AudioError(f"{path} is a directory; give the path of a .wav file") from None
    except OSError as error:
        raise AudioError(
            f"cannot read {path} ({error.strerror or error}); check the file exists and is readable"
        ) from None
    if not data:
        raise AudioError(f"{path} is empty (0 bytes); record it again or point to another WAV file")
    return data


def _parse_riff(path: Path, data: bytes, warnings: list[str]) -> tuple[_Format, bytes]:
    """Find and check the fmt and data chunks; return the format and the data bytes present."""
    if len(data) < 12:
        if data[:4] == b"RIFF"[: len(data)]:
            raise AudioError(
                f"{path} is truncated (header cut short at {len(data)} bytes); "
                "record or export the WAV again"
            )
        raise _not_a_wav(path, data)
    if data[:4] in _OTHER_WAVES and data[8:12] == b"WAVE":
        raise AudioError(
            f"{path} is a {data[:4].decode()} WAV, which is not supported; {_convert_hint(path)}"
        )
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise _not_a_wav(path, data)

    fmt: _Format | None = None
    payload: bytes | None = None
    offset = 12
    while offset + 8 <= len(data):
        chunk_id = data[offset : offset + 4]
        (size,) = struct.unpack_from("<I", data, offset + 4)
        body_start = offset + 8
        body = data[body_start : body_start + size]
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(path, body)
        elif chunk_id == b"data" and payload is None:
            payload = body
            if len(body) < size and size != 0xFFFFFFFF:
                warnings.append(
                    f"{path}: data chunk claims {size} bytes but only {len(body)} are present "
                    "(file truncated?); reading what is there"
                )
        offset = body_start + size + (size & 1)  # chunks are padded to even sizes

    if fmt is None:
        raise AudioError(
            f"{path} has no fmt chunk (not a valid WAV, or its header is truncated); "
            f"{_convert_hint(path)}"
        )
    if payload is None:
        raise AudioError(
            f"{path} has no data chunk (no audio, or the file is truncated); "
            "record or export the WAV again"
        )
    return fmt, payload


def _parse_fmt(path: Path, body: bytes) -> _Format:
    if len(body) < 16:
        raise AudioError(
            f"{path} has a truncated fmt chunk ({len(body)} bytes); record or export the WAV again"
        )
    code, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", body)
    extensible = code == FORMAT_EXTENSIBLE
    if extensible:
        if len(body) < 40:
            raise AudioError(
                f"{path} has a truncated WAVE_FORMAT_EXTENSIBLE fmt chunk; {_convert_hint(path)}"
            )
        guid = body[24:40]
        (code,) = struct.unpack_from("<I", guid)
        if guid[4:] != _GUID_TAIL or code > 0xFFFF:
            raise AudioError(
                f"{path} uses an unsupported extensible sub-format "
                f"({guid.hex()}); {_convert_hint(path)}"
            )
    if code not in (FORMAT_PCM, FORMAT_FLOAT):
        name = _CODEC_NAMES.get(code, "unknown codec")
        raise AudioError(
            f"{path} uses an unsupported codec ({name}, format 0x{code:04X}); {_convert_hint(path)}"
        )
    if channels == 0:
        raise AudioError(f"{path} says it has 0 channels (corrupt header); {_convert_hint(path)}")
    if rate == 0:
        raise AudioError(
            f"{path} says its sample rate is 0 Hz (corrupt header); {_convert_hint(path)}"
        )
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(
            f"{path} has a sample rate of {rate} Hz (outside {MIN_RATE}-{MAX_RATE}); "
            f"resample it with: sox {path} -r 16000 -b 16 {path.with_name(path.stem + '-16k.wav')}"
        )
    container = _container_bytes(channels, block_align, bits)
    allowed = (4, 8) if code == FORMAT_FLOAT else (1, 2, 3, 4)
    if container not in allowed:
        kind = "float" if code == FORMAT_FLOAT else "PCM"
        raise AudioError(
            f"{path} uses {kind} with {bits}-bit samples, which is not supported; "
            f"{_convert_hint(path)}"
        )
    return _Format(code, channels, rate, container * channels, container * 8, extensible)


def _container_bytes(channels: int, block_align: int, bits: int) -> int:
    """Bytes per sample as stored: block_align is authoritative when it is consistent."""
    if block_align and block_align % channels == 0:
        return block_align // channels
    return (bits + 7) // 8


def _decode(fmt: _Format, payload: bytes, path: Path, warnings: list[str]) -> np.ndarray:
    """Interleaved samples as float64 in [-1, 1) (whole frames only)."""
    usable = len(payload) - len(payload) % fmt.block_align
    if usable != len(payload):
        warnings.append(
            f"{path}: data ends in a partial sample frame; ignoring its last "
            f"{len(payload) - usable} bytes"
        )
    raw = payload[:usable]
    width = fmt.bits // 8
    if fmt.code == FORMAT_FLOAT:
        values = np.frombuffer(raw, dtype="<f4" if width == 4 else "<f8").astype(np.float64)
        return np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=-1.0)
    if width == 1:
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    if width == 3:
        triples = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        packed = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        signed = np.where(packed >= 1 << 23, packed - (1 << 24), packed)
        return signed.astype(np.float64) / float(1 << 23)
    return np.frombuffer(raw, dtype="<i4").astype(np.float64) / float(1 << 31)


def _describe(fmt: _Format) -> str:
    kind = "float" if fmt.code == FORMAT_FLOAT else "PCM"
    suffix = " (extensible)" if fmt.extensible else ""
    return f"{kind} {fmt.bits}-bit{suffix}"
