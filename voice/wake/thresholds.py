"""Every bar the wake phrase is held to, side by side, each with why it stands where it does.

A false wake in a living room is worse than asking twice, so each bar keeps a margin from the
nearest near miss heard on the synthetic streams (`benchmarks.wake_streams`). Scores are
PocketSphinx log units per frame (nearer 0 fits better). Each bar is its value at sensitivity
0.5; `eagerness` (-1 strict .. 1 eager) moves it by its step. Values that shape a measurement
rather than judge it (frame sizes, the denoiser's subtraction) stay with their code.
Tuning history: benchmarks/RESULTS.md, "Wake phrase: tuning history".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from voice.errors import CheckinError

# The gate (`voice.wake.gate.GateSettings`): which utterances are the shape of a wake phrase.

PAUSE_S = 0.35
"""Non-speech that ends an utterance; also the least latency after the phrase, so it stays short."""
TAIL_S = 0.2
"""This far into the pause the Whisper ear reads the utterance so far, and the chime waits only
for the pause to last: a read takes about 0.25 s. Sooner, more of the short pauses inside a
phrase or a sentence cost a read that speech coming back then voids (benchmarks/RESULTS.md)."""
MIN_SPEECH_S = 0.25
"""Less speech than this (first to last speech frame) cannot be the wake phrase."""
MAX_SPEECH_S = 2.8
"""More is talk (TV, conversation), dropped as soon as it outgrows this: it bounds the CPU."""
PRE_ROLL_S = 0.3
"""Audio kept before the first speech frame: the decoder hears the onset, the denoiser the room."""
JOIN_GAP_S = 1.0
"""A hesitation inside the phrase ("Hey... check in") longer than the pause splits it in two:
an utterance that starts within this of a short one's end is also heard joined to it."""
JOIN_FIRST_S = 1.2
"""The first part of a split phrase is a word or two: a longer utterance before is not joined."""
JOIN_TAIL_LIKENESS = 60
"""The second part is read joined to the first only when the ear's transcript of it is spelled
like the phrase's last word(s) this well (rapidfuzz ratio, 0-100): "chakin", "cakin" and
"check it" score 62-100 against "checkin", short replies ("yeah", "thanks", "what time") 44 or
less against it and "sweetheart"; without it, back-to-back short replies cost a read each."""
NOISE_ONSET_S = 0.8
"""A sound steady this long is the room, so noise begun before the phrase is not cut with it."""

# Talk going on in the room (`voice.wake.talk`): what stands out above it is heard.

FOREGROUND_DB = 8.0
"""Over talk, a speech frame counts only this far above the talk's level: the issue's talk is
10-15 dB below the talker, and talk's own frames swing widely about its level."""
TALK_PERCENTILE = 40.0
"""The talk's level is this percentile of its speech frames' levels: a phrase said in the first
seconds of talk is among them, and a low percentile keeps it from raising the level much."""
TALK_RELEARN_DB = 1.0
"""Talk that outgrows a wake phrase over talk is learned into the talk's level and heard again
against it, unless the level rose less than this: then the gate waits for the talk to pause."""
TALK_WINDOW_S = 3.0
"""The talk's level is learned over its last this many seconds of speech frames."""
TALK_SPEAKING_UP = 0.6
"""Over talk, a candidate must stand out for this share of its frames: "hey check in" spoken up
over talk 12 dB below did for 0.65-0.81 of them, the talk's own louder words mostly under 0.45."""
TALK_SYLLABLE_S = 0.15
"""Over talk, a frame counts as speech only where most (`TALK_SPEAKING_UP`) of the last this
long (a syllable) stood out: someone speaking up stands out syllable by syllable, the talk's own
louder frames one or two at a time, and those once opened an utterance or kept one open, so
a phrase said over a TV joined one too long to be a wake."""
TALK_MIN_SPEECH_S = 0.35
"""Over talk, shorter than this is a loud word of the talk. A soft "hey" may not stand out, and
"check in" alone stood out for 0.4 s (flite slt over flite awb, 12-18 dB)."""

# Noise: which candidates are denoised, and which are clean enough for every reading.

DENOISE_BELOW_SNR_DB = 15.0
"""Denoised below this SNR: wakes in 10 dB white noise read 11-14 dB, quiet-room speech 21+."""
CLEAN_SPEECH_TO_GAP_DB = 25.0
"""Clean speech: 26-41 dB above its gaps, noisy 13-24; noise fools the rival ratio, classifier."""

# The Whisper ear (`voice.wake.ear`): a model trained on real speech, for any phrase.

EAR_CONTEXT_FRAMES = 1_000
"""10 s of encoder context, not Whisper's 30: 0.11 CPU s a read, not 0.4, and on TUNING_ROOMS
it heard as many wakes as the full context with the same strict rule (4 s heard fewer)."""
EAR_PHRASE_LOGPROB = -1.2
"""Mean log-probability per token of the forced phrase, with the transcript exactly the phrase:
at this bar no near miss of the tuning sets passed (wakes that do read -0.2 to -1.2)."""

