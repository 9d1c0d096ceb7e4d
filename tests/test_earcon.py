"""Earcons are short, gentle and click-free, and go out on the audio clock (half-duplex)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from audio.earcon import listen_earcon, wake_earcon
from audio.frames import SAMPLE_RATE
from audio.sources import WavFileSource
from audio.wav import write_wav
from voice.checkin.spoken import AudioClock, SpokenMouth
from voice.listen.status import CLEAR_LINE, StatusLine


def samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def test_earcons_are_short_soft_and_start_and_end_at_rest() -> None:
    for pcm, longest_s in ((wake_earcon(), 0.25), (listen_earcon(), 0.12)):
        sound = samples(pcm)
        assert 0.05 < sound.size / SAMPLE_RATE <= longest_s
        assert np.abs(sound).max() < 0.25 * 32768  # well below speech at full level
        assert abs(sound[0]) < 50 and abs(sound[-1]) < 50  # faded: no click
    spectrum = np.abs(np.fft.rfft(samples(listen_earcon())))
    peak_hz = np.fft.rfftfreq(samples(listen_earcon()).size, 1 / SAMPLE_RATE)[spectrum.argmax()]
    assert peak_hz == pytest.approx(880.0, abs=15.0)


class Kept:
    def __init__(self) -> None:
        self.pcm = b""

    def emit(self, pcm: bytes) -> None:
        self.pcm += pcm


def test_an_earcon_moves_the_clock_and_the_room_is_not_heard_meanwhile(tmp_path: Path) -> None:
    room = tmp_path / "room.wav"
    write_wav(room, bytes(2 * SAMPLE_RATE))
    source, output, clock = WavFileSource(room), Kept(), AudioClock()
    mouth = SpokenMouth(renderer=None, output=output, source=source,  # type: ignore[arg-type]
                        clock=clock)
    turn = mouth.play(wake_earcon())
    assert output.pcm == wake_earcon()
    assert turn.end_s == len(wake_earcon()) / 2 / SAMPLE_RATE
    frame = source.read()
    assert frame is not None and frame.start == clock.position > len(wake_earcon()) // 2


def test_the_status_line_is_rewritten_in_place_only_on_a_terminal() -> None:
    terminal = io.StringIO()
    status = StatusLine(terminal, enabled=True)
    status.show("listening")
    status.print_line("Ana: thank you for the coffee", terminal)
    status.show("thinking")
    text = terminal.getvalue()
    assert text.startswith(f"{CLEAR_LINE}[listening…]")
    assert f"{CLEAR_LINE}Ana: thank you for the coffee\n{CLEAR_LINE}[listening…]" in text
    assert text.endswith(f"{CLEAR_LINE}[thinking…]")
    piped = io.StringIO()  # not a terminal: isatty() is False
    quiet = StatusLine(piped)
    quiet.show("speaking")
    quiet.print_line("assistant: hello", piped)
    assert piped.getvalue() == "assistant: hello\n"
