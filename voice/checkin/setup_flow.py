"""`checkin setup`: the guided first run, as steps over a small spoken-or-typed IO.

The steps are the same whether the assistant speaks (answers by voice) or
prints (--text, answers typed): names, checked against how the recognizer
spells them; the microphone's level and the wake phrase, once per partner; an
optional reminder. They return the settings to write; the command writes them
(voice.config.write_settings), keeping every key the couple set by hand.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from voice.errors import CheckinError

SETUP_WORDS = Path(__file__).with_name("setup.toml")
NAME_TRIES = 3
"""How many times a name is asked before setup gives up (spoken) or asks to type it."""


@dataclass(frozen=True)
class Words:
    """setup.toml: spoken lines and printed notes."""

    lines: Mapping[str, str]
    notes: Mapping[str, str]

    def line(self, key: str, **values: Any) -> str:
        return self.lines[key].format(**values)

    def note(self, key: str, **values: Any) -> str:
        return self.notes[key].format(**values)


def load_words(path: Path = SETUP_WORDS) -> Words:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    return Words(raw["lines"], raw["notes"])


class SetupIO(Protocol):
    """Where setup speaks and hears: the assistant's voice and a microphone, or a terminal."""

    spoken: bool
    """Answers come by voice (names are then checked by saying them back)."""

    def say(self, text: str) -> None: ...

    def note(self, text: str) -> None:
        """Print a note (never spoken)."""
        ...

    def ask(self, text: str, context: str) -> str | None:
        """Say `text` and return the answer (None: no answer, or the input ended)."""
        ...

    def type_line(self, prompt: str) -> str | None:
        """A typed line, when a keyboard is at hand; None otherwise."""
        ...

    def record(self, prompt: str) -> bytes | None:
        """Say `prompt`, then record one utterance; None when there is no microphone."""
        ...


Matcher = Callable[[str, str], Any]


@dataclass
class Setup:
    """What setup found, to write to the config file."""

    partners: list[str] = field(default_factory=list)
    reminder: str | None = None
    wake_heard: dict[str, bool] = field(default_factory=dict)

    def settings(self, mic: str | None) -> dict[str, Any]:
        chosen: dict[str, Any] = {"partners": self.partners}
        if mic is not None:
            chosen["mic"] = mic
        if self.reminder is not None:
            chosen["reminder"] = self.reminder
        return chosen


_NAME_LEADS = re.compile(
    r"^(?:(?:hi|hello|hey|okay|ok|well|um|uh)\s+)*"
    r"(?:my name is|my name's|i am|i'm|im|it's|its|it is|this is|call me|they call me|"
    r"the name is|name is|she's|he's|that's)\s+",
)


def extract_name(text: str) -> str:
    """The name in an answer: "my name is ana." -> "Ana"; up to two words, capitalised."""
    words = re.sub(r"[^\w' -]", " ", text.lower()).strip()
    words = _NAME_LEADS.sub("", words)
    kept = [w for w in words.split() if w not in ("um", "uh", "please")][:2]
    return " ".join(word[:1].upper() + word[1:] for word in kept)


def typed_name(text: str) -> str:
    """A typed name kept as spelled ("McKenzie", "Jean-Luc"); commas would split the pair."""
    from voice.checkin.typed import clean_typed

    return " ".join(clean_typed(text).replace(",", " ").split())[:40]


_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "half": -30, "quarter": -15,
}
_NO = frozenset({"no", "nope", "none", "nah", "never", "not", "skip", "no thanks", "no thank you"})


def parse_reminder(text: str) -> str | None:
    """A reminder time as "HH:MM" from "21:00", "9pm", "nine thirty" or "half past nine".

    A bare hour means the evening (a check-in reminder at "nine" is 21:00). Returns
    "" for a no, None when no time is found."""
    cleaned = text.lower().replace(".", " ").replace("o'clock", " ").strip()
    if not cleaned or cleaned in _NO or cleaned.split()[0] in ("no", "nope", "nah", "none", "not"):
        return ""
    morning = bool(re.search(r"\b(am|a m|morning)\b", cleaned))
    digits = re.match(r"^(?:at\s+)?(\d{1,2})(?::|\s|h)?(\d{2})?\s*(am|pm|a m|p m)?$", cleaned)
    if digits:
        hour, minute = int(digits.group(1)), int(digits.group(2) or 0)
    else:
        numbers = [_NUMBERS[w] for w in cleaned.split() if w in _NUMBERS]
        if not numbers:
            return None
        if numbers[0] < 0:  # "half past nine", "quarter to ten"
            if len(numbers) < 2:
                return None
            past = "to" not in cleaned.split()
            hour, minute = (numbers[1], -numbers[0]) if past else (numbers[1] - 1, 60 + numbers[0])
        else:
            hour, minute = numbers[0], sum(n for n in numbers[1:] if n > 0)
    if hour > 23 or minute > 59:
        return None
    if hour < 12 and not morning:
        hour += 12
    return f"{hour % 24:02d}:{minute:02d}"