EAR_TOLD_EXTRA_WORDS = 0
"""Told the phrase was coming, Whisper may turn a misheard word into the phrase's word; it
should not make words go away. So the told reading wakes only when the untold transcript had
no more distinct words than the phrase plus these: "okay sweetie talk" for "okay, sweet tart"
and "you're not a cat" for "hey jack" were near misses it wrote as the phrase."""

EAR_SENTENCE_EXTRA_WORDS = 2
"""A transcript with more distinct words than the phrase plus these is a sentence, not a wake
said on its own, and the PocketSphinx readings are not asked. Chosen on the choice streams
(TUNING, VALIDATION, OTHER_VOICES, TUNING_ROOMS, CUSTOM_PHRASE, CONTINUOUS_TALK): 1 to 3 lost
no wake there; 0 lost two. Room for Whisper to add a word or split one ("hey, check in please")."""

def sound_alike_edits(phones: int) -> int:
    """Phone edits within which a word sounds like a run of `phones` wake phones
    (`voice.wake.words.sounds_alike`): none for one or two (any two-phone word is two edits
    from any other), one for three or four ("checked" for "check"), two from five ("chicken"
    for "check in"). Chosen on the choice streams: the told ear's one false wake there was
    "hey chicken", written so untold."""
    return 0 if phones < 3 else 1 if phones < 5 else 2


# Sensitivity.

WAKE_PRIOR_DECADES = 4.0
"""The phrase's prior against its rivals spans 4 decades of sensitivity: x100 at 1, /100 at 0."""
SCORE_STEP = 4_000.0
"""Every bar on a per-frame score moves this much per unit of eagerness."""

# Fit: the phrase force-aligned to the candidate, against the best of its own senones per frame.

FIT = -10_000.0
"""Accepts alone; the nearest near misses ("hey chicken", "hey jack, come in") fit -11.8k, -12k."""
FIT_WORST_WORD = -13_000.0
"""A near miss fails on one word: those two fit only -14.7k and -14.1k on their worst."""
FIT_GIVE_UP = -32_000.0
"""Below it the costly readings are skipped (talk fits near -33k) unless the classifier is sure."""

# Spotted: a keyphrase search over the candidate, with a fair fit; each alone is lenient.

SPOTTED_KWS_LOG10 = -20.0
"""The search's threshold is 1e-20 ("hey chicken" is spotted at 1e-30, other talk at 1e-10)."""
SPOTTED_KWS_STEP = 5.0
"""Decades the search threshold moves per unit of eagerness: 10x per 0.1 of sensitivity."""
SPOTTED_FIT = -20_000.0
"""The fit it needs too: no near miss of TUNING is spotted at 1e-20 with a fit above -28k."""

# Loop: the phrase's log-likelihood ratio against a free phone loop, every senone scored.

LOOP_OVERALL = -12_000.0
"""Accepts with the worst-phone bar: every near miss of TUNING and VALIDATION misses one by 3k+."""
LOOP_WORST_PHONE = -25_000.0
""""hey chicken" fits -5.9k overall but -31k on one phone; /h/ is skipped (wakes reach -100k)."""

# Rival ratio: the phrase against a free sequence of rival words, read when the loop came close.

RIVAL_RATIO = 0.0
"""A wake beats its best rival reading (espeak x1.15: +1.3k); "hey chicken" does not (-1.5k)."""
RIVAL_RATIO_STEP = 1_000.0
"""How far that bar moves per unit of eagerness."""
RIVAL_RATIO_LOOP = -16_000.0
"""Talk can beat rival paths its word penalties bent ("they checked in" +12k, but loop -21.5k)."""

# Classifier: probabilities, as logits. It never accepts without a fair phone-loop ratio.

CLASSIFIER_ACCEPT_LOGIT = 0.0
"""Above 0.5 a clean candidate with a fair phone-loop ratio is the phrase."""
CLASSIFIER_ACCEPT_IN_NOISE_LOGIT = 0.85
"""About 0.7 for a noisy one: in noise the classifier is less sure (near misses reach 0.6-0.9)."""
CLASSIFIER_ACCEPT_STEP = 3.0
"""Logits both accept bars move per unit of eagerness."""
CLASSIFIER_LOOP = -20_000.0
"""Trained on synthetic voices only, it needs this phone-loop ratio too: rooms are new to it."""
CLASSIFIER_SURE_LOGIT = 2.95
"""About 0.95: no near miss reads 0.5-0.96; en-029+f3, which PocketSphinx mishears, 0.96+."""
CLASSIFIER_SURE_LOOP = -38_000.0
"""When sure, a poor phone-loop ratio is enough (en-029+f3: -25k to -36k)."""
CLASSIFIER_VETO_LOGIT = -0.85
"""About 0.3: at or below, nothing accepts ("hey, check in with me later" passed PocketSphinx)."""
CLASSIFIER_SURE_STEP = 2.0
"""Logits the sure and veto bars move per unit of eagerness."""


