"""Training examples for a wake head: synthetic voices saying things in simulated rooms.

Every example is a clip as the microphone would hear it (a voice at some distance in a
reverberant room, at a low level, over noise or other talk), turned into the embedding
windows the detector scores. Positives are windows that end just after the phrase; windows
of near misses, other talk and noise are negatives, and so are windows that hold only the
start of the phrase ("hey check"), so the head waits for the whole of it.

Only espeak-ng and flite are used (the app's own Debian packages), and never festival, Piper
or espeak-ng's West Midlands accent: those are the held-out families of the tests
(benchmarks/wake_room_recipes.py). Rooms here are statistical (decaying noise), not the
image-source rooms of the tests.
"""

from __future__ import annotations

import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.wake_classifier import Speaker, espeak_variants
from training.wake_head.embedding import STEP_SAMPLES, FeatureModels, embeddings_of

RATE = 16_000
HEAD_STEPS = 16
"""Embeddings one head decision looks at: 1.28 s of audio."""
FIRST_STEP = 9
"""Steps before the first embedding exists (its 0.775 s of mel frames)."""

ESPEAK_BASES = ("en", "en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp",
                "en-029", "en-us-nyc")
"""Every English espeak-ng accent but West Midlands (gbcwmd: held out of training)."""
FLITE_VOICES = ("slt", "rms", "awb", "kal16")


