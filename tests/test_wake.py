"""The wake detector on real synthesized streams: found, not fooled, on the clock, cheap."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from wake_helpers import needs_whisper

from audio.frames import split_into_frames
from benchmarks import wake_streams
from benchmarks.wake_baseline import bare_keyphrase_search
from voice.errors import CheckinError
from voice.wake.denoise import denoised, snr_db
from voice.wake.detector import WakeDetection, WakeDetector
from voice.wake.ear import EarReading
from voice.wake.thresholds import EAR_TOLD_EXTRA_WORDS
from voice.wake.verify import Verdict, WakeVerifier
from voice.wake.words import ends_phrase_g_dropped, sounds_alike


def detect(pcm: bytes, **options: str | float) -> list[WakeDetection]:
    detector = WakeDetector(**options)  # type: ignore[arg-type]
    found = []
    for frame in split_into_frames(pcm):
        detection = detector.push(frame)
        if detection is not None:
            found.append(detection)
    return found


@pytest.fixture(scope="session")
def stream_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("wake-clips")


@pytest.fixture(scope="session")
def tuning_stream(stream_cache: Path) -> wake_streams.WakeStream:
    return wake_streams.build_stream(wake_streams.TUNING, stream_cache)


@pytest.fixture(scope="session")
def validation_stream(stream_cache: Path) -> wake_streams.WakeStream:
    return wake_streams.build_stream(wake_streams.VALIDATION, stream_cache)


@dataclass(frozen=True)
class HeardStream:
    """The app's detector run over a stream, with what its Whisper ear read on the way."""

    detections: list[WakeDetection]
    verdicts: list[Verdict]
    loops: list[tuple[EarReading, str]]
    """Readings whose told transcript was a decoding loop, with the loop as decoded."""


@pytest.fixture(scope="session")
def heard_tuning_stream(tuning_stream: wake_streams.WakeStream) -> HeardStream:
    from voice.wake import ear as ear_module

    detector = WakeDetector()
    verifier, ear = detector._verifier, detector._verifier.ear
    verdicts: list[Verdict] = []
    loops: list[tuple[EarReading, str]] = []
    decoded: list[str] = []
    once, verify = ear_module.without_loop, verifier.verify

    def spy(text: str) -> str:
        decoded.append(text)
        return once(text)

    def reading(pcm: bytes) -> EarReading:
        decoded.clear()
        heard = read(pcm)
        loops.extend((heard, text) for text in decoded[1:] if once(text) != text)
        return heard

    def verdict(pcm: bytes, heard: EarReading | None = None, over_talk: bool = False) -> Verdict:
        verdicts.append(verify(pcm, heard, over_talk=over_talk))
        return verdicts[-1]

    verifier.verify = verdict  # type: ignore[method-assign]
    if ear is not None:
        read = ear.read
        ear.read = reading  # type: ignore[method-assign]
    ear_module.without_loop = spy
    try:
        found = [d for frame in split_into_frames(tuning_stream.pcm)
                 if (d := detector.push(frame)) is not None]
    finally:
        ear_module.without_loop = once
    return HeardStream(found, verdicts, loops)


def _wake_clip(stream: wake_streams.WakeStream, segment: wake_streams.Segment) -> bytes:
    """A segment cut as the gate would: 0.3 s before it, a 0.35 s pause after."""
    start, end = int((segment.start - 0.3) * 16_000), int((segment.end + 0.35) * 16_000)
    return stream.pcm[2 * start : 2 * end]


@pytest.fixture(scope="session")
def single_wake_wav(stream_cache: Path) -> tuple[Path, float]:
    """'hey check in' by flite slt between 1.5 s pauses; returns the file and the phrase end."""
    spoken = _flite(stream_cache, "slt", "hey check in")
    pause = bytes(2 * 24_000)
    pcm = pause + wake_streams.read_wav_bytes(spoken) + pause
    path = stream_cache / "single-wake.wav"
    wake_streams.write_wav(path, pcm)
    return path, 1.5 + _speech_end(spoken)


def _flite(stream_cache: Path, voice: str, text: str) -> Path:
    """flite `voice` saying `text`, as a WAV file in the cache."""
    spoken = stream_cache / f"{voice}-{text.replace(' ', '-')}.wav"
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(spoken)], check=True)
    return spoken


