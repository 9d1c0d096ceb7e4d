"""The session driver against a real SQLite file, the real matcher and small real edges.

The edges are the typed ones (a clock that moves by speaking time, a mouth that
prints) and a scripted ear that hands back answers as a recognizer would.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from audio.errors import AudioError
from intents import Match, match
from store import open_store
from voice.checkin.dialogue import Silence
from voice.checkin.safe_store import SafeStore
from voice.checkin.script import load_script
from voice.checkin.session import InputEnded, SessionResult, Utterance, run_checkin
from voice.checkin.typed import PrintedMouth, TypedClock, speaking_time_s

PARTNERS = ("Ana", "Sam")
SCRIPT = load_script()


def variants(key: str) -> set[str]:
    return {v.format(a="Ana", b="Sam", partner="Ana", other="Sam") for v in SCRIPT.variants(key)}

PAUSE_S = 0.6
"""Between the end of a prompt and the start of the partner's answer."""


@dataclass
class ScriptedEars:
    """Answers in order: a text is spoken after a short pause; None is a silence;
    an exception is raised (a device lost); after the last, the input has ended."""

    clock: TypedClock
    answers: list[str | None | Exception]
    seconds_per_answer: float | None = None
    heard_timeouts: list[float] = field(default_factory=list)
    listen_started_s: list[float] = field(default_factory=list)

    def listen(
        self, context: str, partner: str, timeout_s: float
    ) -> Utterance | Silence | InputEnded:
        self.heard_timeouts.append(timeout_s)
        self.listen_started_s.append(self.clock.now_s())
        if not self.answers:
            return InputEnded(self.clock.now_s())
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if answer is None:
            self.clock.advance(timeout_s)
            return Silence(self.clock.now_s())
        self.clock.advance(PAUSE_S)
        start_s = self.clock.now_s()
        self.clock.advance(self.seconds_per_answer or speaking_time_s(answer))
        return Utterance(answer, start_s, self.clock.now_s(), confidence=0.8)


def run(db: Path, answers: list[str | None | Exception], seed: int | None = 5,
        seconds_per_answer: float | None = None) -> tuple[SessionResult, ScriptedEars, list[str]]:
    clock = TypedClock(start_s=30.0)  # the check-in starts after a wake phrase, mid-stream
    printed: list[str] = []
    ears = ScriptedEars(clock, answers, seconds_per_answer)
    with open_store(db) as store:
        result = run_checkin(PARTNERS, ears, PrintedMouth(clock, printed.append), clock, store,
                             "pocketsphinx", seed=seed)
    return result, ears, printed


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_a_whole_check_in_lands_in_the_database_as_it_is_said(tmp_path: Path) -> None:
    db = tmp_path / "checkin.db"
    result, _, _ = run(db, [
        "you made me coffee this morning",
        "thank you for picking up the kids",
        "i felt ignored when you were on your phone",
        "i hear you and i'm sorry",
        "you never texted me back",
        "you're too sensitive",
        "i'm sorry, i hear you",
    ])
    assert result.completed
    assert rows(db, "SELECT partner, kind, category, text, validated, confidence FROM entries "
                    "ORDER BY id") == [
        ("Ana", "appreciation", None, "you made me coffee this morning", None, 0.8),
        ("Sam", "appreciation", None, "thank you for picking up the kids", None, 0.8),
        ("Ana", "unmet_need", "distracted", "i felt ignored when you were on your phone", None,
         0.8),
        ("Sam", "response", None, "i hear you and i'm sorry", 1, 0.8),
        ("Sam", "unmet_need", "no_response", "you never texted me back", None, 0.8),
        ("Ana", "response", None, "you're too sensitive", 0, 0.8),
        ("Ana", "response", None, "i'm sorry, i hear you", 1, 0.8),
    ]
    [(session_id, completed, engine, duration_s)] = rows(
        db, "SELECT id, completed, engine, duration_s FROM sessions")
    assert (session_id, completed, engine) == (result.session_id, 1, "pocketsphinx")
    assert duration_s == pytest.approx(result.duration_s)
    assert result.turns[-2].text == (
        "Tonight you shared two appreciations and two moments that hurt.")
    assert [entry["kind"] for entry in result.entries] == [
        "appreciation", "appreciation", "unmet_need", "response", "unmet_need", "response",
        "response"]


