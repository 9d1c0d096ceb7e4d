"""`checkin wake`: listen for the wake phrase and print each detection."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from voice.wake.detector import WakeDetection


@click.command(name="wake")
@click.option("--audio-in", "audio_in", type=click.Path(path_type=Path), default=None,
              help="Listen to this recording (WAV, MP3, FLAC, Ogg...) instead of the "
                   "microphone; ends at its end.")
@click.option("--mic", default=None, help="Input device number (default: the config's mic).")
@click.option("--phrase", default=None,
              help='Wake phrase (default: the config\'s, "hey check in").')
@click.option("--sensitivity", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="0 strict .. 1 eager. Raise it if you are not heard, lower it on false wakes.")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per detection: {"t","phrase","score"}.')
def command(audio_in: Path | None, mic: str | None, phrase: str | None, sensitivity: float,
            as_json: bool) -> None:
    """Listen for the wake phrase and print each time it is heard; keeps listening.

    Use it to tune --sensitivity in your own room. t is seconds into the stream
    where the phrase ended.

    \b
    Example:
      checkin wake --audio-in evening.wav --json
    """
    from audio.source import FrameSource
    from voice.wake.detector import WakeDetector

    source: FrameSource
    if audio_in is not None:
        from audio.sources import WavFileSource

        source = WavFileSource(audio_in)
    else:
        from audio.mic import MicSource, resolve_device
        from voice.config import load_config

        source = MicSource(device=resolve_device(mic if mic is not None else load_config().mic))
    if phrase is None:
        phrase = _configured_phrase()
    detector = WakeDetector(phrase, sensitivity)
    source.listening_started()
    found = False
    try:
        while (frame := source.read()) is not None:
            found = _print(detector.push(frame), as_json) or found
        # A recording may end right where the phrase does: its end is the pause.
        found = _print(detector.finish(), as_json) or found
    finally:
        source.listening_ended(False)
        source.close()
    if audio_in is not None and not found:
        _say_if_too_quiet(audio_in, detector.loudest_db)


_DIGITAL_SILENCE_DB = -100.0
"""Quieter than any microphone's own noise: the file holds (near) zeros."""


def _say_if_too_quiet(path: Path, loudest_db: float) -> None:
    """Nothing in the file was loud enough to be speech: say so, or a quiet recording of the
    phrase looks like a miss."""
    from audio.vad import ABSOLUTE_MIN_DB

    if loudest_db > ABSOLUTE_MIN_DB:
        return
    if loudest_db <= _DIGITAL_SILENCE_DB:
        click.echo(f"checkin: note: {path} is silent (no sound at all); check that the "
                   "recording picked up the microphone", err=True)
        return
    louder = path.with_name(path.stem + "-louder.wav")
    click.echo(f"checkin: note: nothing in {path} is loud enough to be speech (loudest "
               f"{loudest_db:.0f} dBFS in the speech band; speech starts at "
               f"{ABSOLUTE_MIN_DB:.0f}); if someone speaks in it, raise its level: "
               f"sox {path} {louder} gain -n -3", err=True)


def _print(detection: WakeDetection | None, as_json: bool) -> bool:
    """Print `detection`, if any; whether there was one."""
    if detection is None:
        return False
    if as_json:
        line = json.dumps({"t": detection.t, "phrase": detection.phrase,
                           "score": detection.score})
    else:
        line = f"{detection.t:8.2f}s  {detection.phrase}  (score {detection.score:.2f})"
    click.echo(line)
    # Detections must reach a pipe at once, not when the buffer fills.
    sys.stdout.flush()
    return True


def _configured_phrase() -> str:
    from voice.config import load_config

    return load_config().wake_phrase
