"""Turn messy recognizer or typed text into comparable word sequences.

Recognizer output is lowercase, unpunctuated, full of fillers and contractions
spelled in odd ways. Everything the matcher compares, the answer and the
catalogue alike, goes through the same `Normaliser`, so the two always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Spoken answers last at most ~20 s (about 60 words); a longer text is not an
# answer to a check-in question, and capping keeps matching time bounded.
MAX_TOKENS = 80
# Only the start of a huge input is ever looked at, so a 10 MB paste costs nothing.
MAX_CHARS = MAX_TOKENS * 24

_APOSTROPHES = re.compile(r"[’‘`´']")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_VOWELS = frozenset("aeiouy")


def stem(word: str) -> str:
    """A deliberately crude suffix stripper so "texted", "texting" and "texts" agree.

    It only needs to be consistent, since catalogue and answer are stemmed alike.
    """
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 4 and word.endswith("es"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of the phrases as whole word sequences, longest first."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(re.escape(p) for p in ordered)
    return re.compile(rf"(?<!\S)(?:{alternatives})(?!\S)")


@dataclass(frozen=True)
class Normaliser:
    """Lowercases, strips punctuation, expands contractions, fixes ASR slips, drops fillers."""

    contractions: Mapping[str, str]
    fixes: Mapping[str, str]
    fillers: tuple[str, ...]
    filler_pattern: str = ""
    _fix_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _filler_pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _filler_word: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fixes = {self._basic(k): self._basic(v) for k, v in self.fixes.items()}
        object.__setattr__(self, "fixes", fixes)
        object.__setattr__(self, "_fix_pattern", _phrase_pattern(fixes))
        fillers = tuple(self._basic(f) for f in self.fillers)
        object.__setattr__(self, "_filler_pattern", _phrase_pattern(fillers))
        filler_word = re.compile(self.filler_pattern) if self.filler_pattern else None
        object.__setattr__(self, "_filler_word", filler_word)

    def _basic(self, text: str) -> str:
        """Lowercase, no apostrophes or punctuation, contractions spelled out."""
        text = _APOSTROPHES.sub("", text[:MAX_CHARS].lower())
        words = _NOT_WORD.sub(" ", text).split()[:MAX_TOKENS]
        return " ".join(self.contractions.get(w, w) for w in words)

    def words(self, text: str, *, keep_fillers: bool = False) -> list[str]:
        """The normalised words of `text` (fillers removed unless asked to keep them)."""
        plain = self._basic(text)
        if self._fix_pattern is not None:
            plain = self._fix_pattern.sub(lambda m: self.fixes[m.group(0)], plain)
        if keep_fillers:
            return plain.split()
        if self._filler_pattern is not None:
            plain = self._filler_pattern.sub(" ", plain)
        words = plain.split()
        if self._filler_word is not None:
            words = [w for w in words if not self._filler_word.match(w)]
        return words

    def text(self, text: str) -> str:
        """The normalised answer as one string (what rapidfuzz scorers compare)."""
        return " ".join(self.words(text))


def strip_phrases(text: str, phrases: Iterable[str]) -> str:
    """`text` without any of `phrases` (whole word sequences), e.g. politeness words."""
    padded = f" {text} "
    for phrase in phrases:
        padded = padded.replace(f" {phrase} ", " ")
    return " ".join(padded.split())
