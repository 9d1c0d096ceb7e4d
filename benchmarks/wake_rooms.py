"""Wake streams heard in simulated rooms: reverberation, distance, low levels, background talk.

The flat streams of `benchmarks.wake_streams` put every voice right at the microphone. A
living room is not like that: the talker stands 1-3 m away, the walls add a reverberant tail
(RT60 0.3-0.6 s), the level is low, and a TV or another person talks 10-15 dB below. Rooms
are shoeboxes simulated by the image-source method (`pyroomacoustics`); each impulse
response is cached. What each recipe holds (and what is held out of which choice) is in
`benchmarks.wake_room_recipes`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.wake_recipes import SAMPLE_RATE, Segment, Voice, WakeStream
from benchmarks.wake_streams import coloured_noise, read_wav, synthesize

REAL_SPEECH = Path(__file__).resolve().parent.parent / "tests" / "data" / "real_speech"
"""Real recorded people (pocketsphinx's test data, BSD-2-Clause; see transcripts.toml there)."""

SPEED_OF_SOUND = 343.0


@dataclass(frozen=True)
class Room:
    """A shoebox room; `rt60` is the Sabine reverberation time its walls are given (s)."""

    name: str
    dims: tuple[float, float, float]
    rt60: float


@dataclass(frozen=True)
class Placement:
    """Where and how an item is said: which room, how far from the mic, what else is heard."""

    room: Room
    distance_m: float
    level_db: float
    """The talker's peak level before the room, dB below 0.7 of full scale."""
    noise: str = "none"
    """"none", "white", "pink", "brown", "fan", "rain", "washer", "tts_talk" (a synthetic
    voice) or "people" (real recorded speech), heard from `RoomRecipe.lead_s` before the item
    to as long after its reverberant tail."""
    noise_db: float = 12.0
    """How far the noise's RMS stands below the talker's, as heard at the mic."""
    tempo: float = 1.0

    @property
    def label(self) -> str:
        noise = "" if self.noise == "none" else f" {self.noise}-{self.noise_db:g}dB"
        tempo = "" if self.tempo == 1.0 else f" x{self.tempo:g}"
        return f"{self.room.name} {self.distance_m:g}m {self.level_db:g}dB{noise}{tempo}"


@dataclass(frozen=True)
class RoomRecipe:
    """What a room stream holds; the same recipe always builds the same stream."""

    voices: tuple[Voice, ...]
    placements: tuple[Placement, ...]
    """Every voice says the wake phrase in every placement."""
    near_misses: tuple[str, ...] = ()
    conversation: tuple[str, ...] = ()
    real_speech: tuple[str, ...] = ()
    """Files of `REAL_SPEECH` played in the stream as talk (never a wake)."""
    real_wakes: tuple[str, ...] = ()
    """Files of `REAL_SPEECH` in which a person says the wake phrase, in every placement."""
    talk_voices: tuple[Voice, ...] = ()
    """Voices of the "tts_talk" background noise (default: the recipe's own)."""
    wake_phrase: str = "hey check in"
    seed: int = 0
    gap_s: tuple[float, float] = (1.2, 2.5)
    """Pause before each item (uniform); continuous talk uses short ones."""
    lead_s: float = 0.4
    """Quiet (or noise alone) just before and after each item, inside its block."""
    talk_throughout_db: float | None = None
    """Real people (LibriVox) talking from the stream's first sample to its last, this far
    below the wakes' median level: a TV that never pauses (None: no such talk)."""


def impulse_response(room: Room, distance_m: float, seed: int, cache_dir: Path) -> np.ndarray:
    """The room's response from a talker `distance_m` from the mic, direct path at 1/r. Cached."""
    key = hashlib.sha1(f"{room}|{distance_m}|{seed}|direct-1/r".encode()).hexdigest()[:16]
    cached = cache_dir / f"rir-{key}.npy"
    if cached.exists():
        return np.load(cached)
    import pyroomacoustics as pra

    rng = np.random.default_rng(seed)
    absorption, max_order = pra.inverse_sabine(room.rt60, list(room.dims))
    shoebox = pra.ShoeBox(list(room.dims), fs=SAMPLE_RATE, materials=pra.Material(absorption),
                          max_order=max_order, air_absorption=True)
    # The mic sits on a shelf near a wall; the talker somewhere in the room at that distance.
    mic = np.array([0.4, room.dims[1] / 2, 1.0])
    for _ in range(1000):
        angle = rng.uniform(-np.pi / 2, np.pi / 2)
        height = rng.uniform(1.1, 1.7)
        flat = np.sqrt(max(distance_m**2 - (height - mic[2]) ** 2, 0.01))
        talker = mic + np.array([flat * np.cos(angle), flat * np.sin(angle), height - mic[2]])
        if all(0.3 < talker[i] < room.dims[i] - 0.3 for i in range(3)):
            break
    else:
        raise ValueError(f"no place {distance_m} m from the mic in {room.name}")
    shoebox.add_source(talker.tolist())
    shoebox.add_microphone(mic.tolist())
    shoebox.compute_rir()
    response = _direct_path_at(np.asarray(shoebox.rir[0][0], dtype=np.float64), distance_m)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(cached, response)
    return response


def _direct_path_at(response: np.ndarray, distance_m: float) -> np.ndarray:
    """`response` scaled so that its direct path has the gain 1/r of a talker r m away.

    The scale is measured, not assumed: pyroomacoustics 0.10 already gives about 1/r, and an
    extra 4 pi (22 dB) once clipped a third of every wake said 1 m from the mic."""
    return response * (1.0 / distance_m) / direct_path_gain(response)


def direct_path_gain(response: np.ndarray) -> float:
    """The gain of the first arrival: a fractional-delay pulse whose energy, within a few
    samples (a reflection off the mic's wall comes 2.5 ms later), is its gain squared."""
    first = int(np.argmax(np.abs(response) > 0.5 * np.abs(response).max()))
    peak = first + int(np.argmax(np.abs(response[first: first + 5])))
    return float(np.sqrt(np.sum(response[max(peak - 4, 0): peak + 5] ** 2)))


def measured_rt60(response: np.ndarray) -> float:
    """RT60 of an impulse response by Schroeder's backward integration (-5 to -25 dB, x3)."""
    energy = np.cumsum(response[::-1] ** 2)[::-1]
    decay = 10 * np.log10(energy / energy[0] + 1e-30)
    start, end = np.argmax(decay < -5), np.argmax(decay < -25)
    return 3.0 * (end - start) / SAMPLE_RATE


def reverberate(dry: np.ndarray, response: np.ndarray) -> np.ndarray:
    """`dry` as heard at the mic: convolved with `response`, the reverberant tail kept."""
    from scipy.signal import fftconvolve

    return fftconvolve(dry, response)


def fan(n: int, rng: np.random.Generator) -> np.ndarray:
    """A fan or a fridge: a band of noise around 200-800 Hz with a 100 Hz motor hum, unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spectrum *= np.exp(-0.5 * (np.log(np.maximum(freqs, 1.0) / 400.0) / 0.6) ** 2)
    noise = np.fft.irfft(spectrum, n)
    t = np.arange(n) / SAMPLE_RATE
    noise = noise / np.sqrt(np.mean(noise**2)) + 0.5 * np.sin(2 * np.pi * 100 * t)
    return noise / np.sqrt(np.mean(noise**2))


def rain(n: int, rng: np.random.Generator) -> np.ndarray:
    """Rain on a window: soft high-passed hiss with drops, short decaying clicks of random
    size at about 60 a second, unit RMS."""
    hiss = np.diff(coloured_noise("pink", n + 1, rng))
    drops = np.zeros(n)
    where = rng.integers(0, n, size=int(60 * n / SAMPLE_RATE))
    drops[where] = rng.lognormal(0.0, 0.8, size=where.size) * rng.choice((-1, 1), where.size)
    decay = np.exp(-np.arange(int(0.004 * SAMPLE_RATE)) / (0.0008 * SAMPLE_RATE))
    drops = np.convolve(drops, decay * rng.standard_normal(decay.size))[:n]
    noise = hiss / np.sqrt(np.mean(hiss**2)) + 2 * drops / max(np.sqrt(np.mean(drops**2)), 1e-9)
    return noise / np.sqrt(np.mean(noise**2))


def washer(n: int, rng: np.random.Generator) -> np.ndarray:
    """A washing machine mid-cycle: its motor's hum and a low rumble of the drum, swelling
    and fading as it turns (about 0.8 s a turn), with a thump every turn, unit RMS."""
    t = np.arange(n) / SAMPLE_RATE
    rumble = coloured_noise("brown", n, rng)
    turn = 0.6 + 0.4 * np.sin(2 * np.pi * t / 0.8 + rng.uniform(0, 2 * np.pi))
    hum = 0.3 * np.sin(2 * np.pi * 50 * t) + 0.15 * np.sin(2 * np.pi * 150 * t)
    thumps = np.zeros(n)
    thumps[(np.arange(0.0, n / SAMPLE_RATE, 0.8) * SAMPLE_RATE).astype(int)] = 3.0
    body = np.exp(-np.arange(int(0.05 * SAMPLE_RATE)) / (0.01 * SAMPLE_RATE))
    thumps = np.convolve(thumps, body * np.sin(2 * np.pi * 60 * np.arange(body.size)
                                               / SAMPLE_RATE))[:n]
    noise = rumble * turn + hum + thumps
    return noise / np.sqrt(np.mean(noise**2))


def real_speech(name: str) -> np.ndarray:
    """One recording of `REAL_SPEECH` as float samples."""
    return read_wav(REAL_SPEECH / name)


def _talk(n: int, recipe: RoomRecipe, rng: np.random.Generator, cache_dir: Path,
          people: bool) -> np.ndarray:
    """Background talk of `n` samples, unit RMS: real people, or the recipe's talk voices."""
    pieces: list[np.ndarray] = []
    total = 0
    names = sorted(p.name for p in REAL_SPEECH.glob("librivox-*.wav"))
    voices = recipe.talk_voices or recipe.voices
    lines = recipe.conversation or ("We should ring the plumber about the kitchen tap.",)
    while total < n:
        if people:
            clip = real_speech(names[int(rng.integers(len(names)))])
        else:
            voice = voices[int(rng.integers(len(voices)))]
            clip = synthesize(voice, lines[int(rng.integers(len(lines)))], 1.0, cache_dir)
        start = int(rng.integers(0, max(1, clip.size // 2)))
        pieces.append(clip[start:])
        total += clip.size - start
    talk = np.concatenate(pieces)[:n]
    return talk / max(np.sqrt(np.mean(talk**2)), 1e-9)


def _noise(kind: str, n: int, recipe: RoomRecipe, rng: np.random.Generator,
           cache_dir: Path) -> np.ndarray:
    if kind in ("white", "pink", "brown"):
        return coloured_noise(kind, n, rng)
    if kind == "fan":
        return fan(n, rng)
    if kind == "rain":
        return rain(n, rng)
    if kind == "washer":
        return washer(n, rng)
    if kind in ("tts_talk", "people"):
        return _talk(n, recipe, rng, cache_dir, people=kind == "people")
    raise ValueError(f"unknown noise {kind!r}")


@dataclass(frozen=True)
class _Item:
    kind: str
    text: str
    voice: Voice | None
    placement: Placement
    recording: str = ""
    """A file of `REAL_SPEECH` said instead of synthesizing `text` (a real person)."""


def _plan(recipe: RoomRecipe, rng: np.random.Generator) -> list[_Item]:
    places = recipe.placements
    items = [_Item("wake", recipe.wake_phrase, voice, place)
             for voice in recipe.voices for place in places if recipe.wake_phrase]
    voices = recipe.voices
    items += [_Item("wake", recipe.wake_phrase, None, place, name)
              for name in recipe.real_wakes for place in places]
    items += [_Item("near_miss", text, voices[(i + k) % len(voices)],
                    places[(i + 2 * k) % len(places)])
              for k in range(2) for i, text in enumerate(recipe.near_misses)]
    items += [_Item("speech", text, voices[(i + 1) % len(voices)], places[i % len(places)])
              for i, text in enumerate(recipe.conversation)]
    items += [_Item("speech", name, None, places[i % len(places)], name)
              for i, name in enumerate(recipe.real_speech)]
    order = rng.permutation(len(items))
    return [items[i] for i in order]


def _throughout(samples: np.ndarray, segments: list[Segment], recipe: RoomRecipe,
                rng: np.random.Generator, cache_dir: Path) -> np.ndarray:
    """Talk under the whole stream at `recipe.talk_throughout_db` below the wakes' median RMS."""
    assert recipe.talk_throughout_db is not None
    levels = [np.sqrt(np.mean(samples[int(g.start * SAMPLE_RATE): int(g.end * SAMPLE_RATE)] ** 2))
              for g in segments if g.kind == "wake"]
    level = float(np.median(levels)) / 10 ** (recipe.talk_throughout_db / 20)
    return _talk(samples.size, recipe, rng, cache_dir, people=True) * level


def speech_span(samples: np.ndarray, below_loudest_db: float = 25.0) -> tuple[int, int]:
    """Where a recording's speech starts and ends (samples): its first and last 20 ms within
    `below_loudest_db` of the loudest. pocketsphinx's recordings have a room floor 30-45 dB
    down and up to 0.5 s of it around the words."""
    window = SAMPLE_RATE // 50
    n = samples.size // window
    rms = np.sqrt(np.mean(samples[: n * window].reshape(n, window) ** 2, axis=1))
    loud = np.flatnonzero(rms >= rms.max() * 10 ** (-below_loudest_db / 20))
    return int(loud[0] * window), int((loud[-1] + 1) * window)


def build_room_stream(recipe: RoomRecipe, cache_dir: Path) -> WakeStream:
    """Build the recipe's stream (deterministic); clips and impulse responses cached."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(recipe.seed)
    pieces: list[np.ndarray] = []
    segments: list[Segment] = []
    position = 0
    for index, item in enumerate(_plan(recipe, rng)):
        place = item.placement
        if item.recording:
            dry, voice_label = real_speech(item.recording), "person"
        else:
            assert item.voice is not None
            dry = synthesize(item.voice, item.text, place.tempo, cache_dir)
            voice_label = item.voice.label
        dry = dry * 0.7 * 10 ** (-place.level_db / 20) / max(np.abs(dry).max(), 1e-9)
        response = impulse_response(place.room, place.distance_m, recipe.seed * 1000 + index,
                                    cache_dir)
        wet = reverberate(dry, response)
        lead = int(recipe.lead_s * SAMPLE_RATE)
        block = np.concatenate([np.zeros(lead), wet, np.zeros(lead)])
        if place.noise != "none":
            level = np.sqrt(np.mean(wet[: dry.size] ** 2)) / 10 ** (place.noise_db / 20)
            block = block + _noise(place.noise, block.size, recipe, rng, cache_dir) * level
        gap = np.zeros(int(rng.uniform(*recipe.gap_s) * SAMPLE_RATE))
        delay = place.distance_m / SPEED_OF_SOUND
        start = (position + gap.size + lead) / SAMPLE_RATE + delay
        # A synthetic clip is trimmed to its speech; a recording keeps its quiet ends.
        first, last = speech_span(dry) if item.recording else (0, dry.size)
        segments.append(Segment(item.kind, item.text, voice_label, place.label,
                                start + first / SAMPLE_RATE, start + last / SAMPLE_RATE))
        pieces += [gap, block]
        position += gap.size + block.size
    pieces.append(np.zeros(SAMPLE_RATE))
    samples = np.concatenate(pieces)
    if recipe.talk_throughout_db is not None:
        samples = samples + _throughout(samples, segments, recipe, rng, cache_dir)
    samples = samples + coloured_noise("pink", samples.size, rng) * 10 ** (-62 / 20)
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    return WakeStream(pcm, tuple(segments))
