"""Real typed check-ins (`python -m voice text`, answers on stdin) placed on chosen evenings.

The app stamps a check-in with the clock of the moment it runs. To build weeks
of history the helper runs the real command, then moves the session it just
wrote (and its entries, by the same offset) to the evening wanted, the way the
check-in would have been stamped had it been typed then.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from store.timefmt import parse_utc_text, to_utc_text

REPO = Path(__file__).resolve().parent.parent
EVENING = time(20, 30)

# Each partner is asked, in order: Ana's appreciation, Sam's, Ana's need (and Sam's
# response to it, if she shared one), Sam's need (and Ana's response).
APPRECIATIONS = (
    "you made me coffee this morning",
    "thank you for picking up the kids",
    "you cooked dinner",
    "thank you for listening to me after work",
)
NEEDS = {
    "distracted": "i felt ignored when you were on your phone",
    "no_response": "you never texted me back",
    "cancelled_plans": "you cancelled our dinner plans at the last minute",
    "dismissed": "you interrupted me and dismissed my idea",
    "unacknowledged_effort": "you never thanked me for cooking dinner",
    "sarcasm": "you made a sarcastic remark about my cooking",
    "other": "i felt lonely tonight",
}
VALIDATING = "i hear you and i'm sorry"
DISMISSIVE = "you're too sensitive"
NOTHING = "no not today"
SKIP = "pass"


def tz_env(home: Path | None = None) -> dict[str, str]:
    """The environment for the CLI: days cut in UTC; with `home`, folders of its own.

    A session-scoped fixture runs before the per-test isolation (conftest.py),
    so it passes a `home` of its own to keep away from the real config and data.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKIN_")}
    if home is not None:
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_DATA_HOME=str(home / ".local" / "share"),
                   XDG_CACHE_HOME=str(home / ".cache"))
    return dict(env, TZ="UTC")


def evening_answers(
    ana_thanks: bool = True,
    sam_thanks: bool = True,
    ana_need: str | None = None,
    ana_validated: bool = True,
    sam_need: str | None = None,
    sam_validated: bool = True,
    stop_after: int | None = None,
) -> str:
    """What the couple types for one check-in (categories from NEEDS, or None for none)."""
    lines = [
        APPRECIATIONS[0] if ana_thanks else SKIP,
        APPRECIATIONS[1] if sam_thanks else SKIP,
    ]
    for need, validated in ((ana_need, ana_validated), (sam_need, sam_validated)):
        if need is None:
            lines.append(NOTHING)
        else:
            # A dismissal is coached and the dismisser asked once more: they pass.
            lines += [NEEDS[need], VALIDATING] if validated else [NEEDS[need], DISMISSIVE, SKIP]
    if stop_after is not None:
        lines = lines[:stop_after]
    return "\n".join(lines) + "\n"


def typed_checkin(
    db: Path, answers: str, evening: date, partners: str = "Ana,Sam", home: Path | None = None
) -> int:
    """Run `checkin text` with `answers`, then move it to `evening` at 20:30 UTC; its id."""
    done = subprocess.run(
        [sys.executable, "-m", "voice", "text", "--partners", partners, "--db", str(db),
         "--seed", "1", "--first", partners.split(",")[0]],
        input=answers, capture_output=True, text=True, timeout=120, cwd=REPO, env=tz_env(home),
    )
    assert done.returncode == 0, done.stderr
    with closing(sqlite3.connect(db)) as connection, connection:
        session_id, started = connection.execute(
            "SELECT id, started_at FROM sessions ORDER BY id DESC LIMIT 1"
        ).fetchone()
        offset = datetime.combine(evening, EVENING, UTC) - parse_utc_text(started)

        def moved(text: str | None) -> str | None:
            return None if text is None else to_utc_text(parse_utc_text(text) + offset)

        ended = connection.execute(
            "SELECT ended_at FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()[0]
        connection.execute(
            "UPDATE sessions SET started_at = ?, ended_at = ? WHERE id = ?",
            (moved(started), moved(ended), session_id),
        )
        for entry_id, at in connection.execute(
            "SELECT id, at FROM entries WHERE session_id = ?", (session_id,)
        ).fetchall():
            connection.execute("UPDATE entries SET at = ? WHERE id = ?", (moved(at), entry_id))
    return int(session_id)


def monday_of(week: str) -> date:
    return date.fromisocalendar(int(week[:4]), int(week[-2:]), 1)


def day_in(week: str, weekday: int) -> date:
    """Monday is 0."""
    return monday_of(week) + timedelta(days=weekday)


FIRST_WEEK, LAST_WEEK = "2026-W03", "2026-W10"
"""Eight weeks, Mon 12 Jan to Sun 8 Mar 2026; W07 has no check-in at all."""

EIGHT_WEEKS: dict[str, list[tuple[int, dict[str, object]]]] = {
    # week: [(weekday, evening_answers(...) options)]. "Being distracted" comes up often and
    # goes away; more of the needs are validated as the weeks go on.
    "2026-W03": [(0, {"sam_thanks": False, "ana_need": "distracted", "ana_validated": False})],
    "2026-W04": [
        (0, {"ana_need": "distracted", "ana_validated": False, "sam_need": "no_response"}),
        (3, {"stop_after": 1}),
    ],
    "2026-W05": [
        (1, {"ana_need": "distracted", "ana_validated": False}),
        (4, {"sam_need": "cancelled_plans"}),
    ],
    "2026-W06": [(0, {"ana_need": "distracted"}), (2, {})],
    "2026-W07": [],
    "2026-W08": [(0, {"sam_need": "dismissed"}), (2, {"ana_need": "distracted"}), (4, {})],
    "2026-W09": [(1, {}), (3, {"ana_need": "sarcasm"})],
    "2026-W10": [(0, {}), (2, {}), (4, {"sam_need": "other"})],
}


def make_eight_weeks(db: Path, home: Path) -> Path:
    """Type every check-in of EIGHT_WEEKS into `db` through the real CLI."""
    for week, evenings in EIGHT_WEEKS.items():
        for weekday, options in evenings:
            typed_checkin(db, evening_answers(**options), day_in(week, weekday),  # type: ignore[arg-type]
                          home=home)
    return db


def eight_weeks_db(base: Path) -> Path:
    """The eight weeks, typed once per test run into `base` and reused (copy before changing)."""
    db = base / "eight-weeks" / "checkin.db"
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        building = db.with_name("building.db")
        building.unlink(missing_ok=True)
        make_eight_weeks(building, base / "eight-weeks-home")
        building.rename(db)
    return db
