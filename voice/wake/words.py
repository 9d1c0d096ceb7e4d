"""The wake phrase's words, and the rival words that compete with it (from `words.toml`).

A grammar that can only say the wake phrase hears it in any speech; one where the phrase
competes with common short words and with dictionary words that sound like it ("chicken",
"kitchen", "paycheck" for "hey check in") makes a near miss find its own words instead.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pocketsphinx import get_model_path
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from voice.errors import CheckinError
from voice.wake.thresholds import JOIN_TAIL_LIKENESS, sound_alike_edits

_WORDS_TOML = "words.toml"


def dictionary_path() -> Path:
    """The US English pronunciation dictionary that ships with the pocketsphinx wheel."""
    return Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"


def phrase_words(phrase: str) -> list[str]:
    """The lower-case words of `phrase` (hyphens and commas split words)."""
    cleaned = "".join(c if c.isalnum() or c == "'" else " " for c in phrase.lower())
    return cleaned.split()


def wake_words(phrase: str) -> list[str]:
    """`phrase_words(phrase)`, or a CheckinError saying how to fix a phrase of no words (only
    punctuation, say) or of more than a short phrase's six."""
    words = phrase_words(phrase)
    if not 1 <= len(words) <= 6:
        raise CheckinError(
            f"wake phrase {phrase!r} must have 1 to 6 words: set a short phrase with "
            "--phrase or wake_phrase in the config file"
        )
    return words


@lru_cache(maxsize=8)
def rival_words(words: tuple[str, ...]) -> frozenset[str]:
    """Filler words plus dictionary words that sound close to the wake words.

    Exact homophones of the wake words or of runs of them ("heycheck") are left out,
    but the wake words themselves stay when they are fillers ("hey", "in"): spelling
    the phrase word by word costs each word's rival prior, so the phrase's own
    branch wins a tie.
    """
    settings = _settings()
    pronunciations = dictionary()
    runs = list(phone_runs(words))
    forbidden = set(runs)
    rivals = {w for w in settings["filler"]["words"] if w in pronunciations}
    rivals |= _neighbours(runs, pronunciations, settings["neighbours"])
    return frozenset(w for w in rivals if pronunciations[w] not in forbidden or w in words)


@lru_cache(maxsize=8)
def phone_runs(words: tuple[str, ...], ending: bool = False) -> tuple[tuple[str, ...], ...]:
    """The phones of each run of consecutive wake words ("hey", "heycheck", "checkin", ...);
    with `ending`, only the runs that end the phrase ("in", "checkin", "heycheckin")."""
    targets = [pronounced(w) for w in words]
    n = len(targets)
    return tuple(sum(targets[i:j], ()) for i in range(n) for j in range(i + 1, n + 1)
                 if j == n or not ending)


@lru_cache(maxsize=64)
def pronounced(word: str) -> tuple[str, ...]:
    """How a wake word sounds: the dictionary's pronunciation; for a word it lacks (pet
    names: "sweetpea", "lovebug", "honeybun"), the word as two or three dictionary words
    run together, the longest first part first; else the letter rules the recognizer uses
    for partners' names (`voice.recognizers.pronounce`). () for a word with no letters."""
    pronunciations = dictionary()
    if word in pronunciations:
        return pronunciations[word]
    split = _as_dictionary_words(word, parts=3)
    if split is not None:
        return tuple(phone for part in split for phone in pronunciations[part])
    from voice.recognizers.pronounce import guess_phones

    return tuple(guess_phones(word).split())


def _as_dictionary_words(word: str, parts: int) -> list[str] | None:
    """`word` as at most `parts` dictionary words of two letters or more, first part longest."""
    pronunciations = dictionary()
    if word in pronunciations and len(word) >= 2:
        return [word]
    if parts == 1:
        return None
    for cut in range(len(word) - 2, 1, -1):
        head = word[:cut]
        rest = _as_dictionary_words(word[cut:], parts - 1) if head in pronunciations else None
        if rest is not None:
            return [head, *rest]
    return None


