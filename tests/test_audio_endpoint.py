"""Endpointing on real synthesized speech, pauses, silence, noise, hum and DC offsets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audio_helpers import FLITE_VOICES, flite_pcm, silence_pcm, spoken_with_pauses

from audio.endpoint import (
    Endpointer,
    EndpointEvent,
    NoSpeech,
    PauseBegan,
    SpeechResumed,
    SpeechStarted,
    UtteranceEnded,
)
from audio.frames import SAMPLE_RATE, Frame, split_into_frames, to_samples
from audio.noise import room_noise
from audio.sources import NoiseSource, SilenceSource

PAUSED_ANSWERS = [
    ("I appreciated that you made dinner", "and that you asked about my day."),
    ("Honestly, I felt a little brushed off", "when I was telling you about work."),
    ("Um, let me think", "I guess the walk we took."),
]


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("endpoint")


def _run(endpointer: Endpointer, frames: list[Frame]) -> list[EndpointEvent]:
    endpointer.start(frames[0].start)
    events: list[EndpointEvent] = []
    for frame in frames:
        events.extend(endpointer.push(frame))
        if not endpointer.listening:
            break
    return events


def _boundaries(events: list[EndpointEvent]) -> list[EndpointEvent]:
    """The events that start or end an utterance or a listening (the pauses left out)."""
    return [e for e in events if isinstance(e, (SpeechStarted, UtteranceEnded, NoSpeech))]


def _with_room(pcm: bytes, level: float = 0.002, seed: int = 0) -> bytes:
    """Speech as a microphone hears it: on top of quiet room noise."""
    speech = np.frombuffer(pcm, "<i2").astype(np.int32)
    noise = room_noise(np.random.default_rng(seed), speech.size, level).astype(np.int32)
    return np.clip(speech + noise, -32768, 32767).astype("<i2").tobytes()


@pytest.mark.parametrize("voice", FLITE_VOICES)
def test_one_utterance_found_with_its_boundaries(speech_dir: Path, voice: str) -> None:
    speech = flite_pcm(speech_dir, "I appreciated the coffee this morning.", voice)
    lead = 1.0
    pcm = _with_room(silence_pcm(lead) + speech + silence_pcm(3.0))
    events = _run(Endpointer(), split_into_frames(pcm))

    assert [type(e) for e in _boundaries(events)] == [SpeechStarted, UtteranceEnded]
    started, ended = _boundaries(events)
    assert isinstance(started, SpeechStarted) and isinstance(ended, UtteranceEnded)
    speech_samples = np.nonzero(np.abs(np.frombuffer(speech, "<i2")) > 300)[0]
    true_start = to_samples(lead) + speech_samples[0]
    true_end = to_samples(lead) + speech_samples[-1]
    assert abs(started.position - true_start) <= to_samples(0.1)
    assert abs(ended.speech_end - true_end) <= to_samples(0.15)
    assert ended.reason == "silence"
    # The preroll reaches back before the speech so nothing is lost to the recognizer.
    assert started.preroll[0].start <= started.position - to_samples(0.25)
    # The trailing silence was first a pause, reported where the speech ended.
    pause = [e for e in events if isinstance(e, (PauseBegan, SpeechResumed))][-1]
    assert isinstance(pause, PauseBegan) and pause.position == ended.speech_end
    assert pause.speech_start == started.position


@pytest.mark.parametrize("voice", FLITE_VOICES)
@pytest.mark.parametrize("pause_s", [0.5, 0.6])
def test_answers_with_pauses_are_not_cut(speech_dir: Path, voice: str, pause_s: float) -> None:
    for first, second in PAUSED_ANSWERS:
        answer = spoken_with_pauses(speech_dir, [first, second], pause_s, voice)
        pcm = _with_room(silence_pcm(0.5) + answer + silence_pcm(3.0))
        events = _run(Endpointer(), split_into_frames(pcm))
        ended = [e for e in events if isinstance(e, UtteranceEnded)]
        assert len(ended) == 1
        # The utterance runs into the second clip instead of ending at the pause.
        second_starts = (
            to_samples(0.5) + (len(answer) - len(flite_pcm(speech_dir, second, voice))) // 2
        )
        assert ended[0].speech_end > second_starts


def test_shorter_trailing_silence_would_cut_them(speech_dir: Path) -> None:
    # The measurement behind the default: 0.7 s cuts a reflective answer in two.
    first, second = PAUSED_ANSWERS[1]
    answer = spoken_with_pauses(speech_dir, [first, second], 0.6, "slt")
    pcm = _with_room(answer + silence_pcm(2.0))
    events = _run(Endpointer(trailing_silence_s=0.7), split_into_frames(pcm))
    ended = [e for e in events if isinstance(e, UtteranceEnded)]
    first_ends = len(flite_pcm(speech_dir, first, "slt")) // 2
    assert ended and ended[0].speech_end <= first_ends


def test_max_length_ends_a_long_utterance(speech_dir: Path) -> None:
    speech = flite_pcm(speech_dir, "and then we talked and talked about everything", "rms")
    pcm = _with_room(b"".join([speech] * 4))
    events = _run(Endpointer(max_utterance_s=3.0), split_into_frames(pcm))
    ended = events[-1]
    assert isinstance(ended, UtteranceEnded) and ended.reason == "max_length"
    assert ended.speech_end - ended.speech_start <= to_samples(3.0)


def _source_frames(source: SilenceSource | NoiseSource) -> list[Frame]:
    frames = []
    while (frame := source.read()) is not None:
        frames.append(frame)
    return frames


NON_SPEECH = {
    "digital-zeros": lambda: _source_frames(SilenceSource(10.0)),
    "quiet-room": lambda: _source_frames(NoiseSource(0.002, 10.0, seed=1)),
    "loud-room": lambda: _source_frames(NoiseSource(0.05, 10.0, seed=2)),
    "hum-50": lambda: _source_frames(NoiseSource(0.1, 10.0, kind="hum")),
    "hum-60-loud": lambda: _source_frames(NoiseSource(0.3, 10.0, kind="hum", hum_hz=60.0)),
    "dc-offset": lambda: split_into_frames(np.full(10 * SAMPLE_RATE, 3000, "<i2").tobytes()),
}


@pytest.mark.parametrize("name", sorted(NON_SPEECH))
def test_non_speech_never_makes_an_utterance(name: str) -> None:
    events = _run(Endpointer(no_speech_timeout_s=8.0), NON_SPEECH[name]())
    assert events == [NoSpeech(to_samples(8.0) + (-to_samples(8.0)) % 480)]


def test_noise_floor_learned_in_one_listening_carries_to_the_next(speech_dir: Path) -> None:
    endpointer = Endpointer(no_speech_timeout_s=2.0)
    room = _source_frames(NoiseSource(0.02, 6.0, seed=3))
    assert isinstance(_run(endpointer, room[:100])[-1], NoSpeech)
    speech = flite_pcm(speech_dir, "yes, I felt heard", "awb")
    pcm = _with_room(speech + silence_pcm(2.0), level=0.02, seed=4)
    events = _run(endpointer, split_into_frames(pcm, start=room[100].start))
    assert [type(e) for e in _boundaries(events)] == [SpeechStarted, UtteranceEnded]


def _heard_by_a_recognizer(endpointer: Endpointer, frames: list[Frame]) -> list[Frame]:
    """What a consumer hands its recognizer: the preroll, every frame of the utterance, but a
    pause's frames only when SpeechResumed brings them back (as voice.checkin.spoken does)."""
    endpointer.start(frames[0].start)
    heard: list[Frame] = []
    for frame in frames:
        hearing = endpointer.in_speech and not endpointer.paused
        events = endpointer.push(frame)
        if hearing and not any(isinstance(e, PauseBegan) for e in events):
            heard.append(frame)
        for event in events:
            if isinstance(event, SpeechStarted):
                heard.extend(event.preroll)
            elif isinstance(event, SpeechResumed):
                heard.extend(event.frames)
        if not endpointer.listening:
            break
    return heard


