"""Property tests: the matcher gives a Match for any text at all, and never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from intents import CONTEXTS, Match, match

CATEGORY_INTENT = "unmet_need"

spoken_words = st.sampled_from(
    [
        "the",
        "um",
        "you",
        "never",
        "not",
        "skip",
        "hug",
        "phone",
        "sorry",
        "but",
        "no",
        "yes",
        "i",
        "felt",
        "ignored",
        "texted",
        "back",
        "thank",
        "stop",
        "again",
        "week",
        "don't",
        "😊",
    ]
)
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(spoken_words, max_size=40).map(" ".join),
    st.sampled_from(["", " ", "\t\n", "\x00", "😊🎉", "'''", "-" * 50, "ǅ ﬁ ß İ", "[unk] [unk]"]),
)


def _check(result: Match) -> None:
    assert isinstance(result, Match)
    assert 0.0 <= result.score <= 100.0
    if result.intent != CATEGORY_INTENT:
        assert result.category is None
    else:
        assert result.category is not None


@settings(max_examples=300, deadline=None)
@given(text=texts, context=st.sampled_from(CONTEXTS))
def test_any_text_gives_a_match(text: str, context: str) -> None:
    _check(match(text, context))


@settings(max_examples=20, deadline=None)
@given(word=spoken_words, context=st.sampled_from(CONTEXTS))
def test_ten_thousand_characters_give_a_match(word: str, context: str) -> None:
    text = (word + " ") * (10_000 // (len(word) + 1))
    _check(match(text, context))
    _check(match("x" * 10_000, context))


@settings(max_examples=100, deadline=None)
@given(text=texts, context=st.sampled_from(CONTEXTS))
def test_matching_is_pure(text: str, context: str) -> None:
    assert match(text, context) == match(text, context)
