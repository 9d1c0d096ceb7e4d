"""`forget`: delete a week (or everything) so the words are gone from the disk.

Deleting rows is not enough: SQLite keeps old page images in the -wal file and
deleted cells in free pages. secure_delete (set on every connection) zeroes
deleted content, a TRUNCATE checkpoint empties the WAL, and VACUUM rewrites the
file without free pages.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import cast

from store.errors import StoreError
from store.records import utc_bounds
from store.store import Store
from store.weeks import parse_week


def forget(store: Store, week: str | None, all_: bool, tz: tzinfo | None = None) -> int:
    """Delete the sessions (and their entries) of local ISO `week`, or all; return sessions deleted.

    The scrub runs even when nothing matched, so re-running forget after an
    interrupted one still clears the leftovers.
    """
    if all_ == (week is not None):
        raise ValueError("pass either a week or all_=True")
    where, params = "1", cast(tuple[str, ...], ())
    if week is not None:
        try:
            first_day, last_day = parse_week(week)
        except ValueError as error:
            raise StoreError(f"{error}; pass --week like 2026-W07") from None
        where = "started_at >= ? AND started_at < ?"
        params = utc_bounds(first_day, last_day, tz)
    with store.write():
        ids = [
            row[0] for row in store.conn.execute(f"SELECT id FROM sessions WHERE {where}", params)
        ]
        store.conn.executemany("DELETE FROM entries WHERE session_id = ?", [(i,) for i in ids])
        store.conn.executemany("DELETE FROM sessions WHERE id = ?", [(i,) for i in ids])
    scrub(store)
    return len(ids)


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
