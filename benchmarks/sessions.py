"""Whole spoken check-ins through the real CLI: response latency, answers cut in two, peak RSS.

Each scripted session of sessions.toml runs as `checkin start --replies ... --mute
--json` in its own process (two at a time; latency is on the audio clock, so
sharing the CPU does not change it). Latency is the next assistant turn's start
minus the partner turn's end (the end of their speech), on the audio clock.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from audio.frames import SAMPLE_RATE
from benchmarks import engines
from benchmarks.children import ChildResult, start_python
from benchmarks.runner import Figure, Settings, fmt_s, median, not_measured, percentile
from benchmarks.scripted import ScriptedSession, load_sessions

P50_TARGET_S = 0.8
P90_TARGET_S = 1.2
SPHINX_RSS_TARGET_MB = 150.0


def run(settings: Settings) -> list[Figure]:
    sessions = load_sessions(settings.cache)
    if settings.quick:
        sessions = sessions[:1]
    with tempfile.TemporaryDirectory(prefix="checkin-bench-") as folder:
        runs = [("pocketsphinx", session) for session in sessions]
        if engines.korean_model() is not None:
            runs.append(("vosk", sessions[0]))
        results = _run_all(runs, Path(folder))
    bare_rss = {engine: _bare_rss(engine) for engine in {engine for engine, _ in runs}}
    sphinx = [(session, result) for (engine, session), result in zip(runs, results, strict=True)
              if engine == "pocketsphinx"]
    vosk = [result for (engine, _), result in zip(runs, results, strict=True) if engine == "vosk"]
    return [*_latency_figures(sphinx), *_rss_figures(sphinx, vosk, bare_rss)]


def _run_all(runs: list[tuple[str, ScriptedSession]], folder: Path) -> list[ChildResult]:
    """Run the sessions two at a time (the machine has two cores)."""
    results: list[ChildResult] = []
    for offset in range(0, len(runs), 2):
        running = [_start(engine, session, folder / f"{engine}-{session.number}-a.db")
                   for engine, session in runs[offset : offset + 2]]
        results += [child.wait() for child in running]
    # A failed check-in is run once more, alone; if it fails again its error is reported.
    for index, ((engine, session), result) in enumerate(zip(runs, results, strict=True)):
        if result.returncode != 0:
            retry = _start(engine, session, folder / f"{engine}-{session.number}-b.db").wait()
            results[index] = ChildResult(retry.returncode, retry.stdout, retry.stderr,
                                         retry.max_rss_mb, retry.processes,
                                         retried=_last_line(result.stderr))
    return results


def _start(engine: str, session: ScriptedSession, db: Path) -> Any:
    args = ["-m", "voice", "start", "--partners", ",".join(session.partners),
            "--engine", engine, "--db", str(db), "--mute", "--json", "--seed", "1"]
    if engine == "vosk":
        args += ["--model", str(engines.korean_model())]
    return start_python([*args, "--replies", *map(str, session.wavs)])


def _latency_figures(runs: list[tuple[ScriptedSession, ChildResult]]) -> list[Figure]:
    name = "response latency p50 / p90 (audio clock)"
    failed = [result for _, result in runs if result.returncode != 0]
    if failed:
        reason = f"`checkin start` failed: {_last_line(failed[0].stderr)}"
        return [not_measured(name, reason), not_measured("answers cut in two", reason)]
    latencies: list[float] = []
    cut = {"hesitation": 0, "afterthought": 0}
    paused = {"hesitation": 0, "afterthought": 0}
    mismatched = 0
    for session, result in runs:
        turns = json.loads(result.stdout)["turns"]
        latencies += _latencies(turns)
        partner_turns = [turn for turn in turns if turn["speaker"] != "assistant"]
        if len(partner_turns) != len(session.answers):
            mismatched += 1
        for turn, item in zip(partner_turns, session.answers, strict=False):
            if item.has_pause:
                paused[session.pauses] += 1
                heard_s = turn["end_s"] - turn["start_s"]
                cut[session.pauses] += (
                    heard_s < (item.last_part_start - item.speech_start) / SAMPLE_RATE
                )
    p50, p90 = median(latencies), percentile(latencies, 0.9)
    shift = (f"; in {mismatched} session(s) the partner turns did not pair one to one with the "
             "replies (a reply heard as silence), pairing is by order" if mismatched else "")
    retried = [result.retried for _, result in runs if result.retried]
    if retried:
        shift += f"; {len(retried)} check-in(s) failed once and passed on a rerun ({retried[0]})"
    return [
        Figure(
            name=name,
            app=f"{fmt_s(p50)} / {fmt_s(p90)}",
            target=f"p50 <= {P50_TARGET_S} s, p90 <= {P90_TARGET_S} s",
            met=p50 <= P50_TARGET_S and p90 <= P90_TARGET_S,
            note=f"{len(latencies)} answers in {len(runs)} scripted check-ins (`checkin start "
                 "--replies ... --mute --json`, PocketSphinx, flite voices); end of the "
                 f"partner's speech (their turn's end_s) to the start of the next prompt{shift}",
            values={"latencies_s": latencies},
        ),
        *(
            Figure(
                name=f"answers cut in two: {kind}s (spoken sessions)",
                app=f"{cut[kind]} of {paused[kind]}",
                target="0",
                met=cut[kind] == 0,
                note=f"answers of two flite clips joined by 0.6 s of silence, {what}; cut = the "
                     f"partner's turn ended before the second clip began{shift}",
                values={"cut": cut[kind], "paused": paused[kind]},
            )
            for kind, what in (
                ("hesitation", "the pause inside a clause (\"I felt unheard when / you ...\")"),
                ("afterthought", "a whole sentence, then more (\"... this morning / it really "
                                 "helped ...\")"),
            )
        ),
    ]


def _latencies(turns: list[dict[str, Any]]) -> list[float]:
    """For each partner turn, the gap to the next assistant turn."""
    gaps = []
    for index, turn in enumerate(turns):
        if turn["speaker"] == "assistant":
            continue
        following = next((t for t in turns[index + 1 :] if t["speaker"] == "assistant"), None)
        if following is not None:
            # Rounded to the millisecond: 1.2 s must not read as 1.2000000000000028.
            gaps.append(round(following["start_s"] - turn["end_s"], 3))
    return gaps


def _bare_rss(engine: str) -> float | None:
    """Peak RSS of a bare Python process that only loads the engine's model."""
    if engine == "pocketsphinx":
        code = "from pocketsphinx import Decoder; Decoder(loglevel='FATAL')"
    else:
        code = f"import vosk; vosk.Model(model_path={str(engines.korean_model())!r})"
    result = start_python(["-c", code]).wait()
    return result.max_rss_mb if result.returncode == 0 else None


