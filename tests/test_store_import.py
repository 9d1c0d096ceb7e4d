"""Import: round trips, merges across machines, idempotence, malformed files change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import MONDAY, log_evening, log_known_week

from store import StoreError, open_store
from store.exporting import export_week
from store.importing import import_export
from store.sample import year_export
from store.store import Store


def _rows(store: Store) -> list[tuple[Any, ...]]:
    """Everything but the local ids, which may differ between machines."""
    sessions = store.conn.execute(
        "SELECT uuid, started_at, ended_at, completed, partners, engine, duration_s FROM sessions "
        "ORDER BY uuid"
    ).fetchall()
    entries = store.conn.execute(
        "SELECT e.uuid, s.uuid, e.at, e.partner, e.kind, e.category, e.text, e.validated, "
        "e.confidence "
        "FROM entries e JOIN sessions s ON s.id = e.session_id ORDER BY e.uuid"
    ).fetchall()
    return sessions + entries


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store(":memory:") as memory:
        log_known_week(memory)
        yield memory


def test_an_export_restores_into_an_empty_database(store: Store) -> None:
    backup = export_week(store, None, "json", all_weeks=True)
    with open_store(":memory:") as fresh:
        result = import_export(fresh, backup)
        assert (result.sessions_added, result.entries_added) == (4, 14)
        assert _rows(fresh) == _rows(store)
        # The restored log reads the same.
        assert export_week(fresh, "2026-W07", "md", tz=UTC) == export_week(
            store, "2026-W07", "md", tz=UTC
        )


def test_importing_twice_or_into_the_source_adds_nothing(store: Store) -> None:
    backup = export_week(store, None, "json", all_weeks=True)
    before = _rows(store)
    result = import_export(store, backup)
    assert (result.sessions_added, result.entries_added) == (0, 0)
    assert (result.sessions_present, result.entries_present) == (4, 14)
    assert _rows(store) == before
    with open_store(":memory:") as fresh:
        import_export(fresh, backup)
        once = _rows(fresh)
        import_export(fresh, backup.encode("utf-8"))
        assert _rows(fresh) == once


def test_two_machines_merge_without_id_clashes(store: Store) -> None:
    with open_store(":memory:") as laptop:
        log_evening(laptop, MONDAY + timedelta(days=30), appreciations=(("Ben", "on the laptop"),))
        import_export(laptop, export_week(store, None, "json", all_weeks=True))
        # Session id 1 existed on both machines; both evenings survive the merge.
        assert laptop.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 5
        texts = {row[0] for row in laptop.conn.execute("SELECT text FROM entries")}
        assert {"on the laptop", "He made me tea.", "She fixed the bike."} <= texts
        # And back the other way: now both hold the same log.
        import_export(store, export_week(laptop, None, "json", all_weeks=True))
        assert _rows(store) == _rows(laptop)


def _valid() -> dict[str, Any]:
    return year_export(days=2)


def _break(path: str, value: Any) -> dict[str, Any]:
    document = _valid()
    target: Any = document
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return document


MALFORMED = [
    ("{not json", "bad JSON at line 1"),
    ("[1, 2]", "top level must be an object"),
    (json.dumps({"sessions": {}, "entries": []}), '"sessions" must be a list'),
    (json.dumps(_break("sessions.1.uuid", KeyError)), 'sessions\\[1\\] lacks "uuid"'),
    (json.dumps(_break("sessions.1.completed", "yes")), "sessions\\[1\\].completed must be"),
    (json.dumps(_break("sessions.0.started_at", "yesterday")), "started_at is not an ISO 8601"),
    (json.dumps(_break("sessions.0.started_at", "2026-02-09T20:00:00")), "with a UTC offset"),
    (json.dumps(_break("sessions.0.partners", [])), "partners must be a list of names"),
    (json.dumps(_break("entries.3.text", 42)), "entries\\[3\\].text must be str"),
    (json.dumps(_break("entries.3.kind", "compliment")), "entries\\[3\\]: kind 'compliment'"),
    (json.dumps(_break("entries.3.confidence", True)), "confidence must be int or float or null"),
    (json.dumps(_break("entries.3.uuid", "not-a-uuid")), "entries\\[3\\].uuid is not a uuid"),
    (
        json.dumps(_break("entries.9.session_uuid", "0b5c7a52-3c5e-4f57-8a8e-2b1f4e6d9c10")),
        "names no session in the file",
    ),
    (json.dumps(_break("entries.2", "hello")), "entries\\[2\\] must be an object"),
]


@pytest.mark.parametrize(("data", "message"), MALFORMED, ids=[m for _, m in MALFORMED])
def test_a_malformed_file_says_what_is_wrong_and_changes_nothing(
    store: Store, data: str, message: str
) -> None:
    before = _rows(store)
    with pytest.raises(StoreError, match=message) as caught:
        import_export(store, data, source="backup.json")
    text = str(caught.value)
    assert text.startswith("backup.json is not a valid check-in export") and "\n" not in text
    assert "nothing was imported" in text
    assert _rows(store) == before


def test_a_file_that_is_not_utf8_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="not UTF-8"):
        import_export(store, b"\xff\xfe\x00garbage")


def test_a_half_valid_file_imports_nothing(store: Store) -> None:
    document = _valid()
    document["entries"][-1]["validated"] = "maybe"  # the very last row is bad
    before = _rows(store)
    with pytest.raises(StoreError):
        import_export(store, json.dumps(document))
    assert _rows(store) == before


transcripts = st.text(min_size=0, max_size=60)
names = st.text(min_size=1, max_size=12).filter(lambda name: name.strip() != "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    partners=st.lists(names, min_size=2, max_size=2, unique_by=str.strip),
    texts=st.lists(transcripts, min_size=1, max_size=6),
    confidence=st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
)
def test_arbitrary_unicode_survives_export_and_import(
    partners: list[str], texts: list[str], confidence: float | None
) -> None:
    with open_store(":memory:") as source:
        start = datetime(2026, 2, 10, 21, 0, tzinfo=UTC)
        session = source.begin_session(partners, "vosk", started_at=start)
        for number, text in enumerate(texts):
            source.log_entry(
                session,
                partner=partners[number % 2],
                kind="appreciation",
                text=text,
                confidence=confidence,
                at=start + timedelta(seconds=number),
            )
        source.log_entry(
            session,
            partner=partners[0],
            kind="unmet_need",
            category="other",
            text="".join(texts),
            at=start + timedelta(minutes=1),
        )
        backup = export_week(source, None, "json", all_weeks=True)
        with open_store(":memory:") as target:
            import_export(target, backup.encode("utf-8"))
            assert _rows(target) == _rows(source)
            assert target.session(1)["partners"] == [name.strip() for name in partners]  # type: ignore[index]