def speakers(rng: np.random.Generator, espeak_count: int) -> list[Speaker]:
    """espeak-ng accents with random variants (the old classifier's: none of the flat
    VALIDATION and OTHER_VOICES streams' m1, f2, f3, m7), speeds and pitches, and flite's."""
    variants = espeak_variants()
    chosen = [Speaker("espeak", f"{rng.choice(ESPEAK_BASES)}+{rng.choice(variants)}",
                      float(rng.uniform(0.7, 1.2)), float(rng.uniform(15, 85)))
              for _ in range(espeak_count)]
    # flite's voices are recorded people cut into diphones, nearer to a person in a room than
    # espeak-ng's formants: a third of the speakers, each at its own speed and pitch.
    for _ in range(max(1, espeak_count // 2 // len(FLITE_VOICES))):
        for voice in FLITE_VOICES:
            chosen.append(Speaker("flite", voice, float(rng.uniform(0.8, 1.2)),
                                  float(rng.choice([0, 0, rng.uniform(80, 220)]))))
    return chosen


def synthesize(speaker: Speaker, text: str) -> np.ndarray:
    """The speaker saying `text`: float samples at 16 kHz, int16 scale, silence trimmed."""
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "say.wav"
        command = speaker.command(text, out)
        subprocess.run(command, check=True, capture_output=True)
        with wave.open(str(out)) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(np.float64)
    return _trim(resample(samples, rate, RATE))


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Band-limited resampling by the FFT (no aliasing, no extra dependency)."""
    if rate == target or samples.size == 0:
        return samples
    n = int(round(samples.size * target / rate))
    spectrum = np.fft.rfft(samples)
    keep = n // 2 + 1
    spectrum = spectrum[:keep] if keep <= spectrum.size else np.pad(
        spectrum, (0, keep - spectrum.size))
    return np.fft.irfft(spectrum, n) * (n / samples.size)


def _trim(samples: np.ndarray, floor: float = 0.01) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > floor * max(np.abs(samples).max(), 1.0))
    return samples[loud[0]:loud[-1] + 1] if loud.size else samples[:0]


def room_response(rng: np.random.Generator) -> np.ndarray:
    """A statistical room impulse response: the direct sound, then a decaying noise tail.

    RT60 0.15-0.8 s and a direct-to-reverberant ratio from -3 to +12 dB: a close talker in a
    soft room to a far one in a bare room.
    """
    rt60 = rng.uniform(0.15, 0.8)
    n = int(rt60 * RATE)
    t = np.arange(n) / RATE
    tail = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
    # Walls absorb highs faster than lows: a one-pole low-pass that closes with time.
    tail = np.cumsum(tail * 0.5) * 0.1 + tail * np.exp(-t / (rt60 / 3))
    onset = int(rng.uniform(0.002, 0.012) * RATE)
    tail[:onset] = 0.0
    drr_db = rng.uniform(-8, 12)
    tail *= 10 ** (-drr_db / 20) / max(np.sqrt(np.sum(tail**2)), 1e-9)
    response = tail
    response[0] = 1.0
    return response


def convolve(samples: np.ndarray, response: np.ndarray) -> np.ndarray:
    n = samples.size + response.size - 1
    size = 1 << (n - 1).bit_length()
    out = np.fft.irfft(np.fft.rfft(samples, size) * np.fft.rfft(response, size), size)
    return out[:n]


def noise(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS noise: "white", "pink", "brown" or "hum" (a fan or fridge: low broadband
    with a mains tone)."""
    white = rng.standard_normal(n)
    if kind == "white":
        return white
    spectrum = np.fft.rfft(white)
    f = np.maximum(np.fft.rfftfreq(n, 1 / RATE), 20.0)
    if kind == "pink":
        shaped = np.fft.irfft(spectrum / np.sqrt(f), n)
    elif kind == "brown":
        shaped = np.fft.irfft(spectrum / f, n)
    else:
        shaped = np.fft.irfft(spectrum / (1 + (f / 300) ** 2), n)
        shaped = shaped / float(np.std(shaped)) + 0.5 * np.sin(2 * np.pi * rng.choice([50, 60, 100])
                                                         * np.arange(n) / RATE)
    return shaped / max(float(np.std(shaped)), 1e-9)


@dataclass(frozen=True)
class Scene:
    """How one clip is heard: room, level, what else sounds."""

    response: np.ndarray
    peak_db: float
    """The talker's peak after the room, dB below full scale."""
    background: str
    """"quiet", a noise kind, or "talk"."""
    snr_db: float
    warp: float
    """Resampling factor (vocal tract and tempo together), 1 for none."""


def image_source_rooms(count: int, seed: int, cache: Path) -> list[np.ndarray]:
    """Responses of random shoebox rooms by the image-source method (pyroomacoustics, as the
    tests' rooms are made, but in rooms of their own): 3-8 m long, RT60 0.2-0.8 s, the talker
    0.5-3.5 m from the mic. Cached in `cache`."""
    from benchmarks.wake_rooms import Room, impulse_response

    rng = np.random.default_rng(seed)
    found = []
    for i in range(count):
        dims = (float(rng.uniform(3, 8)), float(rng.uniform(2.5, 6)), float(rng.uniform(2.3, 3)))
        room = Room(f"training-{seed}-{i}", dims, float(rng.uniform(0.2, 0.8)))
        distance = float(min(rng.uniform(0.5, 3.5), dims[0] - 1.0))
        try:
            found.append(impulse_response(room, distance, int(rng.integers(1 << 30)), cache))
        except ValueError:
            continue  # no place that far from the mic in so small a room
    return found


def random_scene(rng: np.random.Generator, rooms: list[np.ndarray] | None = None) -> Scene:
    """A random way to hear a clip; half the rooms are image-source ones when `rooms` is given."""
    background = str(rng.choice(["quiet", "quiet", "white", "pink", "brown", "hum", "talk",
                                 "talk"]))
    warp = float(rng.uniform(0.88, 1.12)) if rng.random() < 0.5 else 1.0
    response = (rooms[int(rng.integers(len(rooms)))] if rooms and rng.random() < 0.5
                else room_response(rng))
    return Scene(response, float(rng.uniform(-36, -3)), background,
                 float(rng.uniform(5, 20)), warp)


def heard(speech: np.ndarray, scene: Scene, lead_s: float, tail_s: float,
          talk: np.ndarray | None, rng: np.random.Generator) -> tuple[np.ndarray, int, int]:
    """The clip as the microphone hears it, with where the speech starts and ends (samples)."""
    if scene.warp != 1.0:
        speech = resample(speech, int(RATE * scene.warp), RATE)
    wet = convolve(speech, scene.response)
    wet *= 32767 * 10 ** (scene.peak_db / 20) / max(np.abs(wet).max(), 1e-9)
    lead, tail = int(lead_s * RATE), int(tail_s * RATE)
    clip = np.concatenate([np.zeros(lead), wet, np.zeros(max(0, tail - (wet.size - speech.size)))])
    clip = clip[:lead + speech.size + tail]
    speech_rms = np.sqrt(np.mean(wet[:speech.size] ** 2))
    if scene.background == "talk" and talk is not None and talk.size:
        other = np.resize(convolve(talk, room_response(rng)), clip.size)
        other *= speech_rms / max(np.sqrt(np.mean(other**2)), 1e-9) / 10 ** (scene.snr_db / 20)
        clip = clip + other
    elif scene.background not in ("quiet", "talk"):
        clip = clip + noise(scene.background, clip.size, rng) * speech_rms / 10 ** (
            scene.snr_db / 20)
    # A quiet room is never digitally silent.
    clip = clip + noise("pink", clip.size, rng) * 32767 * 10 ** (rng.uniform(-75, -55) / 20)
    if rng.random() < 0.15:
        # A loud talker close to a cheap microphone clips.
        clip = clip * 10 ** (rng.uniform(3, 12) / 20)
    return np.clip(clip, -32768, 32767), lead, lead + speech.size


def windows(embeddings: np.ndarray) -> np.ndarray:
    """Every HEAD_STEPS-long run of a clip's embeddings, (n, HEAD_STEPS, 96)."""
    n = embeddings.shape[0] - HEAD_STEPS + 1
    if n <= 0:
        return np.zeros((0, HEAD_STEPS, embeddings.shape[1]), np.float32)
    return np.stack([embeddings[i:i + HEAD_STEPS] for i in range(n)])


def window_ends(count: int) -> np.ndarray:
    """The sample where each window of `windows` ends, from the clip's start."""
    return (FIRST_STEP + HEAD_STEPS - 1 + np.arange(count) + 1) * STEP_SAMPLES


POSITIVE_AFTER_S = (0.0, 0.32)
"""A window is the phrase when it ends this long after the phrase ends."""
EARLY_S = 0.35
"""Windows ending this much or more before the phrase's end hold only part of it."""


def labelled_windows(clip: np.ndarray, start: int, end: int, is_phrase: bool,
                     models: FeatureModels | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The clip's windows that overlap the speech, each labelled 1 (the phrase) or 0."""
    found = windows(embeddings_of(clip, models))
    ends = window_ends(len(found))
    begins = ends - HEAD_STEPS * STEP_SAMPLES - int(0.775 * RATE)
    overlaps = (ends > start) & (begins < end)
    if not is_phrase:
        keep = overlaps
        labels = np.zeros(int(keep.sum()), np.int8)
    else:
        after = (ends - end) / RATE
        positive = (after >= POSITIVE_AFTER_S[0]) & (after <= POSITIVE_AFTER_S[1])
        early = overlaps & (after <= -EARLY_S)
        keep = positive | early
        labels = positive[keep].astype(np.int8)
    return found[keep].astype(np.float16), labels
