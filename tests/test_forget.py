"""`checkin forget` through the real command line: confirmation, and no trace left on disk."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from store_helpers import log_evening
from test_export_cli import run

from store import open_store
from store.weeks import current_week

SENTINEL = b"okapi-sentinel-42"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    # Days are cut in local time, so log at local noon of this week's Monday and a week earlier.
    path = tmp_path / "checkin.db"
    today = datetime.now().astimezone()
    monday = (today - timedelta(days=today.weekday())).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    with open_store(path) as store:
        log_evening(store, monday.astimezone(UTC), appreciations=(("Ana", SENTINEL.decode()),))
        log_evening(
            store,
            (monday - timedelta(days=7)).astimezone(UTC),
            appreciations=(("Ben", "last week stays"),),
        )
    return path


def _disk(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_forget_asks_first_and_does_nothing_when_declined(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    status, out, _ = run(capsys, "forget", "--week", current_week(), "--db", str(db))
    assert status == 0 and "Nothing was deleted." in out
    assert SENTINEL in _disk(db)


def test_forget_this_week_leaves_no_trace(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "forget", "--week", current_week(), "--yes", "--db", str(db))
    assert status == 0 and "Deleted 1 check-in;" in out
    assert SENTINEL not in _disk(db)
    assert b"last week stays" in _disk(db)


def test_forget_all_with_confirmation(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    status, out, _ = run(capsys, "forget", "--all", "--db", str(db))
    assert status == 0 and "Deleted 2 check-ins" in out
    assert SENTINEL not in _disk(db) and b"last week stays" not in _disk(db)
    with open_store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


@pytest.mark.parametrize("args", [[], ["--week", "2026-W07", "--all"]])
def test_forget_needs_exactly_one_of_week_or_all(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    status, _, err = run(capsys, "forget", *args, "--yes", "--db", str(db))
    assert status == 2 and "exactly one of --week YYYY-Www or --all" in err
    assert SENTINEL in _disk(db)


def test_forget_on_a_missing_database_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, "forget", "--all", "--yes", "--db", str(tmp_path / "none.db"))
    assert status == 2 and "no check-in database at" in err
    assert not (tmp_path / "none.db").exists()


def test_forget_an_empty_week_says_there_was_nothing_to_delete(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "forget", "--week", "2026-W20", "--yes", "--db", str(db))
    assert status == 0
    assert out.strip() == "There were no check-ins in 2026-W20; nothing was deleted."
    assert SENTINEL in _disk(db) and b"last week stays" in _disk(db)
    # Without --yes it does not ask about deleting nothing.
    status, out, _ = run(capsys, "forget", "--week", "2026-W20", "--db", str(db))
    assert status == 0 and "nothing was deleted" in out and "[y/N]" not in out


def _recovery_file(db: Path, text: str) -> Path:
    """What a check-in leaves when its database stays locked: the real SafeStore's file."""
    from voice.checkin.safe_store import SafeStore
    from voice.config import data_dir

    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        safe = SafeStore(open_store(db, busy_timeout_s=0.05), recovery_dir=data_dir(),
                         warn=lambda _: None)
        session = safe.begin_session(("Ana", "Ben"), "text")
        safe.log_entry(session, partner="Ana", kind="appreciation", text=text)
        safe.end_session(session, completed=True, duration_s=30.0)
        safe.close()
    finally:
        holder.rollback()
        holder.close()
    assert safe.recovery_file is not None and text.encode() in safe.recovery_file.read_bytes()
    return safe.recovery_file


def _to_last_week(recovery: Path) -> None:
    document = json.loads(recovery.read_text())
    for row in document["sessions"] + document["entries"]:
        for key in ("started_at", "ended_at", "at"):
            if row.get(key):
                moved = datetime.fromisoformat(row[key]) - timedelta(days=7)
                row[key] = moved.strftime("%Y-%m-%dT%H:%M:%SZ")
    recovery.write_text(json.dumps(document))


def test_forget_all_removes_the_recovery_files_too(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recovery = _recovery_file(db, "recovered-okapi words")
    status, out, _ = run(capsys, "forget", "--all", "--yes", "--db", str(db))
    assert status == 0 and "Deleted 2 check-ins and 1 from recovery files" in out
    assert not recovery.exists()
    assert list(recovery.parent.glob("checkin-recovery-*.json")) == []


def test_forget_a_week_takes_its_check_ins_out_of_the_recovery_files(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    this_week = _recovery_file(db, "said this week")
    last_week = _recovery_file(db, "said last week")
    _to_last_week(last_week)
    status, out, _ = run(capsys, "forget", "--week", current_week(), "--yes", "--db", str(db))
    assert status == 0 and "Deleted 1 check-in and 1 from recovery files" in out
    assert not this_week.exists()
    assert b"said last week" in last_week.read_bytes()
    # What is left still imports, and brings back only last week's words.
    status, out, _ = run(capsys, "import", str(last_week), "--db", str(db))
    assert status == 0 and "Imported 1 session and 1 entry" in out


def test_forget_a_week_with_only_recovered_check_ins_deletes_those(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.db"
    open_store(empty).close()
    recovery = _recovery_file(empty, "only in the recovery file")
    status, out, _ = run(capsys, "forget", "--week", current_week(), "--yes", "--db", str(empty))
    assert status == 0 and "Deleted 0 check-ins and 1 from recovery files" in out
    assert not recovery.exists()