def _speech_end(path: Path) -> float:
    """Where speech ends in a clip: its trailing silence trimmed off."""
    samples = wake_streams.read_wav(path)
    loud = abs(samples) > 0.01 * abs(samples).max()
    return float(loud.nonzero()[0][-1] + 1) / 16_000


def test_a_clean_wake_phrase_is_found_where_it_ended(single_wake_wav: tuple[Path, float]) -> None:
    path, end = single_wake_wav
    pcm = path.read_bytes()[44:]
    [detection] = detect(pcm)
    assert detection.phrase == "hey check in"
    assert abs(detection.t - end) < 0.5
    assert 0.0 < detection.score <= 1.0


def test_no_false_wake_on_the_tuning_stream(tuning_stream: wake_streams.WakeStream,
                                           heard_tuning_stream: HeardStream) -> None:
    result = wake_streams.score([d.t for d in heard_tuning_stream.detections], tuning_stream)
    print(f"tuning: found {len(result['found'])}/{len(tuning_stream.wakes)}, "
          f"false {len(result['false'])}")
    assert result["false"] == []
    # Measured 20/20 (18/20 until the classifier's noise round: flite rms and awb in white noise
    # were missed). A rebuilt stream differs from another build by a few LSB (sox, flite), so
    # the bar has one of slack.
    assert len(result["found"]) >= 19
    assert all(abs(true - seen) < 0.5 for true, seen in result["found"])


@needs_whisper
def test_a_wake_the_told_ear_wrote_over_and_over_is_taken_by_the_ear(
        heard_tuning_stream: HeardStream) -> None:
    """Told the phrase was coming, Whisper's greedy decoder loops on some short clips ("hey
    check in hey check in hey check"). That is the phrase once: the ear takes the wake, and
    the chime does not wait for PocketSphinx's readings, unless the untold transcript holds
    the told reading back as it would unlooped (a sound-alike word: "hey chuck in"); then
    PocketSphinx still finds it. Which clips loop shifts with a few LSB of a rebuilt stream
    and with the CPU's arithmetic, so each is judged by the rule, not by name."""
    words = ("hey", "check", "in")
    phrase_loops = [(heard, text) for heard, text in heard_tuning_stream.loops
                    if heard.told_text == "hey check in"]
    assert phrase_loops, heard_tuning_stream.loops
    for heard, text in phrase_loops:
        verdict = next(v for v in heard_tuning_stream.verdicts
                       if (v.ear_text, v.ear_told_text) == (heard.text, heard.told_text))
        untold = heard.text.split()
        held_back = (len(set(untold)) > len(words) + EAR_TOLD_EXTRA_WORDS
                     or any(sounds_alike(word, words) for word in untold[:-1])
                     or (bool(untold) and sounds_alike(untold[-1], words)
                         and not ends_phrase_g_dropped(untold[-1], words)))
        assert verdict.accepted, (text, verdict)
        assert verdict.by_ear == (not held_back), (text, verdict)


def test_no_false_wake_on_the_validation_stream(
    validation_stream: wake_streams.WakeStream,
) -> None:
    result = wake_streams.score([d.t for d in detect(validation_stream.pcm)], validation_stream)
    # Held out: its voices (espeak-ng and flite kal) are mostly misheard by PocketSphinx, which
    # found 10/20; with the classifier 20/20 (one of slack below, as for tuning; the classifier's
    # bars were chosen on this stream, so it is no longer strictly held out). Zero false wakes
    # is the requirement.
    print(f"validation: found {len(result['found'])}/{len(validation_stream.wakes)}, "
          f"false {len(result['false'])}")
    assert result["false"] == []
    assert len(result["found"]) >= 19


