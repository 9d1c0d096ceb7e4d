"""Time to ready: from starting `checkin listen` to it listening for the wake phrase, per engine.

Wall time (this figure is what a person waits for), median of several process
starts. The app is ready when it prints that it is waiting for the wake phrase,
which it does after loading the engine and the wake detector. The reference is
a bare Python process that imports the engine, loads the same model and prints.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from audio.wav import write_wav
from benchmarks import engines
from benchmarks.audio_fixtures import silence
from benchmarks.runner import REPO_ROOT, Figure, Settings, fmt_s, median, not_measured

READY_MARKER = "Waiting for"
SPHINX_TARGET_S = 1.5

BARE = {
    "pocketsphinx": "from pocketsphinx import Decoder; Decoder(loglevel='FATAL'); print('ready')",
    "vosk": "import sys, vosk; vosk.SetLogLevel(-1); vosk.Model(model_path=sys.argv[1]); "
            "print('ready')",
}


class NeverReady(Exception):
    """The process ended without saying it was ready."""


def seconds_until(command: list[str], marker: str) -> float:
    """Wall seconds from starting `command` until a line of its stdout contains `marker`."""
    # stderr goes to a file: a pipe nobody reads could fill up and stall the child.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, cwd=REPO_ROOT,
                                   text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert process.stdout is not None
        try:
            for line in process.stdout:
                if marker in line:
                    return time.perf_counter() - started
        finally:
            process.kill()
            process.communicate()
        errors.seek(0)
        raise NeverReady(_last_line(errors.read().decode("utf-8", "replace")))


def run(settings: Settings) -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory(prefix="checkin-bench-") as folder:
        quiet = Path(folder) / "quiet.wav"
        write_wav(quiet, silence(1.0))
        for engine in ("pocketsphinx", "vosk"):
            figures.append(_engine_figure(engine, settings, quiet, Path(folder)))
    return figures


def _engine_figure(engine: str, settings: Settings, quiet: Path, folder: Path) -> Figure:
    label = "PocketSphinx" if engine == "pocketsphinx" else "Vosk"
    name = f"time to ready, {label} (process start to listening)"
    target = f"<= {SPHINX_TARGET_S} s" if engine == "pocketsphinx" else "—"
    model = engines.korean_model()
    if engine == "vosk" and model is None:
        return not_measured(name, "no Vosk model installed", target)
    app = [sys.executable, "-m", "voice", "listen", "--engine", engine, "--mute",
           "--db", str(folder / f"ready-{engine}.db"), "--audio-in", str(quiet)]
    bare = [sys.executable, "-c", BARE[engine]]
    if engine == "vosk":
        app += ["--model", str(model)]
        bare.append(str(model))
    app_times: list[float] = []
    bare_times: list[float] = []
    try:
        for _ in range(settings.repeats):
            app_times.append(seconds_until(app, READY_MARKER))
            bare_times.append(seconds_until(bare, "ready"))
    except NeverReady as error:
        return not_measured(name, f"`checkin listen` never said it was listening: {error}",
                            target)
    value, reference = median(app_times), median(bare_times)
    note = (f"wall time, median of {settings.repeats} starts of `checkin listen --engine "
            f"{engine}` until it prints \"{READY_MARKER} …\"; reference: python importing the "
            "engine and loading the same model")
    if engine == "vosk":
        note += f"; {engines.KOREAN_NOTE}"
    return Figure(
        name=name, app=fmt_s(value), reference=fmt_s(reference), ratio=value / reference,
        target=target, met=value <= SPHINX_TARGET_S if engine == "pocketsphinx" else None,
        note=note, values={"app_s": app_times, "bare_s": bare_times},
    )


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"
