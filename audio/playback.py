"""Playing the assistant's speech on the speakers (sounddevice), with a clear "no speaker" error.

Callers that catch `NoSpeaker` fall back to printing the prompt text, with one warning.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from audio.errors import AudioError
from audio.frames import SAMPLE_RATE


class NoSpeaker(AudioError):
    """There is no usable output device; the caller prints the text instead."""


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as error:
        raise NoSpeaker(
            f"cannot load PortAudio ({error}); install libportaudio2 or use --say-to FILE / --mute"
        ) from None
    return sounddevice


def is_available(device: int | str | None = None) -> bool:
    """True when `device` (default: the system default) can play 16 kHz mono int16."""
    try:
        sd = _sounddevice()
    except NoSpeaker:
        return False
    try:
        sd.check_output_settings(device=device, channels=1, dtype="int16", samplerate=SAMPLE_RATE)
    except (ValueError, sd.PortAudioError):
        return False
    return True


def play(pcm: bytes, device: int | str | None = None) -> None:
    """Play 16 kHz mono int16 PCM and wait until it has been heard.

    Raises NoSpeaker when no output device can play it.
    """
    if not pcm:
        return
    sd = _sounddevice()
    samples = np.frombuffer(pcm, dtype="<i2")
    try:
        sd.play(samples, samplerate=SAMPLE_RATE, device=device, blocking=True)
    except (ValueError, sd.PortAudioError) as error:
        raise NoSpeaker(
            f"cannot play on the speaker {device if device is not None else '(default)'} "
            f"({error}); pass --speaker NAME, --say-to FILE or --mute"
        ) from None