def eagerness(sensitivity: float) -> float:
    """-1 at sensitivity 0, 0 at 0.5, 1 at 1: how many steps every bar moves."""
    return 2.0 * (sensitivity - 0.5)


def wake_weight(sensitivity: float) -> float:
    """Prior weight of the wake branch: 1 at sensitivity 0.5, x100 at 1, /100 at 0."""
    if not 0.0 <= sensitivity <= 1.0:
        raise CheckinError(
            f"sensitivity {sensitivity} is out of range: use a value from 0 to 1 with --sensitivity"
        )
    return 10.0 ** (WAKE_PRIOR_DECADES * (sensitivity - 0.5))


@dataclass(frozen=True)
class FitThresholds:
    """Acceptance by the phrase's fit alone."""

    fit: float
    worst_word_fit: float
    give_up: float
    """Below this fit the candidate is not worth the rival-word decode (saves CPU)."""


def fit_thresholds(sensitivity: float) -> FitThresholds:
    """Stricter below 0.5, more lenient above."""
    eager = eagerness(sensitivity)
    return FitThresholds(FIT - SCORE_STEP * eager, FIT_WORST_WORD - SCORE_STEP * eager, FIT_GIVE_UP)


@dataclass(frozen=True)
class SpottedThresholds:
    """Acceptance when a keyphrase search spots the phrase in the candidate AND the fit is fair."""

    kws_threshold: float
    fit: float


def spotted_thresholds(sensitivity: float) -> SpottedThresholds:
    """1e-20 and -20k at 0.5."""
    eager = eagerness(sensitivity)
    return SpottedThresholds(
        10.0 ** (SPOTTED_KWS_LOG10 - SPOTTED_KWS_STEP * eager), SPOTTED_FIT - SCORE_STEP * eager
    )


@dataclass(frozen=True)
class LoopThresholds:
    """Acceptance by the phrase's likelihood ratio against a free phone loop."""

    overall: float
    worst_phone: float


def loop_thresholds(sensitivity: float) -> LoopThresholds:
    """-12k overall and -25k for the worst phone at 0.5."""
    eager = eagerness(sensitivity)
    return LoopThresholds(LOOP_OVERALL - SCORE_STEP * eager, LOOP_WORST_PHONE - SCORE_STEP * eager)


@dataclass(frozen=True)
class RivalRatioThresholds:
    """Acceptance by the phrase's score against the best sequence of rival words, per frame."""

    ratio: float
    loop: float
    """The phrase's likelihood ratio against the phone loop must be fair too."""


def rival_ratio_thresholds(sensitivity: float) -> RivalRatioThresholds:
    """0 per frame and a phone-loop ratio of -16k at 0.5."""
    eager = eagerness(sensitivity)
    return RivalRatioThresholds(
        RIVAL_RATIO - RIVAL_RATIO_STEP * eager, RIVAL_RATIO_LOOP - SCORE_STEP * eager
    )


@dataclass(frozen=True)
class ClassifierThresholds:
    """How the verifier uses the classifier's probability."""

    accept: float
    """Above this, with a fair phone-loop ratio, the candidate is the wake phrase."""
    accept_in_noise: float
    """The same for a candidate heard in noise (less than `CLEAN_SPEECH_TO_GAP_DB`)."""
    loop: float
    """That fair phone-loop ratio (per frame, as `Verdict.loop_fit`)."""
    sure: float
    loop_when_sure: float
    """Above `sure`, a poor phone-loop ratio is enough: a voice far from PocketSphinx's model."""
    veto: float
    """At or below this, no reading may accept."""


def classifier_thresholds(sensitivity: float) -> ClassifierThresholds:
    """At 0.5: accept above 0.5 (0.7 in noise) with a phone-loop ratio above -20k, or above 0.95
    with one above -38k; veto at 0.3. Eagerness moves the probabilities in logit space."""
    eager = eagerness(sensitivity)
    return ClassifierThresholds(
        accept=_logistic(CLASSIFIER_ACCEPT_LOGIT - CLASSIFIER_ACCEPT_STEP * eager),
        accept_in_noise=_logistic(
            CLASSIFIER_ACCEPT_IN_NOISE_LOGIT - CLASSIFIER_ACCEPT_STEP * eager
        ),
        loop=CLASSIFIER_LOOP - SCORE_STEP * eager,
        sure=_logistic(CLASSIFIER_SURE_LOGIT - CLASSIFIER_SURE_STEP * eager),
        loop_when_sure=CLASSIFIER_SURE_LOOP - SCORE_STEP * eager,
        veto=_logistic(CLASSIFIER_VETO_LOGIT - CLASSIFIER_SURE_STEP * eager),
    )


def _logistic(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))
