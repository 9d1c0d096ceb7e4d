"""The assistant's voice: real pyttsx3/espeak-ng renders, and a hung worker that times out."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from audio_helpers import rms

from audio.frames import SAMPLE_RATE
from voice.errors import CheckinError
from voice.tts import Speaker


@pytest.fixture(scope="module")
def speaker() -> Iterator[Speaker]:
    with Speaker() as shared:
        yield shared


def test_render_gives_real_16k_speech(speaker: Speaker) -> None:
    pcm = speaker.render("What did you appreciate about your partner today?")
    seconds = len(pcm) / 2 / SAMPLE_RATE
    assert 1.0 < seconds < 6.0
    assert rms(pcm) > 0.02


def test_worker_is_reused_and_renders_differ(speaker: Speaker) -> None:
    short = speaker.render("Yes.")
    long = speaker.render("Thank you both. That is the check-in for tonight. Sleep well.")
    assert 0 < len(short) < len(long)


def test_empty_text_is_silence(speaker: Speaker) -> None:
    assert speaker.render("   ") == b""


def test_voice_and_rate_are_applied() -> None:
    with Speaker(voice="en-us", rate=120) as slow, Speaker(voice="en-us", rate=260) as fast:
        text = "Did you feel brushed off or unheard today?"
        assert len(slow.render(text)) > 1.5 * len(fast.render(text))
        assert "en-us" in slow.describe()
        assert any("en" in voice for voice in slow.voices())


def test_unknown_voice_is_a_clear_error() -> None:
    with Speaker(voice="no-such-voice-xyz") as speaker:
        with pytest.raises(CheckinError, match="no voice matches 'no-such-voice-xyz'"):
            speaker.render("hello")


def test_a_worker_that_never_answers_times_out_and_is_replaced() -> None:
    # A real child process that reads requests and never replies: what a hung runAndWait looks like.
    silent = [sys.executable, "-c", "import sys\nfor _ in sys.stdin: pass"]
    with Speaker(timeout_s=0.5, worker_command=silent) as speaker:
        with pytest.raises(CheckinError, match="did not answer within 0.5 s"):
            speaker.render("hello")
        with pytest.raises(CheckinError, match="did not answer"):
            speaker.render("hello again")


def test_a_worker_that_dies_is_a_clear_error() -> None:
    with Speaker(worker_command=[sys.executable, "-c", "pass"]) as speaker:
        with pytest.raises(CheckinError, match="exited unexpectedly"):
            speaker.render("hello")


def test_a_long_first_render_on_a_fresh_worker_is_not_lost() -> None:
    # pyttsx3's espeak driver once dropped the first utterance longer than ~11 s.
    text = " ".join(
        ["This week you shared nine appreciations and four needs, mostly about distraction."] * 3
    )
    with Speaker() as speaker:
        pcm = speaker.render(text)
    assert len(pcm) / 32000 > 11
