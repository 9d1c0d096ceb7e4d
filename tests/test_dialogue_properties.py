"""Properties of the dialogue over arbitrary event sequences (hypothesis).

- It always ends, within a bounded number of steps, whatever is heard.
- Nothing is logged from silence, the budget running out, or an answer not understood.
- Turn discipline: every batch is Say/Log actions then exactly one Listen or End,
  so the assistant never listens while it still has something to say.
- Once too little time is left for another question, nothing more is asked, and a
  question about a hurt is only asked while there is room for its response.
- An entry is only taken back on "that's not what I said", and only the latest one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from dialogue_helpers import PARTNERS, SCRIPT, turn_discipline_holds, variants
from hypothesis import given, settings
from hypothesis import strategies as st

from intents.matcher import Match
from voice.checkin import dialogue
from voice.checkin.dialogue import (
    ALLOWED_INTENTS,
    BudgetExhausted,
    End,
    Event,
    Heard,
    Listen,
    Log,
    Retract,
    Say,
    Silence,
)

INTENTS = [None, "appreciation", "nothing", "skip", "repeat", "stop", "unmet_need",
           "validation", "dismissal", "yes", "no", "complaint", "need_yes", "acknowledgement",
           "think", "hand_over", "correct"]
CATEGORIES = [None, "no_response", "dismissed", "unacknowledged_effort", "avoided_affection",
              "distracted", "cancelled_plans", "sarcasm", "other"]


@dataclass(frozen=True)
class Draft:
    """An event without its time: hypothesis draws these, the test stamps the times."""

    kind: str
    intent: str | None = None
    category: str | None = None
    text: str = ""


# Real answers weigh more, so that sequences reach the needs, responses and corrections.
WEIGHTED = INTENTS + ["appreciation", "unmet_need", "validation", "correct"] * 4
heard_drafts = st.builds(
    Draft, kind=st.just("heard"), intent=st.sampled_from(WEIGHTED),
    category=st.sampled_from(CATEGORIES),
    text=st.one_of(st.sampled_from(["the", "um", "", " "] + ["you cooked dinner"] * 8),
                   st.text(max_size=30)),
)
# Mostly answers, so sequences reach the needs and their responses; the budget rarely.
drafts = st.one_of(*[heard_drafts] * 8, st.just(Draft("silence")), st.just(Draft("budget")))
LATER = variants("respond_later", partner=PARTNERS[1], other=PARTNERS[0]) | variants(
    "respond_later", partner=PARTNERS[0], other=PARTNERS[1])
gaps = st.floats(min_value=0.0, max_value=10.0, allow_nan=False)


def stamp(draft: Draft, at_s: float) -> Event:
    if draft.kind == "silence":
        return Silence(at_s)
    if draft.kind == "budget":
        return BudgetExhausted(at_s)
    return Heard(draft.text, Match(draft.intent, draft.category, 50.0), 0.5, at_s, at_s)


@settings(max_examples=300, deadline=None)
@given(
    events=st.lists(st.tuples(drafts, gaps), min_size=dialogue.MAX_LISTENS + 1,
                    max_size=dialogue.MAX_LISTENS + 1),
    seed=st.integers(min_value=0, max_value=2**32),
    budget_s=st.floats(min_value=60.0, max_value=300.0),
    started_at_s=st.floats(min_value=0.0, max_value=10_000.0),
)
def test_any_event_sequence_keeps_the_dialogue_s_promises(
    events: list[tuple[Draft, float]], seed: int, budget_s: float, started_at_s: float
) -> None:
    keeps_its_promises(events, seed, budget_s, started_at_s)


def test_long_random_evenings_keep_the_dialogue_s_promises() -> None:
    """Hypothesis favours short sequences; seeded random walks reach needs, responses,
    repairs and corrections deep into an evening."""
    reached = {"unmet_need": 0, "retract": 0}
    for number in range(400):
        rng = random.Random(number)
        events = []
        for _ in range(dialogue.MAX_LISTENS + 1):
            roll = rng.random()
            kind = "silence" if roll < 0.08 else "budget" if roll < 0.09 else "heard"
            draft = Draft(kind, rng.choice(WEIGHTED), rng.choice(CATEGORIES),
                          rng.choice(["you cooked dinner"] * 8 + ["um", ""]))
            events.append((draft, rng.uniform(0.0, 8.0)))
        for key, count in keeps_its_promises(events, number, 120.0, 0.0).items():
            reached[key] += count
    assert reached["unmet_need"] > 50 and reached["retract"] > 20, reached


def keeps_its_promises(
    events: list[tuple[Draft, float]], seed: int, budget_s: float, started_at_s: float
) -> dict[str, int]:
    """Run one event sequence, checking every promise at every step; what it reached."""
    reached = {"unmet_need": 0, "retract": 0}
    state, actions = dialogue.start(PARTNERS, SCRIPT, seed, budget_s, started_at_s)
    assert turn_discipline_holds(actions)
    now_s = started_at_s
    listens = 1
    logged = 0
    for draft, gap_s in events:
        listening = actions[-1]
        if isinstance(listening, End):
            break
        assert isinstance(listening, Listen)
        now_s += gap_s
        event = stamp(draft, now_s)
        context = state.context
        pending = state.pending
        state, actions = dialogue.step(state, event)

        assert turn_discipline_holds(actions)
        logs = [action for action in actions if isinstance(action, Log)]
        understood = (isinstance(event, Heard) and event.text.strip() != ""
                      and event.match.intent in ALLOWED_INTENTS[context])
        if not understood:
            assert logs == [], f"logged {logs} from {event}"
        retracts = [action for action in actions if isinstance(action, Retract)]
        if retracts:
            assert isinstance(event, Heard) and event.match.intent == "correct"
            assert len(retracts) == 1 and logged > 0 and not logs
        logged += len(logs) - len(retracts)
        reached["retract"] += len(retracts)
        reached["unmet_need"] += sum(log.kind == "unmet_need" for log in logs)
        for log in logs:
            assert isinstance(event, Heard)
            assert log.text == event.text or (pending is not None and log.text == pending.text)
            assert log.partner == listening.partner
            assert log.kind in ("appreciation", "unmet_need", "response")
            assert (log.category is not None) == (log.kind == "unmet_need")
            assert (log.validated is not None) == (log.kind == "response")
        if now_s >= state.ask_until_s or isinstance(event, BudgetExhausted):
            assert isinstance(actions[-1], End), "asked more after the budget ran short"
        last = actions[-1]
        if isinstance(last, Listen) and last.context == "need":
            assert now_s < state.need_until_s, "a hurt asked about with no room for its response"
        if any(log.kind == "unmet_need" for log in logs):
            said = {a.text for a in actions if isinstance(a, Say)}
            answered = isinstance(last, Listen) and last.context == "response"
            assert answered or said & LATER, "a hurt shared and left unanswered"
        listens += isinstance(actions[-1], Listen)
    assert isinstance(actions[-1], End), "the check-in did not end within MAX_LISTENS events"
    assert listens <= dialogue.MAX_LISTENS
    assert state.ended
    return reached