def sounds_alike(word: str, words: tuple[str, ...]) -> bool:
    """Is `word`, not itself a wake word, a dictionary word that sounds like the phrase's
    words or a run of them (but is no homophone of them)?"""
    pronunciations = dictionary()
    if word in words or word not in pronunciations or not all(pronounced(w) for w in words):
        return False
    said = pronunciations[word]
    distances = [(Levenshtein.distance(said, run), len(run)) for run in phone_runs(words)]
    return all(d > 0 for d, _ in distances) and any(
        d <= sound_alike_edits(n) for d, n in distances)


def ends_phrase_g_dropped(word: str, words: tuple[str, ...]) -> bool:
    """Is `word` the phrase's last word(s) run together, with "-in" spelled "-ing"?

    Whisper writes a spoken "check in" as "checking" as often as not: "checkin'" and
    "checking" are one sound in casual speech. Said last, as the phrase ends, it is the phrase's
    end; said before more words ("checking in", "checking opens at noon") it stays a
    sound-alike, so this is asked only of the untold transcript's last word."""
    pronunciations = dictionary()
    said = pronunciations.get(word)
    if word in words or said is None or said[-1:] != ("NG",):
        return False
    return said[:-1] + ("N",) in phone_runs(words, ending=True)


def written_as_phrase(text: str, words: tuple[str, ...]) -> bool:
    """Is `text` (the app's words) the phrase, or the phrase with its first word heard with
    a vowel an accent moves ("hi check in" for "hey check in")?

    Where "hey" is said [hʌɪ] (the West Midlands, London, Australia), Whisper writes "hi".
    Only the first word, where a quick greeting moves most, and only the vowel shifts of
    `words.toml`: a consonant changed is another word ("they check in"), another vowel often
    one too ("he", "who"), and a vowel changed later a near miss ("hey chick in")."""
    said = text.split()
    if "".join(said) == "".join(words):
        return True
    if len(said) < 2 or len(words) < 2 or "".join(said[1:]) != "".join(words[1:]):
        return False
    pronunciations = dictionary()
    heard, meant = pronunciations.get(said[0]), pronunciations.get(words[0])
    if heard is None or meant is None or len(heard) != len(meant):
        return False
    shifts = _vowel_shifts()
    return all(a == b or frozenset((a, b)) in shifts for a, b in zip(heard, meant, strict=True))


@lru_cache(maxsize=1)
def _vowel_shifts() -> frozenset[frozenset[str]]:
    return frozenset(frozenset(pair) for pair in _settings()["accent"]["vowel_shifts"])


@lru_cache(maxsize=1)
def _settings() -> dict:
    return tomllib.loads(resources.files("voice.wake").joinpath(_WORDS_TOML).read_text("utf-8"))


def may_end_phrase(said: list[str], words: tuple[str, ...]) -> bool:
    """`said` may be the phrase's last word(s) heard on their own ("chakin" for "check in"):
    spelled like them within `JOIN_TAIL_LIKENESS`, compared without spaces."""
    text = "".join(said)
    tails = ["".join(words[i:]) for i in range(1, len(words))]
    return bool(text) and any(len(tail) >= 4 and fuzz.ratio(text, tail) >= JOIN_TAIL_LIKENESS
                              for tail in tails)


def _neighbours(
    runs: list[tuple[str, ...]], pronunciations: dict[str, tuple[str, ...]], settings: dict
) -> set[str]:
    names = list(pronunciations)
    phones = sorted({p for pron in pronunciations.values() for p in pron})
    code = {p: chr(0x100 + i) for i, p in enumerate(phones)}
    encoded = ["".join(code[p] for p in pronunciations[name]) for name in names]
    found: set[str] = set()
    for run in runs:
        query = "".join(code[p] for p in run)
        matches = process.extract(
            query,
            encoded,
            scorer=Levenshtein.distance,
            score_cutoff=int(settings["max_edits"]),
            limit=int(settings["per_target"]) + 4,
        )
        found |= {names[index] for _, distance, index in matches if distance > 0}
    return found


@lru_cache(maxsize=1)
def dictionary() -> dict[str, tuple[str, ...]]:
    """Main pronunciation of each plain word in the dictionary (alternates 'word(2)' skipped)."""
    entries: dict[str, tuple[str, ...]] = {}
    with dictionary_path().open(encoding="utf-8") as lines:
        for line in lines:
            word, *phones = line.split()
            if "(" not in word and word.isalpha() and phones:
                entries[word] = tuple(phones)
    return entries