def _rss_figures(
    sphinx: list[tuple[ScriptedSession, ChildResult]], vosk: list[ChildResult],
    bare_rss: dict[str, float | None],
) -> list[Figure]:
    figures = []
    sphinx_ok = [result for _, result in sphinx if result.returncode == 0]
    name = "peak RSS of a spoken check-in, PocketSphinx"
    target = f"< {SPHINX_RSS_TARGET_MB:.0f} MB"
    if sphinx_ok:
        rss = median([result.max_rss_mb for result in sphinx_ok])
        bare = bare_rss.get("pocketsphinx")
        figures.append(Figure(
            name=name, app=f"{rss:.0f} MB", target=target, met=rss < SPHINX_RSS_TARGET_MB,
            reference=_mb(bare), ratio=None if bare is None else rss / bare,
            note=f"`checkin start` and its worker processes, the sum of each one's peak RSS "
                 f"(VmHWM read from /proc while they run), median of {len(sphinx_ok)} "
                 f"check-ins: {_breakdown(sphinx_ok[0])}; reference: a Python process that "
                 "only loads the engine's model",
            values={"max_rss_mb": [result.max_rss_mb for result in sphinx_ok]},
        ))
    else:
        figures.append(not_measured(name, "`checkin start` failed", target))
    name = "peak RSS of a spoken check-in, Vosk"
    if not vosk:
        figures.append(not_measured(name, "no Vosk model installed"))
    elif vosk[0].returncode != 0:
        figures.append(not_measured(name, f"`checkin start` failed: {_last_line(vosk[0].stderr)}"))
    else:
        bare = bare_rss.get("vosk")
        figures.append(Figure(
            name=name, app=f"{vosk[0].max_rss_mb:.0f} MB",
            reference=_mb(bare), ratio=None if bare is None else vosk[0].max_rss_mb / bare,
            note=f"{engines.KOREAN_NOTE}; one check-in (the English answers are not understood, "
                 f"so the dialogue re-asks until the replies run out); {_breakdown(vosk[0])}",
            values={"max_rss_mb": vosk[0].max_rss_mb},
        ))
    return figures


def _breakdown(result: ChildResult) -> str:
    """Which process held how much: the app, its engine worker, its voice worker."""
    parts = []
    for command, mb in result.processes:
        if "voice.recognizers.worker" in command:
            role = "engine worker"
        elif "voice.tts" in command:
            role = "TTS worker"
        elif "benchmarks" in command or " start " not in command:
            role = "other"
        else:
            role = "app"
        parts.append(f"{role} {mb:.0f} MB")
    return ", ".join(parts)


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} MB (model loaded, nothing else)"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"
