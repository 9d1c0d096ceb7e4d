"""Intent matching time per utterance over 10,000 spoken-style answers.

The answers are the project's labelled set (tests/data/intents/labelled.toml),
varied with the fillers recognizers pass through, so every utterance is a
distinct string and no whole-text cache can answer for the matcher.
"""

from __future__ import annotations

import itertools
import random
import tomllib

from benchmarks.runner import REPO_ROOT, Figure, Settings, cpu_seconds, fmt_ms, median

LABELLED = REPO_ROOT / "tests" / "data" / "intents" / "labelled.toml"
PREFIXES = ("", "um", "well", "so", "like", "uh", "you know", "honestly", "i mean")
SUFFIXES = ("", "i guess", "really", "today", "you know", "anyway", "i think")
TARGET_S = 0.0002


def utterances(count: int, seed: int = 11) -> list[tuple[str, str]]:
    """`count` distinct (text, context) pairs built from the labelled answers."""
    data = tomllib.loads(LABELLED.read_text(encoding="utf-8"))
    base = [
        (text, context)
        for context, labels in data.items()
        for texts in labels.values()
        for text in texts
    ]
    varied = [
        (" ".join(part for part in (prefix, text, suffix) if part), context)
        for (text, context), prefix, suffix in itertools.product(base, PREFIXES, SUFFIXES)
    ]
    unique = list(dict.fromkeys(varied))
    random.Random(seed).shuffle(unique)
    if len(unique) < count:
        raise ValueError(f"only {len(unique)} distinct utterances can be built, {count} asked")
    return unique[:count]


def run(settings: Settings) -> list[Figure]:
    from intents import match

    count = 1_000 if settings.quick else 10_000
    batch = utterances(count)
    match("warm the catalogue up", "appreciation")  # loading the TOML is not matching

    def work() -> None:
        for text, context in batch:
            match(text, context)

    times = [cpu_seconds(work) / count for _ in range(settings.heavy_repeats)]
    per_utterance = median(times)
    return [
        Figure(
            name=f"intent matching per utterance ({count:,} utterances)",
            app=fmt_ms(per_utterance),
            target=f"< {fmt_ms(TARGET_S)}",
            met=per_utterance < TARGET_S,
            note=f"intents.match on {count:,} distinct answers (the labelled set with fillers), "
                 f"all contexts; CPU time, median of {settings.heavy_repeats} passes",
            values={"per_utterance_s": times, "count": count},
        )
    ]
