"""Refit the semantic part after the examples change (a development tool, not the app).

    .venv/bin/python -m intents.fit          # writes intents/semantic.npz

Embeds every example answer of the packaged catalogue (intents/examples.py) with the
shipped encoder and fits one regression per context (intents/semantic.py). About
15 s on one core. Deterministic: the same examples give the same file.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from intents.catalogue import DEFAULT_CATALOGUE, load_catalogue
from intents.encoder import Encoder, model_file
from intents.semantic import WEIGHTS_FILE, fingerprint, fit_models, save


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_CATALOGUE.parent / WEIGHTS_FILE)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    catalogue = load_catalogue()
    encoder = Encoder.shared()
    models = fit_models(catalogue, encoder.encode)
    save(args.out, models, fingerprint(catalogue, model_file()[1]))
    sizes = ", ".join(f"{c} {len(m.labels)} labels" for c, m in models.items())
    print(f"wrote {args.out} ({sizes}) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
