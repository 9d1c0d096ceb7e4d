"""A wake head: a small network that reads 1.28 s of speech embeddings and says "phrase".

Its weights are an .npz made by `training.wake_head.fit`. Pure numpy. Not used by the app:
what it measured is in benchmarks/RESULTS.md ("A streaming head on openWakeWord's features").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class WakeHead:
    phrase: str
    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    threshold: float
    """The score that wakes at sensitivity 0.5 (chosen when it was trained)."""
    steps: int

    def score(self, window: np.ndarray) -> float:
        """Probability (0..1) that a (steps, 96) window ends with the phrase."""
        x = (window.reshape(-1).astype(np.float32) - self.mean) / self.scale
        for i, (weights, bias) in enumerate(self.layers):
            x = x @ weights + bias
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        return float(1.0 / (1.0 + np.exp(-np.clip(x[0], -50, 50))))

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"mean": self.mean, "scale": self.scale,
                  "phrase": np.array(self.phrase), "threshold": np.array(self.threshold),
                  "steps": np.array(self.steps)}
        for i, (weights, bias) in enumerate(self.layers):
            arrays[f"w{i}"], arrays[f"b{i}"] = weights, bias
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            np.savez_compressed(out, allow_pickle=False, **arrays)
        path.chmod(0o600)


def read_head(path: Path) -> WakeHead:
    with np.load(path) as data:
        count = sum(1 for key in data.files if key.startswith("w"))
        layers = tuple((data[f"w{i}"].astype(np.float32), data[f"b{i}"].astype(np.float32))
                       for i in range(count))
        return WakeHead(str(data["phrase"]), data["mean"].astype(np.float32),
                        data["scale"].astype(np.float32), layers, float(data["threshold"]),
                        int(data["steps"]))
