"""`checkin intent` through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def checkin(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "voice", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_one_answer_as_json() -> None:
    done = checkin(
        "intent", "i felt ignored when you where on your fun", "--context", "need", "--json"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["intent"] == "unmet_need"
    assert result["category"] == "distracted"
    assert 0 < result["score"] <= 100


def test_one_result_per_stdin_line() -> None:
    answers = "skip\nthe\nthank you for not stopping the movie when i fell asleep\n"
    done = checkin("intent", "--context", "appreciation", "--json", stdin=answers)
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["intent"] for r in results] == ["skip", None, "appreciation"]
    assert all(r["category"] is None for r in results)


def test_plain_output_names_intent_and_category() -> None:
    done = checkin("intent", "you never texted me back", "-c", "need")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("unmet_need/no_response\t")


def test_a_bad_context_lists_the_choices() -> None:
    done = checkin("intent", "hello", "--context", "bedtime")
    assert done.returncode == 2
    assert "appreciation" in done.stderr and "wake_request" in done.stderr


def test_a_missing_catalogue_is_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    done = checkin("intent", "hi", "-c", "need", "--catalogue", str(missing))
    assert done.returncode == 2
    assert str(missing) in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_help_shows_an_example() -> None:
    done = checkin("intent", "--help")
    assert done.returncode == 0
    assert "Example:" in done.stdout and "checkin intent" in done.stdout
