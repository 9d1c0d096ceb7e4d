"""The Store: one check-in database file, with the writes a check-in makes.

Every write is its own committed transaction, so a crash between two answers
loses neither. Partners are stored as a JSON list of names (`["Ana", "Ben"]`).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import sqlite_utils

from store import connection, migrations, privacy
from store.errors import StoreError
from store.timefmt import to_utc_text, utc_now
from store.vocabulary import check_entry_fields
from store.weeks import local_day_start

MEMORY = ":memory:"


class Store:
    """An open check-in database. Use `open_store` to get one; `close` when done."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None) -> None:
        self.db = db
        self.path = path

    @property
    def schema_version(self) -> int:
        """The schema version recorded in the file (PRAGMA user_version)."""
        with self._errors():
            return migrations.schema_version(self.db)

    @property
    def conn(self) -> sqlite3.Connection:
        """The underlying autocommit connection (for the store's own modules)."""
        return self.db.conn

    def begin_session(
        self, partners: Sequence[str], engine: str, started_at: datetime | None = None
    ) -> int:
        """Record that a check-in has started; return its session id.

        The session stays completed=0 until `end_session`, so a crash leaves it
        visibly unfinished with every answer so far kept.
        """
        names = [str(name).strip() for name in partners]
        if not names or any(not name for name in names):
            raise ValueError("partners must be one or more non-empty names")
        row = {
            "uuid": str(uuid.uuid4()),
            "started_at": to_utc_text(started_at or utc_now()),
            "ended_at": None,
            "completed": 0,
            "partners": json.dumps(names, ensure_ascii=False),
            "engine": engine,
            "duration_s": None,
        }
        with self.write():
            cursor = self.conn.execute(
                "INSERT INTO sessions (uuid, started_at, ended_at, completed, partners, engine, "
                "duration_s) VALUES (:uuid, :started_at, :ended_at, :completed, :partners, "
                ":engine, :duration_s)",
                row,
            )
        return int(cursor.lastrowid or 0)

    def log_entry(
        self,
        session_id: int,
        *,
        partner: str,
        kind: str,
        text: str,
        category: str | None = None,
        validated: bool | None = None,
        confidence: float | None = None,
        at: datetime | None = None,
    ) -> int:
        """Commit one understood answer at once; return the entry id.

        kind is appreciation | unmet_need | response; an unmet_need needs a
        category, a response needs validated True/False (ValueError otherwise).
        Only the transcript text is stored, never audio.
        """
        check_entry_fields(kind, category, validated)
        row = {
            "uuid": str(uuid.uuid4()),
            "session_id": session_id,
            "at": to_utc_text(at or utc_now()),
            "partner": partner,
            "kind": kind,
            "category": category,
            "text": text,
            "validated": None if validated is None else int(validated),
            "confidence": confidence,
        }
        with self.write():
            if (
                self.conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
                is None
            ):
                raise ValueError(f"no session {session_id}: call begin_session first")
            cursor = self.conn.execute(
                "INSERT INTO entries (uuid, session_id, at, partner, kind, category, text, "
                "validated, confidence) VALUES (:uuid, :session_id, :at, :partner, :kind, "
                ":category, :text, :validated, :confidence)",
                row,
            )
        return int(cursor.lastrowid or 0)

    def end_session(
        self,
        session_id: int,
        *,
        completed: bool,
        duration_s: float,
        ended_at: datetime | None = None,
    ) -> None:
        """Mark a session finished (completed=False for a stopped or cut-short check-in)."""
        with self.write():
            cursor = self.conn.execute(
                "UPDATE sessions SET ended_at = ?, completed = ?, duration_s = ? WHERE id = ?",
                (to_utc_text(ended_at or utc_now()), int(completed), float(duration_s), session_id),
            )
            if cursor.rowcount != 1:
                raise ValueError(f"no session {session_id}: call begin_session first")

    def had_checkin_on(self, day: date, tz: tzinfo | None = None) -> bool:
        """Whether any check-in (finished or not) started on local calendar `day`."""
        start = to_utc_text(local_day_start(day, tz))
        end = to_utc_text(local_day_start(day + timedelta(days=1), tz))
        with self._errors():
            found = self.conn.execute(
                "SELECT 1 FROM sessions WHERE started_at >= ? AND started_at < ? LIMIT 1",
                (start, end),
            ).fetchone()
        return found is not None

    def session(self, session_id: int) -> dict[str, Any] | None:
        """One session row as a dict (partners decoded to a list), or None."""
        with self._errors():
            rows = list(self.db.query("SELECT * FROM sessions WHERE id = ?", [session_id]))
        if not rows:
            return None
        row = rows[0]
        row["partners"] = decode_partners(row["partners"])
        return row

    def entries(self, session_id: int) -> list[dict[str, Any]]:
        """A session's entries in the order they were said."""
        with self._errors():
            return list(
                self.db.query(
                    "SELECT * FROM entries WHERE session_id = ? ORDER BY at, id", [session_id]
                )
            )

    def close(self) -> None:
        """Close the connection; the WAL is checkpointed by SQLite on the last close."""
        self.db.close()
        if self.path is not None:
            privacy.tighten_database_files(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[None]:
        """One committed write transaction; takes the write lock up front (BEGIN IMMEDIATE).

        Waits up to the busy timeout for another writer, then raises StoreError.
        """
        with self._errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (disk full) may already have ended the transaction.
                if self.conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                raise
        if self.path is not None:
            privacy.tighten_database_files(self.path)

    def _errors(self) -> Any:
        return connection.sqlite_errors(self.path)


def decode_partners(stored: str) -> list[str]:
    """Partners as stored: a JSON list, or (older/hand-made rows) comma-separated text."""
    try:
        value = json.loads(stored)
    except (TypeError, ValueError):
        return [name.strip() for name in str(stored).split(",") if name.strip()]
    if isinstance(value, list):
        return [str(name) for name in value]
    return [str(value)]


def open_store(
    path: str | Path,
    *,
    create: bool = True,
    busy_timeout_s: float = connection.DEFAULT_BUSY_TIMEOUT_S,
) -> Store:
    """Open (and migrate) the check-in database at `path`; ":memory:" for a throwaway one.

    With create=False a missing file is a StoreError. A corrupt, foreign or
    non-SQLite file raises StoreError naming it and is never modified.
    """
    if str(path) == MEMORY:
        db_path: Path | None = None
        target = MEMORY
    else:
        db_path = Path(path).expanduser()
        target = str(db_path)
        if db_path.exists():
            connection.check_existing_file(db_path, migrations.latest_version())
        elif not create:
            raise StoreError(
                f"no check-in database at {db_path}: run a check-in first, or pass --db "
                "with the right path"
            )
        else:
            privacy.make_private_folder(db_path.parent)
            try:
                privacy.create_private_file(db_path)
            except OSError as error:
                raise StoreError(
                    f"cannot create database {db_path}: {error.strerror}; pass --db with a "
                    "writable path"
                ) from error
    with connection.sqlite_errors(db_path):
        conn = connection.connect(target, busy_timeout_s)
        db = sqlite_utils.Database(conn)
        try:
            migrations.migrate(db)
        except BaseException:
            conn.close()
            raise
    if db_path is not None:
        privacy.tighten_database_files(db_path)
        privacy.tighten_dedicated_folder(db_path)
    return Store(db, db_path)
