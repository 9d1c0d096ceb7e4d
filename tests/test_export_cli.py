"""`checkin export` and `checkin import` through the real command line."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from store_helpers import WEEK, log_known_week

from store import open_store
from store.sample import fill_year
from voice.cli import main

REPO = Path(__file__).resolve().parent.parent


def run(
    capsys: pytest.CaptureFixture[str], *args: str, stdin: str | None = None
) -> tuple[int, str, str]:
    """Run `checkin ARGS` in-process through voice.cli.main; return (status, stdout, stderr)."""
    try:
        main(list(args))
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "checkin.db"
    with open_store(path) as store:
        log_known_week(store)
    return path


def test_export_json_to_stdout_and_md_by_default(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "export", "--db", str(db), "--week", WEEK, "--format", "json")
    assert status == 0 and json.loads(out)["summary"]["sessions"] == 3
    status, out, _ = run(capsys, "export", "--db", str(db), "--week", WEEK)
    assert status == 0 and out.startswith("# Ana and Ben: week 7 of 2026")


def test_export_uses_the_configured_database(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHECKIN_DB", str(db))
    status, out, _ = run(capsys, "export", "--all", "--format", "csv")
    assert status == 0 and len(out.strip().splitlines()) == 1 + 14


def test_export_to_a_file_then_import_it_elsewhere(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.json"
    status, out, err = run(
        capsys, "export", "--db", str(db), "--all", "--format", "json", "-o", str(backup)
    )
    assert status == 0 and out == "" and f"Wrote {backup}" in err
    assert backup.stat().st_mode & 0o777 == 0o600
    other = tmp_path / "new-machine" / "checkin.db"
    status, out, _ = run(capsys, "import", str(backup), "--db", str(other))
    assert status == 0 and "Imported 4 sessions and 14 entries" in out
    status, out, _ = run(capsys, "import", str(backup), "--db", str(other))
    assert status == 0 and "Imported 0 sessions and 0 entries" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--week", "2026-7"], "is not in the form YYYY-Www"),
        (["export", "--week", WEEK, "--all"], "either --week or --all"),
        (["export", "--weeks", "8", "--all"], "either --weeks or --all"),
        (["export", "--weeks", "0"], "0 is not in the range x>=1"),
        (["trends", "--weeks", "0"], "0 is not in the range x>=1"),
        (["import", "missing.json"], "cannot read missing.json"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, _, err = run(capsys, *args, "--db", str(db))
    assert status == 2 and message in err


def test_a_corrupt_database_exits_2_with_one_line_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "checkin.db"
    path.write_bytes(b"definitely not sqlite")
    status, out, err = run(capsys, "export", "--db", str(path))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"checkin: {path} is not a check-in database")
    assert "Traceback" not in err


def test_a_malformed_import_exits_2_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"sessions": [], "entries": [{"kind": "appreciation"}]}')
    before = run(capsys, "export", "--db", str(db), "--all", "--format", "json")[1]
    status, _, err = run(capsys, "import", str(bad), "--db", str(db))
    assert status == 2 and err.count("\n") == 1
    assert f"{bad} is not a valid check-in export: entries[0] lacks" in err
    assert run(capsys, "export", "--db", str(db), "--all", "--format", "json")[1] == before


def test_a_missing_output_folder_is_a_clear_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(
        capsys, "export", "--db", str(db), "-o", str(tmp_path / "nowhere" / "w.md")
    )
    assert status == 2 and "cannot write the export to" in err and err.count("\n") == 1


def _limit_file_size() -> None:
    # Files may not grow past 200 kB: a disk that fills up in the middle of the export.
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_full_disk_leaves_the_previous_export_untouched(tmp_path: Path) -> None:
    path = tmp_path / "checkin.db"
    with open_store(path) as store:
        fill_year(store)
    target = tmp_path / "exports" / "backup.json"
    target.parent.mkdir()
    target.write_text("last week's good backup")
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "voice",
            "export",
            "--db",
            str(path),
            "--all",
            "--format",
            "json",
            "-o",
            str(target),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert finished.returncode == 2, finished.stderr
    assert finished.stderr.startswith(
        f"checkin: cannot write the export to {target}: File too large"
    )
    assert finished.stderr.count("\n") == 1
    assert target.read_text() == "last week's good backup"
    assert [p.name for p in target.parent.iterdir()] == ["backup.json"]


def test_importing_another_couples_log_asks_for_force_and_says_whose_it_is(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from typed_helpers import evening_answers, typed_checkin

    theirs = tmp_path / "theirs.db"
    typed_checkin(theirs, evening_answers(ana_need="distracted"), date(2026, 2, 10),
                  partners="Kim,Lee")
    backup = tmp_path / "kim-and-lee.json"
    assert run(capsys, "export", "--db", str(theirs), "--all", "--format", "json",
               "-o", str(backup))[0] == 0
    before = run(capsys, "export", "--db", str(db), "--all", "--format", "json")[1]
    status, out, err = run(capsys, "import", str(backup), "--db", str(db))
    assert status == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert f"{backup} is the log of Kim and Lee, but this database is Ana and Ben's" in err
    assert "pass --force" in err
    assert run(capsys, "export", "--db", str(db), "--all", "--format", "json")[1] == before
    status, out, _ = run(capsys, "import", str(backup), "--db", str(db), "--force")
    assert status == 0 and "Imported 1 session and 4 entries" in out


def test_importing_our_own_backup_needs_no_force(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "ours.json"
    run(capsys, "export", "--db", str(db), "--week", WEEK, "--format", "json", "-o", str(backup))
    status, out, _ = run(capsys, "import", str(backup), "--db", str(db))
    assert status == 0 and "Imported 0 sessions" in out
