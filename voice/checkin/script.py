"""The check-in's words, loaded from a TOML file (voice/script.toml by default).

Every prompt and phrase is data with several variants, so a couple or a
translator can change the words without touching code. Loading checks the file
completely up front (every line present, every placeholder known), so a typo
fails at start-up with the key and the file named, never mid-check-in.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice.errors import CheckinError

DEFAULT_SCRIPT_PATH = Path(__file__).with_name("script.toml")

_PEOPLE = frozenset({"a", "b", "partner", "other"})
_COUNTS = frozenset({"appreciations", "needs"})

_Failer = Callable[[str, str], CheckinError]

LINE_PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "opening": _PEOPLE,
    "ask_appreciation": _PEOPLE,
    "reask_appreciation": _PEOPLE,
    "thank_appreciation": _PEOPLE,
    "nothing_appreciation": _PEOPLE,
    "ask_need": _PEOPLE,
    "reask_need": _PEOPLE,
    "validate_need": _PEOPLE,
    "nothing_need": _PEOPLE,
    "ask_response": _PEOPLE,
    "reask_response": _PEOPLE,
    "affirm_validation": _PEOPLE,
    "affirm_acknowledgement": _PEOPLE,
    "coach_dismissal": _PEOPLE,
    "affirm_retry": _PEOPLE,
    "validate_sharer": _PEOPLE,
    "respond_later": _PEOPLE,
    "check_hurt": _PEOPLE,
    "not_a_hurt": _PEOPLE,
    "what_happened": _PEOPLE,
    "wait_patiently": _PEOPLE,
    "handed_over": _PEOPLE,
    "hand_over_declined": _PEOPLE,
    "ask_again": _PEOPLE,
    "not_understood": _PEOPLE,
    "moving_on": _PEOPLE,
    "time_up": _PEOPLE,
    "stopped": _PEOPLE,
    "summary_both": _PEOPLE | _COUNTS,
    "summary_appreciations": _PEOPLE | _COUNTS,
    "summary_needs": _PEOPLE | _COUNTS,
    "summary_none": _PEOPLE,
    "goodbye": _PEOPLE,
}
"""Every line the dialogue says, and the placeholders each may use."""

TYPED_NOTES: Mapping[str, frozenset[str]] = {
    "help": frozenset(),
    "trimmed": frozenset({"limit"}),
    "ended": frozenset(),
}
"""What a typed check-in prints besides the dialogue's lines (voice/checkin/typed.py)."""


@dataclass(frozen=True)
class Script:
    """The words of one check-in: line variants, count wording and timing."""

    lines: Mapping[str, tuple[str, ...]]
    """For each line key (see LINE_PLACEHOLDERS), its variants."""

    numbers: tuple[str, ...]
    """Number words for counts 0, 1, 2, ...; larger counts are written as digits."""

    appreciation_forms: tuple[str, str]
    """Singular and plural of "appreciation"."""

    need_forms: tuple[str, str]
    """Singular and plural of "need"."""

    answer_timeout_s: float
    """The no-speech timeout of every question, in audio seconds."""

    closing_reserve_s: float
    """Audio seconds kept free at the end of the budget for the closing."""

    question_room_s: float
    """A new question is asked only if this many audio seconds remain before the
    closing's reserve: enough to ask it and hear a short answer."""

    need_room_s: float
    """A need question is asked only if this many audio seconds remain before the closing's
    reserve: enough for the need, its validation and the other partner's response."""

    think_timeout_s: float
    """The no-speech timeout after "let me think": a patient wait."""

    typed: Mapping[str, str]
    """The typed check-in's notes (see TYPED_NOTES)."""

    def variants(self, key: str) -> tuple[str, ...]:
        """The variants of line `key`."""
        return self.lines[key]

    def count(self, n: int, forms: tuple[str, str]) -> str:
        """`n` in words with the right noun form: "one need", "two appreciations"."""
        number = self.numbers[n] if n < len(self.numbers) else str(n)
        return f"{number} {forms[0] if n == 1 else forms[1]}"


