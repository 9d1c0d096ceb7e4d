"""`checkin entries`, `checkin delete ID`, `checkin edit ID "text"`: recorded, and surviving
export and import. Through the real CLI on check-ins typed with `checkin text`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from store.weeks import current_week

REPO = Path(__file__).resolve().parent.parent
EVENING = "you made me toffee\nthank you for picking up the kids\nno not today\nnothing today\n"


def checkin(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "voice", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, cwd=REPO)


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def typed_evening(db: Path) -> None:
    done = checkin("text", "--partners", "Ana,Sam", "--db", str(db), "--first", "Ana",
                   stdin=EVENING)
    assert done.returncode == 0, done.stderr


def export(db: Path, out: Path) -> dict[str, object]:
    done = checkin("export", "--all", "--format", "json", "--db", str(db), "-o", str(out))
    assert done.returncode == 0, done.stderr
    document: dict[str, object] = json.loads(out.read_text())
    return document


def test_entries_lists_ids_and_edit_and_delete_fix_one_each(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    typed_evening(db)
    listed = checkin("entries", "--db", str(db), "--week", current_week())
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[0] == "1" and "Ana: appreciation: you made me toffee" in lines[0]
    assert lines[1].split()[0] == "2" and "Sam: appreciation" in lines[1]

    edited = checkin("edit", "1", "you made me coffee", "--db", str(db))
    assert edited.returncode == 0 and "Edited entry 1" in edited.stdout
    deleted = checkin("delete", "2", "--db", str(db))
    assert deleted.returncode == 0 and "Deleted entry 2" in deleted.stdout
    assert rows(db, "SELECT id, text FROM entries") == [(1, "you made me coffee")]
    assert rows(db, "SELECT action, reason FROM corrections ORDER BY id") == [
        ("edit", "by hand"), ("delete", "by hand")]
    after = checkin("entries", "--db", str(db)).stdout.splitlines()
    assert len(after) == 1 and after[0].endswith("you made me coffee [edited]")


def test_a_wrong_id_is_one_plain_line(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    typed_evening(db)
    for args in (("delete", "99"), ("edit", "99", "text")):
        done = checkin(*args, "--db", str(db))
        assert done.returncode == 2
        assert done.stderr.strip() == (
            "checkin: there is no entry 99; `checkin entries` lists them with ids")
    assert checkin("delete", "1", "--db", str(tmp_path / "missing.db")).returncode == 2


def test_corrections_survive_export_and_import(tmp_path: Path) -> None:
    laptop, backup = tmp_path / "laptop.db", tmp_path / "backup.db"
    typed_evening(laptop)
    old_export = tmp_path / "before.json"
    export(laptop, old_export)
    assert checkin("import", str(old_export), "--db", str(backup)).returncode == 0

    checkin("edit", "1", "you made me coffee", "--db", str(laptop))
    checkin("delete", "2", "--db", str(laptop))
    document = export(laptop, tmp_path / "after.json")
    assert [c["action"] for c in document["corrections"]] == ["edit", "delete"]  # type: ignore[index, union-attr]

    # The copy with the old words takes both corrections.
    done = checkin("import", str(tmp_path / "after.json"), "--db", str(backup))
    assert done.returncode == 0, done.stderr
    assert rows(backup, "SELECT text FROM entries") == [("you made me coffee",)]
    # An older backup does not bring the deleted entry (or the old words) back.
    done = checkin("import", str(old_export), "--db", str(laptop))
    assert done.returncode == 0, done.stderr
    assert rows(laptop, "SELECT text FROM entries") == [("you made me coffee",)]
    # And a fresh copy made from the corrected export is corrected too.
    fresh = tmp_path / "fresh.db"
    assert checkin("import", str(tmp_path / "after.json"), "--db", str(fresh)).returncode == 0
    assert rows(fresh, "SELECT text FROM entries") == [("you made me coffee",)]
    assert len(rows(fresh, "SELECT * FROM corrections")) == 2


def test_import_counts_in_plain_grammar(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    checkin("text", "--partners", "Ana,Sam", "--db", str(db), stdin="you made dinner\n")
    out = tmp_path / "one.json"
    export(db, out)
    done = checkin("import", str(out), "--db", str(tmp_path / "new.db"))
    assert done.stdout.startswith("Imported 1 session and 1 entry (0 sessions and 0 entries")
    shutil.copy(tmp_path / "new.db", tmp_path / "again.db")
    again = checkin("import", str(out), "--db", str(tmp_path / "again.db"))
    assert "(1 session and 1 entry were already there)" in again.stdout
