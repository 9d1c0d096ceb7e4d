"""What every benchmark group shares: settings, figures, verdicts, CPU timing and medians.

A group is a function `(Settings) -> list[Figure]`. Each figure sits beside its
reference measured in the same run, because these machines are shared and
noisy: a ratio against a reference timed in between the app's own runs says
more than an absolute number. A figure that could not be measured carries the
reason and no value; nothing is ever guessed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """How hard to measure."""

    quick: bool
    """A tiny subset: fewer repeats and shorter audio, to check the harness runs."""

    cache: Path
    """Where generated audio is kept between runs (synthesis is slow, decoding is measured)."""

    @property
    def repeats(self) -> int:
        """Timed repetitions per measurement; the median is reported."""
        return 1 if self.quick else 5

    @property
    def heavy_repeats(self) -> int:
        """Repetitions of the measurements that cost tens of CPU seconds each."""
        return 1 if self.quick else 3


@dataclass
class Figure:
    """One row of the table."""

    name: str
    app: str
    """The app's figure, formatted with its unit ("" when not measured)."""
    reference: str = "—"
    """The reference from the same run (the bare engine on the same input), or "—"."""
    ratio: float | None = None
    """app / reference, when both are numbers of the same kind."""
    target: str = "—"
    met: bool | None = None
    """True/False when there is a target and a value; None otherwise."""
    reason: str | None = None
    """Why the figure was not measured (then `app` is "")."""
    note: str = ""
    """What the reader must know to read the number (input, engine, model...)."""
    values: dict[str, Any] = field(default_factory=dict)
    """The raw numbers, for --json."""

    @property
    def verdict(self) -> str:
        if self.reason is not None:
            return f"not measured: {self.reason}"
        if self.met is None:
            return "—"
        return "met" if self.met else "MISSED"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["verdict"] = self.verdict
        return data


def not_measured(name: str, reason: str, target: str = "—") -> Figure:
    """A figure that could not be measured in this run, and why."""
    return Figure(name=name, app="", target=target, reason=reason)


Group = Callable[[Settings], list[Figure]]


def cpu_seconds(work: Callable[[], object]) -> float:
    """CPU seconds (user + system, all threads of this process) spent in `work()`."""
    started = time.process_time()
    work()
    return time.process_time() - started


def paired_cpu(
    app: Callable[[], object], reference: Callable[[], object], repeats: int
) -> tuple[list[float], list[float]]:
    """Time `app` and `reference` alternately, so both see the same machine load."""
    app_times: list[float] = []
    reference_times: list[float] = []
    for _ in range(repeats):
        app_times.append(cpu_seconds(app))
        reference_times.append(cpu_seconds(reference))
    return app_times, reference_times


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def paired_ratio(app_times: Sequence[float], reference_times: Sequence[float]) -> float:
    """Median of the per-run ratios: each pair ran back to back under the same load."""
    return median([a / r for a, r in zip(app_times, reference_times, strict=True) if r > 0])


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.3g} ms"


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3g} s"


def fmt_rate(value: float) -> str:
    """A CPU-seconds-per-audio-second figure."""
    return f"{value:.3g}"