def load_script(path: Path | None = None) -> Script:
    """Read and check a script file; the packaged voice/script.toml when `path` is None."""
    source = path or DEFAULT_SCRIPT_PATH
    try:
        with source.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise CheckinError(f"script file {source} is not valid TOML ({error}); fix it") from error
    except OSError as error:
        raise CheckinError(
            f"cannot read script file {source} ({error.strerror}); check the path and permissions"
        ) from error
    return parse_script(raw, str(source))


def parse_script(raw: Mapping[str, Any], source: str = "<script>") -> Script:
    """Build a Script from parsed TOML, naming `source` and the key in every error."""

    def fail(key: str, problem: str) -> CheckinError:
        return CheckinError(f"key '{key}' in {source}: {problem}")

    lines_table = _table(raw, "lines", fail)
    lines: dict[str, tuple[str, ...]] = {}
    for key, allowed in LINE_PLACEHOLDERS.items():
        lines[key] = _variants(lines_table.get(key), f"lines.{key}", allowed, fail)
    unknown = sorted(set(lines_table) - set(LINE_PLACEHOLDERS))
    if unknown:
        raise fail(f"lines.{unknown[0]}", "is not a line the check-in says; remove or rename it")

    summary = _table(raw, "summary", fail)
    numbers = _strings(summary.get("numbers"), "summary.numbers", fail)
    if len(numbers) < 3:
        raise fail("summary.numbers", "needs the words for at least 0, 1 and 2")
    appreciation_forms = _forms(summary.get("appreciation"), "summary.appreciation", fail)
    need_forms = _forms(summary.get("need"), "summary.need", fail)

    timing = _table(raw, "timing", fail)
    answer_timeout_s = _seconds(timing.get("answer_timeout_s"), "timing.answer_timeout_s", fail)
    closing_reserve_s = _seconds(timing.get("closing_reserve_s"), "timing.closing_reserve_s", fail)
    question_room_s = _seconds(timing.get("question_room_s"), "timing.question_room_s", fail)
    need_room_s = _seconds(timing.get("need_room_s"), "timing.need_room_s", fail)
    think_timeout_s = _seconds(timing.get("think_timeout_s"), "timing.think_timeout_s", fail)
    typed_table = _table(raw, "typed", fail)
    typed = {key: _variants(typed_table.get(key), f"typed.{key}", allowed, fail)[0]
             for key, allowed in TYPED_NOTES.items()}
    return Script(
        lines=lines,
        numbers=numbers,
        appreciation_forms=appreciation_forms,
        need_forms=need_forms,
        answer_timeout_s=answer_timeout_s,
        closing_reserve_s=closing_reserve_s,
        question_room_s=question_room_s,
        need_room_s=need_room_s,
        think_timeout_s=think_timeout_s,
        typed=typed,
    )


def _table(raw: Mapping[str, Any], key: str, fail: _Failer) -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise fail(key, f"missing [{key}] table; restore it from the packaged voice/script.toml")
    return value


def _strings(value: Any, key: str, fail: _Failer) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise fail(key, "expected a non-empty list of texts, for example [\"...\", \"...\"]")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise fail(key, "every entry must be a non-empty text")
    return tuple(item.strip() for item in value)


def _variants(value: Any, key: str, allowed: frozenset[str], fail: _Failer) -> tuple[str, ...]:
    variants = _strings(value, key, fail)
    for variant in variants:
        try:
            parsed = list(string.Formatter().parse(variant))
        except ValueError as error:
            raise fail(
                key, f"bad braces in {variant!r} ({error}); write {{{{ and }}}} for a brace"
            ) from error
        fields = {name for _, name, _, _ in parsed if name is not None}
        unknown = sorted(fields - allowed)
        if unknown:
            raise fail(
                key,
                f"unknown placeholder {{{unknown[0]}}} in {variant!r}; "
                f"use only {', '.join('{' + name + '}' for name in sorted(allowed))}",
            )
    return variants


def _forms(value: Any, key: str, fail: _Failer) -> tuple[str, str]:
    forms = _strings(value, key, fail)
    if len(forms) != 2:
        raise fail(key, "expected [singular, plural], for example [\"need\", \"needs\"]")
    return forms[0], forms[1]


def _seconds(value: Any, key: str, fail: _Failer) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise fail(key, f"expected a positive number of seconds (got {value!r})")
    return float(value)
