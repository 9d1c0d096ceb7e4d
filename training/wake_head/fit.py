"""Train a wake head for any phrase, offline, in a few minutes.

    python -m training.wake_head.fit "hey check in" --speakers 300 --out head.npz


Synthetic voices (`training.wake_head.examples`) say the phrase, its near misses and other talk in
random simulated rooms; the clips become embedding windows; a one-hidden-layer network is
fitted to them with numpy. Near misses are made from the phrase itself (each word swapped for
one that sounds like it, a word dropped), so a new phrase needs no list.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from training.wake_head.examples import (
    HEAD_STEPS,
    Speaker,
    heard,
    image_source_rooms,
    labelled_windows,
    noise,
    random_scene,
    speakers,
    synthesize,
)
from training.wake_head.head import WakeHead
from voice.wake.words import _neighbours, dictionary, phrase_words, rival_words

HIDDEN = 64


@dataclass(frozen=True)
class Job:
    speaker: Speaker
    text: str
    is_phrase: bool
    seed: int
    talk: str = ""
    """A line said by the same voice family behind the speaker when the scene has talk."""


def near_misses(phrase: str, rng: np.random.Generator, count: int) -> list[str]:
    """Phrases that sound like `phrase`: a word swapped for a neighbour, dropped, or pieces."""
    words = phrase_words(phrase)
    fillers = sorted(rival_words(tuple(words)) - set(words))
    pronunciations = dictionary()
    found: set[str] = set()
    for i, word in enumerate(words):
        if len(words) > 1:
            found.add(" ".join(words[:i] + words[i + 1:]))
        close = sorted(_neighbours([pronunciations[word]], pronunciations,
                                   {"max_edits": 2, "per_target": 12}))
        for _ in range(count):
            swapped = words.copy()
            swapped[i] = str(rng.choice(close or fillers))
            found.add(" ".join(swapped))
    found |= {" ".join(words[:1]), " ".join(words[-1:])}
    found |= set(_lines("near_misses").get(" ".join(words), []))
    found.discard(" ".join(words))
    return sorted(found)


def _lines(table: str) -> dict[str, list[str]]:
    text = resources.files("training.wake_head").joinpath("training_text.toml").read_text("utf-8")
    return dict(tomllib.loads(text)[table])


def talk_lines(phrase: str) -> list[str]:
    """Everyday lines (none holding the phrase)."""
    key = " ".join(phrase_words(phrase))
    return [line for line in _lines("talk")["lines"] if key not in " ".join(phrase_words(line))]


def plan(phrase: str, espeak_count: int, seed: int) -> list[Job]:
    rng = np.random.default_rng(seed)
    misses, talk = near_misses(phrase, rng, 6), talk_lines(phrase)
    jobs = []
    for speaker in speakers(rng, espeak_count):
        said = [(phrase, True)] * 4 + [(str(t), False) for t in rng.choice(misses, 6, False)]
        said += [(str(t), False) for t in rng.choice(talk, 2, replace=False)]
        jobs += [Job(speaker, text, is_phrase, int(rng.integers(1 << 30)),
                     str(rng.choice(talk))) for text, is_phrase in said]
    return jobs


def examples(job: Job) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(job.seed)
    speech = synthesize(job.speaker, job.text)
    if speech.size == 0:
        return np.zeros((0, HEAD_STEPS, 96), np.float16), np.zeros(0, np.int8)
    scene = random_scene(rng, _ROOMS)
    talk = synthesize(job.speaker, job.talk) if scene.background == "talk" else None
    lead = rng.uniform(1.6, 2.6) if job.is_phrase else rng.uniform(0.3, 2.0)
    tail = 0.4 if job.is_phrase else rng.uniform(0.2, 1.0)
    clip, start, end = heard(speech, scene, lead, tail, talk, rng)
    short = int(2.2 * 16_000) - clip.size
    if not job.is_phrase and short > 0:
        # Too short for a whole window: quiet before it, as in a stream.
        clip = np.concatenate([np.zeros(short), clip])
        start, end = start + short, end + short
    return labelled_windows(clip, start, end, job.is_phrase)


def noise_examples(seed: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows of noise alone, at every level: a fan or a hum must never wake it."""
    rng = np.random.default_rng(seed)
    parts = []
    for _ in range(count):
        kind = str(rng.choice(["white", "pink", "brown", "hum"]))
        clip = noise(kind, 4 * 16_000, rng) * 32767 * 10 ** (rng.uniform(-60, -15) / 20)
        parts.append(labelled_windows(np.clip(clip, -32768, 32767), 0, clip.size, False))
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))


_ROOMS: list[np.ndarray] | None = None
"""The image-source rooms of this worker process (see `build`)."""


