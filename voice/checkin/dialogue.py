"""The check-in dialogue: a pure state machine, `(state, event) -> (state, actions)`.

The same machine drives spoken, typed and demo check-ins; only the edges that
execute its actions differ (see voice/session.py). It does no I/O, reads no clock
and draws no random numbers: time arrives inside the events (audio-clock
seconds), and the variant of each line is chosen from the seed carried in the
state, so a given seed and event sequence always gives the same conversation.

The script, for partners A and B (words in voice/script.toml):

1. opening naming both;
2. A: appreciation; 3. B: appreciation;
4. A: unmet need -> validation phrase -> B responds (validation / dismissal);
5. B: unmet need -> validation phrase -> A responds;
6. closing: one-line summary and a warm goodbye.

Turn discipline, which every batch of actions keeps (the driver relies on it):
a batch is zero or more Say/Log actions followed by exactly one Listen or one
End, and nothing after it. So the assistant has always finished speaking before
it listens (half-duplex), and the driver never waits on an empty batch.

Nothing is ever logged from a Silence, a BudgetExhausted, or a Heard whose match
has no intent allowed in the context asked (noise such as "the" or "um").
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from voice.checkin.script import Script

if TYPE_CHECKING:
    from intents.matcher import Match

APPRECIATION = "appreciation"
NEED = "need"
RESPONSE = "response"

ALLOWED_INTENTS: Mapping[str, frozenset[str]] = {
    APPRECIATION: frozenset({"appreciation", "nothing", "skip", "repeat", "stop"}),
    NEED: frozenset({"unmet_need", "nothing", "skip", "repeat", "stop"}),
    RESPONSE: frozenset({"validation", "dismissal", "skip", "repeat", "stop"}),
}
"""The intents each context acts on; any other match counts as not understood."""

MAX_REPEATS = 2
"""How many times one question is repeated on request before moving on.

Bounds a check-in to a fixed number of steps even if "repeat" is heard forever.
"""

_STAGES: tuple[tuple[str, int], ...] = ((APPRECIATION, 0), (APPRECIATION, 1), (NEED, 0), (NEED, 1))
"""The questions in order: (context, index of the partner asked). A response to a
shared need is asked between its need and the next stage."""

MAX_LISTENS = (len(_STAGES) + 2) * (2 + MAX_REPEATS)
"""An upper bound on Listen actions in one check-in: six questions at most, each
asked once, once more after silence or an unclear answer, and MAX_REPEATS times on request."""


# --- events -----------------------------------------------------------------


@dataclass(frozen=True)
class Heard:
    """A partner's utterance, already matched against the context it answered."""

    text: str
    """What was recognised (or typed)."""
    match: Match
    """The intent match of `text` in the context of the Listen it answers."""
    confidence: float | None
    """The recognizer's confidence in 0..1, or None when there is none (typed)."""
    start_s: float
    """Start of the speech on the audio clock, in seconds."""
    end_s: float
    """End of the speech on the audio clock, in seconds."""

    @property
    def at_s(self) -> float:
        """When the event happened: the end of the speech."""
        return self.end_s


@dataclass(frozen=True)
class Silence:
    """No speech before the Listen's timeout."""

    at_s: float
    """When the timeout passed, on the audio clock."""


@dataclass(frozen=True)
class BudgetExhausted:
    """The time left in the budget is only enough for the closing."""

    at_s: float
    """The audio-clock time when this was noticed."""


Event = Heard | Silence | BudgetExhausted


# --- actions ----------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """Speak (or print) one line, and finish it before the next action."""

    text: str


@dataclass(frozen=True)
class Listen:
    """Wait for `partner`'s answer to a question of kind `context`."""

    context: str
    """What was asked: "appreciation", "need" or "response" (an intents context)."""
    partner: str
    """Who is expected to answer."""
    timeout_s: float
    """The no-speech timeout, in audio seconds."""


@dataclass(frozen=True)
class Log:
    """Store one answer now (committed before the check-in goes on)."""

    partner: str
    """Who said it; for a response, the partner who responded."""
    kind: str
    """"appreciation", "unmet_need" or "response"."""
    text: str
    """What they said, as heard."""
    category: str | None
    """The unmet-need category on an unmet_need; None on everything else.

    A response carries None too (the store keeps categories for needs only): the
    need it answers is the unmet_need logged just before it in the same session."""
    validated: bool | None
    """On a response: True for a validation, False for a dismissal; else None."""
    confidence: float | None
    """The recognizer's confidence, or None."""


