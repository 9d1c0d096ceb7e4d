"""The check-in dialogue: a pure state machine, `(state, event) -> (state, actions)`.

The same machine drives spoken, typed and demo check-ins; only the edges that
execute its actions differ (see voice/checkin/session.py). It does no I/O, reads
no clock and draws no random numbers: time arrives inside the events (audio-clock
seconds), and the variant of each line is chosen from the seed carried in the
state, so a given seed and event sequence always gives the same conversation.
The types are in dialogue_types.py; the words in script.toml.

The script, for tonight's first partner A and second partner B (the driver
alternates who is A from one check-in to the next):

1. opening naming both;
2. A: appreciation; 3. B: appreciation ("Sam, you go first" swaps a round);
4. A: unmet need -> validation phrase -> B responds. A dismissal is coached, by
   name, with one more try; whatever B says then, A hears a validation;
5. B: unmet need -> the same, with A responding;
6. closing: one-line summary and a warm goodbye.

A complaint given as an appreciation is not praised: A is asked whether it hurt,
and a yes logs it as a need. A need question is only asked while there is room
for its response, so a hurt is never left unanswered by the clock.

Turn discipline, which every batch of actions keeps (the driver relies on it):
a batch is zero or more Say/Log/Retract actions followed by exactly one Listen or
one End, and nothing after it. Nothing is ever logged from a Silence, a
BudgetExhausted, or a Heard whose intent is not allowed in the context asked.
"""

from __future__ import annotations

import zlib
from dataclasses import replace

from store.vocabulary import CATEGORIES
from voice.checkin.dialogue_types import (
    ALLOWED_INTENTS,
    APPRECIATION,
    ASK,
    COMMANDS,
    CONFIRM,
    MAX_CORRECTIONS,
    MAX_LISTENS,
    MAX_REPEATS,
    MAX_WAITS,
    NEED,
    RESPOND,
    RESPONSE,
    RETRY,
    STAGES,
    YESNO,
    Action,
    BudgetExhausted,
    End,
    Event,
    Heard,
    Listen,
    Log,
    Pending,
    Retract,
    Say,
    Silence,
    State,
)
from voice.checkin.script import Script

__all__ = [
    "ALLOWED_INTENTS", "APPRECIATION", "MAX_CORRECTIONS", "MAX_LISTENS", "MAX_REPEATS",
    "MAX_WAITS", "NEED", "RESPONSE", "YESNO", "Action", "BudgetExhausted", "End", "Event",
    "Heard", "Listen", "Log", "Retract", "Say", "Silence", "State", "start", "step",
]

EXTRA_LINE_GRACE_S = 3.0
"""The closing's reserve holds one extra line (time is up, or a hurt still matters) besides
the summary and the goodbye, with this much to spare for a closing that starts late."""

_ANSWERS = frozenset(
    {"appreciation", "unmet_need", "nothing", "validation", "dismissal", "acknowledgement"}
)
"""Answers that "that's not what I said", right after, may take back."""


def start(
    partners: tuple[str, str],
    script: Script,
    seed: int,
    budget_s: float = 120.0,
    started_at_s: float = 0.0,
) -> tuple[State, list[Action]]:
    """Begin a check-in at audio time `started_at_s`: the opening and the first question.

    `partners` are in tonight's order: the first is asked first."""
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
    undo, undo_logged = state.undo, state.undo_logged
    state = replace(state, undo=None, undo_logged=False)
    if isinstance(event, BudgetExhausted):
        return _close(state, actions, cut_short=True, at_s=event.at_s), actions
    late = event.at_s >= _until(state)
    if isinstance(event, Silence):
        if late:
            return _close(state, actions, cut_short=True, at_s=event.at_s), actions
        return _retry(state, event.at_s, actions, understood=True), actions

    intent = _intent(state, event)
    if intent == "stop":
        state = _say(state, actions, "stopped")
        actions.append(End(completed=False))
        return replace(state, ended=True), actions
    if intent == "correct" and undo is not None and state.corrections < MAX_CORRECTIONS:
        if event.at_s >= _until(undo):
            return _close(state, actions, cut_short=True, at_s=event.at_s), actions
        return _correct(state, undo, undo_logged, actions), actions
    if intent is None or intent == "correct":
        if late:
            return _close(state, actions, cut_short=True, at_s=event.at_s), actions
        return _retry(state, event.at_s, actions, understood=False), actions
    if intent in COMMANDS:
        return _command(state, intent, event.at_s, actions), actions
    before = state
    state = _answer(state, event, intent, actions)
    if intent in _ANSWERS and not state.ended:
        state = replace(
            state, undo=before, undo_logged=any(isinstance(a, Log) for a in actions)
        )
    return state, actions


