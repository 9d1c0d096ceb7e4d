"""The session driver: runs the dialogue's actions against injected edges.

Spoken, typed and demo check-ins differ only in the edges passed to
`run_checkin`: where answers come from (Ears), where the assistant's voice goes
(Mouth), and the audio clock both advance (Clock). The driver matches what the
Ears heard against the Listen's context, feeds the dialogue, writes each answer
to the store the moment it is understood, and records the turns.

The budget: the dialogue itself stops asking new questions when too little time
is left (`State.ask_until_s`). Because the assistant's own lines take time, the
driver also checks the clock before each Listen against the point where the
closing must start (`State.close_at_s`, the budget minus the closing's reserve):
past it, the dialogue gets BudgetExhausted instead of a Listen; before it, the
Listen's no-speech timeout is shortened so a silence ends by that point. Only an
answer still being spoken can run past it.

Fair turns: who goes first alternates from one check-in to the next. The store
already keeps each session's partners in speaking order, so the last check-in of
the same couple says who went first (store/turns.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from intents import Match, match
from store.errors import StoreError
from voice.checkin import dialogue
from voice.checkin.dialogue import (
    BudgetExhausted,
    End,
    Heard,
    Listen,
    Log,
    Retract,
    Say,
    Silence,
)
from voice.checkin.script import Script, load_script
from voice.checkin.store_layers import pin_first, retract, tonight_order

ASSISTANT = "assistant"
"""The speaker name of the assistant's turns."""


@dataclass(frozen=True)
class Turn:
    """One turn of the conversation on the audio clock."""

    speaker: str
    """"assistant", or the partner's name."""
    text: str
    start_s: float
    """Start on the audio clock, in seconds."""
    end_s: float
    """End on the audio clock; for a partner, the end of their speech."""


@dataclass(frozen=True)
class Utterance:
    """What the Ears heard: recognised (or typed) text and where it sits on the clock."""

    text: str
    start_s: float
    end_s: float
    confidence: float | None = None
    """The recognizer's confidence in 0..1, or None (typed input)."""


@dataclass(frozen=True)
class InputEnded:
    """The input is exhausted (stdin at EOF, no more reply files).

    The session then ends, not completed."""

    at_s: float


class Recognized(Protocol):
    """Anything with an utterance's fields (Utterance, or a recognizer's own result type)."""

    @property
    def text(self) -> str: ...
    @property
    def start_s(self) -> float: ...
    @property
    def end_s(self) -> float: ...
    @property
    def confidence(self) -> float | None: ...


class Ears(Protocol):
    """Where answers come from."""

    def listen(
        self, context: str, partner: str, timeout_s: float
    ) -> Recognized | Silence | InputEnded:
        """Wait for `partner`'s answer; Silence when no speech starts within `timeout_s`
        audio seconds. The clock must have advanced past what was heard (or waited) on return."""
        ...


class Mouth(Protocol):
    """Where the assistant's voice goes."""

    def say(self, text: str) -> Turn:
        """Speak `text` to the end, advance the clock by its duration, return the turn."""
        ...


class Clock(Protocol):
    """The audio clock: seconds heard plus seconds spoken."""

    def now_s(self) -> float: ...


class CheckinStore(Protocol):
    """The part of store.Store the driver writes to."""

    def begin_session(self, partners: tuple[str, str], engine: str) -> int: ...

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
    ) -> Any: ...

    def end_session(self, session_id: int, *, completed: bool, duration_s: float) -> Any: ...


Matcher = Callable[[str, str], Match]
"""`intents.match(text, context) -> Match`."""


@dataclass
class SessionResult:
    """What one check-in produced."""

    session_id: int
    completed: bool
    """True when the closing was reached; False when stopped or the input ended."""
    duration_s: float
    """Audio seconds from the opening to the end."""
    entries: list[dict[str, Any]] = field(default_factory=list)
    """What was logged, in order: {"partner", "kind", "category", "text", "validated"}."""
    turns: list[Turn] = field(default_factory=list)
    """Both sides of the conversation, in order."""
    partners: tuple[str, ...] = ()
    """Tonight's speaking order: who was asked first, then the other."""
    logged: list[Any] = field(default_factory=list, repr=False)
    """What the store returned for each entry (its id), to take a misheard one back."""

    def to_json(self) -> dict[str, Any]:
        """The `--json` summary object of `start`, `listen --once`, `demo` and `text`."""
        return {
            "session_id": self.session_id,
            "completed": self.completed,
            "duration_s": round(self.duration_s, 3),
            "partners": list(self.partners),
            "entries": [dict(entry) for entry in self.entries],
            "turns": [
                {
                    "speaker": turn.speaker,
                    "text": turn.text,
                    "start_s": round(turn.start_s, 3),
                    "end_s": round(turn.end_s, 3),
                }
                for turn in self.turns
            ],
        }