@dataclass(frozen=True)
class End:
    """The check-in is over."""

    completed: bool
    """True when it reached its closing; False when a partner stopped it."""


Action = Say | Listen | Log | End


# --- state ------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """Everything the dialogue remembers between events. Immutable: step returns a new one."""

    partners: tuple[str, str]
    script: Script
    seed: int
    """Chooses the variant of each line."""
    started_at_s: float
    """Audio-clock time the check-in began."""
    budget_s: float
    """Audio seconds the whole check-in should take at most."""
    stage: int = 0
    """Index into the questions (appreciation A, appreciation B, need A, need B)."""
    responding: bool = False
    """True while the other partner is asked to respond to the need just shared."""
    question: str = ""
    """The exact words of the current question, said again on "repeat"."""
    reprompted: bool = False
    """The current question was already asked once more after silence or an unclear answer."""
    repeats: int = 0
    """How many times the current question was repeated on request."""
    appreciations: int = 0
    needs: int = 0
    line_uses: Mapping[str, int] = field(default_factory=dict)
    """How many times each line key has been said, so a repeated key gets a new variant."""
    ended: bool = False

    @property
    def close_at_s(self) -> float:
        """The audio-clock time by which the closing must start: nothing is heard after it."""
        return self.started_at_s + self.budget_s - self.script.closing_reserve_s

    @property
    def ask_until_s(self) -> float:
        """An event at or after this time gets no new question, only the closing:
        there is no longer room to ask one and hear a short answer before close_at_s."""
        return self.close_at_s - self.script.question_room_s

    @property
    def context(self) -> str:
        """The context of the current question."""
        return RESPONSE if self.responding else _STAGES[self.stage][0]

    @property
    def partner(self) -> str:
        """Who the current question is for."""
        asked = _STAGES[self.stage][1]
        return self.partners[1 - asked if self.responding else asked]

    @property
    def other(self) -> str:
        """The partner the current question is not for."""
        return self.partners[1] if self.partner == self.partners[0] else self.partners[0]


def start(
    partners: tuple[str, str],
    script: Script,
    seed: int,
    budget_s: float = 120.0,
    started_at_s: float = 0.0,
) -> tuple[State, list[Action]]:
    """Begin a check-in at audio time `started_at_s`: the opening and the first question."""
    if len(partners) != 2 or partners[0] == partners[1]:
        raise ValueError(f"a check-in needs two different partners, got {partners!r}")
    state = State(
        partners=partners, script=script, seed=seed, started_at_s=started_at_s, budget_s=budget_s
    )
    actions: list[Action] = []
    state = _say(state, actions, "opening")
    return _ask(state, actions, _ask_key(state)), actions


def step(state: State, event: Event) -> tuple[State, list[Action]]:
    """Advance the check-in by one event; returns the new state and the actions to run in order."""
    if state.ended:
        raise ValueError("the check-in has ended; start a new one")
    actions: list[Action] = []
    if isinstance(event, BudgetExhausted):
        return _close(state, actions), actions
    if isinstance(event, Silence):
        if event.at_s >= state.ask_until_s:
            return _close(state, actions), actions
        return _retry(state, event.at_s, actions, understood=True), actions

    intent = _intent(state, event)
    if intent == "stop":
        state = _say(state, actions, "stopped")
        actions.append(End(completed=False))
        return replace(state, ended=True), actions
    if intent is None:
        if event.at_s >= state.ask_until_s:
            return _close(state, actions), actions
        return _retry(state, event.at_s, actions, understood=False), actions
    if intent == "repeat":
        if event.at_s >= state.ask_until_s:
            return _close(state, actions), actions
        if state.repeats >= MAX_REPEATS:
            return _advance(state, event.at_s, actions, transition="moving_on"), actions
        actions += [Say(state.question), _listen(state)]
        return replace(state, repeats=state.repeats + 1), actions
    if intent == "skip":
        return _advance(state, event.at_s, actions, transition="moving_on"), actions
    return _answer(state, event, intent, actions), actions


# --- transitions --------------------------------------------------------------


