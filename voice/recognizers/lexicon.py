"""A compact PocketSphinx dictionary: the 40,000 words the bundled language model finds likeliest.

The full CMU dictionary holds 135,000 entries, but only the 79,000 in the
language model can ever be recognised in free speech. Measured on the bundled
model: a decoder takes 109 MB with the full dictionary, 91 MB with every
language-model word and 80 MB with the top 40,000, which still covers every word
of our intent catalogue, prompts and labelled answers. Partners' names missing
from it are taken from the full dictionary (or guessed) when the recognizer starts.

Regenerate after a pocketsphinx model change with `python -m voice.recognizers.lexicon`.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from pocketsphinx import NGramModel, get_model_path

COMPACT_DICTIONARY = Path(__file__).with_name("cmudict-top40k.dict")
SIZE = 40_000
_NOT_IN_MODEL = -536870912
"""What NGramModel.prob answers for a word the language model does not hold."""


def full_dictionary() -> Path:
    return Path(get_model_path()) / "en-us" / "cmudict-en-us.dict"


def decoder_dictionary() -> Path:
    """The dictionary the recognizer loads: the compact one when it ships, else the full one."""
    return COMPACT_DICTIONARY if COMPACT_DICTIONARY.is_file() else full_dictionary()


@cache
def _full_entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    with full_dictionary().open(encoding="utf-8") as handle:
        for line in handle:
            word, _, phones = line.strip().partition(" ")
            if word and "(" not in word:
                entries.setdefault(word, phones.strip())
    return entries


def full_pronunciation(word: str) -> str | None:
    """The CMU dictionary's first pronunciation of `word`, or None."""
    return _full_entries().get(word.lower())


def build(size: int = SIZE, target: Path = COMPACT_DICTIONARY) -> int:
    """Write the `size` likeliest language-model words (all their pronunciations) to `target`."""
    model = NGramModel.readfile(str(Path(get_model_path()) / "en-us" / "en-us.lm.bin"))
    lines = full_dictionary().read_text(encoding="utf-8").splitlines()
    best: dict[str, int] = {}
    for line in lines:
        word = line.split(" ", 1)[0].split("(")[0]
        if word not in best:
            best[word] = model.prob([word])
    ranked = sorted((w for w, p in best.items() if p > _NOT_IN_MODEL), key=lambda w: -best[w])
    keep = set(ranked[:size])
    kept = [line for line in lines if line.split(" ", 1)[0].split("(")[0] in keep]
    temporary = target.with_suffix(".tmp")
    temporary.write_text("\n".join(kept) + "\n", encoding="utf-8")
    os.replace(temporary, target)
    return len(keep)


if __name__ == "__main__":
    print(f"{build()} words written to {COMPACT_DICTIONARY}")