def run_setup(io: SetupIO, words: Words, wake_phrase: str, match: Matcher,
              spelling: Callable[[str, list[str]], str] | None) -> Setup:
    """Ask everything setup needs; `spelling(name, names)` says how the recognizer hears a
    typed name (None: no check)."""
    found = Setup()
    io.say(words.line("intro"))
    for key in ("ask_first_name", "ask_second_name"):
        found.partners.append(_name(io, words, key, found.partners, match))
    if spelling is not None:
        for name in found.partners:
            heard = spelling(name, found.partners)
            if name.casefold() in heard.casefold().split() or name.casefold() == heard.casefold():
                io.say(words.line("heard_name_well", name=name))
            else:
                io.say(words.line("heard_name_badly", name=name, heard=heard or "nothing"))
                io.note(words.note("name_tip", name=name))
    for name in found.partners:
        found.wake_heard[name] = _wake(io, words, name, wake_phrase)
    found.reminder = _reminder(io, words)
    io.say(words.line("saved", a=found.partners[0], b=found.partners[1]))
    return found


def _name(io: SetupIO, words: Words, key: str, taken: list[str], match: Matcher) -> str:
    question = words.line(key)
    for _ in range(NAME_TRIES):
        answer = io.ask(question, "name")
        name = extract_name(answer or "") if io.spoken else typed_name(answer or "")
        if not name and not io.spoken and answer is None:
            break  # the typed input ended
        if name and any(name.casefold() == other.casefold() for other in taken):
            question = words.line("same_name")
            continue
        if not name:
            question = words.line("name_again")
            continue
        if not io.spoken:
            return name
        # Spoken: the name as the recognizer spells it is only kept once confirmed.
        spelled = " ".join(name.replace(" ", ""))
        reply = io.ask(words.line("confirm_name", name=name, spelled=spelled), "yesno")
        if reply is not None and match(reply, "yesno").intent == "yes":
            return name
        question = words.line("name_again")
    typed = io.type_line(words.note("type_name"))
    name = typed_name(typed or "")
    if name and not any(name.casefold() == other.casefold() for other in taken):
        return name
    raise CheckinError(words.note("no_name"))


def _wake(io: SetupIO, words: Words, name: str, phrase: str) -> bool:
    from voice.listen.mic_check import find_wake, measure
    from voice.wake.detector import WakeDetector

    detector = WakeDetector(phrase)
    for attempt in range(2):
        pcm = io.record(words.line("say_wake", name=name, phrase=phrase))
        if pcm is None:
            return False
        level = measure(pcm)
        io.note(words.note("level", name=name, verdict=level.verdict, advice=level.advice))
        if find_wake(pcm, detector) is not None:
            io.say(words.line("wake_ok", name=name))
            return True
        io.say(words.line("wake_missed" if attempt == 0 else "wake_failed", name=name))
    return False


def _reminder(io: SetupIO, words: Words) -> str | None:
    for _ in range(2):
        if io.spoken:
            answer = io.ask(words.line("ask_reminder"), "reminder")
        else:
            answer = io.type_line(words.note("reminder_typed"))
        if answer is None:
            return None
        time = parse_reminder(answer)
        if time == "":
            io.say(words.line("reminder_none"))
            return None
        if time is not None:
            io.say(words.line("reminder_set", time=_spoken_time(time)))
            return time
        io.say(words.line("reminder_unclear"))
    return None


def _spoken_time(time: str) -> str:
    """ "21:30" as said: "9:30 pm"."""
    hour, minute = (int(part) for part in time.split(":"))
    suffix = "am" if hour < 12 else "pm"
    return f"{hour % 12 or 12}{':' + f'{minute:02d}' if minute else ''} {suffix}"
