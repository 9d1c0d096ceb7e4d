"""The dialogue's answers that aren't answers yet, repair after a dismissal, fair turns and the
clock: the pure machine, driven with Match objects (no audio, no matcher)."""

from __future__ import annotations

import pytest
from dialogue_helpers import PARTNERS, SCRIPT, Conversation, heard, turn_discipline_holds, variants

from voice.checkin import dialogue
from voice.checkin.dialogue import End, Listen, Log, Retract, Say

ANA, SAM = PARTNERS


def ask(key: str, partner: str, other: str) -> set[str]:
    return variants(key, partner=partner, other=other)


def to_anas_need(talk: Conversation) -> None:
    talk.answer("skip")
    talk.answer("skip")
    assert talk.listening == Listen("need", ANA, SCRIPT.answer_timeout_s)


# --- repair after a dismissal -------------------------------------------------------------


def dismissed(talk: Conversation) -> list[object]:
    to_anas_need(talk)
    talk.answer("unmet_need", "you rolled your eyes at my idea", "dismissed")
    return talk.answer("dismissal", "you're too sensitive")  # type: ignore[return-value]


def test_the_dismisser_is_coached_by_name_and_gets_one_more_try() -> None:
    talk = Conversation()
    actions = dismissed(talk)
    assert actions[0] == Log(SAM, "response", "you're too sensitive", None, False, 0.9)
    coaching = actions[1]
    assert isinstance(coaching, Say) and coaching.text in ask("coach_dismissal", SAM, ANA)
    assert coaching.text.startswith(f"{SAM},")  # said to someone, not to nobody
    assert actions[2] == Listen("response", SAM, SCRIPT.answer_timeout_s)


def test_a_good_second_try_is_logged_too_and_the_sharer_hears_a_validation() -> None:
    talk = Conversation()
    dismissed(talk)
    actions = talk.answer("validation", "i'm sorry, i hear you")
    assert actions[0] == Log(SAM, "response", "i'm sorry, i hear you", None, True, 0.9)
    assert [a.kind for a in talk.logs] == ["unmet_need", "response", "response"]
    said = [a.text for a in actions if isinstance(a, Say)]
    assert said[0] in ask("affirm_retry", SAM, ANA)
    assert said[1] in ask("validate_sharer", SAM, ANA) and said[1].startswith(ANA)
    assert talk.listening == Listen("need", SAM, SCRIPT.answer_timeout_s)


@pytest.mark.parametrize("second", ["dismissal", "silence", "skip", "unclear"])
def test_whatever_the_second_try_brings_the_sharer_is_validated_before_moving_on(
    second: str
) -> None:
    talk = Conversation()
    dismissed(talk)
    if second == "silence":
        actions = talk.silence()
    else:
        actions = talk.answer(None if second == "unclear" else second, "whatever")
    said = [a.text for a in actions if isinstance(a, Say)]
    assert said[0] in ask("validate_sharer", SAM, ANA)
    assert not any(text in ask("coach_dismissal", SAM, ANA) for text in said)  # coached once
    assert talk.listening == Listen("need", SAM, SCRIPT.answer_timeout_s)
    assert len([a for a in talk.logs if a.kind == "response"]) == (2 if second == "dismissal"
                                                                   else 1)


# --- fair turns ---------------------------------------------------------------------------


def test_the_first_partner_given_is_asked_first_in_both_rounds() -> None:
    state, actions = dialogue.start((SAM, ANA), SCRIPT, 1)
    assert actions[-1] == Listen("appreciation", SAM, SCRIPT.answer_timeout_s)
    for _ in range(2):
        state, actions = dialogue.step(state, heard("skip", at_s=5.0))
    assert actions[-1] == Listen("need", SAM, SCRIPT.answer_timeout_s)