def _intent(state: State, event: Heard) -> str | None:
    """The intent to act on, or None when the answer was not understood in this context."""
    intent = event.match.intent
    if not event.text.strip() or intent not in ALLOWED_INTENTS[state.context]:
        return None
    return str(intent)


def _answer(state: State, event: Heard, intent: str, actions: list[Action]) -> State:
    """React to a real answer: log it, acknowledge it, go on."""
    partner = state.partner
    if intent == "appreciation":
        actions.append(Log(partner, "appreciation", event.text, None, None, event.confidence))
        state = replace(state, appreciations=state.appreciations + 1)
        state = _say(state, actions, "thank_appreciation")
    elif intent == "unmet_need":
        category = event.match.category or "other"
        actions.append(Log(partner, "unmet_need", event.text, category, None, event.confidence))
        state = replace(state, needs=state.needs + 1)
        state = _say(state, actions, "validate_need")
        if event.at_s < state.ask_until_s:
            state = replace(state, responding=True)
            return _ask(state, actions, "ask_response")
    elif intent == "nothing":
        state = _say(state, actions, f"nothing_{state.context}")
    else:  # validation or dismissal: the response context
        validated = intent == "validation"
        actions.append(
            Log(partner, "response", event.text, None, validated, event.confidence)
        )
        state = _say(state, actions, "affirm_validation" if validated else "coach_dismissal")
    return _advance(state, event.at_s, actions, transition=None)


def _retry(state: State, at_s: float, actions: list[Action], *, understood: bool) -> State:
    """Ask the current question once more in other words, or move on if that was done."""
    if state.reprompted:
        return _advance(state, at_s, actions, transition="moving_on")
    if not understood:
        state = _say(state, actions, "not_understood")
    state, question = _line(state, f"re{_ask_key(state)}")
    actions += [Say(question)]
    state = replace(state, question=question, reprompted=True)
    actions.append(_listen(state))
    return state


def _advance(state: State, at_s: float, actions: list[Action], *, transition: str | None) -> State:
    """Go to the next question, or to the closing when there is none or time runs short."""
    next_stage = state.stage + 1
    if next_stage >= len(_STAGES) or at_s >= state.ask_until_s:
        return _close(state, actions)
    state = replace(state, stage=next_stage, responding=False)
    if transition is not None:
        state = _say(state, actions, transition)
    return _ask(state, actions, _ask_key(state))


def _ask(state: State, actions: list[Action], key: str) -> State:
    state, question = _line(state, key)
    state = replace(state, question=question, reprompted=False, repeats=0)
    actions += [Say(question), _listen(state)]
    return state


def _close(state: State, actions: list[Action]) -> State:
    """The one-line summary, the goodbye, and the end of a completed check-in."""
    appreciations = state.script.count(state.appreciations, state.script.appreciation_forms)
    needs = state.script.count(state.needs, state.script.need_forms)
    if state.appreciations and state.needs:
        key = "summary_both"
    elif state.appreciations:
        key = "summary_appreciations"
    elif state.needs:
        key = "summary_needs"
    else:
        key = "summary_none"
    state = _say(state, actions, key, appreciations=appreciations, needs=needs)
    state = _say(state, actions, "goodbye")
    actions.append(End(completed=True))
    return replace(state, ended=True)


def _ask_key(state: State) -> str:
    return f"ask_{state.context}"


def _listen(state: State) -> Listen:
    return Listen(state.context, state.partner, state.script.answer_timeout_s)


def _say(state: State, actions: list[Action], key: str, **counts: str) -> State:
    state, text = _line(state, key, **counts)
    actions.append(Say(text))
    return state


def _line(state: State, key: str, **counts: str) -> tuple[State, str]:
    """The next variant of line `key`, filled in, and the state that remembers it was said.

    The first variant said for a key depends only on the seed; each later use of
    the same key in the session takes the next one, so it never repeats back to back.
    """
    variants = state.script.variants(key)
    uses = state.line_uses.get(key, 0)
    index = (zlib.crc32(f"{state.seed}:{key}".encode()) + uses) % len(variants)
    a, b = state.partners
    text = variants[index].format(a=a, b=b, partner=state.partner, other=state.other, **counts)
    return replace(state, line_uses={**state.line_uses, key: uses + 1}), text
