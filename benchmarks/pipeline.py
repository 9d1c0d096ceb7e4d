"""The frame pipeline alone (speech detector + endpointer): CPU, endpoint delay, early cut-offs.

Answers are fed through the app's own RepliesSource (each listening hears the
next file, then quiet room noise), into one Endpointer, as in a check-in.
"""

from __future__ import annotations

from audio.endpoint import DEFAULT_TRAILING_SILENCE_S, Endpointer, NoSpeech, UtteranceEnded
from audio.frames import SAMPLE_RATE, split_into_frames
from audio.sources import RepliesSource
from benchmarks.audio_fixtures import Answer, no_wake_audio
from benchmarks.runner import (
    Figure,
    Settings,
    cpu_seconds,
    fmt_rate,
    fmt_s,
    median,
    percentile,
)
from benchmarks.scripted import load_sessions


def run(settings: Settings) -> list[Figure]:
    sessions = load_sessions(settings.cache)
    if settings.quick:
        sessions = sessions[:1]
    answers = [item for session in sessions for item in session.answers]
    wavs = [wav for session in sessions for wav in session.wavs]
    return [_cpu_figure(settings), *_endpoint_figures(answers, wavs)]


def _cpu_figure(settings: Settings) -> Figure:
    seconds = 15.0 if settings.quick else 60.0
    frames = split_into_frames(no_wake_audio(settings.cache, seconds))

    def work() -> None:
        endpointer = Endpointer()
        endpointer.start(0)
        for frame in frames:
            if endpointer.push(frame):
                endpointer.start(frame.end)  # always listening, like a long evening

    times = [cpu_seconds(work) / seconds for _ in range(settings.repeats)]
    value = median(times)
    return Figure(
        name="frame pipeline CPU per audio s (VAD + endpointer)",
        app=fmt_rate(value),
        note=f"{seconds:.0f} s of living-room audio (quiet, noise with hum, TV talk) through "
             f"SpeechDetector + Endpointer in 30 ms frames; median of {settings.repeats}",
        values={"cpu_per_audio_s": times},
    )


def _endpoint_figures(answers: list[Answer], wavs: list) -> list[Figure]:
    source = RepliesSource(wavs)
    endpointer = Endpointer()
    delays: list[float] = []
    cut = 0
    for item in answers:
        source.listening_started()
        start = source.position
        endpointer.start(start)
        ended: UtteranceEnded | None = None
        ended_at = start
        while ended is None:
            frame = source.read()
            if frame is None:
                raise RuntimeError("the replies ran out before an answer was heard")
            for event in endpointer.push(frame):
                if isinstance(event, UtteranceEnded):
                    ended, ended_at = event, frame.end
                elif isinstance(event, NoSpeech):
                    raise RuntimeError("an answer was not heard as speech at all")
        source.listening_ended(True)
        if ended.speech_end - start < item.last_part_start:
            cut += 1
        else:
            delays.append((ended_at - start - item.speech_end) / SAMPLE_RATE)
    paused = sum(1 for item in answers if item.has_pause)
    return [
        Figure(
            name="endpoint delay on silence alone (no word check), p50 / p90",
            app=f"{fmt_s(median(delays))} / {fmt_s(percentile(delays, 0.9))}",
            note=f"{len(delays)} flite answers fed by RepliesSource over room noise; audio "
                 f"clock; trailing silence {DEFAULT_TRAILING_SILENCE_S} s; the end of speech is "
                 "the last loud 10 ms of the clip",
            values={"delays_s": delays},
        ),
        Figure(
            name="answers with pauses cut early by the endpointer on silence alone",
            app=f"{cut} of {paused}",
            target="0",
            met=cut == 0,
            note=f"{paused} answers made of flite clips joined by 0.6 s of silence; cut = the "
                 "utterance ended before the last part began",
            values={"cut": cut, "paused": paused},
        ),
    ]