def _use_rooms(rooms: list[np.ndarray] | None) -> None:
    global _ROOMS
    _ROOMS = rooms


def build(phrase: str, espeak_count: int, seed: int = 0, workers: int = 2,
          progress: Callable[[int, int], None] | None = None,
          room_cache: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The labelled windows of a whole plan; with `room_cache`, half the clips are heard in
    60 image-source rooms (pyroomacoustics) cached there, the rest in statistical ones."""
    jobs = plan(phrase, espeak_count, seed)
    rooms = image_source_rooms(60, seed, room_cache) if room_cache is not None else None
    xs, ys = [], []
    with ProcessPoolExecutor(max_workers=workers, initializer=_use_rooms,
                             initargs=(rooms,)) as pool:
        for done, (x, y) in enumerate(pool.map(examples, jobs, chunksize=8), 1):
            xs.append(x)
            ys.append(y)
            if progress is not None:
                progress(done, len(jobs))
    x, y = noise_examples(seed, 40)
    xs.append(x)
    ys.append(y)
    return np.concatenate(xs), np.concatenate(ys)


def fit(x: np.ndarray, y: np.ndarray, seed: int = 0, epochs: int = 30,
        negative_weight: float = 4.0, decay: float = 1e-3,
        dropout: float = 0.5) -> tuple[np.ndarray, ...]:
    """A one-hidden-layer network fitted by Adam on weighted cross-entropy.

    Negatives weigh `negative_weight` times the (class-balanced) positives: a false wake
    costs a couple more than saying the phrase twice."""
    rng = np.random.default_rng(seed)
    flat = x.reshape(len(x), -1).astype(np.float32)
    mean, scale = flat.mean(0), flat.std(0) + 1e-3
    flat = (flat - mean) / scale
    target = y.astype(np.float32)
    positives = max(float(target.sum()), 1.0)
    weight = np.where(target > 0, len(target) / (2 * positives),
                      negative_weight * len(target) / (2 * (len(target) - positives)))
    weight = (weight / weight.mean()).astype(np.float32)
    w0 = (rng.standard_normal((flat.shape[1], HIDDEN)) * np.sqrt(2 / flat.shape[1])).astype(
        np.float32)
    b0 = np.zeros(HIDDEN, np.float32)
    w1 = (rng.standard_normal((HIDDEN, 1)) * np.sqrt(1 / HIDDEN)).astype(np.float32)
    b1 = np.zeros(1, np.float32)
    params = [w0, b0, w1, b1]
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    step, rate = 0, 1e-3
    for _ in range(epochs):
        order = rng.permutation(len(flat))
        for first in range(0, len(order), 256):
            batch = order[first:first + 256]
            xb, yb, wb = flat[batch], target[batch], weight[batch]
            # Input dropout: no single embedding number may decide.
            xb = xb * (rng.random(xb.shape) > dropout) / (1 - dropout)
            hidden = np.maximum(xb @ w0 + b0, 0.0)
            logit = (hidden @ w1 + b1)[:, 0]
            p = 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))
            grad_logit = ((p - yb) * wb / len(batch))[:, None].astype(np.float32)
            grad_w1 = hidden.T @ grad_logit
            grad_b1 = grad_logit.sum(0)
            grad_hidden = (grad_logit @ w1.T) * (hidden > 0)
            grad_w0 = xb.T @ grad_hidden
            grad_b0 = grad_hidden.sum(0)
            step += 1
            for i, grad in enumerate((grad_w0, grad_b0, grad_w1, grad_b1)):
                grad = grad + decay * params[i]
                moments[i] = 0.9 * moments[i] + 0.1 * grad
                squares[i] = 0.999 * squares[i] + 0.001 * grad**2
                corrected = moments[i] / (1 - 0.9**step)
                params[i] -= rate * corrected / (np.sqrt(squares[i] / (1 - 0.999**step)) + 1e-8)
    return mean, scale, *params


def train(phrase: str, espeak_count: int = 60, seed: int = 0, threshold: float = 0.5,
          progress: Callable[[int, int], None] | None = None) -> WakeHead:
    x, y = build(phrase, espeak_count, seed, progress=progress)
    mean, scale, w0, b0, w1, b1 = fit(x, y, seed)
    return WakeHead(" ".join(phrase_words(phrase)), mean, scale, ((w0, b0), (w1, b1)),
                    threshold, HEAD_STEPS)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Train a wake head (training.wake_head).")
    parser.add_argument("phrase")
    parser.add_argument("--speakers", type=int, default=300, help="espeak-ng speakers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()

    def progress(done: int, total: int) -> None:
        if done % 200 == 0 or done == total:
            print(f"{done}/{total} clips", flush=True)

    head = train(options.phrase, options.speakers, options.seed, options.threshold, progress)
    head.save(options.out)
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