def test_turns_alternate_on_the_clock_without_overlap(tmp_path: Path) -> None:
    result, _, printed = run(tmp_path / "c.db", ["the flowers you bought", None, "pass", "skip",
                                                 "nothing really"])
    turns = result.turns
    assert turns[0].start_s == 30.0
    for before, after in zip(turns, turns[1:], strict=False):
        assert before.start_s < before.end_s <= after.start_s
    partner_turns = [turn for turn in turns if turn.speaker != "assistant"]
    assert [(turn.speaker, turn.text) for turn in partner_turns] == [
        ("Ana", "the flowers you bought"), ("Sam", "pass"), ("Ana", "skip"),
        ("Sam", "nothing really")]
    assert printed == [turn.text + "\n" for turn in turns if turn.speaker == "assistant"]
    assert result.duration_s == pytest.approx(turns[-1].end_s - 30.0)


def test_the_json_summary_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    result, _, _ = run(tmp_path / "c.db", ["you made dinner"])
    summary = result.to_json()
    assert list(summary) == ["session_id", "completed", "duration_s", "partners", "entries",
                             "turns"]
    assert summary["partners"] == ["Ana", "Sam"]
    assert summary["entries"] == [{"partner": "Ana", "kind": "appreciation", "category": None,
                                   "text": "you made dinner", "validated": None}]
    assert all(list(turn) == ["speaker", "text", "start_s", "end_s"] for turn in summary["turns"])
    assert summary["turns"][2]["speaker"] == "Ana"
    answer = next(t for t in result.turns if t.speaker == "Ana")
    assert summary["turns"][2]["end_s"] == round(answer.end_s, 3)


