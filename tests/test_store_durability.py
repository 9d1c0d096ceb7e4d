"""Durability for real: a SIGKILLed writer, a locked database, corrupt and foreign files."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from store import StoreError, open_store
from store.exporting import export_week

REPO = Path(__file__).resolve().parent.parent

WRITER = textwrap.dedent(
    """
    import sys
    from store import open_store
    store = open_store(sys.argv[1])
    session = store.begin_session(["Ana", "Ben"], "pocketsphinx")
    store.log_entry(session, partner="Ana", kind="appreciation", text="first answer")
    store.log_entry(session, partner="Ben", kind="unmet_need", category="distracted",
                    text="second answer")
    print(session, flush=True)
    sys.stdin.readline()  # a check-in waiting for the next answer; killed here
    """
)

LOCKER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO sessions (uuid, started_at, completed, partners, engine) "
                 "VALUES ('00000000-0000-0000-0000-000000000001', '2026-02-09T20:00:00Z', 0, "
                 "'[\\"X\\",\\"Y\\"]', 'vosk')")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
    """
)


def _spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_sigkill_between_answers_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "checkin.db"
    writer = _spawn(WRITER, str(path))
    assert writer.stdout is not None
    session = int(writer.stdout.readline())
    os.kill(writer.pid, signal.SIGKILL)
    assert writer.wait() == -signal.SIGKILL

    with open_store(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [e["text"] for e in store.entries(session)] == ["first answer", "second answer"]
        assert store.session(session)["completed"] == 0  # type: ignore[index]
        # ...and the next check-in works.
        following = store.begin_session(["Ana", "Ben"], "pocketsphinx")
        store.log_entry(following, partner="Ana", kind="appreciation", text="next evening")
        store.end_session(following, completed=True, duration_s=90)
        assert store.session(following)["completed"] == 1  # type: ignore[index]


def test_a_database_locked_beyond_the_busy_timeout_says_try_again(tmp_path: Path) -> None:
    path = tmp_path / "checkin.db"
    with open_store(path) as store:
        session = store.begin_session(["Ana", "Ben"], "vosk")
    locker = _spawn(LOCKER, str(path))
    assert locker.stdout is not None and locker.stdin is not None
    try:
        assert locker.stdout.readline().strip() == "locked"
        with open_store(path, busy_timeout_s=0.2) as store:
            with pytest.raises(StoreError, match=r"is busy.*try again") as caught:
                store.log_entry(session, partner="Ana", kind="appreciation", text="waiting")
            assert "\n" not in str(caught.value) and str(path) in str(caught.value)
            # Readers are not blocked by the writer (WAL): an export still works meanwhile.
            assert "session_uuid" in export_week(store, None, "csv", all_weeks=True)
    finally:
        locker.stdin.write("\n")
        locker.stdin.close()
        locker.wait()
    with open_store(path) as store:
        store.log_entry(session, partner="Ana", kind="appreciation", text="after the lock")
        assert [e["text"] for e in store.entries(session)] == ["after the lock"]
        assert store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 2


def _assert_untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize(
    "content",
    [b"hello, I am a shopping list\n", b"SQLite format 2\x00" + b"\x00" * 200, os.urandom(4096)],
    ids=["text", "almost-sqlite", "random"],
)
def test_a_non_sqlite_file_is_refused_and_never_modified(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "checkin.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="is not a check-in database.*untouched") as caught:
        open_store(path)
    assert str(path) in str(caught.value)
    _assert_untouched(path, content)


def test_a_corrupt_check_in_database_is_refused_and_never_modified(tmp_path: Path) -> None:
    path = tmp_path / "checkin.db"
    with open_store(path) as store:
        session = store.begin_session(["Ana", "Ben"], "vosk")
        for number in range(300):
            store.log_entry(
                session, partner="Ana", kind="appreciation", text=f"thank you {number} " * 8
            )
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[2 * page_size : 4 * page_size] = b"\xa5" * (2 * page_size)  # smash two b-tree pages
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"is corrupt.*untouched") as caught:
        open_store(path)
    assert str(path) in str(caught.value)
    _assert_untouched(path, bytes(data))


def test_another_programs_sqlite_database_is_refused_and_never_modified(tmp_path: Path) -> None:
    path = tmp_path / "photos.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="made by another program"):
        open_store(path)
    _assert_untouched(path, before)


def test_a_folder_in_place_of_the_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)


FILLER = textwrap.dedent(
    """
    import resource, sys
    from store import StoreError, open_store
    store = open_store(sys.argv[1])
    session = store.begin_session(["Ana", "Ben"], "vosk")
    store.log_entry(session, partner="Ana", kind="appreciation", text="saved before the full disk")
    # From here on the files may not grow: the disk is full.
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
    try:
        for number in range(100_000):
            store.log_entry(session, partner="Ben", kind="appreciation", text=f"{number} " * 100)
    except StoreError as error:
        print(error, flush=True)
    """
)


def test_a_full_disk_is_a_clear_error_and_keeps_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "checkin.db"
    finished = subprocess.run(
        [sys.executable, "-c", FILLER, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    message = finished.stdout.strip()
    assert (
        message.startswith(f"cannot write database {path}: the disk is full")
        and "\n" not in message
    )
    with open_store(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = [entry["text"] for entry in store.entries(1)]
        assert texts[0] == "saved before the full disk"
        # Every entry that was acknowledged is whole; the next check-in works.
        assert all(text == f"{n} " * 100 for n, text in enumerate(texts[1:]))
        store.log_entry(
            store.begin_session(["Ana", "Ben"], "vosk"),
            partner="Ana",
            kind="appreciation",
            text="next evening",
        )


def test_an_import_waits_for_a_running_check_in_instead_of_failing(tmp_path: Path) -> None:
    import threading

    from store.importing import import_export
    from store.sample import year_export_json

    path = tmp_path / "checkin.db"
    open_store(path).close()
    locker = _spawn(LOCKER, str(path))
    assert locker.stdout is not None and locker.stdin is not None
    assert locker.stdout.readline().strip() == "locked"
    outcome: list[object] = []

    def importer() -> None:
        with open_store(path) as store:  # default 5 s busy timeout
            try:
                outcome.append(import_export(store, year_export_json(days=3)))
            except StoreError as error:
                outcome.append(error)

    thread = threading.Thread(target=importer)
    thread.start()
    # The check-in (the locker) finishes its answer; the waiting import then goes through.
    # If the import had not started waiting yet it simply runs after: the test cannot flake.
    locker.stdin.write("\n")
    locker.stdin.close()
    locker.wait()
    thread.join()
    assert len(outcome) == 1 and not isinstance(outcome[0], StoreError), outcome
    with open_store(path) as store:
        assert store.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 4
