"""Score a wake head on the streams that choices may be made on.

    python -m training.wake_head.evaluate head.npz [--sensitivity 0.5] [--streams TUNING,...]

HELD_OUT and HELD_OUT_2 are not offered: they are kept for one measurement at the end.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from audio.frames import split_into_frames
from benchmarks import wake_room_recipes, wake_streams
from benchmarks.wake_recipes import WakeStream
from benchmarks.wake_rooms import build_room_stream
from training.wake_head.head import WakeHead, read_head
from training.wake_head.spotter import Spotter


def streams(cache: Path) -> dict[str, Callable[[], WakeStream]]:
    flat = {name: getattr(wake_streams, name) for name in ("TUNING", "VALIDATION",
                                                            "OTHER_VOICES")}
    rooms = {name: getattr(wake_room_recipes, name) for name in (
        "TUNING_ROOMS", "CONTINUOUS_TALK", "CUSTOM_PHRASE")}
    found: dict[str, Callable[[], WakeStream]] = {
        name: partial(wake_streams.build_stream, recipe, cache) for name, recipe in flat.items()}
    found |= {name: partial(build_room_stream, recipe, cache) for name, recipe in rooms.items()}
    return found


def evaluate(head: WakeHead, stream: WakeStream, sensitivity: float) -> str:
    spotter = Spotter(head, sensitivity)
    started = time.process_time()
    found = [d.t for frame in split_into_frames(stream.pcm) if (d := spotter.push(frame))]
    cpu = (time.process_time() - started) / stream.duration
    score = wake_streams.score(found, stream)
    lines = [f"{len(score['found'])}/{len(stream.wakes)} found, {len(score['false'])} false, "
             f"{cpu:.4f} CPU s per audio s"]
    for t in score["false"]:
        said = [s.text for s in stream.segments if s.start - 0.5 <= t <= s.end + 1.0]
        lines.append(f"  false wake at {t:.2f} s: {said}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("head", type=Path)
    parser.add_argument("--sensitivity", type=float, default=0.5)
    parser.add_argument("--streams", default="TUNING,VALIDATION,OTHER_VOICES,TUNING_ROOMS,"
                                             "CONTINUOUS_TALK")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/wake-head-streams"))
    options = parser.parse_args()
    head, available = read_head(options.head), streams(options.cache)
    for name in options.streams.split(","):
        print(f"{name}: {evaluate(head, available[name](), options.sensitivity)}", flush=True)


if __name__ == "__main__":
    main()
