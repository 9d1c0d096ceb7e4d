"""Opening the database file safely: check it before touching it, then connect.

A file that is corrupt, not SQLite, or some other program's database must get a
clear error and stay byte-for-byte untouched, with no -wal/-shm files appearing
beside it. So an existing file is first probed read-only; only a file that
passes is opened for writing (which may switch it to WAL and migrate it).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from store.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
# PRAGMA application_id: "CHKI". Marks the file as ours so we never migrate a
# database that belongs to some other program.
APPLICATION_ID = 0x43484B49
DEFAULT_BUSY_TIMEOUT_S = 5.0


def check_existing_file(path: Path, newest_version: int) -> None:
    """Raise StoreError naming `path` unless it is a readable check-in database (or empty).

    Reads only; the probe connection is read-only and never creates side files
    for a file that fails the header check.
    """
    if path.is_dir():
        raise StoreError(f"database {path} is a folder, not a file; pass --db with a file path")
    try:
        with path.open("rb") as stream:
            header = stream.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise StoreError(
            f"cannot read database {path}: {error.strerror}; check its permissions or pass --db"
        ) from error
    if not header:
        return  # an empty file is an empty SQLite database
    if header != SQLITE_MAGIC:
        raise _not_ours(path, "it is not an SQLite database")
    probe = sqlite3.connect(_probe_uri(path), uri=True, isolation_level=None)
    try:
        app_id, version, tables, integrity = _probe(probe)
    except sqlite3.OperationalError as error:
        raise translate(error, path) from error
    except sqlite3.DatabaseError as error:
        raise _corrupt(path, str(error)) from error
    finally:
        probe.close()
    if integrity != "ok":
        raise _corrupt(path, integrity)
    if tables and app_id != APPLICATION_ID:
        raise _not_ours(path, "it is an SQLite database made by another program")
    if version > newest_version:
        raise StoreError(
            f"database {path} has schema version {version}, newer than this app knows "
            f"({newest_version}); upgrade couple-checkin to open it"
        )


def _probe_uri(path: Path) -> str:
    """A read-only URI that creates no -wal/-shm files next to `path`.

    Without a -wal file no connection has the database open in WAL mode (the
    last one to close removes it), so reading it as immutable is safe and
    leaves the folder as it was. With one (or a hot rollback journal), a plain
    read-only connection uses the side files already there and honours locks.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        uri += "&immutable=1"
    return uri


def _probe(probe: sqlite3.Connection) -> tuple[int, int, int, str]:
    app_id = int(probe.execute("PRAGMA application_id").fetchone()[0])
    version = int(probe.execute("PRAGMA user_version").fetchone()[0])
    tables = int(probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    integrity = str(probe.execute("PRAGMA quick_check(1)").fetchone()[0])
    return app_id, version, tables, integrity


def connect(target: str, busy_timeout_s: float) -> sqlite3.Connection:
    """An autocommit connection tuned for durability: WAL, full sync, secure delete."""
    conn = sqlite3.connect(target, timeout=busy_timeout_s, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, so `forget` leaves no text behind.
        conn.execute("PRAGMA secure_delete = ON")
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: each commit is synced to the WAL, so power loss loses no answer.
            conn.execute("PRAGMA synchronous = FULL")
        if int(conn.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _not_ours(path: Path, why: str) -> StoreError:
    return StoreError(
        f"{path} is not a check-in database ({why}); it was left untouched: "
        "move it aside or pass --db with another path"
    )


def _corrupt(path: Path, detail: str) -> StoreError:
    # quick_check reports on several lines; the error must stay one line.
    detail = " ".join(detail.replace("*** in database main ***", "").split())
    return StoreError(
        f"database {path} is corrupt ({detail}); it was left untouched: restore a backup with "
        "`checkin import`, or move it aside to start a new one"
    )


def translate(error: sqlite3.Error, path: Path | None) -> StoreError:
    """A one-line StoreError for an SQLite failure the user can do something about."""
    where = str(path) if path is not None else "the in-memory database"
    message = str(error).lower()
    if "locked" in message or "busy" in message:
        return StoreError(
            f"database {where} is busy: another program is writing to it; "
            "try again in a moment (or close the other program)"
        )
    if "disk is full" in message or "disk i/o" in message:
        return StoreError(
            f"cannot write database {where}: the disk is full or failing; free some space "
            "and try again (everything saved before is kept)"
        )
    if "readonly" in message or "read-only" in message:
        return StoreError(
            f"database {where} is read-only; make it and its folder writable, or pass --db"
        )
    if "malformed" in message or "not a database" in message:
        return StoreError(
            f"database {where} is corrupt ({error}); restore a backup with `checkin import`, "
            "or move it aside"
        )
    if "unable to open" in message:
        if path is not None and path.exists() and not os.access(path.parent, os.W_OK):
            # SQLite says "unable to open" when it cannot create the -wal file next to the db.
            return StoreError(
                f"database {where} is in a read-only folder; make {path.parent} writable, "
                "or pass --db with a writable path"
            )
        return StoreError(
            f"cannot open database {where}; check the path and its permissions, or pass --db"
        )
    detail = " ".join(str(error).split())
    return StoreError(f"database {where} failed: {detail}; run with --debug for details")


@contextlib.contextmanager
def sqlite_errors(path: Path | None) -> Iterator[None]:
    """Turn operational SQLite errors into StoreError; programming errors still raise."""
    try:
        yield
    except (sqlite3.OperationalError, sqlite3.DatabaseError) as error:
        if isinstance(error, sqlite3.ProgrammingError | sqlite3.IntegrityError):
            raise
        raise translate(error, path) from error
