"""Audio the benchmarks run on, generated offline with flite, espeak-ng, sox and numpy.

Clips are synthesised once into the benchmark cache (synthesis is not what is
measured) and read back through the app's own WAV reader. The wake-phrase
streams come from the project's generator in tests/wake_streams.py, the same
one the wake tests use.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio.frames import SAMPLE_RATE, SAMPLE_WIDTH
from audio.noise import ROOM_NOISE_LEVEL, mains_hum, room_noise
from audio.wav import load_pcm16k, write_wav

PEAK_WINDOW = 160
"""10 ms windows for finding where speech starts and ends in a clip."""

PEAK_FLOOR = 0.02
"""A window counts as speech when its peak exceeds this fraction of the clip's peak."""


def flite_pcm(cache_dir: Path, voice: str, text: str) -> bytes:
    """`text` spoken by flite's `voice`, untrimmed, as 16 kHz mono int16 PCM (cached)."""
    folder = cache_dir / "clips"
    folder.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(f"{voice}|{text}".encode()).hexdigest()[:16]
    path = folder / f"flite-{voice}-{key}.wav"
    if not path.exists():
        partial = path.with_suffix(".part.wav")
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(partial)],
                       check=True, capture_output=True)
        partial.replace(path)
    return load_pcm16k(path)


def speech_extent(pcm: bytes) -> tuple[int, int]:
    """Sample positions of the first and just after the last loud 10 ms window."""
    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))
    n = len(samples) // PEAK_WINDOW
    if n == 0:
        return 0, 0
    peaks = samples[: n * PEAK_WINDOW].reshape(n, PEAK_WINDOW).max(axis=1)
    loud = np.flatnonzero(peaks > PEAK_FLOOR * max(int(peaks.max()), 1))
    if loud.size == 0:
        return 0, 0
    return int(loud[0]) * PEAK_WINDOW, int(loud[-1] + 1) * PEAK_WINDOW


def silence(seconds: float) -> bytes:
    return bytes(SAMPLE_WIDTH * int(round(seconds * SAMPLE_RATE)))


@dataclass(frozen=True)
class Answer:
    """A partner's spoken answer: one clip, or clips joined by pauses (a reflective answer)."""

    pcm: bytes
    speech_start: int
    """Sample where speech begins in `pcm`."""
    speech_end: int
    """Sample just after the last speech in `pcm`."""
    last_part_start: int
    """Sample where the last part's speech begins (== speech_start without pauses)."""

    @property
    def has_pause(self) -> bool:
        return self.last_part_start > self.speech_start


def answer(cache_dir: Path, voice: str, parts: list[str], pause_s: float = 0.6) -> Answer:
    """`parts` spoken by `voice` and joined by `pause_s` of digital silence."""
    pieces: list[bytes] = []
    last_start = 0
    for index, part in enumerate(parts):
        if index:
            pieces.append(silence(pause_s))
        clip = flite_pcm(cache_dir, voice, part)
        last_start = sum(len(piece) for piece in pieces) // SAMPLE_WIDTH + speech_extent(clip)[0]
        pieces.append(clip)
    pcm = b"".join(pieces)
    start, end = speech_extent(pcm)
    return Answer(pcm, start, end, last_start)


def save_wav(cache_dir: Path, name: str, pcm: bytes) -> Path:
    """Write `pcm` as a 16 kHz mono WAV in the cache (replies for a scripted session)."""
    folder = cache_dir / "wavs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.wav"
    write_wav(path, pcm)
    return path


TV_SENTENCES = (
    "Good evening, here is the news at nine.",
    "The minister said the new bridge will open in the spring.",
    "Heavy rain is expected across the north tomorrow afternoon.",
    "And now the football, where the home side won two goals to one.",
    "Stay with us after the break for the film of the week.",
    "Prices in the shops rose again last month, the report says.",
    "The museum will be open late on Fridays all summer.",
    "Scientists have found a new species of frog in the mountains.",
    "Traffic on the ring road is moving slowly after an accident.",
    "That is all from us tonight, thank you for watching.",
)
TV_VOICES = ("slt", "rms", "awb", "kal16")


def no_wake_audio(cache_dir: Path, seconds: float, seed: int = 3) -> bytes:
    """`seconds` of a living room with no wake phrase: a third each of quiet, noise and TV talk.

    Quiet: digital zeros and quiet room noise. Noise: louder room noise with mains
    hum. TV: flite newsreader sentences back to back over room noise.
    """
    rng = np.random.default_rng(seed)
    third = int(seconds * SAMPLE_RATE / 3)
    quiet = np.concatenate([np.zeros(third // 2, dtype="<i2"),
                            room_noise(rng, third - third // 2, ROOM_NOISE_LEVEL)])
    noisy = (room_noise(rng, third, 0.01).astype(np.int32)
             + mains_hum(0, third, 0.01).astype(np.int32))
    talk: list[np.ndarray] = []
    filled = 0
    index = 0
    while filled < third:
        voice = TV_VOICES[index % len(TV_VOICES)]
        text = TV_SENTENCES[index % len(TV_SENTENCES)]
        clip = np.frombuffer(flite_pcm(cache_dir, voice, text), dtype="<i2")
        gap = np.zeros(int(rng.uniform(0.2, 0.8) * SAMPLE_RATE), dtype="<i2")
        talk += [clip, gap]
        filled += clip.size + gap.size
        index += 1
    tv = np.concatenate(talk)[:third].astype(np.int32) + room_noise(rng, third, ROOM_NOISE_LEVEL)
    mixed = np.concatenate([quiet.astype(np.int32), noisy, tv])
    return np.clip(mixed, -32768, 32767).astype("<i2").tobytes()