def test_no_false_wake_with_four_other_voices(stream_cache: Path) -> None:
    """Like the judge's stream: four voices, each clean, in 10 dB noise and at ±15 % tempo."""
    stream = wake_streams.build_stream(wake_streams.OTHER_VOICES, stream_cache)
    result = wake_streams.score([d.t for d in detect(stream.pcm)], stream)
    print(f"other voices: found {len(result['found'])}/{len(stream.wakes)}, "
          f"false {len(result['false'])}")
    assert result["false"] == []
    # Measured 16/16 (6 without the classifier; 15 until the sure bar went from 0.98 to 0.95:
    # en-029+f3 in noise reads 0.96). One of slack, as for the others.
    assert len(result["found"]) >= 15


def test_held_out_voices_pocketsphinx_misreads_are_found_by_the_later_readings(
    validation_stream: wake_streams.WakeStream,
) -> None:
    """espeak-ng's m7 and f3 and flite kal: PocketSphinx hears "i ay and our can".

    The first readings find a quarter of the held-out wakes. The phone-loop ratio finds some
    more; the classifier, with a fair phone-loop ratio, finds the rest."""
    verifier = WakeVerifier("hey check in")
    verdicts = [verifier.verify(_wake_clip(validation_stream, w)) for w in validation_stream.wakes]
    later = [v for v in verdicts if v.accepted and v.loop_fit is not None]
    by_loop = [v for v in later if v.loop_fit is not None and v.loop_fit > verifier.loop.overall
               and v.worst_phone_fit is not None and v.worst_phone_fit > verifier.loop.worst_phone]
    by_classifier = [v for v in later if v not in by_loop]
    # Measured: 5 found by the first readings, 5 by the phone loop (its ratio near 0 when the
    # phrase explains the audio), 10 by the classifier (probabilities 0.99 to 1.0).
    assert len(by_loop) >= 3
    assert all(v.loop_fit is not None and v.loop_fit <= 10_000 for v in by_loop)
    assert len(by_classifier) >= 9
    for verdict in by_classifier:
        assert verdict.wake_probability is not None
        assert verdict.wake_probability > verifier.classifier.accept
        assert verdict.loop_fit is not None and verdict.loop_fit > verifier.classifier.loop
        assert verdict.heard.split() != ["hey", "check", "in"]


def _reading_everything(verifier: WakeVerifier) -> WakeVerifier:
    """`verifier` with PocketSphinx's readings read even where the classifier's veto settles
    the verdict before them (`WakeVerifier._vetoed_whatever_they_read`), to see the readings."""
    verifier._vetoed_whatever_they_read = lambda probability: False  # type: ignore[method-assign]
    return verifier


def test_rival_words_explain_near_misses_better_than_the_phrase_but_not_wakes(
    tuning_stream: wake_streams.WakeStream,
) -> None:
    """The rival-word ratio: a near miss that fits the phone loop fairly has words of its own.
    (Every reading is read here, even where the classifier's veto would decide alone.)"""
    verifier = _reading_everything(WakeVerifier("hey check in"))
    near_misses, espeak_wakes = [], []
    for segment in tuning_stream.segments:
        if segment.kind == "speech" or (segment.kind == "wake" and "espeak" not in segment.voice):
            continue
        verdict = verifier.verify(_wake_clip(tuning_stream, segment))
        if segment.kind == "near_miss":
            assert not verdict.accepted, segment
            near_misses.append(verdict)
        else:
            espeak_wakes.append(verdict)
    # Measured: "hey chicken" (flite awb, its phone-loop ratio -5.9k) at -1.5k per frame,
    # "hey jack" (flite kal16) at -4.7k, "they checked in" (espeak) at -11.7k.
    rival_fits = [v.rival_fit for v in near_misses if v.rival_fit is not None]
    assert len(rival_fits) >= 2
    assert all(fit < 0 for fit in rival_fits)
    # espeak at x1.15 fits the phone loop too poorly (-14.4k); it beat its rivals (+1.3k), and
    # now the classifier (0.99) accepts it first. Any espeak wake the rivals read beats them.
    assert all(v.accepted for v in espeak_wakes)
    assert all(v.rival_fit > 0 for v in espeak_wakes if v.rival_fit is not None)


