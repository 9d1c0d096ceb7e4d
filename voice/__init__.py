"""Hearing and speaking: recognizers, the wake phrase, the TTS speaker, the dialogue, the CLI."""

import os

# OpenBLAS's worker threads spin after every small matrix product (mel features, the wake
# readings): on two cores that cost the wake detector a third of its CPU for no speed-up
# (benchmarks/RESULTS.md, 2026-12-07). Set before numpy loads; a user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
