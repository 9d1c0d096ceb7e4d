"""`checkin forget` through the real command line: confirmation, and no trace left on disk."""

from __future__ import annotations

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
