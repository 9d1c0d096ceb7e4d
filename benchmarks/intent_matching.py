"""Intent matching per utterance, beside the bare encoder and rapidfuzz-and-cues alone.

The answers are the project's labelled set (tests/data/intents/labelled.toml),
varied with the fillers recognizers pass through, so every utterance is a
distinct string and no whole-text cache can answer for the matcher. Memory is
measured in a fresh child process: its RSS growth from the first match (the encoder,
onnxruntime and tokenizers, the fitted models and their example vectors) through 200
answers.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
import tomllib

from benchmarks.runner import REPO_ROOT, Figure, Settings, cpu_seconds, fmt_ms, median

LABELLED = REPO_ROOT / "tests" / "data" / "intents" / "labelled.toml"
PREFIXES = ("", "um", "well", "so", "like", "uh", "you know", "honestly", "i mean")
SUFFIXES = ("", "i guess", "really", "today", "you know", "anyway", "i think")
TARGET_S = 0.010
TARGET_RSS_MB = 120.0

# Run in a fresh interpreter: RSS before the encoder, after loading it, after 200 answers.
RSS_PROBE = """
import json, sys
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
import numpy, intents.matcher
if sys.argv[1] == 'preloaded':
    import onnxruntime, tokenizers  # as in a process whose Whisper ear already runs its VAD
before = rss()
from intents import match
match('warm up', 'need')  # the encoder and every context's fitted model and neighbours
loaded = rss()
for i in range(200):
    match(f'you were on your phone the whole time i was talking {i}', 'need')
print(json.dumps({'before': before, 'loaded': loaded, 'used': rss()}))
"""


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


def encoder_rss(mode: str) -> dict[str, float]:
    """MB of RSS: before the encoder, once loaded, after 200 answers (a fresh process)."""
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, mode], cwd=REPO_ROOT, capture_output=True,
        text=True, timeout=120, check=True,
    )
    readings: dict[str, float] = json.loads(done.stdout)
    return readings


def run(settings: Settings) -> list[Figure]:
    from intents import load_catalogue, match
    from intents.encoder import Encoder
    from intents.matcher import DEFAULT_SCORERS, Parts, match_with

    count = 1_000 if settings.quick else 2_000
    batch = utterances(count)
    catalogue = load_catalogue()
    match("warm the catalogue and the encoder up", "appreciation")  # loading is not matching
    encoder = Encoder.shared()
    rules_only = Parts(semantic=False)
    texts = [catalogue.normaliser.text(text) or text for text, _ in batch]

    def full() -> None:
        Encoder._remembered.cache_clear()  # every pass pays for every answer
        for text, context in batch:
            match(text, context)

    def bare_encoder() -> None:
        for text in texts:
            encoder.encode_uncached(text)

    def without_encoder() -> None:
        for text, context in batch:
            match_with(text, context, catalogue, DEFAULT_SCORERS, rules_only)

    repeats = settings.heavy_repeats
    times = [cpu_seconds(full) / count for _ in range(repeats)]
    bare = [cpu_seconds(bare_encoder) / count for _ in range(repeats)]
    rules = [cpu_seconds(without_encoder) / count for _ in range(repeats)]
    fresh, preloaded = encoder_rss("fresh"), encoder_rss("preloaded")
    grown = fresh["used"] - fresh["before"]
    grown_preloaded = preloaded["used"] - preloaded["before"]
    per_utterance = median(times)
    return [
        Figure(
            name=f"intent matching per utterance ({count:,} utterances)",
            app=fmt_ms(per_utterance),
            reference=fmt_ms(median(bare)),
            ratio=per_utterance / median(bare),
            target=f"< {fmt_ms(TARGET_S)}, encoder ≤ {TARGET_RSS_MB:.0f} MB RSS",
            met=per_utterance < TARGET_S and grown <= TARGET_RSS_MB,
            note=f"intents.match on {count:,} distinct answers (the labelled set with fillers), "
                 f"all contexts; CPU time, median of {repeats} passes. Reference: the bare "
                 f"encoder on the same answers. Without the encoder (rapidfuzz and cues "
                 f"only): {fmt_ms(median(rules))}. Encoder RSS: +{grown:.0f} MB in a fresh "
                 f"process (+{grown_preloaded:.0f} MB where onnxruntime is already loaded)",
            values={
                "per_utterance_s": times,
                "bare_encoder_s": bare,
                "without_encoder_s": rules,
                "count": count,
                "rss_mb_fresh": fresh,
                "rss_mb_preloaded": preloaded,
            },
        )
    ]
