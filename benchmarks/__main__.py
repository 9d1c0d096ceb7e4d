"""`python -m benchmarks [--json] [--quick] [--only NAME]`: the app beside the bare engines."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

import voice  # noqa: F401  (the app's process settings, one BLAS thread, before numpy loads)
from benchmarks.runner import Figure, Settings, not_measured
from benchmarks.table import machine, render_json, render_markdown

GROUPS = {
    "recognizers": "benchmarks.recognition",
    "wake": "benchmarks.wake",
    "sessions": "benchmarks.sessions",
    "ready": "benchmarks.ready",
    "intents": "benchmarks.intent_matching",
    "store": "benchmarks.store_io",
    "pipeline": "benchmarks.pipeline",
    "startup": "benchmarks.startup",
    "reply": "benchmarks.reply_latency",
}
"""Figure groups, in the order they are printed; each module has `run(settings)`."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure the app beside the bare engines and print a table.",
        epilog="Example:\n  python -m benchmarks --quick --only intents",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny subset (one repeat, short audio): checks the harness runs")
    parser.add_argument("--only", action="append", choices=sorted(GROUPS), metavar="NAME",
                        help=f"run only this group (repeatable): {', '.join(GROUPS)}")
    parser.add_argument("--cache", type=Path, default=None,
                        help="where generated audio is kept (default: the app's cache folder)")
    args = parser.parse_args(argv)
    settings = Settings(quick=args.quick, cache=args.cache or _default_cache())
    settings.cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    figures: list[Figure] = []
    for name, module_name in GROUPS.items():
        if args.only and name not in args.only:
            continue
        print(f"benchmarks: {name}...", file=sys.stderr, flush=True)
        figures += _run_group(name, module_name, settings)
    wall_s = time.perf_counter() - started
    render = render_json if args.json else render_markdown
    print(render(figures, machine(), wall_s))
    return 0


def _run_group(name: str, module_name: str, settings: Settings) -> list[Figure]:
    """The group's figures; a group that crashes becomes one not-measured row, traceback on
    stderr, so one broken area does not hide every other figure."""
    try:
        module = importlib.import_module(module_name)
        figures: list[Figure] = module.run(settings)
    except Exception as error:  # reported in the table and on stderr, never swallowed
        traceback.print_exc()
        return [not_measured(f"{name} (whole group)", f"{type(error).__name__}: {error}")]
    return figures


def _default_cache() -> Path:
    from voice.config import cache_dir

    return cache_dir() / "benchmarks"


if __name__ == "__main__":
    sys.exit(main())
