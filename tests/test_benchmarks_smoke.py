"""The benchmark harness runs a tiny subset end to end and prints its table (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_benchmarks(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", *args],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


def test_quick_subset_prints_the_table_with_verdicts() -> None:
    result = run_benchmarks("--only", "intents", "--only", "store", "--only", "pipeline")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = lines[0]
    for column in ("figure", "app", "reference", "ratio", "target", "verdict"):
        assert column in header
    rows = [line for line in lines[2:] if line.startswith("| ")]
    names = [row.split("|")[1].strip() for row in rows]
    assert any(name.startswith("intent matching per utterance") for name in names)
    assert any(name.startswith("export one week") for name in names)
    assert any(name.startswith("import a year") for name in names)
    assert any(name.startswith("frame pipeline CPU") for name in names)
    verdicts = [row.split("|")[6].strip() for row in rows]
    assert all(verdict in ("met", "MISSED", "—") or verdict.startswith("not measured")
               for verdict in verdicts)
    assert "Machine:" in result.stdout and "cores" in result.stdout


def test_json_output_carries_the_same_figures() -> None:
    result = run_benchmarks("--only", "intents", "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["machine"]["cores"] >= 1
    (figure,) = report["figures"]
    assert figure["name"].startswith("intent matching per utterance")
    assert figure["values"]["count"] == 1_000
    assert figure["verdict"] in ("met", "MISSED")


def test_startup_figure_sits_beside_a_bare_python() -> None:
    result = run_benchmarks("--only", "startup", "--json")

    assert result.returncode == 0, result.stderr
    (figure,) = json.loads(result.stdout)["figures"]
    assert figure["name"] == "`checkin --help` CPU"
    assert len(figure["values"]["app_s"]) == len(figure["values"]["bare_s"]) >= 3
    assert all(seconds > 0 for seconds in figure["values"]["bare_s"])


def test_reply_latency_is_measured_on_the_wall_clock_for_each_engine() -> None:
    result = run_benchmarks("--only", "reply", "--json")

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)["figures"]
    assert [figure["name"].rsplit(", ", 1)[1] for figure in figures] == ["whisper", "pocketsphinx"]
    for figure in figures:
        assert figure["reason"] is None, figure["reason"]
        latencies = figure["values"]["latencies_s"]
        # Each reply waits at least the audio clock's end-of-turn pause plus some compute.
        assert len(latencies) >= 3 and all(value > 0.5 for value in latencies)
