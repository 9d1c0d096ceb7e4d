"""A pronunciation for names the PocketSphinx dictionary lacks.

Simple left-to-right letter-to-phone rules (longest spelling first), the way a
reader guesses an unfamiliar name. Limitation: English spelling is irregular, so
a name whose spelling misleads (Siobhan, Niamh) gets a wrong guess; such a user
can add the name to the dictionary by spelling it as it sounds in the config
(e.g. partners = ["Shivawn", ...]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pocketsphinx import Decoder

_RULES: tuple[tuple[str, str], ...] = (
    ("tch", "CH"), ("sch", "SH K"), ("igh", "AY"), ("eigh", "EY"),
    ("ch", "CH"), ("sh", "SH"), ("th", "TH"), ("ph", "F"), ("wh", "W"), ("ck", "K"),
    ("ng", "NG"), ("qu", "K W"), ("gh", "G"), ("kn", "N"), ("dg", "JH"),
    ("ee", "IY"), ("ea", "IY"), ("oo", "UW"), ("ou", "AW"), ("ow", "OW"), ("oa", "OW"),
    ("ai", "EY"), ("ay", "EY"), ("ei", "EY"), ("ey", "IY"), ("ie", "IY"), ("au", "AO"),
    ("aw", "AO"), ("oi", "OY"), ("oy", "OY"), ("ue", "UW"), ("ew", "UW"),
    ("ar", "AA R"), ("er", "ER"), ("ir", "ER"), ("ur", "ER"), ("or", "AO R"),
    ("a", "AE"), ("b", "B"), ("c", "K"), ("d", "D"), ("e", "EH"), ("f", "F"), ("g", "G"),
    ("h", "HH"), ("i", "IH"), ("j", "JH"), ("k", "K"), ("l", "L"), ("m", "M"), ("n", "N"),
    ("o", "AA"), ("p", "P"), ("q", "K"), ("r", "R"), ("s", "S"), ("t", "T"), ("u", "AH"),
    ("v", "V"), ("w", "W"), ("x", "K S"), ("y", "IY"), ("z", "Z"),
)
_LONGEST = max(len(spelling) for spelling, _ in _RULES)
_BY_SPELLING = dict(_RULES)


def add_words(decoder: Decoder, pronunciations: dict[str, str]) -> None:
    """Teach a PocketSphinx decoder words it lacks (word -> space-separated phones)."""
    for index, (word, phones) in enumerate(pronunciations.items()):
        # Rebuilding the searches once, on the last word, keeps start-up fast.
        decoder.add_word(word, phones, index == len(pronunciations) - 1)


def guess_phones(word: str) -> str:
    """ARPABET phones for `word` (letters only are used); "" if it has no letters."""
    letters = "".join(ch for ch in word.lower() if "a" <= ch <= "z")
    phones: list[str] = []
    position = 0
    while position < len(letters):
        for length in range(min(_LONGEST, len(letters) - position), 0, -1):
            chunk = letters[position : position + length]
            if chunk in _BY_SPELLING:
                phones.extend(_spell(chunk, letters, position, length).split())
                position += length
                break
        else:  # pragma: no cover - every single letter has a rule
            position += 1
    # A doubled letter is one sound (Anna, Matt).
    return " ".join(p for i, p in enumerate(phones) if i == 0 or p != phones[i - 1])


def _spell(chunk: str, letters: str, position: int, length: int) -> str:
    at_end = position + length == len(letters)
    following = letters[position + length : position + length + 1]
    # A final "a" is a schwa (Ana, Maria); a final "e" is silent (Jane, Louise).
    if chunk == "a" and at_end:
        return "AH"
    if chunk == "e" and at_end and position > 0:
        return ""
    if chunk == "y" and position == 0:
        return "Y"
    # Soft c and g before e, i, y (Cecile, Gina).
    if chunk == "c" and following in ("e", "i", "y"):
        return "S"
    if chunk == "g" and following in ("e", "i", "y"):
        return "JH"
    # "ar" before a vowel is the "air" of Mary, Carol, Marisol.
    if chunk == "ar" and following in ("a", "e", "i", "o", "u", "y"):
        return "EH R"
    if chunk == "o" and at_end:
        return "OW"
    if chunk == "i" and at_end:
        return "IY"
    return _BY_SPELLING[chunk]
