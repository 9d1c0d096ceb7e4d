"""A check-in store that never loses an answer to a locked, full or read-only database.

The store waits its busy timeout for another writer (an export, a sqlite-utils
shell). When a write still fails, the user is told once, the check-in goes on,
and the answers are kept in memory. At the end one more attempt merges them
in (as an import, so nothing is written twice); if the database is still
unwritable they go to a private (0600) recovery file in the data folder, in
the export format `checkin import` accepts, and the user is told where.

Queued answers are retried at the end rather than after every answer: each
attempt may block for the whole busy timeout, and a conversation that stalls
after every answer is worse than one that saves late.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from store import Store, StoreError, import_export
from store.privacy import make_private_folder, write_private_file
from store.timefmt import to_utc_text, utc_now
from store.vocabulary import check_entry_fields

NOT_SAVED_YET = 0
"""The session id reported while the session is not in the database (it could not be written)."""

Warn = Callable[[str], None]


class SafeStore:
    """The session driver's store (begin/log/end) with a memory and a recovery file behind it."""

    def __init__(self, store: Store, recovery_dir: Path | None = None, warn: Warn = print) -> None:
        self.store = store
        self.recovery_dir = recovery_dir
        """Where a recovery file goes; None: the data folder (voice.config.data_dir())."""
        self.warn = warn
        self.recovery_file: Path | None = None
        """Set when answers had to be written to a recovery file."""
        self._session: dict[str, Any] | None = None
        self._session_id = NOT_SAVED_YET
        self._pending: list[dict[str, Any]] = []
        self._failing = False

    @property
    def pending(self) -> int:
        """Answers held in memory, not yet in the database."""
        return len(self._pending)

    def begin_session(self, partners: Sequence[str], engine: str) -> int:
        """Start a session in the database, or in memory when it cannot be written now."""
        self._pending = []
        self.recovery_file = None
        self._session = {
            "uuid": str(uuid.uuid4()),
            "started_at": to_utc_text(utc_now()),
            "ended_at": None,
            "completed": False,
            "partners": [str(name).strip() for name in partners],
            "engine": engine,
            "duration_s": None,
        }
        try:
            self._session_id = self.store.begin_session(partners, engine)
            row = self.store.session(self._session_id)
            if row is not None:
                self._session["uuid"] = row["uuid"]
        except StoreError as error:
            self._session_id = NOT_SAVED_YET
            self._fall_back(error)
        return self._session_id

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
    ) -> int | str:
        """Commit one answer now, or keep it for the end if the database cannot take it.

        Returns the entry's id, or the uuid of an answer kept in memory (for `withdraw`)."""
        check_entry_fields(kind, category, validated)
        entry = {
            "uuid": str(uuid.uuid4()),
            "at": to_utc_text(utc_now()),
            "partner": partner,
            "kind": kind,
            "category": category,
            "text": text,
            "validated": validated,
            "confidence": confidence,
        }
        if not self._failing and self._session_id != NOT_SAVED_YET:
            try:
                return self.store.log_entry(
                    self._session_id, partner=partner, kind=kind, text=text,
                    category=category, validated=validated, confidence=confidence,
                )
            except StoreError as error:
                self._fall_back(error)
        self._pending.append(entry)
        return str(entry["uuid"])

    def withdraw(self, entry: int | str) -> None:
        """Take back a misheard answer (`log_entry`'s return); the deletion is recorded."""
        if isinstance(entry, str):
            self._pending = [kept for kept in self._pending if kept["uuid"] != entry]
            return
        from store.corrections import MISHEARD, delete_entry

        try:
            delete_entry(self.store, entry, MISHEARD)
        except StoreError as error:
            self.warn(f"{_first_clause(error)}: the misheard answer could not be taken back; "
                      "`checkin entries` and `checkin delete ID` can remove it later")

    def turn_order(self, partners: tuple[str, str]) -> tuple[str, str]:
        """Tonight's speaking order (store/turns.py); the given order if the file is unreadable."""
        from store.turns import tonight_order

        try:
            return tonight_order(self.store, partners)
        except StoreError:
            return partners

    def end_session(self, session_id: int, *, completed: bool, duration_s: float) -> None:
        """Close the session; merge what was kept in memory, or write the recovery file."""
        session = self._require_session()
        session.update(
            ended_at=to_utc_text(utc_now()), completed=completed, duration_s=float(duration_s)
        )
        try:
            if self._pending or self._session_id == NOT_SAVED_YET:
                import_export(self.store, json.dumps(self._export()), source="the kept answers")
                saved = len(self._pending)
                self._pending = []
                if saved:
                    self.warn(f"the {_answers(saved)} kept in memory are now saved to "
                              f"{self._where()}")
            if self._session_id != NOT_SAVED_YET:
                self.store.end_session(
                    self._session_id, completed=completed, duration_s=duration_s
                )
        except StoreError as error:
            if self._pending:
                self._write_recovery(error)
            elif self._session_id == NOT_SAVED_YET:
                self.warn(f"{_first_clause(error)}: this check-in had no answers to keep and "
                          "is not recorded")
            else:
                raise

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    # ------------------------------------------------------------ internals

    def _require_session(self) -> dict[str, Any]:
        if self._session is None:
            raise ValueError("no session: call begin_session first")
        return self._session

    def _fall_back(self, error: StoreError) -> None:
        if not self._failing:
            self._failing = True
            self.warn(f"{_first_clause(error)}: the check-in goes on and the answers are kept "
                      "in memory until the end")

    def _export(self) -> dict[str, Any]:
        session = self._require_session()
        return {
            "sessions": [dict(session)],
            "entries": [{**entry, "session_uuid": session["uuid"]} for entry in self._pending],
        }

    def _write_recovery(self, error: StoreError) -> None:
        session = self._require_session()
        folder = self.recovery_dir
        if folder is None:
            from voice.config import data_dir

            folder = data_dir()
        target = folder / f"checkin-recovery-{session['uuid']}.json"
        data = json.dumps(self._export(), ensure_ascii=False, indent=1).encode("utf-8")
        try:
            make_private_folder(folder)
            write_private_file(target, data)
        except (StoreError, OSError) as failure:
            cause = failure.__cause__ if isinstance(failure, StoreError) else failure
            reason = getattr(cause, "strerror", None) or str(cause or failure)
            raise StoreError(
                f"{_first_clause(error)}, and the recovery file {target} could not be written "
                f"either ({reason}): {_answers(len(self._pending))} of this check-in were not "
                "saved; free some disk space before the next check-in"
            ) from failure
        self.recovery_file = target
        self.warn(
            f"{_first_clause(error)}: {_answers(len(self._pending))} saved to {target} instead; "
            f"run `checkin import {target}` once the database is free"
        )

    def _where(self) -> str:
        return str(self.store.path) if self.store.path is not None else "the database"


def _answers(count: int) -> str:
    return f"{count} answer" + ("" if count == 1 else "s")


def _first_clause(error: StoreError) -> str:
    """The store's message up to its advice: ours gives the advice that fits here."""
    return str(error).split(";", 1)[0]
