"""The check-in dialogue as a pure state machine: every branch, no audio."""

from __future__ import annotations

from dataclasses import replace

import pytest
from dialogue_helpers import PARTNERS, SCRIPT, Conversation, heard, turn_discipline_holds, variants

from voice.checkin import dialogue
from voice.checkin.dialogue import BudgetExhausted, End, Listen, Log, Say, Silence

ANA, SAM = PARTNERS


def ask(key: str, partner: str, other: str) -> set[str]:
    return variants(key, partner=partner, other=other)


def test_opening_names_both_partners_then_asks_the_first_appreciation() -> None:
    talk = Conversation()
    opening, question, listen = talk.batches[0]
    assert isinstance(opening, Say) and ANA in opening.text and SAM in opening.text
    assert isinstance(question, Say)
    assert question.text in ask("ask_appreciation", ANA, SAM)
    assert listen == Listen("appreciation", ANA, SCRIPT.answer_timeout_s)


def test_a_whole_check_in_logs_each_answer_and_closes_with_a_summary() -> None:
    talk = Conversation()
    talk.answer("appreciation", "you made me coffee this morning")
    assert talk.said[-2] in ask("thank_appreciation", ANA, SAM)
    assert talk.listening == Listen("appreciation", SAM, SCRIPT.answer_timeout_s)

    talk.answer("appreciation", "thank you for picking up the kids")
    assert talk.listening.context == "need" and talk.listening.partner == ANA
    assert talk.said[-1] in ask("ask_need", ANA, SAM)

    talk.answer("unmet_need", "i felt ignored when you were on your phone", "distracted")
    validation, response_question = talk.said[-2:]
    assert validation in ask("validate_need", ANA, SAM)
    assert response_question in ask("ask_response", SAM, ANA)
    assert talk.listening == Listen("response", SAM, SCRIPT.answer_timeout_s)

    talk.answer("validation", "i hear you and i'm sorry")
    assert talk.said[-2] in ask("affirm_validation", SAM, ANA)
    assert talk.listening == Listen("need", SAM, SCRIPT.answer_timeout_s)

    talk.answer("nothing", "no not today")
    summary, goodbye = talk.said[-2:]
    assert talk.said[-3] in ask("nothing_need", SAM, ANA)
    assert summary in variants("summary_both", appreciations="two appreciations",
                               needs="one moment that hurt")
    assert goodbye in variants("goodbye")
    assert talk.end == End(completed=True)

    assert talk.logs == [
        Log(ANA, "appreciation", "you made me coffee this morning", None, None, 0.9),
        Log(SAM, "appreciation", "thank you for picking up the kids", None, None, 0.9),
        Log(ANA, "unmet_need", "i felt ignored when you were on your phone", "distracted",
            None, 0.9),
        Log(SAM, "response", "i hear you and i'm sorry", None, True, 0.9),
    ]
    assert all(turn_discipline_holds(batch) for batch in talk.batches)


def test_the_first_variant_of_each_line_is_the_designed_wording() -> None:
    designed = replace(SCRIPT, lines={key: lines[:1] for key, lines in SCRIPT.lines.items()})
    talk = Conversation(script=designed)
    talk.answer("appreciation")
    talk.answer("appreciation")
    talk.answer("unmet_need", category="dismissed")
    talk.answer("validation")
    talk.answer("unmet_need", category="sarcasm")
    talk.answer("dismissal")
    talk.answer("validation")
    assert talk.said[1] == "Ana, what's one thing Sam did today that you appreciated?"
    assert talk.said[5] == (
        "Ana, was there a moment today you felt brushed off or unheard? "
        "You can say how you felt, and when."
    )
    assert talk.said[6:8] == ["I can see how that might be upsetting.",
                              "Sam, can you let Ana know you heard that?"]
    assert ("Ana, that might land hard for Sam. You could try: 'I understand how you feel.' "
            "Would you like to try again?") in talk.said
    assert talk.said[-4:] == [
        "Thank you, Ana. That means a lot.",
        "Sam, what you felt matters, and it makes sense.",
        "Tonight you shared two appreciations and two moments that hurt.",
        "I'll be here again tomorrow evening.",
    ]


def test_b_shares_a_need_and_a_responds() -> None:
    talk = Conversation()
    for _ in range(3):
        talk.answer("skip")
    assert talk.listening == Listen("need", SAM, SCRIPT.answer_timeout_s)
    talk.answer("unmet_need", "you cancelled our dinner again", "cancelled_plans")
    assert talk.listening == Listen("response", ANA, SCRIPT.answer_timeout_s)
    assert talk.said[-1] in ask("ask_response", ANA, SAM)
    talk.answer("validation", "that makes sense")
    assert talk.logs[-2:] == [
        Log(SAM, "unmet_need", "you cancelled our dinner again", "cancelled_plans", None, 0.9),
        Log(ANA, "response", "that makes sense", None, True, 0.9),
    ]
    assert talk.said[-2] in variants("summary_needs", needs="one moment that hurt")
    assert talk.end == End(completed=True)


