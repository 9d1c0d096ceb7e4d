"""Make the wake classifier's training set from Debian TTS voices and fit it.

    python -m training.wake_classifier [--cache DIR] [--out voice/wake/classifier.npz]

Needs flite, espeak-ng, sox (and festival with festvox-kdlpc16k and festvox-us-slt-hts
when installed) plus scikit-learn, which is only used here: the app reads the weights
with numpy (`voice.wake.classifier`).

Every example is what the wake gate would hand the verifier: the utterance is put
in a quiet stretch of audio (with 10 dB-ish noise or at another tempo for some),
run through `voice.wake.gate.UtteranceGate`, and each candidate it cuts is an
example. Positives are "hey check in"; negatives are near misses and other short
talk. The tests' VALIDATION recipe stays held out: none of its voice variants
(espeak m1, f2, f3, m7; flite and festival kal) or near-miss phrases are used.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from audio.frames import split_into_frames
from benchmarks import wake_streams
from voice.wake.classifier import features, pack
from voice.wake.denoise import denoised
from voice.wake.gate import UtteranceGate

WAKE = "hey check in"

NEAR_MISSES = (
    "hey jack come in", "check in opens at noon", "hey chicken", "check the chicken",
    "they checked in", "hey check it out", "hey kitchen", "a quick check in the mirror",
    "hey jack", "checking in", "hey check", "check in", "hey jake", "hey jake come in",
    "they check it", "hey kitten", "hey chip in", "hey check on it", "check in time",
    "hey checkmate", "hey checkers", "jack in", "hey come in", "hey check the car",
    "hey get in", "hey sit in", "hey jump in", "a check in the post", "hey check your phone",
    "the check is in", "hey ketchup", "they came in", "he checked in", "we checked in",
    "hey jay", "hey check it", "paycheck in", "say check in", "hey pick it up",
    "hey kick it in", "may I check in", "day check in", "pay check", "hey shake it",
    "hey chet", "hey check him", "hey Jack, come on", "hey chicken curry",
    "okay check", "hey check out", "hey checking", "I checked in", "the chicken",
)
"""Phrases that sound like the wake phrase. VALIDATION's near misses are left out."""

OTHER_TALK = (
    "good morning", "thank you", "what time is it", "turn off the lights", "I love you",
    "see you later", "where are my keys", "that was delicious", "let's go for a walk",
    "can you hear me", "it's raining again", "the kettle is boiling", "hello there",
    "good night", "not right now", "yes please", "no thanks", "how was your day",
    "I'm going to bed", "dinner is ready", "open the window", "call your brother",
    "where is the dog", "we are out of milk", "the bus is late", "happy birthday",
    "are you coming", "pass the salt", "I'll be right back", "let me check",
    "what do you think", "that's a good idea", "I'm so tired", "it's getting cold",
    "hey, how are you", "hey you", "hey honey", "hey babe", "come in", "come here",
    "check this out", "hold on a second", "listen to this", "wait for me",
    "did you lock the door", "the baby is asleep", "my phone is dead", "play some music",
    "set an alarm for seven", "I need a coffee", "hurry up", "look at the time",
    "the game starts at eight", "do you want tea", "I forgot my wallet", "it's in the kitchen",
    "the chicken is in the oven", "check the mail", "hey, dinner's ready",
)
"""Ordinary short talk that the gate would hand on (longer talk never reaches the verifier)."""

HELD_OUT_VARIANTS = frozenset({"m1", "f2", "f3", "m7"})
UNNATURAL_VARIANTS = ("robosoft", "whisper", "Demonic", "UniRobot", "anikaRobot", "announcer",
                      "fast", "Mr")
ESPEAK_BASES = ("en", "en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
                "en-gb-x-rp", "en-029", "en-us-nyc")
FLITE_VOICES = ("slt", "rms", "awb", "kal16")
FESTIVAL_VOICES = ("ked_diphone", "cmu_us_slt_arctic_hts")


