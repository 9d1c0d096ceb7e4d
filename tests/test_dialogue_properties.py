"""Properties of the dialogue over arbitrary event sequences (hypothesis).

- It always ends, within a bounded number of steps, whatever is heard.
- Nothing is logged from silence, the budget running out, or an answer not understood.
- Turn discipline: every batch is Say/Log actions then exactly one Listen or End,
  so the assistant never listens while it still has something to say.
- Once too little time is left for another question, nothing more is asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogue_helpers import PARTNERS, SCRIPT, turn_discipline_holds
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
    Silence,
)

INTENTS = [None, "appreciation", "nothing", "skip", "repeat", "stop", "unmet_need",
           "validation", "dismissal", "yes", "no"]
CATEGORIES = [None, "no_response", "dismissed", "unacknowledged_effort", "avoided_affection",
              "distracted", "cancelled_plans", "sarcasm", "other"]


@dataclass(frozen=True)
class Draft:
    """An event without its time: hypothesis draws these, the test stamps the times."""

    kind: str
    intent: str | None = None
    category: str | None = None
    text: str = ""


drafts = st.one_of(
    st.builds(Draft, kind=st.just("heard"), intent=st.sampled_from(INTENTS),
              category=st.sampled_from(CATEGORIES),
              text=st.one_of(st.sampled_from(["the", "um", "", " ", "you cooked dinner"]),
                             st.text(max_size=30))),
    st.just(Draft("silence")),
    st.just(Draft("budget")),
)
gaps = st.floats(min_value=0.0, max_value=30.0, allow_nan=False)


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
    budget_s=st.floats(min_value=20.0, max_value=300.0),
    started_at_s=st.floats(min_value=0.0, max_value=10_000.0),
)
def test_any_event_sequence_keeps_the_dialogue_s_promises(
    events: list[tuple[Draft, float]], seed: int, budget_s: float, started_at_s: float
) -> None:
    state, actions = dialogue.start(PARTNERS, SCRIPT, seed, budget_s, started_at_s)
    assert turn_discipline_holds(actions)
    now_s = started_at_s
    listens = 1
    for draft, gap_s in events:
        listening = actions[-1]
        if isinstance(listening, End):
            break
        assert isinstance(listening, Listen)
        now_s += gap_s
        event = stamp(draft, now_s)
        context = state.context
        state, actions = dialogue.step(state, event)

        assert turn_discipline_holds(actions)
        logs = [action for action in actions if isinstance(action, Log)]
        understood = (isinstance(event, Heard) and event.text.strip() != ""
                      and event.match.intent in ALLOWED_INTENTS[context])
        if not understood:
            assert logs == [], f"logged {logs} from {event}"
        for log in logs:
            assert isinstance(event, Heard) and log.text == event.text
            assert log.partner == listening.partner
            assert log.kind in ("appreciation", "unmet_need", "response")
            assert (log.category is not None) == (log.kind == "unmet_need")
            assert (log.validated is not None) == (log.kind == "response")
        if now_s >= state.ask_until_s or isinstance(event, BudgetExhausted):
            assert isinstance(actions[-1], End), "asked more after the budget ran short"
        listens += isinstance(actions[-1], Listen)
    assert isinstance(actions[-1], End), "the check-in did not end within MAX_LISTENS events"
    assert listens <= dialogue.MAX_LISTENS
    assert state.ended
