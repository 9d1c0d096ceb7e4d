"""The semantic part: what an answer means, from its sentence embedding.

Per context, a softmax (multinomial logistic) regression over the encoder's vectors,
fitted on the example answers (intents/examples.py) by `python -m intents.fit`.
It generalises to phrasings nobody wrote down, which cue rules did not (the issue's
measurement: blind answers 67% with rules alone). The fitted weights ship as
`semantic.npz` beside the catalogue, with a fingerprint of the examples they came
from; a stale file still works but tests/test_intents_semantic.py fails until refit.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from intents.catalogue import Catalogue
from intents.examples import examples

WEIGHTS_FILE = "semantic.npz"
# Fitting settings; part of the fingerprint, so changing one asks for a refit.
FIT = {"l2": 3e-4, "steps": 600, "rate": 5.0, "balance": 0.25}

log = logging.getLogger("checkin.intents")
log.addHandler(logging.NullHandler())

Embed = Callable[[str], np.ndarray]


# The nearest examples' vote is blended with the regression: the regression draws one
# straight boundary per label, the neighbours keep what a few close examples say
# (measured on development set F: benchmarks/RESULTS.md).
NEIGHBOURS = 10
NEIGHBOUR_SHARE = 0.5
NEIGHBOUR_TEMPERATURE = 0.05


@dataclass(frozen=True)
class Model:
    """One context's regression: labels and a (width + 1, labels) weight matrix, and the
    example vectors (int8, unit length times 127) with their label indices."""

    labels: tuple[str, ...]
    weights: np.ndarray
    vectors: np.ndarray | None = None
    targets: np.ndarray | None = None

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        # einsum, not `@`: on a busy two-core machine a multithreaded BLAS matrix-vector
        # product waits for its threads (2-8 ms instead of 0.2; benchmarks/RESULTS.md).
        logits = np.einsum("ij,i->j", self.weights[:-1], vector) + self.weights[-1]
        exp = np.exp(logits - logits.max())
        blended = exp / exp.sum()
        if self.vectors is not None and self.targets is not None and len(self.targets):
            similarity = np.einsum("ij,j->i", self.vectors, vector) / 127.0
            nearest = np.argpartition(-similarity, min(NEIGHBOURS, len(similarity)) - 1)
            nearest = nearest[:NEIGHBOURS]
            closest = similarity[nearest]
            votes = np.exp((closest - closest.max()) / NEIGHBOUR_TEMPERATURE)
            vote = np.bincount(self.targets[nearest], weights=votes, minlength=len(self.labels))
            blended = (1 - NEIGHBOUR_SHARE) * blended + NEIGHBOUR_SHARE * vote / vote.sum()
        return dict(zip(self.labels, blended.tolist(), strict=True))


def fingerprint(catalogue: Catalogue, model_sha256: str) -> str:
    """What the weights depend on: the encoder, the examples and the fit settings."""
    data = {
        "encoder": model_sha256,
        "fit": FIT,
        "examples": {
            c: sorted((e.text, e.label) for e in rows) for c, rows in examples(catalogue).items()
        },
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def fit(vectors: np.ndarray, targets: np.ndarray, classes: int) -> np.ndarray:
    """L2-regularised softmax regression by full-batch gradient descent (deterministic).

    Each label's examples weigh as much in total as another's raised to the power
    FIT["balance"] (0: by count; 1: fully balanced), so that "none" or a command, with
    few examples, is not drowned by the answers that have hundreds.
    """
    features = np.hstack([vectors, np.ones((len(vectors), 1), dtype=vectors.dtype)])
    onehot = np.eye(classes, dtype=np.float64)[targets]
    counts = np.bincount(targets, minlength=classes).astype(np.float64)
    sample = (counts.mean() / np.maximum(counts, 1.0))[targets] ** FIT["balance"]
    sample = (sample / sample.sum())[:, None]
    weights = np.zeros((features.shape[1], classes))
    for _ in range(int(FIT["steps"])):
        logits = features @ weights
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        prob /= prob.sum(axis=1, keepdims=True)
        gradient = features.T @ ((prob - onehot) * sample) + FIT["l2"] * weights
        weights -= FIT["rate"] * gradient
    return weights.astype(np.float32)


def fit_models(catalogue: Catalogue, embed: Embed) -> dict[str, Model]:
    """One regression per context over its examples."""
    models = {}
    for context, rows in examples(catalogue).items():
        labels = tuple(sorted({e.label for e in rows}))
        if len(labels) < 2:
            continue
        index = {label: i for i, label in enumerate(labels)}
        vectors = np.stack([embed(e.text) for e in rows]).astype(np.float64)
        targets = np.array([index[e.label] for e in rows])
        quantised = np.round(vectors * 127).astype(np.int8)
        models[context] = Model(labels, fit(vectors, targets, len(labels)), quantised,
                                targets.astype(np.int16))
    return models


def save(path: Path, models: dict[str, Model], stamp: str) -> None:
    arrays: dict[str, np.ndarray] = {"fingerprint": np.array(stamp)}
    for context, model in models.items():
        arrays[f"{context}.labels"] = np.array(model.labels)
        arrays[f"{context}.weights"] = model.weights
        if model.vectors is not None and model.targets is not None:
            arrays[f"{context}.vectors"] = model.vectors
            arrays[f"{context}.targets"] = model.targets
    np.savez_compressed(path, allow_pickle=False, **arrays)


@lru_cache(maxsize=8)
def load(catalogue: Catalogue) -> tuple[dict[str, Model], str] | None:
    """(models, fingerprint) from the catalogue's weights file; None when it has none."""
    path = catalogue.source.parent / WEIGHTS_FILE
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        contexts = {k.rsplit(".", 1)[0] for k in data.files if k.endswith(".labels")}
        models = {
            c: Model(
                tuple(str(x) for x in data[f"{c}.labels"]), data[f"{c}.weights"],
                data[f"{c}.vectors"].astype(np.float32) if f"{c}.vectors" in data.files else None,
                data[f"{c}.targets"].astype(np.intp) if f"{c}.targets" in data.files else None,
            )
            for c in contexts
            if c in catalogue.contexts
        }
        return models, str(data["fingerprint"])
