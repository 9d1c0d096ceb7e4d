"""A locked, full or read-only database during a check-in: told plainly, nothing lost.

The lock is held by a real second process (BEGIN EXCLUSIVE); the full and the
read-only filesystems are real tmpfs mounts in a private mount namespace
(`unshare -rm`), skipped where the kernel does not allow that.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from spoken_helpers import ReplyBank

from store import open_store
from voice.checkin.safe_store import NOT_SAVED_YET, SafeStore

REPO = Path(__file__).resolve().parent.parent

LOCKER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
    """
)


class Locker:
    """Another program holding the database's write lock until released."""

    def __init__(self, db: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(db)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("\n")
            self.process.stdin.close()
            self.process.wait()


def texts(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM entries ORDER BY id")]


def test_answers_given_while_locked_are_saved_once_the_lock_goes(tmp_path: Path) -> None:
    db = tmp_path / "checkin.db"
    open_store(db).close()
    warnings: list[str] = []
    store = SafeStore(open_store(db, busy_timeout_s=0.2), tmp_path / "recovery", warnings.append)
    locker = Locker(db)
    try:
        session = store.begin_session(("Ana", "Sam"), "pocketsphinx")
        assert session == NOT_SAVED_YET
        store.log_entry(session, partner="Ana", kind="appreciation", text="the coffee")
        store.log_entry(session, partner="Sam", kind="unmet_need", category="distracted",
                        text="the phone at dinner")
        assert store.pending == 2
    finally:
        locker.release()
    store.end_session(session, completed=True, duration_s=95.0)
    store.close()
    assert len(warnings) == 2 and "is busy" in warnings[0] and "kept in memory" in warnings[0]
    assert "2 answers kept in memory are now saved" in warnings[1]
    assert texts(db) == ["the coffee", "the phone at dinner"]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT completed, duration_s FROM sessions").fetchall() == [
            (1, 95.0)
        ]
    assert store.recovery_file is None and not (tmp_path / "recovery").exists()


def test_a_lock_that_starts_mid_check_in_keeps_the_earlier_answers_in_place(
    tmp_path: Path,
) -> None:
    db = tmp_path / "checkin.db"
    store = SafeStore(open_store(db, busy_timeout_s=0.2), tmp_path / "recovery", lambda _: None)
    session = store.begin_session(("Ana", "Sam"), "pocketsphinx")
    store.log_entry(session, partner="Ana", kind="appreciation", text="before the lock")
    locker = Locker(db)
    try:
        store.log_entry(session, partner="Sam", kind="appreciation", text="during the lock")
        store.end_session(session, completed=False, duration_s=40.0)
    finally:
        locker.release()
    store.close()
    assert texts(db) == ["before the lock"]
    assert store.recovery_file is not None
    kept = json.loads(store.recovery_file.read_text())
    assert [entry["text"] for entry in kept["entries"]] == ["during the lock"]
    # The recovery file names the session already in the database: importing adds the answer.
    with open_store(db) as reopened:
        from store import import_export

        result = import_export(reopened, store.recovery_file.read_bytes())
    assert (result.sessions_added, result.entries_added) == (0, 1)
    assert texts(db) == ["before the lock", "during the lock"]


def test_a_whole_spoken_check_in_against_a_locked_database_loses_nothing(
    replies: ReplyBank, tmp_path: Path
) -> None:
    db = tmp_path / "checkin.db"
    open_store(db).close()
    locker = Locker(db)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "voice", "start", "--partners", "Ana,Sam", "--db", str(db),
             "--mute", "--json", "--replies",
             str(replies.say("Ana", "I appreciated that you made me coffee this morning")),
             str(replies.say("Sam", "Thank you for listening to me after my long day at work"))],
            capture_output=True, text=True, timeout=300, cwd=REPO,
        )
    finally:
        locker.release()
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert [entry["kind"] for entry in summary["entries"]] == ["appreciation", "appreciation"]
    assert "is busy" in run.stderr and "kept in memory" in run.stderr
    assert texts(db) == []  # the lock never let anything in...
    data = Path(os.environ["XDG_DATA_HOME"]) / "checkin"
    (recovery,) = data.glob("checkin-recovery-*.json")
    assert f"checkin import {recovery}" in run.stderr
    assert stat.S_IMODE(recovery.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    # ...and `checkin import` brings every answer in once the lock is gone.
    imported = subprocess.run(
        [sys.executable, "-m", "voice", "import", str(recovery), "--db", str(db)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert imported.returncode == 0, imported.stderr
    stored = texts(db)
    assert len(stored) == 2 and "coffee" in stored[0] and "listening" in stored[1]


def test_listen_against_a_locked_database_loses_nothing(
    replies: ReplyBank, tmp_path: Path
) -> None:
    """`listen` is what the service runs: it must keep answers exactly as `start` does."""
    from listen_helpers import spoken_file

    db = tmp_path / "checkin.db"
    open_store(db).close()
    wake = spoken_file(tmp_path, "wake", ("rms", "hey check in"))
    locker = Locker(db)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "voice", "listen", "--once", "--partners", "Ana,Sam",
             "--db", str(db), "--mute", "--json", "--replies", str(wake),
             str(replies.say("Ana", "I appreciated that you made me coffee this morning")),
             str(replies.say("Sam", "Thank you for listening to me after my long day at work"))],
            capture_output=True, text=True, timeout=300, cwd=REPO,
        )
    finally:
        locker.release()
    assert run.returncode == 0, run.stderr
    (summary,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert [entry["kind"] for entry in summary["entries"]] == ["appreciation", "appreciation"]
    assert "is busy" in run.stderr and "kept in memory" in run.stderr
    assert texts(db) == []
    data = Path(os.environ["XDG_DATA_HOME"]) / "checkin"
    (recovery,) = data.glob("checkin-recovery-*.json")
    assert f"checkin import {recovery}" in run.stderr
    assert stat.S_IMODE(recovery.stat().st_mode) == 0o600
    imported = subprocess.run(
        [sys.executable, "-m", "voice", "import", str(recovery), "--db", str(db)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert imported.returncode == 0, imported.stderr
    stored = texts(db)
    assert len(stored) == 2 and "coffee" in stored[0] and "listening" in stored[1]


# ------------------------------------------------------------------ real full and read-only disks

NAMESPACE_OK = shutil.which("unshare") is not None and subprocess.run(
    ["unshare", "-rm", "true"], capture_output=True, check=False
).returncode == 0
needs_mounts = pytest.mark.skipif(
    not NAMESPACE_OK, reason="no private mount namespace (unshare -rm) on this machine"
)


def in_namespace(script: str, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run `script` (sh) as root of a private user and mount namespace: its mounts vanish after."""
    return subprocess.run(
        ["unshare", "-rm", "sh", "-euc", script, "sh", *args],
        capture_output=True, text=True, cwd=cwd, timeout=300, check=False,
    )


FULL_DISK_SESSION = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from store import StoreError, open_store
    from voice.checkin.safe_store import SafeStore
    db, recovery = Path(sys.argv[1]), Path(sys.argv[2])
    store = SafeStore(open_store(db), recovery, lambda line: print("warn:", line, flush=True))
    session = store.begin_session(("Ana", "Sam"), "pocketsphinx")
    store.log_entry(session, partner="Ana", kind="appreciation", text="said before the disk filled")
    with open(db.parent / "filler", "wb", buffering=0) as filler:  # another program fills it
        try:
            while True:
                filler.write(b"x" * 4096)
        except OSError:
            pass
    try:
        for number in range(20):
            store.log_entry(session, partner="Sam", kind="appreciation",
                            text=f"answer {number} " + "words " * 400)
        store.end_session(session, completed=True, duration_s=80.0)
    except StoreError as error:
        print("error:", error, flush=True)
    """
)


@needs_mounts
def test_a_disk_that_fills_mid_check_in_keeps_every_answer(tmp_path: Path) -> None:
    disk, recovery = tmp_path / "disk", tmp_path / "recovery"
    disk.mkdir()
    run = in_namespace(
        'mount -t tmpfs -o size=160k tmpfs "$1"; '
        f'{sys.executable} -c "$3" "$1/checkin.db" "$2"; cp "$1/checkin.db" "$2.db.copy"; '
        'cp "$1/checkin.db-wal" "$2.db.copy-wal" 2>/dev/null || true',
        str(disk), str(recovery), FULL_DISK_SESSION,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert not any(line.startswith("error:") for line in lines), lines
    assert "disk is full" in lines[0] and "kept in memory" in lines[0]
    assert "20 answers saved to" in lines[-1] and "checkin import" in lines[-1]
    copy = Path(f"{recovery}.db.copy")
    with open_store(copy) as store:  # the database itself survived whole
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert texts(copy)[0] == "said before the disk filled"
        before = len(texts(copy))
        (kept,) = recovery.glob("checkin-recovery-*.json")
        from store import import_export

        result = import_export(store, kept.read_bytes())
    assert result.entries_added == 20 and len(texts(copy)) == before + 20


@needs_mounts
def test_when_nothing_can_be_written_the_error_says_so_in_one_line(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    run = in_namespace(
        'mount -t tmpfs -o size=160k tmpfs "$1"; '
        f'{sys.executable} -c "$2" "$1/checkin.db" "$1/recovery"',
        str(disk), FULL_DISK_SESSION,
    )
    assert run.returncode == 0, run.stderr
    (error,) = [line for line in run.stdout.splitlines() if line.startswith("error:")]
    assert "disk is full" in error and "could not be written either" in error
    assert "20 answers of this check-in were not saved" in error


@needs_mounts
def test_a_read_only_database_is_refused_clearly_and_left_untouched(
    replies: ReplyBank, tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "checkin.db"
    with open_store(db) as store:
        store.begin_session(("Ana", "Sam"), "pocketsphinx")
    before = db.read_bytes()
    reply = replies.say("Ana", "I appreciated that you made me coffee this morning")
    run = in_namespace(
        'mount --bind "$1" "$1"; mount -o remount,bind,ro "$1"; '
        f'exec {sys.executable} -m voice start --partners Ana,Sam --db "$1/checkin.db" --mute '
        '--replies "$2"',
        str(folder), str(reply),
    )
    assert run.returncode == 2, run.stderr
    # Only the engine's "Using ..." line may come before the one error line.
    errors = [line for line in run.stderr.splitlines() if "checkin: Using " not in line]
    assert len(errors) == 1 and "Traceback" not in run.stderr, run.stderr
    # SQLite only says "unable to open" (it cannot create its -shm side file there);
    # the app names the real cause.
    assert str(db) in errors[0] and "read-only folder" in errors[0] and "--db" in errors[0]
    assert db.read_bytes() == before and sorted(p.name for p in folder.iterdir()) == ["checkin.db"]