@dataclass(frozen=True)
class Speaker:
    """One synthetic speaker: engine, voice and how it is set."""

    engine: str
    voice: str
    speed: float = 1.0
    """espeak words per minute / 175, or flite's and festival's duration stretch inverted."""
    pitch: float = 50.0
    """espeak's 0-99 pitch; for flite the mean F0 in Hz (0: the voice's own)."""

    def command(self, text: str, out: Path) -> list[str]:
        if self.engine == "espeak":
            return ["espeak-ng", "-v", self.voice, "-s", str(int(175 * self.speed)),
                    "-p", str(int(self.pitch)), "-w", str(out), text]
        if self.engine == "flite":
            command = ["flite", "-voice", self.voice, "--setf",
                       f"duration_stretch={1 / self.speed:.3f}"]
            if self.pitch:
                command += ["--setf", f"int_f0_target_mean={self.pitch:.0f}"]
            return [*command, "-t", text, "-o", str(out)]
        return ["text2wave", "-eval", f"(voice_{self.voice})", "-o", str(out)]


def espeak_variants() -> list[str]:
    listing = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[1:]
    names = [line.split()[4].removeprefix("!v/") for line in listing if line.strip()]
    return [name for name in names if name not in HELD_OUT_VARIANTS
            and not name.startswith(UNNATURAL_VARIANTS)]


def speakers(rng: np.random.Generator, espeak_count: int) -> list[Speaker]:
    variants = espeak_variants()
    chosen = [
        Speaker("espeak", f"{rng.choice(ESPEAK_BASES)}+{rng.choice(variants)}",
                float(rng.uniform(0.7, 1.15)), float(rng.uniform(15, 85)))
        for _ in range(espeak_count)
    ]
    for voice in FLITE_VOICES:
        for speed in (0.85, 1.0, 1.15):
            for pitch in (0.0, 95.0, 130.0, 200.0):
                chosen.append(Speaker("flite", voice, speed, pitch))
    if shutil.which("text2wave"):
        chosen += [Speaker("festival", voice) for voice in FESTIVAL_VOICES for _ in range(6)]
    return chosen


@dataclass(frozen=True)
class Item:
    speaker: Speaker
    text: str
    label: int
    condition: str
    """"clean", a noise colour ("white", "pink", "brown") or "tempo"."""
    seed: int
    warp: float = 1.0
    """Played this much faster (sox speed): pitch and formants rise with it, as from a shorter
    vocal tract, so one synthetic voice stands for several speakers."""
    bandwidth: float = 0.0
    """Low-passed at this many Hz (0: not at all), as by a cheap microphone, a far corner of
    the room or a voice made at 8 kHz: the classifier must not need the top octave."""


def synthesize(speaker: Speaker, text: str, cache: Path) -> np.ndarray:
    key = hashlib.sha1(repr((speaker, text)).encode()).hexdigest()[:16]
    cached = cache / f"{key}.npy"
    if cached.exists():
        return np.load(cached)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        raw, converted = Path(work) / "raw.wav", Path(work) / "16k.wav"
        # text2wave reads its text from stdin; the others ignore it.
        subprocess.run(speaker.command(text, raw), input=text.encode(), check=True,
                       capture_output=True)
        # -R: sox seeds its dither, so a rebuild gives the same samples.
        subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16",
                        str(converted)], check=True, capture_output=True)
        samples = wake_streams._trim(wake_streams.read_wav(converted))
    np.save(cached, samples)
    return samples


def tempo_shifted(samples: np.ndarray, tempo: float) -> np.ndarray:
    return sox_effect(samples, "tempo", "-s", f"{tempo:.3f}")


