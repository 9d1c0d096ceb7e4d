"""Helpers for driving the dialogue state machine in tests, with no audio at all."""

from __future__ import annotations

from dataclasses import dataclass, field

from intents.matcher import Match
from voice.checkin import dialogue
from voice.checkin.dialogue import (
    Action,
    End,
    Event,
    Heard,
    Listen,
    Log,
    Retract,
    Say,
    Silence,
)
from voice.checkin.script import Script, load_script

PARTNERS = ("Ana", "Sam")
SCRIPT = load_script()


def heard(intent: str | None, text: str = "some answer", category: str | None = None,
          at_s: float = 0.0, confidence: float | None = 0.9) -> Heard:
    """A partner's answer ending at `at_s`, matched as `intent`."""
    return Heard(text, Match(intent, category, 90.0 if intent else 0.0), confidence,
                 max(at_s - 1.0, 0.0), at_s)


def variants(key: str, **names: str) -> set[str]:
    """Every way line `key` can come out, for the partners in `names` (plus counts)."""
    a, b = PARTNERS
    fill = {"a": a, "b": b, "partner": a, "other": b, **names}
    return {variant.format(**fill) for variant in SCRIPT.variants(key)}


def turn_discipline_holds(actions: list[Action]) -> bool:
    """A batch is Say/Log/Retract actions, then exactly one Listen or End, then nothing."""
    if not actions:
        return False
    *leading, last = actions
    return isinstance(last, (Listen, End)) and all(
        isinstance(a, (Say, Log, Retract)) for a in leading
    )


@dataclass
class Conversation:
    """Runs a check-in event by event, stamping events on an advancing clock.

    Each event happens `gap_s` after the previous one unless it carries its own time.
    """

    seed: int = 7
    budget_s: float = 120.0
    gap_s: float = 5.0
    script: Script = SCRIPT
    batches: list[list[Action]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.now_s = 0.0
        self.state, actions = dialogue.start(PARTNERS, self.script, self.seed, self.budget_s)
        self.batches.append(actions)

    def tick(self) -> float:
        self.now_s += self.gap_s
        return self.now_s

    def answer(self, intent: str | None, text: str = "some answer",
               category: str | None = None) -> list[Action]:
        return self.send(heard(intent, text, category, at_s=self.tick()))

    def silence(self) -> list[Action]:
        return self.send(Silence(self.tick()))

    def send(self, event: Event) -> list[Action]:
        self.state, actions = dialogue.step(self.state, event)
        self.batches.append(actions)
        return actions

    @property
    def actions(self) -> list[Action]:
        return [action for batch in self.batches for action in batch]

    @property
    def said(self) -> list[str]:
        return [action.text for action in self.actions if isinstance(action, Say)]

    @property
    def logs(self) -> list[Log]:
        return [action for action in self.actions if isinstance(action, Log)]

    @property
    def listening(self) -> Listen:
        """The Listen that the last batch ended with."""
        last = self.batches[-1][-1]
        assert isinstance(last, Listen), f"the last batch ended with {last!r}"
        return last

    @property
    def end(self) -> End | None:
        last = self.batches[-1][-1]
        return last if isinstance(last, End) else None
