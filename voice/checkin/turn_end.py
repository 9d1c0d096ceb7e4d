"""Is the partner done talking? Decided from the words heard so far, at a pause.

Silence alone cannot tell the end of an answer from a pause inside it: a
partner who stops for 0.8 s to find a word sounds the same as one who has
finished. Waiting long enough for every pause (the endpointer's 1.2 s) makes
every reply slow; ending at 0.7 s cuts people off mid-sentence.

So the ears end an utterance at `EARLY_END_SILENCE_S` of silence only when the
words recognised so far are a complete answer to the question asked, and
otherwise wait the endpointer's full trailing silence. An answer is still open
when its last word leaves a clause hanging ("... when", "um", "thank"), when a
clause has just begun ("when you"), or, in a need answer, when a feeling was
named but not yet what caused it ("I felt unheard" to the prompt "I felt ...
when ..."). The word lists are data (turn_end.toml).

The limit, plainly: an afterthought after a complete sentence ("I appreciated
the coffee. [pause] It helped me start the day.") looks finished at the pause
and is cut when the pause is longer than `EARLY_END_SILENCE_S`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from voice.recognizers.phrases import constrained_phrases, normalise

EARLY_END_SILENCE_S = 0.7
"""Silence after which a complete answer gets its reply. Response latency is this (the target is
a median of 0.8 s); pauses inside a sentence are 0.3-0.6 s of non-speech as the speech detector
sees them, so a sentence that happens to look complete at such a pause is not cut."""

_SHORT_ANSWER_CONTEXTS = ("appreciation", "need", "response", "yesno", "wake_request")
"""Contexts whose short answers (commands, yes, no) in phrases.toml are complete on their own."""


@dataclass(frozen=True)
class TurnEndRules:
    """The word lists of turn_end.toml."""

    open_endings: frozenset[str]
    open_phrase_endings: tuple[str, ...]
    closing_phrase_endings: tuple[str, ...]
    clause_openers: frozenset[str]
    pronouns: frozenset[str]
    complete_answers: frozenset[str]
    reason_contexts: frozenset[str]
    feeling_words: frozenset[str]
    reason_words: frozenset[str]
    words_after_feeling: int


@lru_cache(maxsize=1)
def load_rules() -> TurnEndRules:
    """Read voice/turn_end.toml, plus the short answers the recognizers already know."""
    text = resources.files("voice.checkin").joinpath("turn_end.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    reason = data["reason_expected"]
    short_answers = {
        phrase for context in _SHORT_ANSWER_CONTEXTS for phrase in constrained_phrases(context)
    }
    return TurnEndRules(
        open_endings=frozenset(data["open_endings"]),
        open_phrase_endings=tuple(data["open_phrase_endings"]),
        closing_phrase_endings=tuple(data["closing_phrase_endings"]),
        clause_openers=frozenset(data["clause_openers"]),
        pronouns=frozenset(data["pronouns"]),
        complete_answers=frozenset(data["complete_answers"]) | short_answers,
        reason_contexts=frozenset(reason["contexts"]),
        feeling_words=frozenset(reason["feeling_words"]),
        reason_words=frozenset(reason["reason_words"]),
        words_after_feeling=int(reason["words_after_feeling"]),
    )


def sounds_complete(context: str | None, heard: str, rules: TurnEndRules | None = None) -> bool:
    """Whether the words `heard` so far are a whole answer to a question of kind `context`."""
    rules = rules or load_rules()
    text = normalise(heard)
    words = text.split()
    if not words:
        return False
    if text in rules.complete_answers or _ends_with(text, rules.closing_phrase_endings):
        return True
    if words[-1] in rules.open_endings or _ends_with(text, rules.open_phrase_endings):
        return False
    if words[-1] in rules.pronouns and (len(words) == 1 or words[-2] in rules.clause_openers):
        return False
    if context in rules.reason_contexts:
        return not _feeling_without_reason(words, rules)
    return True


def _ends_with(text: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {text}".endswith(f" {phrase}") for phrase in phrases)


def _feeling_without_reason(words: list[str], rules: TurnEndRules) -> bool:
    """"i felt unheard": a feeling named just now, and nothing yet of what caused it."""
    feelings = [index for index, word in enumerate(words) if word in rules.feeling_words]
    if not feelings:
        return False
    after = words[feelings[-1] + 1 :]
    said_why = any(word in rules.reason_words for word in words)
    return not said_why and len(after) <= rules.words_after_feeling