def test_you_go_first_hands_the_turn_over_for_that_round() -> None:
    talk = Conversation()
    actions = talk.answer("hand_over", "sam you go first")
    assert not [a for a in actions if isinstance(a, Log)]
    assert isinstance(actions[0], Say) and actions[0].text in ask("handed_over", SAM, ANA)
    assert actions[1].text in ask("ask_appreciation", SAM, ANA)  # type: ignore[union-attr]
    assert talk.listening == Listen("appreciation", SAM, SCRIPT.answer_timeout_s)
    talk.answer("appreciation", "dinner")
    assert talk.listening == Listen("appreciation", ANA, SCRIPT.answer_timeout_s)
    talk.answer("appreciation", "the flowers")
    assert [(log.partner, log.text) for log in talk.logs] == [(SAM, "dinner"),
                                                              (ANA, "the flowers")]
    assert talk.listening.partner == ANA  # the need round keeps the evening's order


def test_a_hand_over_after_the_other_partner_answered_keeps_the_turn() -> None:
    talk = Conversation()
    talk.answer("appreciation", "dinner")
    actions = talk.answer("hand_over", "you go first")
    assert actions[0].text in ask("hand_over_declined", SAM, ANA)  # type: ignore[union-attr]
    assert talk.listening == Listen("appreciation", SAM, SCRIPT.answer_timeout_s)


# --- answers that aren't answers yet -------------------------------------------------------


def test_a_bare_yes_to_the_need_question_gets_what_happened() -> None:
    talk = Conversation()
    to_anas_need(talk)
    actions = talk.answer("need_yes", "yes")
    assert not [a for a in actions if isinstance(a, Log)]
    assert actions[0].text in ask("what_happened", ANA, SAM)  # type: ignore[union-attr]
    assert talk.listening == Listen("need", ANA, SCRIPT.answer_timeout_s)
    talk.answer("unmet_need", "you were on your phone at dinner", "distracted")
    assert talk.logs == [Log(ANA, "unmet_need", "you were on your phone at dinner",
                             "distracted", None, 0.9)]
    assert talk.listening == Listen("response", SAM, SCRIPT.answer_timeout_s)


def test_let_me_think_earns_a_patient_wait_not_an_entry_and_is_bounded() -> None:
    talk = Conversation()
    question = talk.said[-1]
    for _ in range(dialogue.MAX_WAITS):
        actions = talk.answer("think", "um give me a second")
        assert actions[0].text in ask("wait_patiently", ANA, SAM)  # type: ignore[union-attr]
        assert actions[1] == Listen("appreciation", ANA, SCRIPT.think_timeout_s)
    assert SCRIPT.think_timeout_s > SCRIPT.answer_timeout_s
    assert talk.logs == [] and talk.said.count(question) == 1  # waited, not asked again
    talk.answer("think", "let me think")
    assert talk.listening.partner == SAM


def test_a_short_ok_in_the_response_is_a_brief_acknowledgement() -> None:
    talk = Conversation()
    to_anas_need(talk)
    talk.answer("unmet_need", "you never texted me back", "no_response")
    actions = talk.answer("acknowledgement", "mm")
    assert actions[0] == Log(SAM, "response", "mm", None, True, 0.9)
    assert actions[1].text in ask("affirm_acknowledgement", SAM, ANA)  # type: ignore[union-attr]
    assert not any(text in ask("not_understood", SAM, ANA) for text in talk.said)


# --- a complaint dressed as an appreciation ----------------------------------------------------


def test_a_complaint_is_not_praised_and_is_asked_about_gently() -> None:
    talk = Conversation()
    actions = talk.answer("complaint", "thanks for leaving the dishes again, really lovely")
    assert not [a for a in actions if isinstance(a, Log)]
    said = [a.text for a in actions if isinstance(a, Say)]
    assert said == [said[0]] and said[0] in ask("check_hurt", ANA, SAM)
    assert not any(text in ask("thank_appreciation", ANA, SAM) for text in talk.said)
    assert talk.listening == Listen("yesno", ANA, SCRIPT.answer_timeout_s)


def test_yes_logs_the_complaint_as_a_hurt_and_the_partner_is_asked_to_respond() -> None:
    talk = Conversation()
    talk.answer("complaint", "i hate you")
    actions = talk.answer("yes", "yes")
    assert actions[0] == Log(ANA, "unmet_need", "i hate you", "other", None, 0.9)
    assert actions[1].text in ask("validate_need", ANA, SAM)  # type: ignore[union-attr]
    assert talk.listening == Listen("response", SAM, SCRIPT.answer_timeout_s)
    talk.answer("validation", "i'm sorry")
    assert talk.listening == Listen("appreciation", SAM, SCRIPT.answer_timeout_s)
    assert talk.state.appreciations == 0 and talk.state.needs == 1