def test_the_verdict_on_a_candidate_does_not_depend_on_what_came_before(
    tuning_stream: wake_streams.WakeStream,
) -> None:
    """Scores used to drift with the decoder's dither state; now a clip always scores alike."""
    [wake, *_] = tuning_stream.wakes
    clip = _wake_clip(tuning_stream, wake)
    fresh = WakeVerifier("hey check in").verify(clip)
    used = WakeVerifier("hey check in")
    for other in tuning_stream.segments[:5]:
        used.verify(tuning_stream.pcm[2 * int(other.start * 16_000) : 2 * int(other.end * 16_000)])
    assert used.verify(clip) == fresh
    assert fresh.fit is not None


def test_near_misses_alone_never_wake(tuning_stream: wake_streams.WakeStream,
                                     heard_tuning_stream: HeardStream) -> None:
    near_misses = [s for s in tuning_stream.segments if s.kind == "near_miss"]
    assert len(near_misses) >= 10
    found = heard_tuning_stream.detections
    woke_on = [s.text for s in near_misses for d in found if s.start <= d.t <= s.end + 0.5]
    assert woke_on == []


@pytest.mark.parametrize("room_level", [0.0003, 0.006])
def test_a_phrase_followed_by_room_noise_is_found_soon_after_it_ends(
    single_wake_wav: tuple[Path, float], room_level: float
) -> None:
    """The reported bug: room noise (no digital silence) straight after the phrase."""
    path, end = single_wake_wav
    samples = wake_streams.read_wav(path)
    rng = np.random.default_rng(3)
    noisy = samples + rng.normal(0.0, room_level, samples.size)
    [detection] = detect(wake_streams._to_pcm(noisy))
    assert abs(detection.t - end) < 0.5


def test_silence_and_hum_never_wake() -> None:
    assert detect(bytes(2 * 16_000 * 20)) == []
    assert detect(wake_streams.hum(20.0)) == []


def test_a_word_with_no_letters_in_the_phrase_says_how_to_fix_it() -> None:
    with pytest.raises(CheckinError, match="--phrase"):
        WakeDetector("hey 42")


def test_a_pet_name_the_dictionary_lacks_is_said_as_the_words_it_is_made_of() -> None:
    from voice.wake.words import dictionary, pronounced

    words = dictionary()
    assert "sweetpea" not in words and "lovebug" not in words
    assert pronounced("sweetpea") == words["sweet"] + words["pea"]
    assert pronounced("lovebug") == words["love"] + words["bug"]
    assert pronounced("check") == words["check"]
    assert pronounced("zzqxv")  # no dictionary words in it: the letter rules guess
    assert pronounced("42") == ()


def test_a_phrase_with_a_pet_name_the_dictionary_lacks_wakes_it(stream_cache: Path) -> None:
    """It was refused ("not in the pronunciation dictionary"); a couple's phrase is often a
    pet name. flite awb says "hey sweetpea" once in a quiet room."""
    spoken = _flite(stream_cache, "awb", "hey sweetpea")
    pause = bytes(2 * 16_000)
    found = detect(pause + wake_streams.read_wav_bytes(spoken) + pause, phrase="hey sweetpea")
    assert [d.phrase for d in found] == ["hey sweetpea"]
    assert abs(found[0].t - (1.0 + _speech_end(spoken))) < 0.75


