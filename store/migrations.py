"""Versioned schema migrations, registered with a decorator and applied in order.

The schema version lives in PRAGMA user_version, so `sqlite3 checkin.db
"PRAGMA user_version"` answers it without our code. Each migration runs in its
own BEGIN IMMEDIATE transaction together with its version bump, and the version
is re-read inside that transaction: two processes opening a fresh database at
once (say `listen` and an export) cannot both apply the same step.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

import sqlite_utils

Step = Callable[[sqlite_utils.Database], None]

# Stable namespace for ids derived from rows that existed before ids did (v3).
ROW_NAMESPACE = uuid.UUID("6f1c1c2e-5d0a-4c0e-9a55-3c1e2b7d9a41")


@dataclass(frozen=True)
class Migration:
    """One schema step: running `apply` turns version `version - 1` into `version`."""

    version: int
    description: str
    apply: Step


MIGRATIONS: list[Migration] = []


def migration(version: int, description: str) -> Callable[[Step], Step]:
    """Register `fn` as the step that brings the schema to `version` (1, 2, 3... in order)."""

    def register(fn: Step) -> Step:
        expected = len(MIGRATIONS) + 1
        if version != expected:
            raise ValueError(f"migration {version} registered out of order (expected {expected})")
        MIGRATIONS.append(Migration(version, description, fn))
        return fn

    return register


def latest_version() -> int:
    """The schema version this code writes."""
    return len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    """The version recorded in the file (0 for a new, empty database)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database, target: int | None = None) -> int:
    """Apply every pending migration up to `target` (default: latest); return the new version.

    The connection must be in autocommit mode (isolation_level None): the
    transactions here are explicit.
    """
    goal = latest_version() if target is None else target
    while schema_version(db) < goal:
        db.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(db)
            if current < goal:
                step = MIGRATIONS[current]
                step.apply(db)
                db.execute(f"PRAGMA user_version = {step.version}")
            db.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise
    return schema_version(db)


@migration(1, "initial schema: sessions and entries")
def _initial_schema(db: sqlite_utils.Database) -> None:
    db.table("sessions").create(
        {
            "id": int,
            "started_at": str,
            "ended_at": str,
            "completed": int,
            "partners": str,
            "engine": str,
            "duration_s": float,
        },
        pk="id",
        not_null={"started_at", "completed", "partners", "engine"},
        defaults={"completed": 0},
    )
    db.table("entries").create(
        {
            "id": int,
            "session_id": int,
            "at": str,
            "partner": str,
            "kind": str,
            "category": str,
            "text": str,
            "validated": int,
            "confidence": float,
        },
        pk="id",
        not_null={"session_id", "at", "partner", "kind", "text"},
        foreign_keys=[("session_id", "sessions", "id")],
    )


@migration(2, "indexes for the weekly log: sessions by start time, entries by session")
def _weekly_indexes(db: sqlite_utils.Database) -> None:
    db.table("sessions").create_index(["started_at"], index_name="sessions_started_at")
    db.table("entries").create_index(["session_id"], index_name="entries_session_id")


@migration(3, "stable uuids so exports from two machines merge without id clashes")
def _stable_uuids(db: sqlite_utils.Database) -> None:
    sessions = db.table("sessions")
    entries = db.table("entries")
    sessions.add_column("uuid", str)
    entries.add_column("uuid", str)
    # Derived, not random: two copies of the same old file (say a laptop and
    # its backup) migrate to the same uuids, so merging them adds nothing.
    session_uuids: dict[int, str] = {}
    for row in db.query("SELECT id, started_at, partners, engine FROM sessions"):
        key = f"session|{row['id']}|{row['started_at']}|{row['partners']}|{row['engine']}"
        session_uuids[row["id"]] = str(uuid.uuid5(ROW_NAMESPACE, key))
    db.conn.executemany(
        "UPDATE sessions SET uuid = ? WHERE id = ?",
        [(value, key) for key, value in session_uuids.items()],
    )
    updates = []
    for row in db.query("SELECT id, session_id, at, partner, kind, text FROM entries"):
        key = (
            f"entry|{session_uuids.get(row['session_id'], '')}|{row['id']}|{row['at']}"
            f"|{row['partner']}|{row['kind']}|{row['text']}"
        )
        updates.append((str(uuid.uuid5(ROW_NAMESPACE, key)), row["id"]))
    db.conn.executemany("UPDATE entries SET uuid = ? WHERE id = ?", updates)
    sessions.create_index(["uuid"], index_name="sessions_uuid", unique=True)
    entries.create_index(["uuid"], index_name="entries_uuid", unique=True)


@migration(4, "corrections: entries deleted or edited after they were logged (store/corrections)")
def _corrections(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE corrections (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
        "entry_uuid TEXT NOT NULL, session_uuid TEXT NOT NULL, at TEXT NOT NULL, "
        "action TEXT NOT NULL, reason TEXT)"
    )
    db.execute("CREATE INDEX corrections_session_uuid ON corrections (session_uuid)")
