"""WAV reading: every accepted format becomes 16 kHz mono; every bad file gets its own error."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from audio_helpers import (
    as_float,
    dominant_frequency,
    encoded,
    flite_wav,
    rms,
    tone,
    write_wav_any,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audio.errors import AudioError
from audio.frames import SAMPLE_RATE
from audio.resample import Resampler, float_to_pcm16, resample
from audio.wav import read_wav, wav_header, write_wav

TONE_HZ = 440.0
TONE_RMS = 0.5 / np.sqrt(2)


@pytest.fixture(scope="session")
def wav_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("wavs")


@pytest.fixture(scope="session")
def speech_wav(wav_dir: Path) -> Path:
    return flite_wav(wav_dir / "speech.wav", "How was your day together?", "slt")


def _stereo(mono: np.ndarray) -> np.ndarray:
    return np.stack([mono, mono], axis=1)


CONVERSIONS = {
    "8k-pcm8": (8_000, "pcm8", False, 1),
    "8k-pcm16": (8_000, "pcm16", False, 1),
    "22050-pcm24": (22_050, "pcm24", False, 1),
    "44100-stereo-pcm16": (44_100, "pcm16", False, 2),
    "48k-float32-stereo": (48_000, "float32", False, 2),
    "48k-float64-stereo": (48_000, "float64", False, 2),
    "32k-pcm32": (32_000, "pcm32", False, 1),
    "extensible-24bit-96k": (96_000, "pcm24", True, 2),
    "extensible-float-44100": (44_100, "float32", True, 1),
}


@pytest.mark.parametrize("name", sorted(CONVERSIONS))
def test_tone_survives_conversion_to_16k_mono(wav_dir: Path, name: str) -> None:
    rate, encoding, extensible, channels = CONVERSIONS[name]
    samples = tone(TONE_HZ, 1.0, rate)
    if channels == 2:
        samples = _stereo(samples)
    path = write_wav_any(
        wav_dir / f"{name}.wav", samples, rate, encoding=encoding, extensible=extensible
    )

    audio = read_wav(path)

    assert audio.source_rate == rate
    assert audio.source_channels == channels
    assert audio.warnings == []
    assert audio.duration_s == pytest.approx(1.0, abs=1e-3)
    assert dominant_frequency(audio.pcm) == pytest.approx(TONE_HZ, abs=2.0)
    tolerance = 0.02 if encoding == "pcm8" else 0.003
    assert rms(audio.pcm) == pytest.approx(TONE_RMS, abs=tolerance)
    # Sample by sample against the ideal 16 kHz tone, away from the edges.
    ideal = tone(TONE_HZ, 1.0, SAMPLE_RATE)
    error = np.abs(as_float(audio.pcm)[200:-200] - ideal[200:-200]).max()
    assert error < (0.02 if encoding == "pcm8" else 0.002)


def test_source_format_is_described(wav_dir: Path) -> None:
    path = write_wav_any(
        wav_dir / "ext.wav", tone(TONE_HZ, 0.1, 48_000), 48_000, encoding="float32", extensible=True
    )
    assert read_wav(path).source_format == "float 32-bit (extensible)"


def test_sox_written_files_are_read(wav_dir: Path) -> None:
    # sox writes 24-bit as WAVE_FORMAT_EXTENSIBLE: a real-world writer, not ours.
    path = wav_dir / "sox24.wav"
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "22050",
            "-c",
            "2",
            "-b",
            "24",
            str(path),
            "synth",
            "0.5",
            "sine",
            "440",
            "vol",
            "0.5",
        ],
        check=True,
    )
    audio = read_wav(path)
    assert audio.source_format == "PCM 24-bit (extensible)"
    assert dominant_frequency(audio.pcm) == pytest.approx(TONE_HZ, abs=3.0)


def test_flite_speech_at_16k_is_kept_bit_exact(speech_wav: Path) -> None:
    audio = read_wav(speech_wav)
    assert audio.source_rate == SAMPLE_RATE
    assert audio.pcm == speech_wav.read_bytes()[44:]
    assert rms(audio.pcm) > 0.01


def test_loud_float_is_clipped_not_wrapped(wav_dir: Path) -> None:
    path = write_wav_any(
        wav_dir / "loud.wav", tone(TONE_HZ, 0.2, 16_000, amplitude=3.0), 16_000, encoding="float32"
    )
    samples = np.frombuffer(read_wav(path).pcm, "<i2")
    assert samples.max() == 32767 and samples.min() == -32768
    # Wrapping would put negative samples right after the positive peaks.
    assert np.sum(np.abs(np.diff(samples.astype(np.int32))) > 40000) == 0


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    pcm = np.arange(-1000, 1000, dtype="<i2").tobytes()
    write_wav(tmp_path / "out.wav", pcm)
    assert read_wav(tmp_path / "out.wav").pcm == pcm


def test_resampler_streams_identically_to_one_shot() -> None:
    signal = tone(300.0, 0.5, 44_100) + tone(5000.0, 0.5, 44_100, amplitude=0.2)
    whole = resample(signal, 44_100)
    streaming = Resampler(44_100)
    pieces = [streaming.process(signal[i : i + 441]) for i in range(0, signal.size, 441)]
    assert np.array_equal(np.concatenate([*pieces, streaming.flush()]), whole)


def test_resampler_removes_what_16k_cannot_hold() -> None:
    # A 12 kHz tone would alias to 4 kHz if not filtered out before decimation.
    aliased = resample(tone(12_000.0, 0.5, 48_000), 48_000)
    assert np.abs(aliased[500:-500]).max() < 0.001


# ---------------------------------------------------------------- bad files


def _header_only(fmt_code: int) -> bytes:
    fmt = struct.pack("<HHIIHH", fmt_code, 1, 8000, 8000, 1, 8)
    data = bytes(800)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data))
    return b"RIFF" + struct.pack("<I", len(body) + len(data)) + body + data


def _valid_bytes() -> bytes:
    return wav_header(3200) + np.zeros(1600, "<i2").tobytes()


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "is empty"),
    "not-riff": (b"ID3\x03\x00" + bytes(100), "an MP3 file, not a WAV"),
    "text": (b"hello, this is a text file\n", "not a WAV file"),
    "truncated-header": (b"RIFF\x10\x00", "truncated"),
    "riff-without-fmt": (b"RIFF" + struct.pack("<I", 4) + b"WAVE", "no fmt chunk"),
    "fmt-cut-short": (_valid_bytes()[:30], "truncated fmt chunk"),
    "no-data-chunk": (_valid_bytes()[:36], "no data chunk"),
    "mu-law": (_header_only(7), "mu-law"),
    "adpcm": (_header_only(2), "ADPCM"),
    "zero-channels": (_valid_bytes()[:22] + b"\x00\x00" + _valid_bytes()[24:], "0 channels"),
    "zero-rate": (_valid_bytes()[:24] + bytes(4) + _valid_bytes()[28:], "0 Hz"),
    "rifx": (b"RIFX" + _valid_bytes()[4:], "not supported"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gets_its_own_error_naming_the_file(tmp_path: Path, name: str) -> None:
    content, expected = BAD_FILES[name]
    path = tmp_path / f"{name}.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as raised:
        read_wav(path)
    message = str(raised.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message


def test_unsupported_codec_says_how_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "phone.wav"
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-e", "mu-law", str(path), "synth", "0.2", "sine", "440"],
        check=True,
    )
    with pytest.raises(AudioError, match=r"convert it with: sox .*phone\.wav -b 16 .*\.wav"):
        read_wav(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="no such file"):
        read_wav(tmp_path / "nowhere.wav")
    with pytest.raises(AudioError, match="is a directory"):
        read_wav(tmp_path)


def test_truncated_data_is_read_as_far_as_it_goes_with_a_warning(tmp_path: Path) -> None:
    pcm = (np.ones(1600) * 1000).astype("<i2").tobytes()
    path = tmp_path / "cut.wav"
    path.write_bytes(wav_header(len(pcm)) + pcm[:1000])
    audio = read_wav(path)
    assert audio.pcm == pcm[:1000]
    assert len(audio.warnings) == 1
    assert "claims 3200 bytes but only 1000" in audio.warnings[0]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_only_ever_raise_audio_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fuzz.wav"
    path.write_bytes(content)
    try:
        read_wav(path)
    except AudioError:
        pass


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.sampled_from([1, 3, 0xFFFE, 7, 0]),
    channels=st.integers(0, 70_000),
    rate=st.integers(0, 2**32 - 1),
    block_align=st.integers(0, 70_000),
    bits=st.integers(0, 70_000),
    tail=st.binary(max_size=300),
)
def test_plausible_headers_with_wild_fields_only_raise_audio_error(
    tmp_path: Path, code: int, channels: int, rate: int, block_align: int, bits: int, tail: bytes
) -> None:
    fmt = struct.pack("<HHIIHH", code, channels % 65536, rate, 0, block_align % 65536, bits % 65536)
    fmt += tail[:24]
    body = (
        b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", len(tail))
        + tail
    )
    path = tmp_path / "wild.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    try:
        read_wav(path)
    except AudioError:
        pass


def test_a_flac_file_reads_as_the_very_samples_of_its_wav(tmp_path: Path) -> None:
    """Lossless, so FFmpeg's decoding (`audio.compressed`) must give the WAV's samples back."""
    source = tmp_path / "tone.wav"
    pcm = float_to_pcm16(0.3 * np.sin(np.arange(16_000) * 2 * np.pi * 440 / SAMPLE_RATE))
    write_wav(source, pcm)
    target = encoded(source, tmp_path / "tone.flac", "flac", "flac")
    audio = read_wav(target)
    assert audio.pcm == pcm
    assert (audio.source_rate, audio.source_channels) == (SAMPLE_RATE, 1)
    assert "flac" in audio.source_format