@pytest.mark.parametrize("voice", ["slt", "rms"])
def test_a_pause_inside_an_answer_is_held_and_handed_back(speech_dir: Path, voice: str) -> None:
    first, second = PAUSED_ANSWERS[0]
    answer = spoken_with_pauses(speech_dir, [first, second], 0.6, voice)
    pcm = _with_room(silence_pcm(0.5) + answer + silence_pcm(3.0))
    frames = split_into_frames(pcm)
    events = _run(Endpointer(), frames)
    ended = events[-1]
    assert isinstance(ended, UtteranceEnded) and ended.reason == "silence"
    pauses = [e for e in events if isinstance(e, PauseBegan)]
    resumed = [e for e in events if isinstance(e, SpeechResumed)]
    # The pause between the clips began before the second one and ended in it; the silence
    # after the answer was a pause that never ended.
    second_starts = to_samples(0.5) + (len(answer) - len(flite_pcm(speech_dir, second, voice))) // 2
    assert len(pauses) == len(resumed) + 1 >= 2
    pairs = list(zip(pauses, resumed, strict=False))
    assert any(pause.position < second_starts <= back.position for pause, back in pairs)
    assert pauses[-1].position == ended.speech_end
    for pause, back in pairs:
        assert back.frames[0].start - pause.position <= to_samples(0.3) + 480
        assert back.frames[-1].start == back.position

    heard = _heard_by_a_recognizer(Endpointer(), frames)
    # Every frame once and in order, from the preroll to the answer's soft ending, and none
    # of the trailing silence.
    assert all(a.end == b.start for a, b in zip(heard, heard[1:], strict=False))
    assert heard[-1].end - ended.speech_end <= to_samples(0.3)


def test_a_deadline_of_the_caller_replaces_the_no_speech_timeout() -> None:
    frames = _source_frames(SilenceSource(10.0))
    endpointer = Endpointer(no_speech_timeout_s=8.0)
    endpointer.start(0, deadline=to_samples(2.0))
    events = [e for frame in frames for e in endpointer.push(frame)]
    assert events == [NoSpeech(to_samples(2.0) + (-to_samples(2.0)) % 480)]
    # A deadline already passed still hears one frame; the next listening has the timeout again.
    endpointer.start(frames[0].start, deadline=0)
    assert endpointer.push(frames[0]) == [NoSpeech(frames[0].end)]
    assert _run(endpointer, frames) == [NoSpeech(to_samples(8.0) + (-to_samples(8.0)) % 480)]


def test_ending_an_utterance_in_a_pause_drops_what_was_held(speech_dir: Path) -> None:
    pcm = _with_room(flite_pcm(speech_dir, "thank you", "slt") + silence_pcm(1.0))
    endpointer = Endpointer()
    endpointer.start(0)
    for frame in split_into_frames(pcm):
        if any(isinstance(e, PauseBegan) for e in endpointer.push(frame)):
            break
    assert endpointer.paused
    ended = endpointer.end_now()
    assert ended.reason == "complete" and not endpointer.paused and not endpointer.listening
