"""How soon the chime comes after the wake phrase ends, paced as a live stream.

Frames arrive at their audio time and the detector handles them one after another, so a frame
waits while an earlier one is still being read: the chime comes when `push` returns the
detection. That is the wall clock a couple waits on (the verifier's compute time included);
the audio clock is when the frame that gave the detection arrived. Beside it, the bare
keyphrase search on the same stream, paced the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from audio.frames import Frame
from benchmarks import wake_streams
from benchmarks.runner import Figure, median

LATENCY_TARGET_S = 0.5
STREAMS = ("TUNING", "TUNING_ROOMS")
"""The streams whose latency is reported (in --quick, whichever stream was run)."""

Detection = tuple[float, float, float]
"""(detection t, audio s, wall s): see `paced`."""


@dataclass(frozen=True)
class PacedRun:
    """One stream heard, paced, by the app's detector and by the bare search."""

    stream: Any
    app: list[Detection]
    bare: list[Detection]
    bare_threshold: float
    """The bare search's threshold: its best on this stream (`benchmarks.wake`)."""


def paced(push: Callable[[Frame], float | None], frames: Sequence[Frame]) -> list[Detection]:
    """(detection t, audio s, wall s) of each detection: `wall` runs on from the audio time
    a frame arrives at, plus the compute time of every `push` since."""
    wall = 0.0
    found = []
    for frame in frames:
        wall = max(wall, frame.end_s)
        started = time.perf_counter()
        t = push(frame)
        wall += time.perf_counter() - started
        if t is not None:
            found.append((t, frame.end_s, wall))
    return found


def after_phrase(found: list[Detection], stream: Any) -> tuple[list[float], list[float]]:
    """Audio-clock and wall-clock seconds from each found phrase's end to its chime."""
    by_t = {t: (audio, wall) for t, audio, wall in found}
    pairs = wake_streams.score([t for t, _, _ in found], stream)["found"]
    return ([by_t[t][0] - end for end, t in pairs], [by_t[t][1] - end for end, t in pairs])


def latency_figures(runs: dict[str, PacedRun]) -> list[Figure]:
    figures = []
    for name in [name for name in STREAMS if name in runs] or list(runs):
        run = runs[name]
        app_audio, app_wall = after_phrase(run.app, run.stream)
        bare_audio, bare_wall = after_phrase(run.bare, run.stream)
        figures.append(Figure(
            name=f"wake chime after the phrase ends, wall clock, median / max, {name.lower()}",
            app=_median_max(app_wall),
            reference=_median_max(bare_wall),
            target=f"<= {LATENCY_TARGET_S} s",
            met=bool(app_wall) and max(app_wall) <= LATENCY_TARGET_S,
            note=f"benchmarks/wake_streams.py {name}: frames paced at their audio time, each "
                 f"push's compute time added (the chime waits for any reading still running); "
                 f"found {len(app_wall)} of {len(run.stream.wakes)}, bare search "
                 f"{len(bare_wall)} (threshold {run.bare_threshold:g}); audio clock alone: app "
                 f"{_median_max(app_audio)}, bare {_median_max(bare_audio)}",
            values={"app_wall_s": app_wall, "app_audio_s": app_audio,
                    "bare_wall_s": bare_wall, "bare_audio_s": bare_audio},
        ))
    return figures


def _median_max(seconds: list[float]) -> str:
    return f"{median(seconds):.2f} / {max(seconds):.2f} s" if seconds else "none found"
