"""The reference the wake detector is measured against: a bare PocketSphinx keyphrase search.

At every threshold it misses most held-out wakes, and once lenient enough to find more it
wakes on near misses (the wake rows of benchmarks/RESULTS.md): hence the gate and verifier.
Here it runs over a whole recording in the app's 30 ms blocks, restarted after each
detection; `benchmarks.wake.BareKeyphraseSearch` is the same search fed frame by frame for
the benchmark's paired runs, and tests/test_wake.py checks that this one still runs.
"""

from __future__ import annotations

from pocketsphinx import Decoder

from audio.frames import FRAME_SAMPLES, SAMPLE_RATE, SAMPLE_WIDTH


def bare_keyphrase_search(
    pcm: bytes, phrase: str = "hey check in", threshold: float = 1e-30
) -> list[float]:
    """Times (s, end of the audio block that fired) where keyphrase search spotted `phrase`."""
    decoder = Decoder(keyphrase=phrase, kws_threshold=threshold, loglevel="FATAL")
    step = FRAME_SAMPLES * SAMPLE_WIDTH
    detections: list[float] = []
    decoder.start_utt()
    for offset in range(0, len(pcm), step):
        decoder.process_raw(pcm[offset : offset + step], False, False)
        if decoder.hyp() is not None:
            end = min(offset + step, len(pcm)) // SAMPLE_WIDTH
            detections.append(end / SAMPLE_RATE)
            # Restart so one utterance is reported once.
            decoder.end_utt()
            decoder.start_utt()
    decoder.end_utt()
    return detections