# --- transitions --------------------------------------------------------------


def _intent(state: State, event: Heard) -> str | None:
    """The intent to act on, or None when the answer was not understood in this context."""
    intent = event.match.intent
    if not event.text.strip() or intent not in ALLOWED_INTENTS[state.context]:
        return None
    return str(intent)


def _command(state: State, intent: str, at_s: float, actions: list[Action]) -> State:
    """Skip, repeat, "let me think" and "you go first": nothing is logged."""
    if intent == "skip":
        return _give_up(state, at_s, actions)
    if at_s >= _until(state):
        return _close(state, actions, cut_short=True, at_s=at_s)
    if intent == "repeat":
        if state.repeats >= MAX_REPEATS:
            return _give_up(state, at_s, actions)
        actions += [Say(state.question), _listen(state)]
        return replace(state, repeats=state.repeats + 1)
    if intent == "think":
        if state.waits >= MAX_WAITS:
            return _give_up(state, at_s, actions)
        state = _say(state, actions, "wait_patiently")
        actions.append(_listen(state, patient=True))
        return replace(state, waits=state.waits + 1)
    context, index = STAGES[state.stage]  # hand_over
    if state.phase == ASK and index == 0 and context not in state.handed:
        state = replace(state, handed=state.handed | {context}, detail_asked=False)
        state = _say(state, actions, "handed_over")
        return _ask(state, actions, _ask_key(state))
    if state.repeats >= MAX_REPEATS:
        return _give_up(state, at_s, actions)
    state = _say(state, actions, "hand_over_declined")
    actions.append(_listen(state))
    return replace(state, repeats=state.repeats + 1)


def _answer(state: State, event: Heard, intent: str, actions: list[Action]) -> State:
    """React to a real answer: log it, acknowledge it, go on."""
    at_s = event.at_s
    heard = Pending(event.text, event.match.category, event.confidence)
    if intent == "appreciation":
        actions.append(Log(state.partner, "appreciation", event.text, None, None,
                           event.confidence))
        state = replace(state, appreciations=state.appreciations + 1)
        state = _say(state, actions, "thank_appreciation")
        return _advance(state, at_s, actions)
    if intent == "unmet_need":
        return _share(state, heard, at_s, actions)
    if intent in ("complaint", "need_yes") and at_s >= _until(state):
        return _close(state, actions, cut_short=True, at_s=event.at_s)
    if intent == "complaint":
        return _ask(replace(state, phase=CONFIRM, pending=heard), actions, "check_hurt",
                    fresh=False)
    if intent == "yes" and state.pending is not None:
        return _share(replace(state, phase=ASK, pending=None), state.pending, at_s, actions)
    if intent in ("yes", "no"):
        state = _say(replace(state, phase=ASK, pending=None), actions, "not_a_hurt")
        return _retry(state, at_s, actions, understood=True)
    if intent == "need_yes":
        if state.detail_asked:
            return _retry(state, at_s, actions, understood=False)
        return _ask(replace(state, detail_asked=True), actions, "what_happened", fresh=False)
    if intent == "nothing":
        state = _say(state, actions, f"nothing_{state.context}")
        return _advance(state, at_s, actions)
    validated = intent != "dismissal"  # the response context
    actions.append(Log(state.partner, "response", event.text, None, validated, event.confidence))
    if state.phase == RETRY:
        if validated:
            state = _say(state, actions, "affirm_retry")
        return _leave_response(state, at_s, actions)
    if validated:
        key = "affirm_validation" if intent == "validation" else "affirm_acknowledgement"
        return _advance(_say(state, actions, key), at_s, actions)
    if at_s >= state.ask_until_s:
        return _leave_response(state, at_s, actions)
    return _ask(replace(state, phase=RETRY), actions, "coach_dismissal")


def _share(state: State, need: Pending, at_s: float, actions: list[Action]) -> State:
    """Log a hurt, validate it, and ask the other partner to let the sharer know they heard."""
    category = need.category if need.category in CATEGORIES else "other"
    actions.append(Log(state.partner, "unmet_need", need.text, category, None, need.confidence))
    state = _say(replace(state, needs=state.needs + 1), actions, "validate_need")
    state = replace(state, phase=RESPOND)
    if at_s >= state.ask_until_s:
        return _close(state, actions, cut_short=True, at_s=at_s)
    return _ask(state, actions, "ask_response")


