"""The write API, reading back, and the schema migrations (from every earlier version)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlite_utils
from store_helpers import MONDAY, log_evening

from store import StoreError, current_week, migrations, open_store
from store.store import Store
from store.weeks import parse_week, previous_week


@pytest.fixture
def store() -> Iterator[Store]:
    with open_store(":memory:") as memory:
        yield memory


def test_a_session_and_its_entries_round_trip(store: Store) -> None:
    start = datetime(2026, 2, 9, 20, 30, 5, tzinfo=UTC)
    session = store.begin_session(["Ana", "Ben"], "vosk", started_at=start)
    store.log_entry(
        session,
        partner="Ana",
        kind="appreciation",
        text='Tea 🍵, "merci"',
        confidence=0.5,
        at=start + timedelta(seconds=20),
    )
    store.log_entry(
        session,
        partner="Ben",
        kind="unmet_need",
        category="sarcasm",
        text="That joke",
        at=start + timedelta(seconds=40),
    )
    store.log_entry(
        session,
        partner="Ana",
        kind="response",
        text="I hear you",
        validated=True,
        at=start + timedelta(seconds=50),
    )
    store.end_session(
        session, completed=True, duration_s=61.5, ended_at=start + timedelta(seconds=62)
    )

    row = store.session(session)
    assert row is not None
    assert row["partners"] == ["Ana", "Ben"]
    assert (row["started_at"], row["ended_at"]) == ("2026-02-09T20:30:05Z", "2026-02-09T20:31:07Z")
    assert (row["completed"], row["engine"], row["duration_s"]) == (1, "vosk", 61.5)
    entries = store.entries(session)
    assert [(e["kind"], e["category"], e["validated"], e["text"]) for e in entries] == [
        ("appreciation", None, None, 'Tea 🍵, "merci"'),
        ("unmet_need", "sarcasm", None, "That joke"),
        ("response", None, 1, "I hear you"),
    ]
    assert entries[0]["confidence"] == 0.5 and entries[0]["at"] == "2026-02-09T20:30:25Z"


def test_times_with_other_offsets_are_stored_in_utc(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    session = store.begin_session(
        ["Ana", "Ben"], "vosk", started_at=datetime(2026, 2, 9, 21, 0, tzinfo=paris)
    )
    assert store.session(session)["started_at"] == "2026-02-09T20:00:00Z"  # type: ignore[index]


def test_a_session_never_ended_stays_not_completed(store: Store) -> None:
    session = log_evening(store, MONDAY, completed=False)
    assert store.session(session)["completed"] == 0  # type: ignore[index]
    store.end_session(session, completed=False, duration_s=12)
    assert store.session(session)["completed"] == 0  # type: ignore[index]


@pytest.mark.parametrize(
    ("kind", "category", "validated"),
    [
        ("praise", None, None),
        ("unmet_need", None, None),
        ("unmet_need", "bored", None),
        ("appreciation", "dismissed", None),
        ("response", None, None),
        ("appreciation", None, True),
    ],
)
def test_entries_that_do_not_fit_the_schema_are_refused(
    store: Store, kind: str, category: str | None, validated: bool | None
) -> None:
    session = store.begin_session(["Ana", "Ben"], "vosk")
    with pytest.raises(ValueError):
        store.log_entry(
            session, partner="Ana", kind=kind, text="x", category=category, validated=validated
        )
    assert store.entries(session) == []


def test_an_entry_for_a_missing_session_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="no session 42"):
        store.log_entry(42, partner="Ana", kind="appreciation", text="x")


def test_had_checkin_on_uses_the_local_day(store: Store) -> None:
    # 23:30 in UTC-5 on 10 Feb is 04:30 UTC on 11 Feb: it still belongs to the 10th there.
    eastern = timezone(timedelta(hours=-5))
    store.begin_session(
        ["Ana", "Ben"], "vosk", started_at=datetime(2026, 2, 10, 23, 30, tzinfo=eastern)
    )
    assert store.had_checkin_on(date(2026, 2, 10), tz=eastern)
    assert not store.had_checkin_on(date(2026, 2, 11), tz=eastern)
    assert store.had_checkin_on(date(2026, 2, 11), tz=UTC)
    assert not store.had_checkin_on(date(2026, 2, 9), tz=eastern)


def test_iso_weeks() -> None:
    assert current_week(date(2026, 2, 9)) == "2026-W07"
    assert current_week(date(2021, 1, 3)) == "2020-W53"
    assert parse_week("2026-W07") == (date(2026, 2, 9), date(2026, 2, 15))
    assert previous_week("2026-W01") == "2025-W52"
    for bad in ("2026-7", "2026-W54", "2025-W53", "W07"):
        with pytest.raises(ValueError, match="week"):
            parse_week(bad)


def test_a_missing_database_with_create_false_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    with pytest.raises(StoreError, match="no check-in database at .*nope.db"):
        open_store(missing, create=False)
    assert not missing.exists()


def test_a_new_file_database_is_in_wal_mode_with_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "data" / "checkin.db"
    with open_store(path) as store:
        assert store.schema_version == migrations.latest_version() == 4
        assert store.path == path
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    conn.close()


# --- migrations ---------------------------------------------------------------------------


def _database_at(path: Path, version: int) -> None:
    """A file at an old schema version with one session and two entries, written as that
    version's code would have written them."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA application_id = 1128811337")
    db = sqlite_utils.Database(conn)
    migrations.migrate(db, target=version)
    assert migrations.schema_version(db) == version
    if version >= 1:
        # From version 3 on, that version's code wrote a uuid with every row.
        with_uuid = version >= 3
        conn.execute(
            "INSERT INTO sessions (started_at, ended_at, completed, partners, engine, duration_s"
            + (", uuid" if with_uuid else "") + ") "
            "VALUES ('2026-02-09T20:30:00Z', NULL, 0, 'Ana,Ben', 'vosk', NULL"
            + (", 'session-one'" if with_uuid else "") + ")"
        )
        for index, text in enumerate(("tea", "tea")):  # identical entries, distinct uuids
            conn.execute(
                "INSERT INTO entries (session_id, at, partner, kind, category, text, validated, "
                "confidence" + (", uuid" if with_uuid else "") + ") VALUES (1, "
                "'2026-02-09T20:30:10Z', 'Ana', 'appreciation', NULL, ?, NULL, 0.9"
                + (", ?" if with_uuid else "") + ")",
                (text, f"entry-{index}") if with_uuid else (text,),
            )
    conn.close()