def run_checkin(
    partners: tuple[str, str],
    ears: Ears,
    mouth: Mouth,
    clock: Clock,
    store: CheckinStore,
    engine_name: str,
    script: Script | None = None,
    seed: int | None = None,
    budget_s: float = 120.0,
    matcher: Matcher = match,
    first: str | None = None,
) -> SessionResult:
    """Run one whole check-in now and return what it produced.

    `seed` picks the variants of the lines; by default it is the new session's
    id, so the words change from one evening to the next yet a session can be
    replayed. `matcher` is `intents.match` unless a test or tool needs another.
    `first` names who goes first; by default the partner who did not go first at
    the couple's last check-in (the session is stored in that order).

    Every answer is committed as it is understood. If an edge raises (a lost
    microphone, a hung engine), the session is closed as not completed when the
    store still allows it, everything logged stays, and the error propagates.
    """
    script = script or load_script()
    partners = pin_first(partners, first) if first else tonight_order(store, partners)
    session_id = store.begin_session(partners, engine_name)
    started_s = clock.now_s()
    result = SessionResult(session_id=session_id, completed=False, duration_s=0.0,
                           partners=partners)
    try:
        state, actions = dialogue.start(
            partners, script, session_id if seed is None else seed, budget_s, started_s
        )
        while True:
            outcome = _perform(
                actions, state, session_id, ears, mouth, clock, store, matcher, result
            )
            if isinstance(outcome, End):
                result.completed = outcome.completed
                break
            if isinstance(outcome, InputEnded):
                break
            state, actions = dialogue.step(state, outcome)
    except BaseException:
        # Mark the session's end if the store still can; the original error matters more.
        with contextlib.suppress(StoreError):
            store.end_session(session_id, completed=False, duration_s=clock.now_s() - started_s)
        raise
    result.duration_s = clock.now_s() - started_s
    store.end_session(session_id, completed=result.completed, duration_s=result.duration_s)
    return result


def _perform(
    actions: list[dialogue.Action],
    state: dialogue.State,
    session_id: int,
    ears: Ears,
    mouth: Mouth,
    clock: Clock,
    store: CheckinStore,
    match: Matcher,
    result: SessionResult,
) -> dialogue.Event | InputEnded | End:
    """Run one batch of actions in order; return what its closing Listen heard, or its End."""
    for action in actions:
        if isinstance(action, Say):
            result.turns.append(mouth.say(action.text))
        elif isinstance(action, Retract):
            if result.logged and retract(store, result.logged[-1]):
                result.logged.pop()
                result.entries.pop()
        elif isinstance(action, Log):
            logged = store.log_entry(
                session_id,
                partner=action.partner,
                kind=action.kind,
                text=action.text,
                category=action.category,
                validated=action.validated,
                confidence=action.confidence,
            )
            result.logged.append(logged)
            result.entries.append(
                {
                    "partner": action.partner,
                    "kind": action.kind,
                    "category": action.category,
                    "text": action.text,
                    "validated": action.validated,
                }
            )
        elif isinstance(action, Listen):
            return _hear(action, state, ears, clock, match, result)
        else:
            return action
    raise RuntimeError("the dialogue returned actions without a Listen or an End")


def _hear(
    listen: Listen,
    state: dialogue.State,
    ears: Ears,
    clock: Clock,
    match: Matcher,
    result: SessionResult,
) -> dialogue.Event | InputEnded:
    now_s = clock.now_s()
    if now_s >= state.close_at_s:
        return BudgetExhausted(now_s)
    timeout_s = min(listen.timeout_s, state.close_at_s - now_s)
    heard = ears.listen(listen.context, listen.partner, timeout_s)
    if isinstance(heard, (Silence, InputEnded)):
        return heard
    if heard.text.strip():
        result.turns.append(Turn(listen.partner, heard.text, heard.start_s, heard.end_s))
    return Heard(
        text=heard.text,
        match=match(heard.text, listen.context),
        confidence=heard.confidence,
        start_s=heard.start_s,
        end_s=heard.end_s,
    )
