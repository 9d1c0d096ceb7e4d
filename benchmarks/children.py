"""Child processes whose peak memory and output the benchmarks read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from benchmarks.runner import REPO_ROOT


@dataclass(frozen=True)
class ChildResult:
    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float
    """The sum of the peak resident sets of the child and all its descendants (workers)."""
    processes: tuple[tuple[str, float], ...] = ()
    """(command line, peak RSS in MB) of each process, the child first."""
    retried: str | None = None
    """The error of a first attempt that failed and was run again, if any."""


def start_python(args: Sequence[str], env: dict[str, str] | None = None) -> Running:
    """Start `python args...` from the repo root through the RSS launcher, output captured."""
    report = Path(tempfile.mkstemp(prefix="checkin-rss-", suffix=".json")[1])
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.rss_launcher", str(report), "--",
         sys.executable, *args],
        stdout=out, stderr=err, cwd=REPO_ROOT, env={**os.environ, **(env or {})},
    )
    return Running(process, out, err, report)


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    out: IO[bytes]
    err: IO[bytes]
    report: Path

    def wait(self) -> ChildResult:
        """Wait for the child; its exit status and peak RSS come from the launcher's report."""
        self.process.wait()
        texts = []
        for handle in (self.out, self.err):
            handle.seek(0)
            texts.append(handle.read().decode("utf-8", "replace"))
            handle.close()
        try:
            data = json.loads(self.report.read_text(encoding="utf-8") or "{}")
        finally:
            self.report.unlink(missing_ok=True)
        if "returncode" not in data:
            return ChildResult(self.process.returncode or 1, texts[0], texts[1], 0.0)
        processes = tuple((str(p["command"]), int(p["peak_kib"]) / 1024)
                          for p in data["processes"])
        return ChildResult(int(data["returncode"]), texts[0], texts[1],
                           sum(mb for _, mb in processes), processes)
