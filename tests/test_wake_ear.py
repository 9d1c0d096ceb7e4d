"""The Whisper ear: a wake candidate read by a model trained on real people, for any phrase."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from wake_helpers import EAR, needs_whisper

from benchmarks import wake_streams
from voice.wake.ear import EarReading, load_ear, spellings, without_loop
from voice.wake.verify import WakeVerifier
from voice.wake.words import ends_phrase_g_dropped, sounds_alike, written_as_phrase


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ear-clips")


def _candidate(text: str, cache: Path, voice: str = "rms") -> bytes:
    """`text` as the gate hands it on: 0.3 s before, 0.35 s after, a quiet room's floor."""
    speech = wake_streams.synthesize(wake_streams.Voice("flite", voice), text, 1.0, cache)
    samples = np.concatenate([np.zeros(4_800), 0.5 * speech / np.abs(speech).max(),
                              np.zeros(5_600)])
    rng = np.random.default_rng(1)
    samples = samples + wake_streams.coloured_noise("pink", samples.size, rng) * 10 ** (-62 / 20)
    return wake_streams._to_pcm(samples)


def test_the_phrase_may_be_written_with_a_comma_or_a_full_stop() -> None:
    assert spellings("hey check in") == [" Hey check in", " Hey check in.", " Hey, check in",
                                         " Hey, check in."]
    assert spellings("computer") == [" Computer", " Computer."]


@pytest.mark.parametrize(("decoded", "heard"), [
    ("hey check in hey check in hey check in hey check", "hey check in"),  # cut at the limit
    ("okay sweetheart okay sweetheart", "okay sweetheart"),
    ("did did did did", "did"),
    ("hey check in", "hey check in"),
    ("hey check in with me later", "hey check in with me later"),
    ("okay sweetheart okay sweetheart okay go on", "okay sweetheart okay sweetheart okay go on"),
    ("", ""),
])
def test_a_decoding_loop_is_read_as_its_words_once(decoded: str, heard: str) -> None:
    assert without_loop(decoded) == heard


