"""The assistant's voice: real pyttsx3/espeak-ng renders, and workers that hang or die."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

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


def test_unknown_voice_is_a_clear_error_and_keeps_the_worker() -> None:
    with Speaker(voice="no-such-voice-xyz") as speaker:
        with pytest.raises(CheckinError, match="no voice matches 'no-such-voice-xyz'"):
            speaker.render("hello")
        worker = speaker.pid
        assert worker is not None and any(speaker.voices())
        assert speaker.pid == worker  # the worker reported the error and lives on


# A worker that speaks the protocol but, asked to render, hangs (what a hung runAndWait looks
# like) or is SIGKILLed; it lists one voice, so its process id can be seen first.
FAKE_WORKER = """
import os, signal, sys
from voice.children import serve
from voice.tts import REQUESTS, ListVoices, Voices

def handle(request):
    if isinstance(request, ListVoices):
        return Voices(("fake",))
    if sys.argv[1] == "hang":
        signal.pause()
    os.kill(os.getpid(), signal.SIGKILL)

serve(handle, REQUESTS)
"""


def fake_worker(mode: str) -> list[str]:
    return [sys.executable, "-c", FAKE_WORKER, mode]


def test_a_worker_that_never_answers_is_killed_and_replaced() -> None:
    with Speaker(timeout_s=0.5, worker_command=fake_worker("hang")) as speaker:
        assert speaker.voices() == ["fake"]
        hung = speaker.pid
        assert hung is not None
        with pytest.raises(CheckinError, match="did not answer within 0.5 s"):
            speaker.render("hello")
        with pytest.raises(ProcessLookupError):
            os.kill(hung, 0)  # killed and reaped, not left behind
        assert speaker.voices() == ["fake"]  # a fresh worker
        assert speaker.pid not in (None, hung)
        with pytest.raises(CheckinError, match="did not answer"):
            speaker.render("hello again")


def test_a_worker_killed_mid_render_is_a_clear_error_and_replaced() -> None:
    with Speaker(worker_command=fake_worker("die")) as speaker:
        with pytest.raises(CheckinError, match="exited unexpectedly"):
            speaker.render("hello")
        assert speaker.pid is None
        assert speaker.voices() == ["fake"]


def test_a_worker_that_exits_at_once_is_a_clear_error() -> None:
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


def words_per_minute(speaker: Speaker, lines: list[str]) -> float:
    seconds = sum(len(speaker.render(line)) / 2 / SAMPLE_RATE for line in lines)
    return sum(len(line.split()) for line in lines) / seconds * 60


EVENING_LINES = [
    "Ana, was there a moment today you felt brushed off or unheard? "
    "You can say how you felt, and when.",
    "Thank you for noticing, Sam. A little appreciation goes a long way.",
    "Good evening, Ana and Sam. Let's take a couple of minutes together.",
]


def test_the_default_voice_is_a_calm_evening_pace(speaker: Speaker) -> None:
    assert 150 <= words_per_minute(speaker, EVENING_LINES) <= 175
    with Speaker(rate=None) as hurried:  # pyttsx3's own default, as it was
        assert words_per_minute(hurried, EVENING_LINES) > 195


def test_the_configured_voice_rate_is_the_one_spoken(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('partners = ["Ana", "Sam"]\nvoice_rate = 130\n')
    done = subprocess.run(
        [sys.executable, "-m", "voice", "doctor", "--json", "--db", str(tmp_path / "c.db")],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "CHECKIN_CONFIG": str(config)},
    )
    assert ", 130 wpm," in json.loads(done.stdout)["tts"]