def sox_effect(samples: np.ndarray, *effect: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as work:
        source, shifted = Path(work) / "in.wav", Path(work) / "out.wav"
        wake_streams.write_wav(source, wake_streams._to_pcm(samples))
        subprocess.run(["sox", "-R", str(source), str(shifted), *effect], check=True,
                       capture_output=True)
        return wake_streams.read_wav(shifted)


def speed_shifted(samples: np.ndarray, factor: float) -> np.ndarray:
    return sox_effect(samples, "speed", f"{factor:.3f}", "rate", "16000")


def examples(item: Item, cache: Path) -> list[tuple[bytes, int, str]]:
    """The gate's candidates for one item, as (PCM, label, description)."""
    rng = np.random.default_rng(item.seed)
    clip = synthesize(item.speaker, item.text, cache)
    if clip.size == 0:
        return []
    if item.warp != 1.0:
        clip = speed_shifted(clip, item.warp)
    if item.bandwidth:
        clip = sox_effect(clip, "sinc", f"-{item.bandwidth:.0f}")
    if item.condition == "tempo":
        clip = tempo_shifted(clip, float(rng.choice([rng.uniform(0.8, 0.9),
                                                     rng.uniform(1.1, 1.2)])))
    speech = clip * 10 ** (rng.uniform(-12, 0) / 20) * 0.7 / max(np.abs(clip).max(), 1e-9)
    lead = np.zeros(int(0.4 * 16_000))
    block = np.concatenate([lead, speech, lead])
    if item.condition in ("white", "pink", "brown"):
        rms = np.sqrt(np.mean(speech**2))
        snr = rng.uniform(7, 16)
        block = block + wake_streams.coloured_noise(item.condition, len(block), rng) * rms / (
            10 ** (snr / 20))
    silence = np.zeros(int(rng.uniform(1.0, 1.6) * 16_000))
    samples = np.concatenate([silence, block, silence])
    samples = samples + wake_streams.coloured_noise("pink", len(samples), rng) * 10 ** (
        rng.uniform(-70, -55) / 20)
    gate = UtteranceGate()
    speech_start, speech_end = len(silence) + len(lead), len(silence) + len(lead) + len(speech)
    found = []
    for frame in split_into_frames(wake_streams._to_pcm(samples)):
        candidate = gate.push(frame)
        if candidate is None:
            continue
        # What the verifier hears is the candidate's audio, pre-roll and pause included, not
        # the detector's speech span: in white noise a soft onset and end (flite rms) open the
        # detector late and close it early, yet the whole phrase is in the candidate.
        candidate_end = candidate.start + len(candidate.pcm) // 2
        covered = min(candidate_end, speech_end) - max(candidate.start, speech_start)
        if item.label and covered < 0.9 * (speech_end - speech_start):
            continue  # a piece of the phrase is not the phrase, nor a fair negative
        found.append((candidate.pcm, item.label,
                      f"{item.text} / {item.speaker} / {item.condition} / {item.warp:.3f}"
                      f" / {item.bandwidth:.0f}"))
    return found


def plan(rng: np.random.Generator, espeak_count: int) -> list[Item]:
    items = []
    conditions = ("clean", "white", "pink", "brown", "tempo")
    for speaker in speakers(rng, espeak_count):
        # Noise is where PocketSphinx's readings fail most: two of four wakes are noisy.
        noises = rng.choice(conditions[1:4], 2, replace=False)
        for condition in ("clean", "tempo", *map(str, noises)):
            items.append(Item(speaker, WAKE, 1, condition, int(rng.integers(1 << 30))))
        # Near misses in noise are the hardest negatives: half of them are noisy.
        for text in rng.choice(NEAR_MISSES, 6, replace=False):
            condition = rng.choice(conditions[1:4]) if rng.random() < 0.5 else rng.choice(
                conditions)
            items.append(Item(speaker, str(text), 0, str(condition), int(rng.integers(1 << 30))))
        for text in rng.choice(OTHER_TALK, 2, replace=False):
            items.append(Item(speaker, str(text), 0, str(rng.choice(conditions)),
                              int(rng.integers(1 << 30))))
    return items


def noisy_plan(rng: np.random.Generator, espeak_count: int) -> list[Item]:
    """A round for noise: every speaker says the phrase in each colour, most talk is noisy,
    and each item is warped to another speaker's vocal tract.

    The first rounds gave flite's voices in noise too few examples (a dozen speakers, two
    noisy wakes each, some lost to the gate), and those are where the readings failed. Measured
    on 191 wakes and about 500 near misses of held-out voices and noise: one noise round found
    175 with 3 false wakes, two 181 with 2, four 183 with 2 (the shipped bars, but a sure bar of
    0.98; the shipped weights and bars: 186 with 2).
    """
    items = []
    colours = ("white", "pink", "brown")

    def item(speaker: Speaker, text: str, label: int, condition: str) -> Item:
        bandwidth = float(rng.uniform(3_400, 6_000)) if rng.random() < 0.3 else 0.0
        return Item(speaker, text, label, condition, int(rng.integers(1 << 30)),
                    float(rng.uniform(0.9, 1.1)), bandwidth)

    for speaker in speakers(rng, espeak_count):
        for condition in ("clean", "tempo", *colours):
            items.append(item(speaker, WAKE, 1, condition))
        for text in rng.choice(NEAR_MISSES, 6, replace=False):
            condition = "clean" if rng.random() < 0.2 else str(rng.choice(colours))
            items.append(item(speaker, str(text), 0, condition))
        for text in rng.choice(OTHER_TALK, 2, replace=False):
            items.append(item(speaker, str(text), 0, str(rng.choice(colours))))
    return items


Planner = Callable[[np.random.Generator, int], list[Item]]
"""How one round chooses its items: `plan` or `noisy_plan`."""


def _run(args: tuple[Item, Path]) -> list[tuple[np.ndarray, int, str]]:
    return [(features(denoised(pcm)), label, text) for pcm, label, text in examples(*args)]


def build(cache: Path, espeak_count: int, seed: int = 0,
          planner: Planner = plan) -> tuple[np.ndarray, np.ndarray, list]:
    cache.mkdir(parents=True, exist_ok=True)
    items = planner(np.random.default_rng(seed), espeak_count)
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_run, [(item, cache) for item in items], chunksize=16))
    rows = [row for result in results for row in result]
    return (np.stack([r[0] for r in rows]), np.array([r[1] for r in rows]),
            [r[2] for r in rows])


