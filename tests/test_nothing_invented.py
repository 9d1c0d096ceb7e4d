"""Silence, digital zeros, room noise, music and TV speech never become an entry.

Every sound here is real audio: numpy noise and music, and an espeak-ng
newsreader played "across the room" (far quieter than the partners, over room
noise). Whole check-ins run through the real `checkin start --replies`.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest
from spoken_helpers import ReplyBank, spoken_start

from audio.frames import split_into_frames
from audio.wav import load_pcm16k, write_wav
from voice.recognizers import load_recognizer
from voice.recognizers.nearfield import NearTalkerGate

RATE = 16_000
NEWS = "I really appreciated the weather today, said one resident, as the rain finally stopped."


def _save(path: Path, samples: np.ndarray) -> Path:
    write_wav(path, np.clip(samples, -32768, 32767).astype("<i2").tobytes())
    return path


@pytest.fixture(scope="session")
def sounds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("not-speech")
    rng = np.random.default_rng(7)
    made = {"zeros": _save(folder / "zeros.wav", np.zeros(RATE * 3))}
    made["silence"] = _save(folder / "silence.wav", rng.normal(0, 30, RATE * 3))
    rumble = np.cumsum(rng.normal(0, 1, RATE * 4))
    rumble -= np.convolve(rumble, np.ones(400) / 400, "same")  # a fridge, traffic, a fan
    made["room"] = _save(
        folder / "room.wav", rumble / np.abs(rumble).max() * 1500 + rng.normal(0, 60, RATE * 4)
    )
    t = np.arange(RATE * 5) / RATE
    music = np.zeros_like(t)
    chords = [[261.6, 329.6, 392.0], [220.0, 261.6, 329.6], [174.6, 220.0, 261.6],
              [196.0, 246.9, 293.7]]
    for index, chord in enumerate(chords):
        part = (t >= index * 1.25) & (t < (index + 1) * 1.25)
        for pitch in chord:
            for harmonic in (1, 2, 3):
                music[part] += np.sin(2 * np.pi * pitch * harmonic * t[part]) / harmonic
    melody = [523.3, 587.3, 659.3, 784.0, 659.3, 587.3, 523.3, 440.0, 493.9, 523.3]
    for index, pitch in enumerate(melody):
        part = (t >= index * 0.5) & (t < (index + 1) * 0.5)
        envelope = np.exp(-3 * (t[part] - index * 0.5))
        for harmonic in (1, 2, 3, 4):
            tone = np.sin(2 * np.pi * pitch * harmonic * t[part])
            music[part] += 1.5 * envelope * tone / harmonic
    made["music"] = _save(folder / "music.wav", music / np.abs(music).max() * 9000)
    raw = folder / "news.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(raw), NEWS], check=True)
    news = np.frombuffer(load_pcm16k(raw), dtype="<i2").astype(np.float64)
    noise = rng.normal(0, 60, news.size)
    # A TV across the room: about 25 dB below the partners at the microphone...
    made["tv-far"] = _save(folder / "tv-far.wav", news * 0.05 + noise)
    # ...and one 10 dB louder, still well below a partner who has already answered.
    made["tv-near"] = _save(folder / "tv-near.wav", news * 0.15 + noise)
    return made


def stored_entries(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT partner, text FROM entries").fetchall()


def test_a_check_in_hearing_only_sounds_that_are_not_answers_logs_nothing(
    sounds: dict[str, Path], tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    order = ["zeros", "tv-far", "room", "tv-far", "silence", "tv-far"]
    summary = spoken_start(db, [sounds[name] for name in order])
    assert summary["entries"] == []
    assert stored_entries(db) == []
    assert not [turn for turn in summary["turns"] if turn["speaker"] != "assistant"]


def test_music_as_loud_as_a_partner_is_not_logged(
    sounds: dict[str, Path], replies: ReplyBank, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    skips = [replies.say("Ana", "skip"), replies.say("Sam", "skip")]
    # The music plays when "brushed off?" is asked.
    summary = spoken_start(db, [*skips, sounds["music"], sounds["music"]])
    assert summary["entries"] == [] and stored_entries(db) == []


def test_tv_speech_after_a_partner_has_answered_is_not_taken_for_the_other(
    sounds: dict[str, Path], replies: ReplyBank, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    summary = spoken_start(db, [
        replies.say("Ana", "I appreciated that you made me coffee this morning"),
        sounds["tv-near"],  # Sam says nothing; the TV talks
        sounds["tv-near"],
    ])
    assert [(e["partner"], e["kind"]) for e in summary["entries"]] == [("Ana", "appreciation")]
    assert len(stored_entries(db)) == 1
    assert not [turn for turn in summary["turns"] if turn["speaker"] == "Sam"]


def hear(gate: NearTalkerGate, path: Path, context: str = "appreciation") -> str:
    pcm = load_pcm16k(path)
    gate.begin(context, 0)
    for frame in split_into_frames(pcm, 0):
        gate.accept(frame)
    return gate.end().text


def test_the_gate_drops_far_speech_and_keeps_partners_even_quieter_ones(
    sounds: dict[str, Path], replies: ReplyBank, tmp_path: Path
) -> None:
    engine, _ = load_recognizer("pocketsphinx", vocabulary=["Ana", "Sam"])
    gate = NearTalkerGate(engine)
    # The recognizer on its own hears words in the TV (that is the danger)...
    engine.begin("appreciation", 0)
    for frame in split_into_frames(load_pcm16k(sounds["tv-far"]), 0):
        engine.accept(frame)
    assert engine.end().text
    # ...the gate does not pass them on, before or after a partner has spoken.
    assert hear(gate, sounds["tv-far"]) == "" and gate.last_level_dbfs < -40
    assert "coffee" in hear(gate, replies.say("Ana", "I appreciated that you made me coffee"))
    assert hear(gate, sounds["tv-near"]) == ""
    # A partner 12 dB quieter than the loudest answer (further from the microphone) still counts.
    quiet = tmp_path / "quiet.wav"
    loud = load_pcm16k(replies.say("Sam", "Thank you for listening to me after my long day"))
    write_wav(quiet, (np.frombuffer(loud, dtype="<i2") * 0.25).astype("<i2").tobytes())
    assert "listening" in hear(gate, quiet)
