"""`forget`: delete a week (or everything) so the words are gone from the disk.

Deleting rows is not enough: SQLite keeps old page images in the -wal file and
deleted cells in free pages. secure_delete (set on every connection) zeroes
deleted content, a TRUNCATE checkpoint empties the WAL, and VACUUM rewrites the
file without free pages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import tzinfo
from pathlib import Path
from typing import Any, cast

from store.errors import StoreError
from store.privacy import write_private_file
from store.records import utc_bounds
from store.store import Store
from store.timefmt import parse_utc_text
from store.weeks import parse_week, week_of

RECOVERY_GLOB = "checkin-recovery-*.json"
"""The files a check-in writes when the database could not take its answers."""


def forget(store: Store, week: str | None, all_: bool, tz: tzinfo | None = None) -> int:
    """Delete the sessions (and their entries) of local ISO `week`, or all; return sessions deleted.

    The scrub runs even when nothing matched, so re-running forget after an
    interrupted one still clears the leftovers.
    """
    if all_ == (week is not None):
        raise ValueError("pass either a week or all_=True")
    where, params = _where(week, tz)
    with store.write():
        ids = [
            row[0] for row in store.conn.execute(f"SELECT id FROM sessions WHERE {where}", params)
        ]
        store.conn.executemany("DELETE FROM entries WHERE session_id = ?", [(i,) for i in ids])
        store.conn.executemany("DELETE FROM sessions WHERE id = ?", [(i,) for i in ids])
    scrub(store)
    return len(ids)


def count(store: Store, week: str | None, tz: tzinfo | None = None) -> int:
    """How many check-ins `forget` would delete (week None: all of them)."""
    where, params = _where(week, tz)
    with store._errors():
        return int(store.conn.execute(f"SELECT count(*) FROM sessions WHERE {where}", params)
                   .fetchone()[0])


def _where(week: str | None, tz: tzinfo | None) -> tuple[str, tuple[str, ...]]:
    if week is None:
        return "1", cast(tuple[str, ...], ())
    try:
        first_day, last_day = parse_week(week)
    except ValueError as error:
        raise StoreError(f"{error}; pass --week like 2026-W07") from None
    return "started_at >= ? AND started_at < ?", utc_bounds(first_day, last_day, tz)


def recovery_files(folders: Iterable[Path]) -> list[Path]:
    """The recovery files in `folders` (each folder once, missing ones skipped)."""
    found: list[Path] = []
    for folder in dict.fromkeys(Path(f).expanduser() for f in folders):
        if folder.is_dir():
            found.extend(path for path in sorted(folder.glob(RECOVERY_GLOB)) if path not in found)
    return found


def forget_recovery(
    folders: Iterable[Path], week: str | None, tz: tzinfo | None = None
) -> int:
    """Remove the check-ins of `week` (None: all) from the recovery files; return how many.

    A recovery file holds answers the database could not take: the same words,
    outside the database. A file left with no check-in is overwritten and removed.
    """
    removed = 0
    for path in recovery_files(folders):
        if week is None:
            removed += max(1, len(_sessions_in(path)))
            _destroy(path)
            continue
        document = _read(path)
        if document is None:
            continue  # not ours to judge: an unreadable file names no week
        sessions = [s for s in document["sessions"] if _week_of(s, tz) != week]
        gone = {s.get("uuid") for s in document["sessions"]} - {s.get("uuid") for s in sessions}
        if not gone:
            continue
        removed += len(gone)
        if not sessions:
            _destroy(path)
            continue
        document["sessions"] = sessions
        document["entries"] = [e for e in document["entries"] if e.get("session_uuid") not in gone]
        _overwrite(path)
        write_private_file(path, json.dumps(document, ensure_ascii=False, indent=1).encode())
    return removed


def _read(path: Path) -> dict[str, Any] | None:
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    if not isinstance(document.get("sessions"), list) or not isinstance(
        document.get("entries"), list
    ):
        return None
    return document


def _sessions_in(path: Path) -> list[Any]:
    document = _read(path)
    return document["sessions"] if document else []


def _week_of(session: Any, tz: tzinfo | None) -> str | None:
    try:
        return week_of(parse_utc_text(session["started_at"]).astimezone(tz).date())
    except (KeyError, TypeError, ValueError):
        return None


def _overwrite(path: Path) -> None:
    """Zero the file's bytes in place before it goes, so the words do not linger on disk."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as stream:
            stream.write(b"\0" * size)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError:
        pass


def _destroy(path: Path) -> None:
    _overwrite(path)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        raise StoreError(
            f"cannot delete the recovery file {path}: {error.strerror}; delete it by hand"
        ) from error


def scrub(store: Store) -> None:
    """Make deleted text unrecoverable from the .db and -wal files."""
    if store.path is None:
        return
    with store._errors():
        _checkpoint(store)
        store.conn.execute("VACUUM")
        _checkpoint(store)


def _checkpoint(store: Store) -> None:
    busy, _, _ = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise StoreError(
            f"database {store.path} is in use by another program, so deleted text may still be "
            "in its -wal file; close the other program and run `checkin forget` again"
        )
