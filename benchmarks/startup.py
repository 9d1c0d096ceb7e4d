"""CPU time of `checkin --help` beside a bare `python -c pass`, in the same run.

What a person pays before any command does its work: the interpreter, click and the
command table. CPU time (user + system of the child) is counted, not wall time, so a
busy machine does not move it much.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys

from benchmarks.runner import REPO_ROOT, Figure, Settings, fmt_s, median

HELP_TARGET_S = 0.3


def child_cpu_seconds(command: list[str]) -> float:
    """User + system CPU seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=REPO_ROOT, capture_output=True, check=True,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(settings: Settings) -> list[Figure]:
    repeats = 3 if settings.quick else 11
    app = [child_cpu_seconds([sys.executable, "-m", "voice", "--help"]) for _ in range(repeats)]
    bare = [child_cpu_seconds([sys.executable, "-c", "pass"]) for _ in range(repeats)]
    value, reference = median(app), median(bare)
    return [Figure(
        name="`checkin --help` CPU",
        app=fmt_s(value), reference=fmt_s(reference),
        ratio=value / reference if reference else None,
        target=f"<= {HELP_TARGET_S} s", met=value <= HELP_TARGET_S,
        note=f"user+system CPU of the child, median of {repeats}; reference: python -c pass",
        values={"app_s": app, "bare_s": bare},
    )]