def test_nothing_to_appreciate_gets_a_gentle_acknowledgement_and_no_entry() -> None:
    talk = Conversation()
    actions = talk.answer("nothing", "nothing really")
    assert not [a for a in actions if isinstance(a, Log)]
    assert talk.said[-2] in ask("nothing_appreciation", ANA, SAM)
    assert talk.listening.partner == SAM


def test_nothing_to_share_as_a_need_gets_glad_to_hear_it() -> None:
    talk = Conversation()
    talk.answer("skip")
    talk.answer("skip")
    talk.answer("nothing", "no honestly i felt listened to")
    assert talk.said[-2] in ask("nothing_need", ANA, SAM)
    assert "I'm glad to hear that" in talk.said[-2]
    assert talk.listening == Listen("need", SAM, SCRIPT.answer_timeout_s)
    assert talk.logs == []


def test_skip_moves_on_without_logging() -> None:
    talk = Conversation()
    actions = talk.answer("skip", "pass")
    assert [a for a in actions if isinstance(a, Log)] == []
    assert isinstance(actions[0], Say) and actions[0].text in ask("moving_on", SAM, ANA)
    assert talk.listening == Listen("appreciation", SAM, SCRIPT.answer_timeout_s)


def test_repeat_asks_the_same_question_again_and_is_bounded() -> None:
    talk = Conversation()
    question = talk.said[-1]
    for _ in range(dialogue.MAX_REPEATS):
        assert talk.answer("repeat", "say that again") == [
            Say(question), Listen("appreciation", ANA, SCRIPT.answer_timeout_s)
        ]
    talk.answer("repeat", "say that again")
    assert talk.listening.partner == SAM


def test_stop_ends_now_not_completed_and_keeps_what_was_logged() -> None:
    talk = Conversation()
    talk.answer("appreciation", "the flowers")
    actions = talk.answer("stop", "we're done for tonight")
    assert actions[-1] == End(completed=False)
    assert isinstance(actions[0], Say) and actions[0].text in ask("stopped", SAM, ANA)
    assert talk.logs == [Log(ANA, "appreciation", "the flowers", None, None, 0.9)]
    with pytest.raises(ValueError):
        dialogue.step(talk.state, Silence(99.0))


def test_silence_asks_once_more_in_other_words_then_moves_on() -> None:
    talk = Conversation()
    question = talk.said[-1]
    actions = talk.silence()
    reask = actions[0]
    assert isinstance(reask, Say) and reask.text in ask("reask_appreciation", ANA, SAM)
    assert reask.text != question
    assert actions[1] == Listen("appreciation", ANA, SCRIPT.answer_timeout_s)
    talk.silence()
    assert talk.said[-2] in ask("moving_on", SAM, ANA)
    assert talk.listening.partner == SAM
    assert talk.logs == []


def test_repeat_after_a_reprompt_repeats_the_reworded_question() -> None:
    talk = Conversation()
    reask = talk.silence()[0]
    assert talk.answer("repeat") == [reask, Listen("appreciation", ANA, SCRIPT.answer_timeout_s)]


@pytest.mark.parametrize(
    ("intent", "text"),
    [(None, "the"), (None, "um"), ("validation", "i hear you"), ("appreciation", "   ")],
    ids=["noise", "filler", "intent-of-another-context", "blank-text"],
)
def test_an_unclear_answer_is_asked_once_more_and_never_logged(
    intent: str | None, text: str
) -> None:
    talk = Conversation()
    actions = talk.answer(intent, text)
    sorry, reask, listen = actions
    assert isinstance(sorry, Say) and sorry.text in ask("not_understood", ANA, SAM)
    assert isinstance(reask, Say) and reask.text in ask("reask_appreciation", ANA, SAM)
    assert listen == Listen("appreciation", ANA, SCRIPT.answer_timeout_s)
    talk.answer(intent, text)
    assert talk.listening.partner == SAM
    assert talk.logs == []


def test_silence_then_an_unclear_answer_uses_up_the_one_reprompt() -> None:
    talk = Conversation()
    talk.silence()
    talk.answer(None, "the")
    assert talk.listening.partner == SAM


def test_silence_in_the_response_moves_on_to_the_next_need() -> None:
    talk = Conversation()
    talk.answer("skip")
    talk.answer("skip")
    talk.answer("unmet_need", "you never texted me back", "no_response")
    talk.silence()
    assert talk.said[-1] in ask("reask_response", SAM, ANA)
    talk.silence()
    assert talk.listening == Listen("need", SAM, SCRIPT.answer_timeout_s)
    assert talk.said[-2] in ask("validate_sharer", SAM, ANA)  # Ana is not left unanswered
    assert [log.kind for log in talk.logs] == ["unmet_need"]