def _correct(state: State, undo: State, logged: bool, actions: list[Action]) -> State:
    """"That's not what I said": take the last answer back and ask its question again."""
    if logged:
        actions.append(Retract())
    back = replace(undo, line_uses=state.line_uses, corrections=state.corrections + 1)
    back = _say(back, actions, "ask_again")
    actions += [Say(back.question), _listen(back)]
    return back


def _retry(state: State, at_s: float, actions: list[Action], *, understood: bool) -> State:
    """Ask the current question once more in other words, or move on if that was done."""
    if state.phase in (RETRY, CONFIRM) or state.reprompted:
        return _give_up(state, at_s, actions)
    if at_s >= _until(state):
        return _close(state, actions, cut_short=True, at_s=at_s)
    if not understood:
        state = _say(state, actions, "not_understood")
    key = "reask_response" if state.phase == RESPOND else f"re{_ask_key(state)}"
    state, question = _line(state, key)
    actions += [Say(question)]
    state = replace(state, question=question, reprompted=True)
    actions.append(_listen(state))
    return state


def _give_up(state: State, at_s: float, actions: list[Action]) -> State:
    """No (more) answer to this question: a response still ends with the sharer validated."""
    if state.phase in (RESPOND, RETRY):
        return _leave_response(state, at_s, actions)
    return _advance(state, at_s, actions, transition="moving_on")


def _leave_response(state: State, at_s: float, actions: list[Action]) -> State:
    """The sharer hears a validation from the assistant before the check-in goes on."""
    return _advance(_say(state, actions, "validate_sharer"), at_s, actions)


def _advance(
    state: State, at_s: float, actions: list[Action], *, transition: str | None = None
) -> State:
    """Go to the next question, or to the closing when there is none or no room for it."""
    state = replace(state, phase=ASK, pending=None)
    next_stage = state.stage + 1
    if next_stage >= len(STAGES):
        return _close(state, actions)
    state = replace(state, stage=next_stage, detail_asked=False)
    room_until = state.need_until_s if STAGES[next_stage][0] == NEED else state.ask_until_s
    if at_s >= room_until:
        return _close(state, actions, cut_short=True, at_s=at_s)
    if transition is not None:
        state = _say(state, actions, transition)
    return _ask(state, actions, _ask_key(state))


def _ask(state: State, actions: list[Action], key: str, *, fresh: bool = True) -> State:
    """Say a question and listen; `fresh`: a new question, not a follow-up of the same one."""
    state, question = _line(state, key)
    state = replace(state, question=question, repeats=0, waits=0)
    if fresh:
        state = replace(state, reprompted=False)
    actions += [Say(question), _listen(state)]
    return state


def _close(
    state: State, actions: list[Action], *, cut_short: bool = False, at_s: float | None = None
) -> State:
    """The one-line summary, the goodbye, and the end of a completed check-in.

    Cut short by the clock, it says so kindly; in the middle of a response, the
    hurt partner still hears that it matters. When an answer ran so long (`at_s`)
    that the closing's reserve no longer holds it, that extra line and the summary
    are left out: the goodbye alone still ends within the two minutes."""
    room = at_s is None or at_s <= state.close_at_s + EXTRA_LINE_GRACE_S
    if room:
        if state.phase == RESPOND:
            state = _say(state, actions, "respond_later")
        elif state.phase == RETRY:
            state = _say(state, actions, "validate_sharer")
        elif cut_short:
            state = _say(state, actions, "time_up")
        state = _summarise(state, actions)
    state = _say(state, actions, "goodbye")
    actions.append(End(completed=True))
    return replace(state, ended=True)


def _summarise(state: State, actions: list[Action]) -> State:
    """Tonight in one line: how many appreciations and hurts were shared."""
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
    return _say(state, actions, key, appreciations=appreciations, needs=needs)


def _until(state: State) -> float:
    """Past this, the current question is not asked (again): a question about a hurt needs
    room for the answer, its validation and the other partner's response."""
    return state.need_until_s if state.context == NEED else state.ask_until_s


def _ask_key(state: State) -> str:
    return f"ask_{state.context}"


def _listen(state: State, patient: bool = False) -> Listen:
    script = state.script
    return Listen(state.context, state.partner,
                  script.think_timeout_s if patient else script.answer_timeout_s)


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

