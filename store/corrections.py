"""Corrections: an entry deleted or edited after it was logged, kept as a record of its own.

A misheard answer ("that's not what I said") and `checkin delete` / `checkin edit`
all land here. The record holds which entry, what was done and when, never the
words: the entry row holds the current text, so `forget` still reaches every word.
Because the record is exported and imported, a deleted entry does not come back
from an older backup, and an edit reaches a copy that still has the old text.
"""

from __future__ import annotations

import json
import uuid
from datetime import tzinfo
from typing import Any

from store.errors import StoreError
from store.records import week_records
from store.store import Store
from store.timefmt import normalize_utc_text, to_utc_text, utc_now

DELETE = "delete"
EDIT = "edit"
ACTIONS = (DELETE, EDIT)

MISHEARD = "misheard"
"""Reason of a correction made in the check-in itself."""
BY_HAND = "by hand"
"""Reason of `checkin delete` and `checkin edit`."""

COLUMNS = ("uuid", "entry_uuid", "session_uuid", "at", "action", "reason")


def find_entry(store: Store, entry_id: int) -> dict[str, Any]:
    """One entry with its session's uuid; StoreError naming the id when there is none."""
    with store._errors():
        rows = list(store.db.query(
            "SELECT e.*, s.uuid AS session_uuid FROM entries e "
            "JOIN sessions s ON s.id = e.session_id WHERE e.id = ?", [entry_id]))
    if not rows:
        raise StoreError(f"there is no entry {entry_id}; `checkin entries` lists them with ids")
    return rows[0]


def delete_entry(store: Store, entry_id: int, reason: str = BY_HAND) -> dict[str, Any]:
    """Delete one entry and record that it was deleted; returns the row as it was."""
    entry = find_entry(store, entry_id)
    with store.write():
        store.conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        _record(store, entry, DELETE, reason)
    return entry


def edit_entry(store: Store, entry_id: int, text: str) -> dict[str, Any]:
    """Replace one entry's text and record the edit; returns the row as it is now."""
    if not text.strip():
        raise StoreError("the new text is empty; give the words as they were said")
    entry = find_entry(store, entry_id)
    with store.write():
        store.conn.execute("UPDATE entries SET text = ? WHERE id = ?", (text.strip(), entry_id))
        _record(store, entry, EDIT, BY_HAND)
    return {**entry, "text": text.strip()}


def _record(store: Store, entry: dict[str, Any], action: str, reason: str) -> None:
    store.conn.execute(
        "INSERT INTO corrections (uuid, entry_uuid, session_uuid, at, action, reason) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (str(uuid.uuid4()), entry["uuid"], entry["session_uuid"], to_utc_text(utc_now()),
         action, reason),
    )


def corrections_of(store: Store, session_uuids: list[str]) -> list[dict[str, Any]]:
    """The corrections made to the entries of these sessions, oldest first (for an export)."""
    if not session_uuids:
        return []
    marks = ", ".join("?" for _ in session_uuids)
    with store._errors():
        return list(store.db.query(
            f"SELECT {', '.join(COLUMNS)} FROM corrections WHERE session_uuid IN ({marks}) "
            "ORDER BY at, id", session_uuids))


def entry_list(store: Store, week: str | None, tz: tzinfo | None = None) -> list[dict[str, Any]]:
    """Entries with their ids for `checkin entries`: one week's, or all, oldest first."""
    if week is not None:
        return week_records(store, week, tz).entries
    with store._errors():
        return list(store.db.query(
            "SELECT e.*, s.uuid AS session_uuid FROM entries e "
            "JOIN sessions s ON s.id = e.session_id ORDER BY s.started_at, s.id, e.at, e.id"))


def edited_ids(store: Store) -> set[int]:
    """Ids of the entries whose text was edited by hand."""
    with store._errors():
        rows = store.conn.execute(
            "SELECT e.id FROM entries e JOIN corrections c ON c.entry_uuid = e.uuid "
            "WHERE c.action = ?", (EDIT,)).fetchall()
    return {int(row[0]) for row in rows}


# --------------------------------------------------------------------- import


def read_corrections(data: str | bytes, source: str) -> list[dict[str, Any]]:
    """The "corrections" of a json export (none in older ones); StoreError when malformed."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []  # the entries' own check reports a file that is not JSON
    rows = document.get("corrections", []) if isinstance(document, dict) else []
    if not isinstance(rows, list):
        raise _malformed(source, '"corrections" must be a list')
    return [_correction(row, f"corrections[{i}]", source) for i, row in enumerate(rows)]


def _correction(row: Any, where: str, source: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise _malformed(source, f"{where} must be an object")
    try:
        checked = {key: str(uuid.UUID(row[key])) for key in ("uuid", "entry_uuid", "session_uuid")}
        checked["at"] = normalize_utc_text(row["at"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _malformed(source, f"{where} needs uuid, entry_uuid, session_uuid and a UTC at"
                         ) from None
    if row.get("action") not in ACTIONS:
        raise _malformed(source, f"{where}.action must be one of {', '.join(ACTIONS)}")
    reason = row.get("reason")
    return {**checked, "action": row["action"], "reason": reason if isinstance(reason, str)
            else None}


def _malformed(source: str, problem: str) -> StoreError:
    return StoreError(f"{source} is not a valid check-in export: {problem}; nothing was imported")


def merge_corrections(
    conn: Any, corrections: list[dict[str, Any]], file_entries: list[dict[str, Any]]
) -> set[str]:
    """Inside the import's transaction: add the file's new corrections and apply them.

    Returns the uuids of entries deleted here or in the file, which the import must
    not add back. An edit gives the entry here the text the file has for it.
    """
    known = {row[0] for row in conn.execute("SELECT uuid FROM corrections").fetchall()}
    fresh = [c for c in corrections if c["uuid"] not in known]
    conn.executemany(
        "INSERT INTO corrections (uuid, entry_uuid, session_uuid, at, action, reason) "
        "VALUES (:uuid, :entry_uuid, :session_uuid, :at, :action, :reason)", fresh)
    texts = {entry["uuid"]: entry["text"] for entry in file_entries}
    for correction in fresh:
        if correction["action"] == EDIT and correction["entry_uuid"] in texts:
            conn.execute("UPDATE entries SET text = ? WHERE uuid = ?",
                         (texts[correction["entry_uuid"]], correction["entry_uuid"]))
    deleted = {row[0] for row in conn.execute(
        "SELECT entry_uuid FROM corrections WHERE action = ?", (DELETE,)).fetchall()}
    conn.executemany("DELETE FROM entries WHERE uuid = ?", [(u,) for u in deleted])
    return deleted