def fit(x: np.ndarray, y: np.ndarray, seed: int = 0) -> dict[str, np.ndarray]:
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = MLPClassifier(hidden_layer_sizes=(128,), alpha=1e-2, max_iter=300,
                          early_stopping=True, random_state=seed)
    model.fit(scaler.transform(x), y)
    weights = {"mean": scaler.mean_.astype(np.float32),
               "scale": scaler.scale_.astype(np.float32)}
    for i, (w, b) in enumerate(zip(model.coefs_, model.intercepts_, strict=True)):
        weights[f"w{i}"], weights[f"b{i}"] = w.astype(np.float32), b.astype(np.float32)
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "wake-train")
    parser.add_argument("--out", type=Path, default=Path("voice/wake/classifier.npz"))
    parser.add_argument("--espeak-speakers", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--noisy-rounds", type=int, default=4)
    options = parser.parse_args()
    parts = []
    rounds = [(seed, plan, options.espeak_speakers) for seed in range(options.rounds)]
    rounds += [(options.rounds + i, noisy_plan, options.espeak_speakers // 2)
               for i in range(options.noisy_rounds)]
    for seed, planner, espeak_count in rounds:
        # Each round draws other espeak-ng speakers, texts and noises.
        dataset = options.cache / f"dataset-{seed}.npz"
        if not dataset.exists():
            x, y, labels = build(options.cache, espeak_count, seed, planner)
            np.savez_compressed(dataset, x=x, y=y, labels=np.array(labels))
        parts.append(np.load(dataset))
    x = np.concatenate([part["x"] for part in parts])
    y = np.concatenate([part["y"] for part in parts])
    print(f"{len(y)} examples, {int(y.sum())} wake phrases", flush=True)
    # Four fits from different seeds, averaged at run time: steadier on unseen voices.
    models = [fit(x, y, seed) for seed in range(4)]
    # float16 halves the file; the app computes in float32.
    halved: dict[str, Any] = {name: v.astype(np.float16) for name, v in pack(models).items()}
    np.savez_compressed(options.out, **halved)
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
