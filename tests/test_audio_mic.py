"""The microphone path, driven by a fake PortAudio stream that delivers real blocks.

The fake behaves like sounddevice.InputStream: it calls the callback with
int16 blocks of the requested shape and a status carrying overflow flags; when
its blocks run out it goes quiet, as an unplugged device does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from audio_helpers import dominant_frequency, rms, tone

from audio.errors import AudioError
from audio.frames import SAMPLE_RATE, to_samples
from audio.mic import MicLost, MicSource, choose_settings, list_input_devices, resolve_device

LOST_AFTER_S = 0.05  # only how long the fake device may stay quiet before it counts as lost


@dataclass
class Status:
    input_overflow: bool = False


class FakeInputStream:
    """Delivers (block, status) pairs to the callback when started, then falls silent."""

    def __init__(self, blocks: Iterable[tuple[np.ndarray, Status]], **settings: Any) -> None:
        if settings["dtype"] != "int16":
            raise ValueError("the fake device only records int16")
        self.settings = settings
        self._blocks = blocks
        self.active = False

    def start(self) -> None:
        self.active = True
        callback = self.settings["callback"]
        for block, status in self._blocks:
            assert block.shape[1] == self.settings["channels"]
            callback(block, len(block), None, status)

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active = False


def _blocks(
    signal: np.ndarray, channels: int, size: int, overflow_every: int = 0
) -> Iterator[tuple[np.ndarray, Status]]:
    ints = np.clip(np.rint(signal * 32768), -32768, 32767).astype(np.int16)
    for number, start in enumerate(range(0, ints.size, size)):
        block = np.repeat(ints[start : start + size, None], channels, axis=1)
        yield block, Status(input_overflow=bool(overflow_every and number % overflow_every == 0))


def _mic(signal: np.ndarray, rate: int, channels: int, overflow_every: int = 0) -> MicSource:
    def factory(**settings: Any) -> FakeInputStream:
        return FakeInputStream(_blocks(signal, channels, 512, overflow_every), **settings)

    return MicSource(
        stream_factory=factory, lost_after_s=LOST_AFTER_S, samplerate=rate, channels=channels
    )


def test_44k_stereo_device_becomes_16k_mono_frames_on_the_clock() -> None:
    mic = _mic(tone(440.0, 1.0, 44_100), 44_100, 2)
    positions = []
    pcm = b""
    with pytest.raises(MicLost):
        while True:
            frame = mic.read()
            assert frame is not None
            positions.append(frame.start)
            pcm += frame.pcm
    assert positions == [i * 480 for i in range(len(positions))]
    # All but the resampler's look-ahead and the last partial frame come through.
    assert len(pcm) // 2 >= SAMPLE_RATE - 2 * 480
    assert dominant_frequency(pcm) == pytest.approx(440.0, abs=3.0)
    assert rms(pcm[4000:-4000]) == pytest.approx(0.5 / np.sqrt(2), abs=0.01)


def test_overflows_are_counted() -> None:
    mic = _mic(tone(440.0, 0.5, 48_000), 48_000, 1, overflow_every=5)
    with pytest.raises(MicLost):
        while mic.read() is not None:
            pass
    blocks = -(-24_000 // 512)
    assert mic.overflows == len(range(0, blocks, 5))


def test_a_device_that_stops_delivering_is_reported_lost() -> None:
    mic = _mic(np.zeros(0), 16_000, 1)
    with pytest.raises(MicLost, match="no audio from the microphone") as raised:
        mic.read()
    assert isinstance(raised.value, AudioError)


def test_skip_drops_speech_that_arrives_while_the_assistant_talks() -> None:
    # One second of room, one second of (echoed) assistant speech, one second of room.
    signal = np.concatenate([np.zeros(48_000), tone(300.0, 1.0, 48_000), np.zeros(48_000)])
    mic = _mic(signal, 48_000, 1)
    first = mic.read()
    assert first is not None and first.start == 0
    mic.skip_to(to_samples(2.05))  # the assistant spoke until 2 s, plus a short tail
    after = mic.read()
    assert after is not None and after.start == to_samples(2.05)
    heard = after.pcm
    with pytest.raises(MicLost):
        while (frame := mic.read()) is not None:
            heard += frame.pcm
    assert rms(heard) < 0.001


DEVICES = [
    {
        "name": "HDA Intel PCH: ALC3246 Analog (hw:0,0)",
        "max_input_channels": 2,
        "default_samplerate": 44100.0,
    },
    {"name": "HDMI 0", "max_input_channels": 0, "default_samplerate": 48000.0},
    {
        "name": "USB PnP Sound Device: Audio (hw:1,0)",
        "max_input_channels": 1,
        "default_samplerate": 48000.0,
    },
    {"name": "USB Webcam C270", "max_input_channels": 1, "default_samplerate": 16000.0},
]


def test_list_input_devices_leaves_out_outputs() -> None:
    names = [d.name for d in list_input_devices(DEVICES)]
    assert "HDMI 0" not in names and len(names) == 3


def test_resolve_device_by_index_or_name_part() -> None:
    assert resolve_device(None, DEVICES) is None
    assert resolve_device(2, DEVICES) == 2
    assert resolve_device("3", DEVICES) == 3
    assert resolve_device("webcam", DEVICES) == 3
    assert resolve_device("alc3246", DEVICES) == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [("usb", "matches several"), ("bluetooth", "no input device matches"), (1, "index 1")],
)
def test_resolve_device_errors_list_the_devices(spec: str | int, message: str) -> None:
    with pytest.raises(AudioError, match=message) as raised:
        resolve_device(spec, DEVICES)
    assert "USB" in str(raised.value)


def test_choose_settings_prefers_16k_mono_then_what_the_device_supports() -> None:
    info = {"name": "USB", "default_samplerate": 44100.0, "max_input_channels": 2}

    def query(device: int | None, kind: str) -> dict[str, Any]:
        return info

    def only_44k_stereo(**settings: Any) -> None:
        if (settings["samplerate"], settings["channels"]) != (44_100, 2):
            raise ValueError("Invalid sample rate")

    assert choose_settings(0, check=lambda **s: None, query=query) == (16_000, 1)
    assert choose_settings(0, check=only_44k_stereo, query=query) == (44_100, 2)