@needs_whisper
def test_the_ear_hears_the_phrase_and_where_it_ends(cache: Path) -> None:
    assert EAR is not None
    pcm = _candidate("hey check in", cache)
    reading = EAR.read(pcm)
    assert reading.accepted, reading
    speech_end = (len(pcm) // 2 - 5_600) / 160
    assert abs(reading.end_frame - speech_end) <= 25


@needs_whisper
@pytest.mark.parametrize("text", ["hey check it", "they checked in", "hey chicken",
                                  "hey check in with me later"])
def test_near_misses_are_not_the_phrase_to_the_ear(cache: Path, text: str) -> None:
    assert EAR is not None
    reading = EAR.read(_candidate(text, cache))
    assert not reading.accepted, reading


@needs_whisper
def test_a_configured_phrase_is_heard_without_training(cache: Path) -> None:
    """The classifier knows only "hey check in", so it is not asked for another phrase."""
    ear = load_ear("okay sweetheart")
    verifier = WakeVerifier("okay sweetheart", ear=ear)
    verdict = verifier.verify(_candidate("okay sweetheart", cache, "awb"))
    assert verdict.accepted
    assert verdict.wake_probability is None
    assert not verifier.verify(_candidate("hey check in", cache, "awb")).accepted


@pytest.mark.parametrize(("word", "phrase", "alike"), [
    ("chicken", "hey check in", True),    # two phone edits from "check in"
    ("checking", "hey check in", True),   # one
    ("checked", "hey check in", True),
    ("hay", "hey check in", False),       # a homophone of "hey" is the phrase itself
    ("it", "hey check in", False),        # two-phone words are all close to each other
    ("the", "hey check in", False),
    ("check", "hey check in", False),     # the phrase's own word
    ("sweethearts", "okay sweetheart", True),
    ("sweetie", "okay sweetheart", False),
])
def test_a_sound_alike_is_a_dictionary_word_a_sound_or_two_from_the_phrase(
        word: str, phrase: str, alike: bool) -> None:
    assert sounds_alike(word, tuple(phrase.split())) is alike


@pytest.mark.parametrize(("word", "phrase", "end"), [
    ("checking", "hey check in", True),     # "checkin'": Whisper's usual spelling
    ("chicken", "hey check in", False),     # a sound-alike, not a spelling
    ("kitchen", "hey check in", False),
    ("checked", "hey check in", False),
    ("logging", "please log in", True),
    ("sweethearts", "okay sweetheart", False),
])
def test_a_phrase_ending_in_in_may_be_written_with_ing(word: str, phrase: str, end: bool) -> None:
    assert ends_phrase_g_dropped(word, tuple(phrase.split())) is end


@pytest.mark.parametrize(("told", "phrase", "written"), [
    ("hey check in", "hey check in", True),
    ("hey checkin", "hey check in", True),
    ("hi check in", "hey check in", True),      # "hey" said [hʌɪ], as in Birmingham
    ("heh check in", "hey check in", True),     # said [heː], as in Scotland
    ("hay check in", "hey check in", True),     # a homophone
    ("they check in", "hey check in", False),   # a consonant changed: another word
    ("he check in", "hey check in", False),     # a vowel no accent moves it to
    ("who check in", "hey check in", False),
    ("hey chick in", "hey check in", False),    # only the first word may move
    ("hi check it", "hey check in", False),
    ("alright check in", "hey check in", False),
    ("check in", "hey check in", False),
    ("hey computer", "hi computer", True),
    ("hi", "hey", False),                       # a one-word phrase is its word
])
def test_the_phrase_may_be_written_with_its_first_vowel_moved_by_an_accent(
        told: str, phrase: str, written: bool) -> None:
    assert written_as_phrase(told, tuple(phrase.split())) is written


@needs_whisper
@pytest.mark.parametrize(("told", "by_ear"), [
    ("hi check in", True),
    ("hey check in", True),
    ("he check in", False),
    ("hi check it", False),
])
def test_told_hi_check_in_is_the_phrase_said_in_an_accent(
        cache: Path, told: str, by_ear: bool) -> None:
    """Told the phrase was coming, Whisper wrote "hi check in": that is "hey check in" in an
    accent, and the ear takes it as it takes the phrase (untold it heard other words)."""
    assert EAR is not None
    verifier = WakeVerifier("hey check in", ear=EAR)
    pcm = _candidate("hey check in", cache, "slt")
    heard = replace(EAR.read(pcm), text="i take you", told_text=told, accepted=False,
                    sentence=False)
    assert verifier.verify(pcm, heard).by_ear is by_ear


@needs_whisper
def test_over_talk_the_told_phrase_stands_though_the_talk_fills_the_untold_transcript() -> None:
    """Kokoro's jf_tebukuro says "hey check in" at 1 m with real readers talking under it 12 dB
    below, never pausing (TV_ON at 144 s, cut by the gate over the talk). Untold, Whisper writes
    the readers' words with it; told, the phrase. Elsewhere more untold words than the phrase
    hold the told reading back ("okay sweetie talk" for "okay, sweet tart"), but over talk they
    are the talk's. A sound-alike word still holds it back there."""
    assert EAR is not None
    verifier = WakeVerifier("hey check in", ear=EAR)
    pcm = wake_streams.read_wav_bytes(Path(__file__).parent / "data" / "wake" /
                                      "over-talk-kokoro.wav")
    heard = EAR.read(pcm)
    assert len(set(heard.text.split())) > 3 and heard.told_phrase, heard
    assert not verifier.verify(pcm, heard).accepted
    assert verifier.verify(pcm, heard, over_talk=True).by_ear
    chicken = replace(heard, text=heard.text + " chicken")
    assert not verifier.verify(pcm, chicken, over_talk=True).accepted


@needs_whisper
@pytest.mark.parametrize(("untold", "by_ear"), [
    ("hey checking", True),
    ("great checking", True),      # a misheard first word, as told readings correct
    ("checking in", False),        # "checking" before more words is a near miss's
    ("hey chicken", False),
])
def test_told_the_phrase_an_untold_checking_at_the_end_is_the_phrase(
        cache: Path, untold: str, by_ear: bool) -> None:
    """Told the phrase was coming, Whisper wrote it; untold, "checking" for "check in" holds
    it back only where it is followed by more words."""
    assert EAR is not None
    verifier = WakeVerifier("hey check in", ear=EAR)
    pcm = _candidate("hey check in", cache, "slt")
    heard = replace(EAR.read(pcm), text=untold, told_text="hey check in", accepted=False,
                    sentence=False)
    assert verifier.verify(pcm, heard).by_ear is by_ear


@needs_whisper
@pytest.mark.parametrize("voice", ["slt", "awb"])
def test_short_answers_ending_in_checking_do_not_wake_it(cache: Path, voice: str) -> None:
    """What a partner might say in passing ("just checking") is no wake, though "checking"
    at the end of a transcript no longer holds the told reading back. These phrasings were
    written after that rule was settled, and chose nothing. One is a known false wake, and
    not the ear's: flite slt's "i'm checking", which Whisper wrote so untold and told, and
    PocketSphinx's readings with the classifier took (issue 18, benchmarks/RESULTS.md)."""
    verifier = WakeVerifier("hey check in", ear=EAR)
    woke = {text for text in ("just checking", "still checking", "are you checking",
                              "i'm checking", "keep checking", "stop checking", "we're checking")
            if verifier.verify(_candidate(text, cache, voice)).accepted}
    known = {"i'm checking"} if voice == "slt" else set()
    assert woke <= known


def _said_to_the_detector(voice: wake_streams.Voice, cache: Path,
                          monkeypatch: pytest.MonkeyPatch, misheard: str | None = None,
                          ) -> tuple[list[float], list[float], list[float]]:
    """`voice` says "hey check in" once in a quiet room, fed frame by frame to the app's
    detector: the times of its detections, of the ear's reads and of the PocketSphinx
    readings' reads (the audio clock, at the frame being pushed)."""
    from audio.frames import SAMPLE_RATE, split_into_frames
    from voice.wake.detector import WakeDetector

    detector = WakeDetector()
    verifier = detector._verifier
    ear = verifier.ear
    assert ear is not None
    now = [0.0]
    ear_reads: list[float] = []
    sphinx_reads: list[float] = []
    read, sphinx = ear.read, verifier._sphinx
    def heard(pcm: bytes) -> EarReading:
        ear_reads.append(now[0])
        reading = read(pcm)
        # `misheard`: what the ear wrote, untold and told, where a room would mishear it.
        return reading if misheard is None else replace(
            reading, text=misheard, told_text=misheard, accepted=False, phrase_logprob=None)

    monkeypatch.setattr(ear, "read", heard)
    monkeypatch.setattr(verifier, "_sphinx",
                        lambda pcm: (sphinx_reads.append(now[0]), sphinx(pcm))[1])
    speech = wake_streams.synthesize(voice, "hey check in", 1.0, cache)
    samples = np.concatenate([np.zeros(SAMPLE_RATE), 0.5 * speech / np.abs(speech).max(),
                              np.zeros(SAMPLE_RATE)])
    samples = samples + wake_streams.coloured_noise(
        "pink", samples.size, np.random.default_rng(2)) * 10 ** (-62 / 20)
    found = []
    for frame in split_into_frames(wake_streams._to_pcm(samples)):
        now[0] = frame.end / SAMPLE_RATE
        if detector.push(frame) is not None:
            found.append(now[0])
    return found, ear_reads, sphinx_reads


@needs_whisper
def test_the_ear_reads_a_wake_during_its_pause_not_after_it(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chime waits for the pause after the phrase (it must be said on its own), but not
    for the reading too: the ear reads the phrase once, cut `tail_s` into the pause, and the
    detection at the pause's end is that reading's. On a live stream the read's compute time
    then overlaps the rest of the pause."""
    from voice.wake.gate import GateSettings

    found, ear_reads, sphinx_reads = _said_to_the_detector(
        wake_streams.Voice("flite", "rms"), cache, monkeypatch)
    assert len(found) == 1 and len(ear_reads) == 1, (found, ear_reads)
    settings = GateSettings()
    assert found[0] - ear_reads[0] == pytest.approx(settings.pause_s - settings.tail_s, abs=0.03)
    assert sphinx_reads == []


@needs_whisper
def test_a_wake_the_ear_does_not_take_is_read_whole_by_pocketsphinx_when_the_pause_ends(
        cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wake the ear does not take (flite kal16, heard as a room might make the ear hear it:
    "i reckon"); PocketSphinx's readings find it. They read the whole candidate, with the
    room after the phrase, at the pause's end: the early cut, padded with the room from
    before it, lost a real person's wake in a reverberant room."""
    from voice.wake.gate import GateSettings

    found, ear_reads, sphinx_reads = _said_to_the_detector(
        wake_streams.Voice("flite", "kal16"), cache, monkeypatch, misheard="i reckon")
    assert len(found) == 1 and len(sphinx_reads) == 1, (found, ear_reads, sphinx_reads)
    settings = GateSettings()
    early = settings.pause_s - settings.tail_s
    assert [found[0] - t for t in ear_reads] == [pytest.approx(early, abs=0.03)]
    assert sphinx_reads == found
