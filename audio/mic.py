"""The microphone as a FrameSource (sounddevice / PortAudio).

Copied from sounddevice's rec_unlimited.py: the PortAudio callback only puts a
copy of each block on a queue; everything else (mono mix, resampling to 16 kHz,
framing, the clock) happens in the reading thread. The stream is opened through
an injectable factory so tests drive the real conversion path with a fake stream.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from audio.errors import AudioError
from audio.frames import FRAME_SAMPLES, SAMPLE_RATE, Frame
from audio.resample import Resampler

DEVICE_HINT = "run `checkin doctor` to list input devices, then pass --mic NAME or --mic INDEX"


class MicLost(AudioError):
    """The microphone stopped delivering audio (unplugged, suspended, or taken by another app)."""


@dataclass(frozen=True)
class InputDevice:
    """An audio input device as PortAudio reports it."""

    index: int
    name: str
    max_input_channels: int
    default_samplerate: float


class InputStreamLike(Protocol):
    """What MicSource needs of a sounddevice.InputStream."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


StreamFactory = Callable[..., InputStreamLike]
"""Called as factory(device=, samplerate=, channels=, dtype="int16", blocksize=, callback=)."""


def load_sounddevice() -> Any:
    """Import sounddevice only when a device is needed: it fails without libportaudio."""
    try:
        import sounddevice
    except OSError as error:
        raise AudioError(
            f"cannot load PortAudio ({error}); install it (Debian: apt install libportaudio2) "
            "or use --audio-in FILE instead of the microphone"
        ) from None
    return sounddevice


def rescan_devices() -> None:
    """Make PortAudio list devices afresh, so a re-plugged microphone (often with a new index)
    can be found; PortAudio only enumerates devices when it initialises."""
    sounddevice = load_sounddevice()
    sounddevice._terminate()
    sounddevice._initialize()


def list_input_devices(devices: Sequence[dict[str, Any]] | None = None) -> list[InputDevice]:
    """The devices that can record; `devices` defaults to sounddevice.query_devices()."""
    if devices is None:
        try:
            devices = list(load_sounddevice().query_devices())
        except load_sounddevice().PortAudioError as error:
            raise AudioError(f"cannot list audio devices ({error}); {DEVICE_HINT}") from None
    return [
        InputDevice(
            int(info.get("index", index)),
            str(info["name"]),
            int(info["max_input_channels"]),
            float(info.get("default_samplerate", SAMPLE_RATE)),
        )
        for index, info in enumerate(devices)
        if int(info.get("max_input_channels", 0)) > 0
    ]


def resolve_device(
    spec: str | int | None, devices: Sequence[dict[str, Any]] | None = None
) -> int | None:
    """Turn `--mic` into a device index: an index, or a case-insensitive part of a name.

    None means the system default. Unknown or ambiguous names raise AudioError
    listing the input devices.
    """
    if spec is None:
        return None
    inputs = list_input_devices(devices)
    listing = "; ".join(f"{d.index}: {d.name}" for d in inputs) or "none found"
    if isinstance(spec, int) or spec.strip().isdigit():
        index = int(spec)
        if any(d.index == index for d in inputs):
            return index
        raise AudioError(
            f"no input device with index {index} (input devices: {listing}); {DEVICE_HINT}"
        )
    wanted = spec.strip().lower()
    matches = [d for d in inputs if wanted in d.name.lower()]
    exact = [d for d in matches if d.name.lower() == wanted]
    if len(matches) == 1 or len(exact) == 1:
        return (exact or matches)[0].index
    if matches:
        names = "; ".join(f"{d.index}: {d.name}" for d in matches)
        raise AudioError(
            f"--mic {spec!r} matches several input devices ({names}); "
            "give more of the name or the index"
        )
    raise AudioError(f"no input device matches {spec!r} (input devices: {listing}); {DEVICE_HINT}")