@pytest.mark.parametrize("phrase", ["", "!!", "one two three four five six seven"])
def test_a_phrase_of_no_words_or_too_many_is_one_plain_line_and_exit_2(
        single_wake_wav: tuple[Path, float], phrase: str) -> None:
    """It once failed as an internal error (the Whisper ear spelled the phrase's first word)."""
    path, _ = single_wake_wav
    result = subprocess.run(
        [sys.executable, "-m", "voice", "wake", "--audio-in", str(path), "--phrase", phrase],
        capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert "1 to 6 words" in line and "--phrase" in line
    assert "Traceback" not in result.stderr


def test_sensitivity_out_of_range_is_refused() -> None:
    with pytest.raises(CheckinError, match="--sensitivity"):
        WakeDetector(sensitivity=1.5)


def test_the_bare_keyphrase_search_reference_runs(single_wake_wav: tuple[Path, float]) -> None:
    path, end = single_wake_wav
    found = bare_keyphrase_search(path.read_bytes()[44:], "hey check in", 1e-30)
    assert all(t <= end + 1.0 for t in found)


def test_cli_prints_one_json_line_per_detection(single_wake_wav: tuple[Path, float]) -> None:
    path, end = single_wake_wav
    result = subprocess.run(
        [sys.executable, "-m", "voice", "wake", "--audio-in", str(path), "--json"],
        capture_output=True, text=True, check=True,
    )
    [line] = result.stdout.splitlines()
    detection = json.loads(line)
    assert detection["phrase"] == "hey check in"
    assert abs(detection["t"] - end) < 0.5
    assert set(detection) == {"t", "phrase", "score"}


def _cut_at_speech_end(stream_cache: Path, voice: str, text: str) -> tuple[bytes, float]:
    """1.5 s of quiet, then flite `voice` saying `text`, the file ending where speech ends."""
    spoken = _flite(stream_cache, voice, text)
    end = _speech_end(spoken)
    return bytes(2 * 24_000) + wake_streams.read_wav_bytes(spoken)[: 2 * round(end * 16_000)], (
        1.5 + end)


@pytest.mark.parametrize("voice", ["slt", "rms", "awb"])
def test_a_recording_that_ends_with_the_phrase_wakes_it_at_its_end(
        stream_cache: Path, voice: str) -> None:
    """A clip cut where the phrase ends never had the pause that ends an utterance, so the
    phrase was never heard; the end of the stream is that pause now (`WakeDetector.finish`)."""
    pcm, end = _cut_at_speech_end(stream_cache, voice, "hey check in")
    assert detect(pcm) == []
    detector = WakeDetector()
    for frame in split_into_frames(pcm):
        assert detector.push(frame) is None
    found = detector.finish()
    assert found is not None and abs(found.t - end) < 0.5
    assert detector.finish() is None


def _starting_at_speech(stream_cache: Path, voice: str, text: str) -> tuple[bytes, float]:
    """flite `voice` saying `text`, its leading quiet cut off with sox's usual recipe (which
    takes the first few ms of a soft onset too), then 1 s of quiet."""
    spoken = _flite(stream_cache, voice, text)
    trimmed = spoken.with_name(f"{spoken.stem}-trimmed.wav")
    subprocess.run(["sox", str(spoken), str(trimmed), "silence", "1", "0.01", "0.5%"],
                   check=True)
    pcm = wake_streams.read_wav_bytes(trimmed)
    return pcm + bytes(2 * 16_000), _speech_end(trimmed)


@pytest.mark.parametrize("voice", ["slt", "rms"])
def test_a_recording_that_starts_with_the_phrase_wakes_it(
        stream_cache: Path, voice: str) -> None:
    """With no room before the phrase, Whisper heard "check in" for flite slt's "hey check
    in"; the gate now makes the missing pre-roll of silence. (flite awb's soft /h/ is long:
    the trim takes 0.3 s of it, and what is left is heard as "be check in".)"""
    pcm, end = _starting_at_speech(stream_cache, voice, "hey check in")
    [found] = detect(pcm)
    assert abs(found.t - end) < 0.5


def test_a_recording_that_is_the_phrase_alone_wakes_it_from_the_cli(
        stream_cache: Path) -> None:
    """Nothing before the phrase and nothing after: the end of the file closes it, with the
    made-up room as its pause."""
    pcm, end = _starting_at_speech(stream_cache, "slt", "hey check in")
    path = stream_cache / "just-the-phrase.wav"
    wake_streams.write_wav(path, pcm[: 2 * round(end * 16_000)])
    result = subprocess.run(
        [sys.executable, "-m", "voice", "wake", "--audio-in", str(path), "--json"],
        capture_output=True, text=True, check=True)
    [line] = result.stdout.splitlines()
    assert abs(json.loads(line)["t"] - end) < 0.5


@pytest.mark.parametrize("text", ["they checked in", "hey check it"])
def test_a_recording_that_starts_with_a_near_miss_does_not(
        stream_cache: Path, text: str) -> None:
    pcm, _ = _starting_at_speech(stream_cache, "slt", text)
    assert detect(pcm) == []


def test_a_recording_that_ends_with_a_near_miss_does_not(stream_cache: Path) -> None:
    pcm, _ = _cut_at_speech_end(stream_cache, "slt", "they checked in")
    detector = WakeDetector()
    assert [detector.push(frame) for frame in split_into_frames(pcm)] == [None] * len(
        split_into_frames(pcm))
    assert detector.finish() is None


def test_cli_hears_a_phrase_at_the_very_end_of_the_file(stream_cache: Path) -> None:
    pcm, end = _cut_at_speech_end(stream_cache, "rms", "hey check in")
    path = stream_cache / "ends-with-the-phrase.wav"
    wake_streams.write_wav(path, pcm)
    result = subprocess.run(
        [sys.executable, "-m", "voice", "wake", "--audio-in", str(path), "--json"],
        capture_output=True, text=True, check=True)
    [line] = result.stdout.splitlines()
    assert abs(json.loads(line)["t"] - end) < 0.5


def test_a_recording_too_quiet_to_hear_says_so_and_how_to_raise_it(
        single_wake_wav: tuple[Path, float], tmp_path: Path) -> None:
    """Speech under the speech detector's absolute floor is never heard: a quiet recording of
    the phrase looked like a miss. The note's own sox command makes it heard."""
    path, end = single_wake_wav
    quiet = tmp_path / "far-away.wav"
    subprocess.run(["sox", str(path), str(quiet), "gain", "-n", "-45"], check=True)
    result = subprocess.run([sys.executable, "-m", "voice", "wake", "--audio-in", str(quiet),
                             "--json"], capture_output=True, text=True, check=True)
    assert result.stdout == ""
    [note] = [line for line in result.stderr.splitlines() if "note:" in line]
    assert str(quiet) in note and "loud enough to be speech" in note
    command = note.split("raise its level: ")[1].split()
    subprocess.run(command, check=True)
    louder = subprocess.run([sys.executable, "-m", "voice", "wake", "--audio-in", command[2],
                             "--json"], capture_output=True, text=True, check=True)
    [line] = louder.stdout.splitlines()
    assert abs(json.loads(line)["t"] - end) < 0.5
    assert "note:" not in louder.stderr


def test_a_silent_recording_is_called_silent(tmp_path: Path) -> None:
    silent = tmp_path / "unplugged.wav"
    wake_streams.write_wav(silent, bytes(2 * 32_000))
    result = subprocess.run([sys.executable, "-m", "voice", "wake", "--audio-in", str(silent)],
                            capture_output=True, text=True, check=True)
    assert result.stdout == ""
    assert f"note: {silent} is silent" in result.stderr


def test_speech_in_a_quiet_room_is_not_denoised(tuning_stream: wake_streams.WakeStream) -> None:
    clean = [s for s in tuning_stream.segments if s.condition != wake_streams.NOISY]
    assert len(clean) >= 30
    for segment in clean:
        clip = _wake_clip(tuning_stream, segment)
        assert denoised(clip) is clip, segment


def test_denoising_takes_white_noise_down_and_leaves_the_speech(stream_cache: Path) -> None:
    voice = wake_streams.Voice("flite", "awb")
    speech = wake_streams.synthesize(voice, "hey check in", 1.0, stream_cache) * 0.3
    rng = np.random.default_rng(5)
    block = np.concatenate([np.zeros(4_800), speech, np.zeros(5_600)])
    noise = wake_streams.coloured_noise("white", block.size, rng) * np.sqrt(np.mean(speech**2))
    noisy = block + noise / 10 ** (10 / 20)
    pcm = wake_streams._to_pcm(noisy)
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    assert snr_db(samples) < 15
    cleaned = np.frombuffer(denoised(pcm), dtype="<i2").astype(np.float64)
    before, after = np.mean(samples[:4_800] ** 2), np.mean(cleaned[:4_800] ** 2)
    assert 10 * np.log10(before / after) > 8  # the noise alone: down by 10 dB or so
    voiced = slice(4_800, 4_800 + speech.size)
    kept = np.mean(cleaned[voiced] ** 2) / np.mean((32767 * block[voiced]) ** 2)
    assert 0.5 < kept < 2.0  # the speech keeps its level


def test_wakes_in_broadband_noise_are_found_after_denoising(
    tuning_stream: wake_streams.WakeStream,
) -> None:
    """Flite voices under 10 dB of white or brown noise; without denoising awb was missed."""
    verifier = WakeVerifier("hey check in")
    clips = [_wake_clip(tuning_stream, w) for w in tuning_stream.wakes]
    noisy = [clip for clip in clips if denoised(clip) is not clip]
    # Measured: 4 wakes read as noisy (flite slt, kal16 in brown, awb, rms in white), 3 found.
    assert len(noisy) >= 4
    assert sum(verifier.verify(clip).accepted for clip in noisy) >= 3


def test_noise_seldom_makes_a_near_miss_wake_it(stream_cache: Path) -> None:
    """Every near miss in 10 dB SNR noise of three colours: the hardest case for false wakes.

    Measured at 0.5: 2 of the ~120 noisy near misses wake it ("they checked in" by flite slt and
    "hey check this" by flite kal16, both in white noise). It was 15 before the rival-word ratio
    was kept to clean candidates and 6 before the classifier's veto, which stops those the
    PocketSphinx readings accepted (and, at a cost, a noisy wake in brown noise). 52 of the 54
    noisy wakes are found (33 without the classifier, 41 before its noise rounds). Kept as a bar
    against sliding back, not as a target: the target is none."""
    clips = wake_streams.noisy_clips(stream_cache)
    verifier = WakeVerifier("hey check in")
    verdicts = [(clip, verifier.verify(clip.pcm)) for clip in clips]
    false_wakes = [clip.label for clip, v in verdicts if v.accepted and not clip.is_wake]
    found = sum(1 for clip, v in verdicts if v.accepted and clip.is_wake)
    print(f"noisy: found {found} of {sum(c.is_wake for c in clips)}, false {false_wakes}")
    assert len(false_wakes) <= 2, false_wakes
    assert found >= 49
    # Where the veto settled it before PocketSphinx read, reading everything changes nothing,
    # and it does stop near misses the readings accept.
    settled = [clip for clip, v in verdicts if v.wake_probability is not None
               and verifier._vetoed_whatever_they_read(v.wake_probability)]
    everything = _reading_everything(WakeVerifier("hey check in"))
    read_in_full = [(clip, everything.verify(clip.pcm)) for clip in settled]
    assert not any(v.accepted for _, v in read_in_full)
    vetoed_near_misses = [clip.label for clip, v in read_in_full if v.vetoed and not clip.is_wake]
    assert len(vetoed_near_misses) >= 4, vetoed_near_misses


def test_a_candidate_pocketsphinx_cannot_align_gets_a_verdict_not_an_exception() -> None:
    """A 1.2 s piece of "check in opens at noon" (flite rms, 10 dB pink noise; cut from the
    TUNING stream by an early version of the gate's cut over talk) made PocketSphinx raise
    "Failed to stop utterance processing" in the phone-level alignment, which ended the
    listening loop. It is now read as a phrase that does not align, and the verifier goes on."""
    clip = wake_streams.read_wav_bytes(Path(__file__).parent / "data" / "wake" /
                                       "aligner-fails.wav")
    verifier = WakeVerifier("hey check in")
    assert not verifier.verify(clip).accepted
    assert verifier.verify(clip) == verifier.verify(clip)


def test_short_replies_the_veto_settles_cost_no_pocketsphinx_reading(stream_cache: Path) -> None:
    """A conversation of short replies ("yeah", "why not"; three voices): each is a candidate.
    Where the classifier's probability would veto whatever PocketSphinx's readings accept and
    is too low to accept on its own, the readings (the phone loop alone 0.08 s) are not read.
    Most replies are such; none wakes it."""
    from benchmarks.runner import Settings
    from benchmarks.wake import short_replies

    (stream_cache / "replies" / "wake").mkdir(parents=True, exist_ok=True)
    pcm = short_replies(Settings(quick=True, cache=stream_cache / "replies"), 20.0)
    detector = WakeDetector()
    assert [d for frame in split_into_frames(pcm) if (d := detector.push(frame))] == []
    assert detector.candidates >= 10
    assert detector.sphinx_reads <= detector.candidates // 2, (
        detector.sphinx_reads, detector.candidates)
