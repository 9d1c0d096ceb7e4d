"""The ears' states on real flite speech, with a scripted recognizer; the mouth without input.

The recognizer here only records what it was fed and says what it is told to,
so each test reads off the audio clock exactly when the ears ended an answer
and which frames they handed on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from audio_helpers import flite_pcm, silence_pcm, spoken_with_pauses

from audio.endpoint import DEFAULT_TRAILING_SILENCE_S, SOFT_ENDING_S, Endpointer
from audio.frames import FRAME_SAMPLES, Frame, to_samples, to_seconds
from audio.sources import WavFileSource
from audio.wav import write_wav
from voice.checkin.session import Utterance
from voice.checkin.spoken import AudioClock, SpokenEars, SpokenMouth
from voice.checkin.turn_end import EARLY_END_SILENCE_S
from voice.recognizers.base import Utterance as Heard


class Scripted:
    """A recognizer that keeps the frames it is fed and says `so_far`, then `final`."""

    name = "scripted"

    def __init__(self, so_far: str, final: str) -> None:
        self.so_far, self.final = so_far, final
        self.frames: list[Frame] = []
        self.asked_at: list[int] = []

    def begin(self, context: str | None = None, start: int = 0) -> None:
        self.frames = []

    def accept(self, frame: Frame) -> str | None:
        self.frames.append(frame)
        return None

    def heard_so_far(self) -> str:
        self.asked_at.append(self.frames[-1].end)
        return self.so_far

    def end(self) -> Heard:
        return Heard(self.final, to_seconds(self.frames[0].start),
                     to_seconds(self.frames[-1].end), 0.9)


def listen_to(
    tmp_path: Path, pcm: bytes, recognizer: Scripted, patient: bool = False
) -> tuple[Utterance, int]:
    """What the ears heard in `pcm` (then silence), and the clock position when they answered."""
    wav = tmp_path / "answer.wav"
    write_wav(wav, silence_pcm(0.5) + pcm + silence_pcm(3.0))
    clock = AudioClock()
    ears = SpokenEars(WavFileSource(wav), recognizer, Endpointer(), clock,
                      early_end_samples=None if patient else to_samples(EARLY_END_SILENCE_S))
    heard = ears.listen("appreciation", "Ana", 10.0)
    assert isinstance(heard, Utterance)
    return heard, clock.position


def waited(heard: Utterance, position: int) -> float:
    """Seconds of silence from the end of the answer to when the ears answered."""
    return to_seconds(position) - heard.end_s


def assert_fed_without_the_trailing_silence(recognizer: Scripted, heard: Utterance) -> None:
    frames = recognizer.frames
    assert all(a.end == b.start for a, b in zip(frames, frames[1:], strict=False))  # in order
    assert frames[-1].end - to_samples(heard.end_s) <= to_samples(SOFT_ENDING_S)


FRAME_S = to_seconds(FRAME_SAMPLES)


def test_a_complete_answer_is_ended_at_the_short_pause(tmp_path: Path) -> None:
    recognizer = Scripted("thank you for the coffee", "thank you for the coffee")
    heard, position = listen_to(tmp_path, flite_pcm(tmp_path, "thank you for the coffee"),
                                recognizer)
    assert heard.text == "thank you for the coffee"
    assert EARLY_END_SILENCE_S <= waited(heard, position) < EARLY_END_SILENCE_S + FRAME_S
    assert len(recognizer.asked_at) == 1
    assert_fed_without_the_trailing_silence(recognizer, heard)


@pytest.mark.parametrize("patient", [False, True])
def test_an_open_answer_or_a_patient_ear_waits_the_full_silence(
    tmp_path: Path, patient: bool
) -> None:
    recognizer = Scripted("i appreciated that", "i appreciated that")
    heard, position = listen_to(tmp_path, flite_pcm(tmp_path, "I appreciated that"), recognizer,
                                patient)
    assert DEFAULT_TRAILING_SILENCE_S <= waited(heard, position)
    assert waited(heard, position) < DEFAULT_TRAILING_SILENCE_S + FRAME_S
    # Judged once at the pause (an open answer); never when patient.
    assert len(recognizer.asked_at) == (0 if patient else 1)
    assert_fed_without_the_trailing_silence(recognizer, heard)


def test_a_pause_inside_an_answer_is_judged_once_and_its_audio_kept(tmp_path: Path) -> None:
    pcm = spoken_with_pauses(tmp_path, ["I felt unheard when", "you changed the subject"], 0.6)
    recognizer = Scripted("i felt unheard when", "i felt unheard when you changed the subject")
    heard, position = listen_to(tmp_path, pcm, recognizer)
    # Once inside (open, so it went on) and once after the end; the audio of the pause itself
    # reached the recognizer when speech resumed.
    second = flite_pcm(tmp_path, "you changed the subject")
    second_starts = 0.5 + to_seconds((len(pcm) - len(second)) // 2)
    assert len(recognizer.asked_at) == 2
    assert to_seconds(recognizer.asked_at[0]) < second_starts < heard.end_s
    assert DEFAULT_TRAILING_SILENCE_S <= waited(heard, position)
    assert_fed_without_the_trailing_silence(recognizer, heard)


class NoInput:
    """The microphone is gone: any use of it is a bug."""

    def __getattr__(self, name: str) -> None:
        raise AssertionError(f"the lost source was used: {name}")


class Kept:
    def __init__(self) -> None:
        self.pcm = b""
        self.frames: list[Frame] = []

    def emit(self, pcm: bytes) -> None:
        self.pcm += pcm

    def write(self, frame: Frame) -> None:
        self.frames.append(frame)


def test_the_mouth_speaks_with_the_input_gone_and_the_clock_moves_past_it() -> None:
    output, recorder, clock = Kept(), Kept(), AudioClock(16000)
    mouth = SpokenMouth(None, output, NoInput(), clock, recorder)  # type: ignore[arg-type]
    pcm = silence_pcm(0.5)
    turn = mouth.play(pcm, "The microphone stopped.", input_gone=True)
    assert output.pcm == pcm
    assert clock.position == 16000 + len(pcm) // 2  # no half-duplex tail: no input to drop
    assert recorder.frames[0].start == 16000 and recorder.frames[-1].end == clock.position
    assert (turn.start_s, turn.end_s) == (1.0, 1.5)
