"""`import_export`: merge a json export back in (backup, restore, a new machine).

Sessions and entries are matched by their uuid, so importing the same file
twice, or a file exported from this very database, adds nothing. The whole file
is checked before anything is written, and written in one transaction: a
malformed file changes nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from store.errors import StoreError
from store.store import Store
from store.timefmt import normalize_utc_text
from store.vocabulary import check_entry_fields


@dataclass(frozen=True)
class ImportResult:
    """What an import added and what it already had."""

    sessions_added: int
    entries_added: int
    sessions_present: int
    entries_present: int


class _Malformed(Exception):
    pass


def import_export(
    store: Store, data: str | bytes, source: str = "the import file", *, same_couple: bool = False
) -> ImportResult:
    """Merge a json export into `store`; StoreError (naming `source`) if it is malformed.

    With same_couple, an export naming partners this database has never seen
    is refused: merged silently, another couple's evenings would become this
    couple's Patterns. (The app's own recovery merges leave it off.)
    """
    try:
        sessions, entries = parse_export(data)
    except _Malformed as error:
        raise StoreError(
            f"{source} is not a valid check-in export: {error}; nothing was imported "
            "(export it again with `checkin export --format json`)"
        ) from None
    if same_couple:
        _check_couple(store, sessions, source)
    from store.corrections import read_corrections

    return _merge(store, sessions, entries, read_corrections(data, source))


def _check_couple(store: Store, sessions: list[dict[str, Any]], source: str) -> None:
    from store.labels import load_labels
    from store.records import couple_names, partner_names

    ours = couple_names(store)
    theirs = partner_names([{"partners": json.loads(s["partners"])} for s in sessions])
    known = {name.casefold() for name in ours}
    if not ours or all(name.casefold() in known for name in theirs):
        return
    labels = load_labels()
    raise StoreError(
        f"{source} is the log of {labels.join(theirs)}, but this database is "
        f"{labels.join(ours)}'s: importing it would mix their check-ins into your Patterns; "
        "nothing was imported (pass --force to import it anyway)"
    )


def parse_export(data: str | bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Checked, normalised sessions and entries of an export; _Malformed says what is wrong."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise _Malformed(f"it is not UTF-8 text (byte {error.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Malformed(
            f"bad JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    if not isinstance(document, dict):
        raise _Malformed('the top level must be an object with "sessions" and "entries"')
    for key in ("sessions", "entries"):
        if not isinstance(document.get(key), list):
            raise _Malformed(f'"{key}" must be a list')
    sessions = [_session(row, f"sessions[{i}]") for i, row in enumerate(document["sessions"])]
    known = {session["uuid"] for session in sessions}
    if len(known) != len(sessions):
        raise _Malformed("two sessions share one uuid")
    entries = [_entry(row, f"entries[{i}]") for i, row in enumerate(document["entries"])]
    if len({entry["uuid"] for entry in entries}) != len(entries):
        raise _Malformed("two entries share one uuid")
    for index, entry in enumerate(entries):
        if entry["session_uuid"] not in known:
            raise _Malformed(f"entries[{index}].session_uuid names no session in the file")
    return sessions, entries


def _field(
    row: dict[str, Any], where: str, name: str, types: tuple[type, ...], optional: bool = False
) -> Any:
    if name not in row:
        raise _Malformed(f'{where} lacks "{name}"')
    value = row[name]
    if value is None and optional:
        return None
    # bool is an int in Python; never accept true where a number is meant (or vice versa).
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        wanted = " or ".join(t.__name__ for t in types) + (" or null" if optional else "")
        raise _Malformed(f"{where}.{name} must be {wanted}, not {json.dumps(value)[:40]}")
    return value


def _uuid(row: dict[str, Any], where: str, name: str) -> str:
    value = _field(row, where, name, (str,))
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _Malformed(f"{where}.{name} is not a uuid") from None


def _time(row: dict[str, Any], where: str, name: str, optional: bool = False) -> str | None:
    value = _field(row, where, name, (str,), optional)
    if value is None:
        return None
    try:
        return normalize_utc_text(value)
    except ValueError:
        raise _Malformed(f"{where}.{name} is not an ISO 8601 time with a UTC offset") from None


def _flag(row: dict[str, Any], where: str, name: str, optional: bool = False) -> int | None:
    value = _field(row, where, name, (bool, int), optional)
    if value is None:
        return None
    if value not in (0, 1):
        raise _Malformed(f"{where}.{name} must be true or false")
    return int(value)


def _session(row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise _Malformed(f"{where} must be an object")
    partners = _field(row, where, "partners", (list, str))
    if isinstance(partners, str):
        partners = [name.strip() for name in partners.split(",")]
    if not partners or not all(isinstance(name, str) and name.strip() for name in partners):
        raise _Malformed(f"{where}.partners must be a list of names")
    duration = _field(row, where, "duration_s", (int, float), optional=True)
    return {
        "uuid": _uuid(row, where, "uuid"),
        "started_at": _time(row, where, "started_at"),
        "ended_at": _time(row, where, "ended_at", optional=True),
        "completed": _flag(row, where, "completed"),
        "partners": json.dumps(partners, ensure_ascii=False),
        "engine": _field(row, where, "engine", (str,)),
        "duration_s": None if duration is None else float(duration),
    }


def _entry(row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise _Malformed(f"{where} must be an object")
    kind = _field(row, where, "kind", (str,))
    category = _field(row, where, "category", (str,), optional=True)
    validated = _flag(row, where, "validated", optional=True)
    try:
        check_entry_fields(kind, category, None if validated is None else bool(validated))
    except ValueError as error:
        raise _Malformed(f"{where}: {error}") from None
    confidence = _field(row, where, "confidence", (int, float), optional=True)
    return {
        "uuid": _uuid(row, where, "uuid"),
        "session_uuid": _uuid(row, where, "session_uuid"),
        "at": _time(row, where, "at"),
        "partner": _field(row, where, "partner", (str,)),
        "kind": kind,
        "category": category,
        "text": _field(row, where, "text", (str,)),
        "validated": validated,
        "confidence": None if confidence is None else float(confidence),
    }


def _merge(
    store: Store, sessions: list[dict[str, Any]], entries: list[dict[str, Any]],
    corrections: list[dict[str, Any]] | None = None,
) -> ImportResult:
    conn = store.conn
    with store.write():
        session_ids = {
            row[0]: row[1] for row in conn.execute("SELECT uuid, id FROM sessions").fetchall()
        }
        entry_uuids = {row[0] for row in conn.execute("SELECT uuid FROM entries").fetchall()}
        from store.corrections import merge_corrections  # deleted entries stay deleted

        entry_uuids |= merge_corrections(conn, corrections or [], entries)
        sessions_added = 0
        for session in sessions:
            if session["uuid"] in session_ids:
                continue
            cursor = conn.execute(
                "INSERT INTO sessions (uuid, started_at, ended_at, completed, partners, engine, "
                "duration_s) VALUES (:uuid, :started_at, :ended_at, :completed, :partners, "
                ":engine, :duration_s)",
                session,
            )
            session_ids[session["uuid"]] = cursor.lastrowid
            sessions_added += 1
        new_entries = [
            {**entry, "session_id": session_ids[entry["session_uuid"]]}
            for entry in entries
            if entry["uuid"] not in entry_uuids
        ]
        conn.executemany(
            "INSERT INTO entries (uuid, session_id, at, partner, kind, category, text, validated, "
            "confidence) VALUES (:uuid, :session_id, :at, :partner, :kind, :category, :text, "
            ":validated, :confidence)",
            new_entries,
        )
    return ImportResult(
        sessions_added=sessions_added,
        entries_added=len(new_entries),
        sessions_present=len(sessions) - sessions_added,
        entries_present=len(entries) - len(new_entries),
    )