def choose_settings(
    device: int | None,
    check: Callable[..., None] | None = None,
    query: Callable[..., Any] | None = None,
) -> tuple[int, int]:
    """A (samplerate, channels) pair the device accepts for int16 input.

    16 kHz mono is preferred (no conversion); otherwise the device's default
    rate and the fewest channels it supports. `check` and `query` default to
    sounddevice's check_input_settings (raises when unsupported) and query_devices.
    """
    sd = load_sounddevice()
    check = check or sd.check_input_settings
    query = query or sd.query_devices
    try:
        info = query(device, "input")
    except (ValueError, sd.PortAudioError) as error:
        raise AudioError(f"cannot use input device {device} ({error}); {DEVICE_HINT}") from None
    default_rate = int(info["default_samplerate"])
    max_channels = max(1, int(info["max_input_channels"]))
    for rate in (SAMPLE_RATE, default_rate, 48_000, 44_100):
        for channels in sorted({1, min(2, max_channels), max_channels}):
            try:
                check(device=device, channels=channels, dtype="int16", samplerate=rate)
            except (ValueError, sd.PortAudioError):
                continue
            return rate, channels
    raise AudioError(f"input device {info['name']!r} accepts no usable int16 format; {DEVICE_HINT}")


class MicSource:
    """Frames from a live input device, on the audio clock (samples captured so far)."""

    def __init__(
        self,
        device: int | None = None,
        stream_factory: StreamFactory | None = None,
        lost_after_s: float = 3.0,
        samplerate: int | None = None,
        channels: int | None = None,
        block: int = FRAME_SAMPLES,
    ) -> None:
        self.device = device
        self.lost_after_s = lost_after_s
        self.block = block
        self._factory = stream_factory
        if samplerate is None or channels is None:
            chosen_rate, chosen_channels = choose_settings(device)
            samplerate = samplerate or chosen_rate
            channels = channels or chosen_channels
        self.samplerate = samplerate
        self.channels = channels
        self.overflows = 0
        """Input overflows PortAudio reported: audio lost because reading fell behind."""
        self.position = 0
        """Clock position of the next frame."""
        self._queue: queue.Queue[tuple[np.ndarray, Any]] = queue.Queue()
        self._resampler = Resampler(samplerate, SAMPLE_RATE)
        self._pending = np.zeros(0, dtype=np.float64)
        self._stream: InputStreamLike | None = None

    def _callback(self, indata: np.ndarray, frames: int, time: Any, status: Any) -> None:
        # Runs on PortAudio's thread: queue a copy and nothing else.
        self._queue.put((indata.copy(), status))

    def _ensure_started(self) -> None:
        if self._stream is not None:
            return
        factory = self._factory or load_sounddevice().InputStream
        try:
            stream = factory(
                device=self.device,
                samplerate=self.samplerate,
                channels=self.channels,
                dtype="int16",  # sounddevice defaults to float32
                blocksize=0,
                callback=self._callback,
            )
            stream.start()
        except Exception as error:  # PortAudioError and friends: report, do not hide
            if isinstance(error, AudioError):
                raise
            raise AudioError(f"cannot open the microphone ({error}); {DEVICE_HINT}") from error
        self._stream = stream

    def _next_block(self) -> None:
        try:
            block, status = self._queue.get(timeout=self.lost_after_s)
        except queue.Empty:
            self.close()
            raise MicLost(
                f"no audio from the microphone for {self.lost_after_s:g} s (unplugged or in use?); "
                f"reconnect it or {DEVICE_HINT}"
            ) from None
        if status is not None and getattr(status, "input_overflow", False):
            self.overflows += 1
        mono = block.reshape(len(block), -1).astype(np.float64).mean(axis=1) / 32768.0
        self._pending = np.concatenate([self._pending, self._resampler.process(mono)])

    def read(self) -> Frame | None:
        """The next frame; blocks until the device delivers it, raises MicLost if it stops."""
        self._ensure_started()
        while self._pending.size < self.block:
            self._next_block()
        chunk, self._pending = self._pending[: self.block], self._pending[self.block :]
        scaled = np.clip(np.rint(chunk * 32768.0), -32768, 32767).astype("<i2")
        frame = Frame(scaled.tobytes(), self.position)
        self.position += self.block
        return frame

    def skip_to(self, position: int) -> None:
        """Drop captured audio up to `position` (the assistant spoke; half-duplex)."""
        self._ensure_started()
        while self.position < position:
            while self._pending.size == 0:
                self._next_block()
            drop = min(self._pending.size, position - self.position)
            self._pending = self._pending[drop:]
            self.position += drop

    def listening_started(self) -> None:
        """Nothing to do: the device records continuously."""

    def listening_ended(self, heard: bool) -> None:
        """Nothing to do: the device records continuously."""

    def close(self) -> None:
        """Stop and release the device."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.stop()
            stream.close()