def test_input_ending_mid_check_in_keeps_what_was_said_and_is_not_completed(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    result, _, _ = run(db, ["you made dinner", "you listened to me"])
    assert not result.completed
    assert rows(db, "SELECT partner, kind FROM entries ORDER BY id") == [
        ("Ana", "appreciation"), ("Sam", "appreciation")]
    [(completed, ended_at)] = rows(db, "SELECT completed, ended_at FROM sessions")
    assert completed == 0 and ended_at is not None


def test_a_lost_microphone_mid_check_in_keeps_the_session_and_its_answers(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    lost = AudioError("no audio from the microphone for 3 s; check it is plugged in")
    with pytest.raises(AudioError, match="microphone"):
        run(db, ["you made dinner", lost])
    assert rows(db, "SELECT partner, kind, text FROM entries") == [
        ("Ana", "appreciation", "you made dinner")]
    assert rows(db, "SELECT completed FROM sessions") == [(0,)]


def test_noise_and_fillers_are_never_logged(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    result, _, _ = run(db, ["the", "", "um", "uh", "the", "um"])
    assert rows(db, "SELECT COUNT(*) FROM entries") == [(0,)]
    assert "" not in [turn.text for turn in result.turns]


def test_silence_adds_no_turn_and_the_timeout_is_the_script_s(tmp_path: Path) -> None:
    result, ears, _ = run(tmp_path / "c.db", [None, None])
    assert ears.heard_timeouts[:2] == [8.0, 8.0]
    assert {turn.speaker for turn in result.turns} == {"assistant"}


def test_long_answers_run_the_budget_short_and_the_check_in_closes_in_time(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    answers: list[str | None | Exception] = [
        "you made dinner", "you called me at lunch", "i felt ignored when you were on your phone",
        "i understand how you feel", "you never texted me back", "i hear you"]
    result, ears, _ = run(db, answers, seconds_per_answer=19.0)
    close_at_s = 30.0 + 120.0 - load_script().closing_reserve_s
    assert result.completed
    partner_turns = [turn for turn in result.turns if turn.speaker != "assistant"]
    assert len(partner_turns) < 6
    assert all(turn.start_s < close_at_s for turn in partner_turns)
    assert result.turns[-1].text in variants("goodbye")
    assert all(timeout <= 8.0 for timeout in ears.heard_timeouts)
    assert rows(db, "SELECT COUNT(*) FROM entries") == [(len(partner_turns),)]


def test_a_silence_near_the_end_waits_only_until_the_closing(tmp_path: Path) -> None:
    answers: list[str | None | Exception] = ["you made dinner", None]
    answer_s = 80.0  # brings Sam's question just short of the closing point
    result, ears, _ = run(tmp_path / "c.db", answers, seconds_per_answer=answer_s)
    close_at_s = 30.0 + 120.0 - load_script().closing_reserve_s
    assert ears.heard_timeouts[-1] < 8.0, "the answers were too short to bring the end near"
    assert ears.heard_timeouts[-1] == pytest.approx(close_at_s - ears.listen_started_s[-1])
    closing = [turn for turn in result.turns if turn.text in variants("time_up")]
    assert closing and closing[0].start_s == pytest.approx(close_at_s)


def test_without_a_seed_the_session_id_chooses_the_words(tmp_path: Path) -> None:
    answers: list[str | None | Exception] = ["you made dinner", "pass", "stop"]
    unseeded, _, _ = run(tmp_path / "a.db", list(answers), seed=None)
    seeded, _, _ = run(tmp_path / "b.db", list(answers), seed=unseeded.session_id)
    assert [t.text for t in unseeded.turns] == [t.text for t in seeded.turns]
    assert not unseeded.completed


def test_a_recognizer_result_type_of_its_own_is_accepted(tmp_path: Path) -> None:
    @dataclass(frozen=True)
    class RecognizerResult:
        text: str
        start_s: float
        end_s: float
        confidence: float | None
        words: tuple[str, ...] = ()

    class RecognizerEars:
        def __init__(self) -> None:
            self.calls = 0

        def listen(self, context: str, partner: str,
                   timeout_s: float) -> RecognizerResult | InputEnded:
            self.calls += 1
            if self.calls > 1:
                return InputEnded(clock.now_s())
            clock.advance(2.0)
            return RecognizerResult("you made dinner", clock.now_s() - 2.0, clock.now_s(), 0.7)

    clock = TypedClock()
    with open_store(tmp_path / "c.db") as store:
        result = run_checkin(PARTNERS, RecognizerEars(), PrintedMouth(clock, lambda _: None),
                             clock, store, "vosk", seed=1)
    assert result.entries[0]["text"] == "you made dinner"
    answer = result.turns[2]
    assert (answer.speaker, answer.text) == ("Ana", "you made dinner")
    assert answer.end_s - answer.start_s == 2.0


# --- fair turns and a misheard answer, through the real store ---------------------------------


def test_who_goes_first_alternates_from_one_check_in_to_the_next(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    firsts = [run(db, ["you made dinner"])[0].turns[2].speaker for _ in range(3)]
    assert firsts == ["Ana", "Sam", "Ana"]
    assert rows(db, "SELECT partners FROM sessions ORDER BY id") == [
        ('["Ana", "Sam"]',), ('["Sam", "Ana"]',), ('["Ana", "Sam"]',)]


def test_another_couple_in_the_same_file_keeps_its_own_turns(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run(db, ["you made dinner"])
    clock = TypedClock()
    with open_store(db) as store:
        other = run_checkin(("Mia", "Leo"), ScriptedEars(clock, []), PrintedMouth(clock, print),
                            clock, store, "text", seed=1)
    assert other.partners == ("Mia", "Leo")
    assert run(db, ["you made dinner"])[0].partners == ("Sam", "Ana")


def misheard_matcher(text: str, context: str) -> Match:
    """The real matcher, and "that's not what i said" as the correction it will be."""
    if text == "that's not what i said":
        return Match("correct", None, 100.0)
    return match(text, context)


class Wrapper:
    """A store that passes only begin/log/end on, as listen's EventStore does."""

    def __init__(self, store: object) -> None:
        self.store = store

    def begin_session(self, partners: tuple[str, str], engine: str) -> int:
        return self.store.begin_session(partners, engine)  # type: ignore[attr-defined, no-any-return]

    def log_entry(self, session_id: int, **fields: object) -> object:
        return self.store.log_entry(session_id, **fields)  # type: ignore[attr-defined]

    def end_session(self, session_id: int, *, completed: bool, duration_s: float) -> None:
        self.store.end_session(session_id, completed=completed,  # type: ignore[attr-defined]
                               duration_s=duration_s)


@pytest.mark.parametrize("layers", ["store", "safe store", "wrapped safe store"])
def test_a_misheard_answer_is_taken_back_recorded_and_asked_again(
    tmp_path: Path, layers: str
) -> None:
    db = tmp_path / "c.db"
    clock = TypedClock()
    ears = ScriptedEars(clock, ["you made me toffee", "that's not what i said",
                                "you made me coffee", "stop"])
    with open_store(db) as opened:
        store: object = opened
        if layers != "store":
            store = SafeStore(opened, recovery_dir=tmp_path, warn=print)
        if layers == "wrapped safe store":
            store = Wrapper(store)
        for _ in range(2):  # the second check-in alternates, whatever the layers
            result = run_checkin(PARTNERS, ears, PrintedMouth(clock, lambda _: None), clock,
                                 store, "text", seed=1, matcher=misheard_matcher)  # type: ignore[arg-type]
            ears.answers = ["stop"]
    assert rows(db, "SELECT partner, text FROM entries") == [("Ana", "you made me coffee")]
    assert rows(db, "SELECT action, reason FROM corrections") == [("delete", "misheard")]
    assert result.partners == ("Sam", "Ana")
    with sqlite3.connect(db) as connection:
        dump = "\n".join(connection.iterdump())
    assert "toffee" not in dump
