"""Behaviour of the intent matcher on the answers the issue singles out."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents import CONTEXTS, CatalogueError, Match, load_catalogue, match


@pytest.mark.parametrize(
    ("text", "context", "intent", "category"),
    [
        ("i felt ignored when you where on your fun", "need", "unmet_need", "distracted"),
        ("you never texted me back", "need", "unmet_need", "no_response"),
        ("no, honestly, today i felt listened to", "need", "nothing", None),
        ("i miss our time together", "need", "unmet_need", "other"),
        (
            "thank you for not stopping the movie when i fell asleep",
            "appreciation",
            "appreciation",
            None,
        ),
        ("you're too sensitive", "response", "dismissal", None),
        ("not this again", "response", "dismissal", None),
        ("I hear you.", "response", "validation", None),
        ("That makes sense", "response", "validation", None),
        ("i'm sorry it felt that way", "response", "validation", None),
        ("yeah sure", "yesno", "yes", None),
        ("no thanks", "yesno", "no", None),
        ("how was our week", "wake_request", "weekly_summary", None),
        ("not now", "wake_request", "cancel", None),
        ("never mind", "wake_request", "cancel", None),
        ("let's check in", "wake_request", "start_checkin", None),
    ],
)
def test_answers_from_the_issue(text: str, context: str, intent: str, category: str | None) -> None:
    result = match(text, context)
    assert (result.intent, result.category) == (intent, category)
    assert 0 <= result.score <= 100


@pytest.mark.parametrize(
    "text", ["skip", "pass", "next one", "Skip, please.", "um can we skip this one"]
)
@pytest.mark.parametrize("context", ["appreciation", "need", "response"])
def test_skip_is_a_command_in_every_question(text: str, context: str) -> None:
    assert match(text, context).intent == "skip"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("say that again", "repeat"),
        ("sorry, what?", "repeat"),
        ("can you say that one more time", "repeat"),
        ("we're done for tonight", "stop"),
        ("stop", "stop"),
        ("that's it, we're done", "stop"),
    ],
)
def test_repeat_and_stop(text: str, intent: str) -> None:
    assert match(text, "need").intent == intent
    assert match(text, "appreciation").intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "thank you for not stopping the movie when i fell asleep",
        "you let me skip the gym and took the kids out",
        "he didn't pass judgement when i told him",
        "you repeated the story for my mom so patiently",
    ],
)
def test_command_words_inside_an_answer_are_not_commands(text: str) -> None:
    assert match(text, "appreciation").intent == "appreciation"


@pytest.mark.parametrize(
    "text", ["", "   ", "the", "um", "uh the", "[unk]", "the the the", "you know"]
)
@pytest.mark.parametrize("context", ["appreciation", "need", "response", "yesno"])
def test_silence_and_noise_never_match(text: str, context: str) -> None:
    assert match(text, context).intent is None


@pytest.mark.parametrize("text", ["", "the", "um"])
def test_an_empty_wake_request_starts_the_checkin_with_a_low_score(text: str) -> None:
    result = match(text, "wake_request")
    assert result.intent == "start_checkin"
    assert result.score < 50


def test_negation_turns_a_complaint_into_nothing() -> None:
    assert match("you didn't ignore me at all today", "need").intent == "nothing"
    assert match("you ignored me at dinner", "need").intent == "unmet_need"


def test_the_clause_after_but_decides_a_response() -> None:
    assert match("sorry but you're being dramatic", "response").intent == "dismissal"
    assert match("i was busy but i hear you and i'm sorry", "response").intent == "validation"


def test_a_complaint_in_the_appreciation_question_is_not_an_appreciation() -> None:
    # Issue 19: a complaint given as an appreciation is its own intent (it was "nothing").
    assert match("you ignored my texts all day", "appreciation").intent == "complaint"


def test_recognition_errors_are_understood() -> None:
    assert match("your so sensitive", "response").intent == "dismissal"
    assert match("i here you", "response").intent == "validation"
    assert match("you interupted me again", "need") == Match(
        "unmet_need", "dismissed", match("you interupted me again", "need").score
    )


def test_category_is_only_set_for_unmet_needs() -> None:
    for context in CONTEXTS:
        for text in ("you never texted me back", "i hear you", "skip", "thanks for dinner"):
            result = match(text, context)
            if result.intent != "unmet_need":
                assert result.category is None


def test_an_unknown_context_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown context"):
        match("yes", "bedtime")


def test_the_default_catalogue_is_loaded_once() -> None:
    assert load_catalogue() is load_catalogue()


MINIMAL_CATALOGUE = """
[normalise]
fillers = ["euh"]
noise = ["le", "la"]
negators = ["pas"]

[commands.skip]
phrases = ["suivant", "je passe"]
[commands.repeat]
phrases = ["pardon"]
[commands.stop]
phrases = ["arrete"]

[contexts.appreciation]
commands = ["skip", "repeat", "stop"]
intents = ["appreciation", "nothing"]
fallback = "appreciation"
[contexts.appreciation.intent.appreciation]
cues = ["merci"]
[contexts.appreciation.intent.nothing]
phrases = ["rien"]
leads = ["non"]

[contexts.need]
commands = ["skip"]
intents = ["unmet_need", "nothing"]
fallback = "unmet_need"
[contexts.need.intent.unmet_need]
cues = ["ignore"]
[contexts.need.intent.nothing]
phrases = ["rien"]

[contexts.response]
intents = ["validation", "dismissal"]
[contexts.response.intent.validation]
cues = ["je comprends"]
[contexts.response.intent.dismissal]
cues = ["trop sensible"]

[contexts.yesno]
intents = ["yes", "no"]
[contexts.yesno.intent.yes]
phrases = ["oui"]
[contexts.yesno.intent.no]
phrases = ["non"]

[contexts.wake_request]
intents = ["start_checkin"]
fallback = "start_checkin"
empty = "start_checkin"
[contexts.wake_request.intent.start_checkin]
phrases = ["on commence"]

[categories.no_response]
cues = ["texto"]
"""


def test_a_translator_extends_the_catalogue_without_code(tmp_path: Path) -> None:
    path = tmp_path / "fr.toml"
    path.write_text(MINIMAL_CATALOGUE, encoding="utf-8")
    french = load_catalogue(path)
    assert match("Suivant !", "appreciation", french).intent == "skip"
    assert match("euh le", "appreciation", french).intent is None
    assert match("merci pour le diner", "appreciation", french).intent == "appreciation"
    result = match("tu as ignore mon texto", "need", french)
    assert (result.intent, result.category) == ("unmet_need", "no_response")
    assert match("je comprends", "response", french).intent == "validation"


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[contexts.need]\nintents = []\n", "contexts.appreciation"),
        ("this is = not toml [", "not valid TOML"),
        (MINIMAL_CATALOGUE.replace('cues = ["merci"]', 'cues = ["euh"]'), "only filler words"),
        (MINIMAL_CATALOGUE.replace('commands = ["skip"]', 'commands = ["dance"]'), "dance"),
        (MINIMAL_CATALOGUE.replace('cues = ["merci"]', "cues = 3"), "list of strings"),
    ],
)
def test_a_broken_catalogue_names_the_file_and_the_problem(
    tmp_path: Path, text: str, complaint: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=complaint) as raised:
        load_catalogue(path)
    assert str(path) in str(raised.value)