def test_no_keeps_it_out_of_the_log_and_asks_for_an_appreciation_once_more() -> None:
    talk = Conversation()
    talk.answer("complaint", "thanks for nothing")
    actions = talk.answer("no", "no it was a joke")
    assert not [a for a in actions if isinstance(a, Log)]
    assert actions[0].text in ask("not_a_hurt", ANA, SAM)  # type: ignore[union-attr]
    assert actions[1].text in ask("reask_appreciation", ANA, SAM)  # type: ignore[union-attr]
    assert talk.listening == Listen("appreciation", ANA, SCRIPT.answer_timeout_s)


# --- correcting a misheard answer ---------------------------------------------------------------


def test_thats_not_what_i_said_takes_the_answer_back_and_asks_again() -> None:
    talk = Conversation()
    question = talk.said[-1]
    talk.answer("appreciation", "you made me toffee")
    actions = talk.answer("correct", "that's not what i said")
    assert actions[0] == Retract()
    assert actions[1].text in ask("ask_again", ANA, SAM)  # type: ignore[union-attr]
    assert actions[2:] == [Say(question), Listen("appreciation", ANA, SCRIPT.answer_timeout_s)]
    talk.answer("appreciation", "you made me coffee")
    assert talk.listening == Listen("appreciation", SAM, SCRIPT.answer_timeout_s)
    assert talk.state.appreciations == 1
    assert all(turn_discipline_holds(batch) for batch in talk.batches)


def test_a_misheard_need_is_asked_again_before_anyone_responds() -> None:
    talk = Conversation()
    to_anas_need(talk)
    talk.answer("unmet_need", "you canceled the plants", "cancelled_plans")
    actions = talk.answer("correct", "no change that")
    assert actions[0] == Retract()
    assert talk.listening == Listen("need", ANA, SCRIPT.answer_timeout_s)
    assert talk.state.needs == 0


def test_a_correction_with_nothing_to_correct_is_not_understood() -> None:
    talk = Conversation()
    actions = talk.answer("correct", "that's not what i said")
    assert Retract() not in actions
    assert actions[0].text in ask("not_understood", ANA, SAM)  # type: ignore[union-attr]
    talk.answer("nothing", "nothing today")
    assert Retract() not in talk.answer("correct", "no change that")  # nothing was logged
    assert talk.listening == Listen("appreciation", ANA, SCRIPT.answer_timeout_s)


# --- the two-minute budget never leaves a hurt unanswered ----------------------------------------


def test_a_need_question_is_not_asked_without_room_for_its_response() -> None:
    talk = Conversation()
    talk.answer("appreciation", "dinner")
    late = talk.state.need_until_s + 0.5
    assert late < talk.state.ask_until_s  # room for a question, not for a need and its response
    actions = talk.send(heard("appreciation", "the walk", at_s=late))
    said = [a.text for a in actions if isinstance(a, Say)]
    assert not any("brushed" in text or "unheard" in text for text in said)
    assert said[1] in variants("time_up")  # said kindly, before the summary
    assert actions[-1] == End(completed=True)


def test_a_need_shared_in_time_always_reaches_its_response() -> None:
    talk = Conversation()
    talk.answer("skip")
    ask_at = talk.state.need_until_s - 0.5
    talk.send(heard("skip", at_s=ask_at))
    assert talk.listening.context == "need"
    # The longest answer that still ends before the closing: the response is asked.
    talk.send(heard("unmet_need", "a long story", "other", at_s=talk.state.ask_until_s - 0.1))
    assert talk.listening == Listen("response", SAM, SCRIPT.answer_timeout_s)


def test_a_hurt_shared_as_time_runs_out_still_hears_that_it_matters() -> None:
    talk = Conversation()
    to_anas_need(talk)
    actions = talk.send(heard("unmet_need", "you laughed at me", "sarcasm",
                              at_s=talk.state.ask_until_s + 1))
    said = [a.text for a in actions if isinstance(a, Say)]
    assert said[1] in ask("respond_later", SAM, ANA)
    assert actions[-1] == End(completed=True)