def test_an_unmet_need_without_a_category_is_logged_as_other() -> None:
    talk = Conversation()
    talk.answer("skip")
    talk.answer("skip")
    talk.answer("unmet_need", "i miss our time together", None)
    assert talk.logs[-1].category == "other"


def test_budget_exhausted_jumps_to_the_closing_and_completes() -> None:
    talk = Conversation()
    talk.answer("appreciation", "dinner")
    actions = talk.send(BudgetExhausted(100.0))
    time_up, summary, goodbye, end = actions
    assert isinstance(time_up, Say) and time_up.text in variants("time_up")  # said kindly
    assert isinstance(summary, Say)
    assert summary.text in variants("summary_appreciations", appreciations="one appreciation")
    assert isinstance(goodbye, Say) and goodbye.text in variants("goodbye")
    assert end == End(completed=True)


def test_an_answer_arriving_when_time_runs_short_is_kept_and_the_closing_follows() -> None:
    talk = Conversation()
    close_at = talk.state.ask_until_s
    assert close_at == 120.0 - SCRIPT.closing_reserve_s - SCRIPT.question_room_s
    talk.answer("skip")
    talk.answer("skip")
    actions = talk.send(heard("unmet_need", "you laughed at me", "sarcasm", at_s=close_at + 0.5))
    assert actions[0] == Log(ANA, "unmet_need", "you laughed at me", "sarcasm", None, 0.9)
    assert actions[1].text in ask("validate_need", ANA, SAM)  # type: ignore[union-attr]
    assert not [a for a in actions if isinstance(a, Listen)]
    assert actions[-1] == End(completed=True)


@pytest.mark.parametrize("late_event", ["silence", "unclear", "repeat", "skip", "nothing"])
def test_nothing_more_is_asked_once_the_budget_runs_short(late_event: str) -> None:
    talk = Conversation()
    late = talk.state.ask_until_s
    event = Silence(late) if late_event == "silence" else heard(
        None if late_event == "unclear" else late_event, "um", at_s=late)
    actions = talk.send(event)
    assert not [a for a in actions if isinstance(a, Listen)]
    assert actions[-1] == End(completed=True)


def test_a_session_starting_later_on_the_audio_clock_keeps_its_full_budget() -> None:
    state, _ = dialogue.start(PARTNERS, SCRIPT, 1, budget_s=120.0, started_at_s=500.0)
    state, actions = dialogue.step(state, heard("appreciation", at_s=560.0))
    assert isinstance(actions[-1], Listen)
    state, actions = dialogue.step(state, heard("appreciation", at_s=state.ask_until_s))
    assert state.ask_until_s == 500.0 + 120.0 - SCRIPT.closing_reserve_s - SCRIPT.question_room_s
    assert actions[-1] == End(completed=True)


def test_the_same_seed_gives_the_same_words_and_other_seeds_vary_them() -> None:
    def words(seed: int) -> list[str]:
        talk = Conversation(seed=seed)
        talk.answer("appreciation")
        talk.answer("appreciation")
        return talk.said

    assert words(3) == words(3)
    assert len({tuple(words(seed)) for seed in range(8)}) > 1
    assert len({words(seed)[0] for seed in range(20)}) > 1


def test_a_line_said_twice_in_one_session_comes_out_in_other_words() -> None:
    talk = Conversation()
    talk.answer("appreciation")
    talk.answer("appreciation")
    thanks = [text for text in talk.said
              if text in variants("thank_appreciation", partner=ANA, other=SAM)
              or text in variants("thank_appreciation", partner=SAM, other=ANA)]
    assert len(thanks) == 2
    assert SCRIPT.variants("thank_appreciation").index(_template(thanks[0], ANA, SAM)) != \
        SCRIPT.variants("thank_appreciation").index(_template(thanks[1], SAM, ANA))


def _template(text: str, partner: str, other: str) -> str:
    return next(v for v in SCRIPT.variants("thank_appreciation")
                if v.format(a=ANA, b=SAM, partner=partner, other=other) == text)


@pytest.mark.parametrize(
    ("appreciations", "needs", "key", "words"),
    [(0, 0, "summary_none", {}),
     (1, 0, "summary_appreciations", {"appreciations": "one appreciation"}),
     (0, 2, "summary_needs", {"needs": "two moments that hurt"})],
)
def test_the_summary_counts_what_was_shared(appreciations: int, needs: int, key: str,
                                            words: dict[str, str]) -> None:
    talk = Conversation()
    answers = (["appreciation"] * appreciations + ["skip"] * (2 - appreciations))
    for intent in answers:
        talk.answer(intent)
    for _ in range(2):
        if needs:
            talk.answer("unmet_need", category="other")
            talk.answer("skip")
            needs -= 1
        else:
            talk.answer("skip")
    assert talk.said[-2] in variants(key, **words)
    assert talk.end == End(completed=True)


def test_the_same_partner_twice_is_refused() -> None:
    with pytest.raises(ValueError):
        dialogue.start(("Ana", "Ana"), SCRIPT, 1)
