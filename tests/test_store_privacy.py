"""Privacy on disk: 0700 folders and 0600 files under a loose umask; forget leaves no trace."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from store_helpers import MONDAY, WEEK, log_evening

from store import open_store
from store.exporting import export_week
from store.forgetting import forget
from store.privacy import write_private_file
from store.store import Store

SENTINEL = "zebra-sentinel-7f3a"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_folders_and_files_are_private_whatever_the_umask(
    tmp_path: Path, loose_umask: None
) -> None:
    path = tmp_path / "data" / "checkin" / "checkin.db"
    with open_store(path) as store:
        log_evening(store, MONDAY)
        # While the store is open the WAL side files exist: they are private too.
        assert Path(f"{path}-wal").exists() and Path(f"{path}-shm").exists()
        for name in ("checkin.db", "checkin.db-wal", "checkin.db-shm"):
            assert _mode(path.parent / name) == 0o600, name
        exported = tmp_path / "exports" / "week.md"
        exported.parent.mkdir()
        write_private_file(exported, export_week(store, WEEK, "md", tz=UTC).encode())
    assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
    assert _mode(path) == 0o600
    assert _mode(exported) == 0o600
    assert sorted(p.name for p in exported.parent.iterdir()) == ["week.md"]  # no temp file left


def test_a_loose_dedicated_folder_is_tightened_but_a_shared_one_is_left(
    tmp_path: Path, loose_umask: None
) -> None:
    dedicated = tmp_path / "checkin"
    dedicated.mkdir(mode=0o755)
    open_store(dedicated / "checkin.db").close()
    assert _mode(dedicated) == 0o700

    shared = tmp_path / "Documents"
    shared.mkdir(mode=0o755)
    (shared / "letter.txt").write_text("not ours")
    open_store(shared / "checkin.db").close()
    assert _mode(shared) == 0o755
    assert _mode(shared / "checkin.db") == 0o600


def test_an_existing_loose_database_file_is_made_private(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "checkin.db"
    open_store(path).close()
    os.chmod(path, 0o644)
    open_store(path).close()
    assert _mode(path) == 0o600


def _disk_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _log_sentinel_week(store: Store) -> None:
    log_evening(
        store,
        MONDAY,
        appreciations=(("Ana", f"{SENTINEL} tea"),),
        needs=(("Ben", "sarcasm", f"{SENTINEL} joke", "Ana", True),),
    )
    log_evening(store, MONDAY + timedelta(days=1), appreciations=(("Ben", f"{SENTINEL} hug"),))
    log_evening(store, MONDAY + timedelta(days=7), appreciations=(("Ana", "kept-next-week"),))


def test_plain_delete_leaves_the_text_on_disk(tmp_path: Path) -> None:
    """The control for the test below: without the scrub the grep finds the words."""
    path = tmp_path / "checkin.db"
    with open_store(path) as store:
        _log_sentinel_week(store)
        with store.write():
            store.conn.execute("DELETE FROM entries")
            store.conn.execute("DELETE FROM sessions")
        assert SENTINEL.encode() in _disk_bytes(path)


def test_forget_a_week_leaves_no_trace_in_the_db_or_wal_bytes(tmp_path: Path) -> None:
    path = tmp_path / "checkin.db"
    with open_store(path) as store:
        _log_sentinel_week(store)
        assert SENTINEL.encode() in _disk_bytes(path)
        assert forget(store, WEEK, False, tz=UTC) == 2
        on_disk = _disk_bytes(path)
        assert SENTINEL.encode() not in on_disk
        assert b"kept-next-week" in on_disk  # the other week is still there
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 1
    assert SENTINEL.encode() not in _disk_bytes(path)


def test_forget_all_empties_the_log_and_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "checkin.db"
    with open_store(path) as store:
        _log_sentinel_week(store)
        assert forget(store, None, True) == 3
        assert b"kept-next-week" not in _disk_bytes(path) and SENTINEL.encode() not in _disk_bytes(
            path
        )
        assert store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
        # The database still works afterwards.
        log_evening(store, MONDAY)
        assert store.had_checkin_on(MONDAY.date(), tz=UTC)