@pytest.mark.parametrize("version", range(migrations.latest_version()))
def test_every_earlier_version_migrates_to_the_latest(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    _database_at(path, version)
    with open_store(path) as store:
        assert store.schema_version == migrations.latest_version()
        index_names = {
            index.name
            for table in ("sessions", "entries")
            for index in store.db.table(table).indexes
        }
        assert {
            "sessions_started_at",
            "entries_session_id",
            "sessions_uuid",
            "entries_uuid",
        } <= index_names
        if version >= 1:
            old = store.session(1)
            assert old is not None and old["partners"] == ["Ana", "Ben"] and old["uuid"]
            uuids = [entry["uuid"] for entry in store.entries(1)]
            assert len(uuids) == 2 and len(set(uuids)) == 2 and all(uuids)
        session = store.begin_session(["Ana", "Ben"], "vosk")
        store.log_entry(session, partner="Ben", kind="appreciation", text="after the upgrade")
        assert [e["text"] for e in store.entries(session)] == ["after the upgrade"]


def test_two_copies_of_an_old_file_migrate_to_the_same_uuids(tmp_path: Path) -> None:
    uuids = []
    for name in ("laptop.db", "backup.db"):
        _database_at(tmp_path / name, 2)
        with open_store(tmp_path / name) as store:
            uuids.append([store.session(1)["uuid"]] + [e["uuid"] for e in store.entries(1)])  # type: ignore[index]
    assert uuids[0] == uuids[1]


def test_a_failing_migration_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "checkin.db"
    open_store(path).close()

    def half_done(db: sqlite_utils.Database) -> None:
        db.table("scratch").create({"id": int})
        db.table("sessions").add_column("mood", str)
        raise RuntimeError("step 4 failed half-way")

    steps = [*migrations.MIGRATIONS, migrations.Migration(5, "broken", half_done)]
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    with pytest.raises(RuntimeError, match="half-way"):
        open_store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'scratch'").fetchone()[0] == 0
    )
    assert "mood" not in [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
    conn.close()


def test_a_database_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "checkin.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="schema version 99.*upgrade"):
        open_store(path)
    assert path.read_bytes() == before


def test_migrations_register_in_order_only() -> None:
    with pytest.raises(ValueError, match="out of order"):
        migrations.migration(7, "skips ahead")(lambda db: None)
