"""`checkin text` as people really type: terminals, arrow keys, pasted novels, Ctrl-D, and the
turn that passes from one evening to the next. Through the real CLI."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

from voice.checkin.script import load_script

REPO = Path(__file__).resolve().parent.parent
TYPED = load_script().typed


def text(db: Path, stdin: str | bytes, *args: str) -> subprocess.CompletedProcess[str]:
    data = stdin if isinstance(stdin, str) else stdin.decode("utf-8", "surrogateescape")
    return subprocess.run(
        [sys.executable, "-m", "voice", "text", "--db", str(db), *args],
        input=data, capture_output=True, text=True, timeout=120, cwd=REPO,
    )


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_control_characters_never_reach_the_database(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    done = text(db, "you made me\x1b[D\x1b[D coffee\x07\x1bOA\x00 today\x7f\n",
                "--partners", "Ana,Sam")
    assert done.returncode == 0, done.stderr
    [(stored,)] = rows(db, "SELECT text FROM entries")
    assert stored == "you made me coffee today"
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in str(stored))


def test_a_huge_answer_is_trimmed_with_a_note_and_leaves_the_evening_its_time(
    tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    novel = "you made me coffee and " + "then we talked " * 95_000  # about 1.4 MB on one line
    done = text(db, novel + "\nthank you for the walk\n", "--partners", "Ana,Sam", "--json")
    assert done.returncode == 0, done.stderr
    assert TYPED["trimmed"].format(limit="1,000") in done.stderr
    stored = [row[0] for row in rows(db, "SELECT text FROM entries ORDER BY id")]
    assert len(stored) == 2 and len(str(stored[0])) <= 1000  # Sam was still asked
    assert stored[1] == "thank you for the walk"
    summary = json.loads(done.stdout)
    assert summary["turns"][2]["end_s"] - summary["turns"][2]["start_s"] < 120


def test_ctrl_d_says_the_check_in_was_saved_and_stopped(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    done = text(db, "you made dinner\n", "--partners", "Ana,Sam")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(TYPED["ended"])
    assert "saved" in TYPED["ended"] and "stopped" in TYPED["ended"]
    assert rows(db, "SELECT completed FROM sessions") == [(0,)]
    assert rows(db, "SELECT text FROM entries") == [("you made dinner",)]


def test_how_to_skip_repeat_or_stop_is_said_once(tmp_path: Path) -> None:
    done = text(tmp_path / "c.db", "pass\npass\nno not today\n", "--partners", "Ana,Sam")
    assert done.stdout.count(TYPED["help"]) == 1
    assert all(word in TYPED["help"] for word in ("'skip'", "'again'", "'stop'"))


def read_until(master: int, wanted: bytes, seen: bytearray) -> None:
    """Read the terminal's output until `wanted` appears (no sleeping: select waits)."""
    while wanted not in seen:
        ready, _, _ = select.select([master], [], [], 30)
        assert ready, f"timed out waiting for {wanted!r}; got {bytes(seen)[-300:]!r}"
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk


def test_line_editing_works_on_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "voice", "text", "--partners", "Ana,Sam", "--db", str(db)],
        stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env={**os.environ, "TERM": "xterm"},
    )
    os.close(slave)
    seen = bytearray()
    try:
        read_until(master, b"Ana> ", seen)
        # Type "you made coffee", go back two words with the arrow keys, insert "me ".
        os.write(master, b"you made coffee" + b"\x1b[D" * 6 + b"me \r")
        read_until(master, b"Sam> ", seen)
        os.write(master, b"\x04")  # Ctrl-D
        assert child.wait(timeout=60) == 0
        read_until(master, b"saved", seen)
    finally:
        if child.poll() is None:
            child.kill()
        os.close(master)
    assert rows(db, "SELECT text FROM entries") == [("you made me coffee",)]


def test_who_goes_first_alternates_across_evenings(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    for expected in ("Ana", "Sam", "Ana"):
        done = text(db, "you made dinner\n", "--partners", "Ana,Sam", "--json")
        summary = json.loads(done.stdout)
        assert summary["partners"][0] == expected
        assert summary["entries"][0]["partner"] == expected
    done = text(db, "you made dinner\n", "--partners", "Ana,Sam", "--json", "--first", "ana")
    assert json.loads(done.stdout)["partners"] == ["Ana", "Sam"]
    assert rows(db, "SELECT partners FROM sessions ORDER BY id")[-2:] == [
        ('["Ana", "Sam"]',), ('["Ana", "Sam"]',)]


def test_first_must_name_one_of_the_partners(tmp_path: Path) -> None:
    done = text(tmp_path / "c.db", "", "--partners", "Ana,Sam", "--first", "Lee")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "--first 'Lee'" in done.stderr


def test_late_in_the_evening_a_need_question_is_not_asked_without_room_to_answer_it(
    tmp_path: Path
) -> None:
    long = "you made me coffee and " + " ".join(["then we walked by the river"] * 12)
    done = text(tmp_path / "c.db", f"{long}\n{long}\ni felt ignored\ni hear you\n",
                "--partners", "Ana,Sam", "--json", "--seed", "1")
    summary = json.loads(done.stdout)
    said = [t["text"] for t in summary["turns"] if t["speaker"] == "assistant"]
    script = load_script()
    assert not any("brushed off" in line or "unheard" in line or "listened to" in line
                   for line in said), said
    assert said[-3] in {v.format(a="Ana", b="Sam") for v in script.variants("time_up")}
    assert summary["completed"] is True and summary["duration_s"] <= 120


def test_every_need_shared_in_a_typed_evening_reaches_its_response(tmp_path: Path) -> None:
    medium = "you made me coffee and " + " ".join(["then we walked by the river"] * 5)
    done = text(tmp_path / "c.db", f"{medium}\n{medium}\ni felt ignored at dinner\nmm okay\n"
                "you never texted me back\ni hear you\n", "--partners", "Ana,Sam", "--json")
    summary = json.loads(done.stdout)
    kinds = [e["kind"] for e in summary["entries"]]
    for index, kind in enumerate(kinds):
        if kind == "unmet_need":
            assert kinds[index + 1:index + 2] == ["response"], kinds
