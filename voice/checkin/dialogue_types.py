"""The dialogue's events, actions and state (the machine itself is voice/checkin/dialogue.py).

Kept apart so the transitions read on their own; everything here is re-exported
by dialogue.py, which is what the rest of the app imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from voice.checkin.script import Script

if TYPE_CHECKING:
    from intents.matcher import Match

APPRECIATION = "appreciation"
NEED = "need"
RESPONSE = "response"
YESNO = "yesno"
"""The context of a yes-or-no question (is a complaint something that hurt?)."""

COMMANDS = frozenset({"skip", "repeat", "stop", "think", "hand_over", "correct"})
"""What a partner can say at any question instead of an answer."""

ALLOWED_INTENTS: Mapping[str, frozenset[str]] = {
    APPRECIATION: frozenset({"appreciation", "nothing", "complaint"}) | COMMANDS,
    NEED: frozenset({"unmet_need", "need_yes", "nothing"}) | COMMANDS,
    RESPONSE: frozenset({"validation", "dismissal", "acknowledgement"}) | COMMANDS,
    YESNO: frozenset({"yes", "no", "skip", "repeat", "stop"}),
}
"""The intents each context acts on; any other match counts as not understood."""

MAX_REPEATS = 2
"""How many times one question is repeated on request (or a hand-over declined)."""
MAX_WAITS = 2
"""How many times one question waits on "let me think" before moving on."""
MAX_CORRECTIONS = 2
"""How many answers one check-in may take back ("that's not what I said")."""

ASK = "ask"
"""Phase: the stage's own question (appreciation or need)."""
RESPOND = "respond"
"""Phase: the other partner is asked to let the sharer know they heard."""
RETRY = "retry"
"""Phase: after a dismissal, the coached partner's one more try."""
CONFIRM = "confirm"
"""Phase: a complaint was given for an appreciation; is it something that hurt?"""

STAGES: tuple[tuple[str, int], ...] = ((APPRECIATION, 0), (APPRECIATION, 1), (NEED, 0), (NEED, 1))
"""The questions in order: (context, index of the partner asked in tonight's order)."""

MAX_LISTENS = (len(STAGES) * 4 + MAX_CORRECTIONS * 4) * (3 + MAX_REPEATS + MAX_WAITS)
"""An upper bound on Listen actions in one check-in, whatever is heard."""


# --- events -----------------------------------------------------------------


@dataclass(frozen=True)
class Heard:
    """A partner's utterance, already matched against the context it answered."""

    text: str
    """What was recognised (or typed)."""
    match: Match
    """The intent match of `text` in the context of the Listen it answers."""
    confidence: float | None
    """The recognizer's confidence in 0..1, or None when there is none (typed)."""
    start_s: float
    """Start of the speech on the audio clock, in seconds."""
    end_s: float
    """End of the speech on the audio clock, in seconds."""

    @property
    def at_s(self) -> float:
        """When the event happened: the end of the speech."""
        return self.end_s


@dataclass(frozen=True)
class Silence:
    """No speech before the Listen's timeout."""

    at_s: float
    """When the timeout passed, on the audio clock."""


@dataclass(frozen=True)
class BudgetExhausted:
    """The time left in the budget is only enough for the closing."""

    at_s: float
    """The audio-clock time when this was noticed."""


Event = Heard | Silence | BudgetExhausted


# --- actions ----------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """Speak (or print) one line, and finish it before the next action."""

    text: str


@dataclass(frozen=True)
class Listen:
    """Wait for `partner`'s answer to a question of kind `context`."""

    context: str
    """What was asked: "appreciation", "need", "response" or "yesno" (an intents context)."""
    partner: str
    """Who is expected to answer."""
    timeout_s: float
    """The no-speech timeout, in audio seconds."""


@dataclass(frozen=True)
class Log:
    """Store one answer now (committed before the check-in goes on)."""

    partner: str
    """Who said it; for a response, the partner who responded."""
    kind: str
    """"appreciation", "unmet_need" or "response"."""
    text: str
    """What they said, as heard."""
    category: str | None
    """The unmet-need category on an unmet_need; None on everything else."""
    validated: bool | None
    """On a response: True for a validation or acknowledgement, False for a dismissal."""
    confidence: float | None
    """The recognizer's confidence, or None."""


@dataclass(frozen=True)
class Retract:
    """Take back the entry of the latest Log: its partner said it was misheard.

    The store records the deletion (store/corrections.py); the question is asked again."""


@dataclass(frozen=True)
class End:
    """The check-in is over."""

    completed: bool
    """True when it reached its closing; False when a partner stopped it."""


Action = Say | Listen | Log | Retract | End


# --- state ------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A complaint heard as an appreciation, kept until its partner says whether it hurt."""

    text: str
    category: str | None
    confidence: float | None


@dataclass(frozen=True)
class State:
    """Everything the dialogue remembers between events. Immutable: step returns a new one."""

    partners: tuple[str, str]
    """Tonight's order: partners[0] is asked first (the driver alternates it nightly)."""
    script: Script
    seed: int
    """Chooses the variant of each line."""
    started_at_s: float
    """Audio-clock time the check-in began."""
    budget_s: float
    """Audio seconds the whole check-in should take at most."""
    stage: int = 0
    """Index into STAGES."""
    phase: str = ASK
    handed: frozenset[str] = frozenset()
    """Contexts whose round was handed over ("Sam, you go first"): its order is swapped."""
    question: str = ""
    """The exact words of the current question, said again on "repeat"."""
    reprompted: bool = False
    """The current question was already asked once more after silence or an unclear answer."""
    repeats: int = 0
    waits: int = 0
    detail_asked: bool = False
    """"What happened?" was asked after a bare "yes" to this need question."""
    pending: Pending | None = None
    undo: State | None = None
    """The state before the answer just given, while "that's not what I said" may take it back."""
    undo_logged: bool = False
    """That answer was logged, so taking it back retracts its entry."""
    corrections: int = 0
    appreciations: int = 0
    needs: int = 0
    line_uses: Mapping[str, int] = field(default_factory=dict)
    """How many times each line key has been said, so a repeated key gets a new variant."""
    ended: bool = False

    @property
    def close_at_s(self) -> float:
        """The audio-clock time by which the closing must start: nothing is heard after it."""
        return self.started_at_s + self.budget_s - self.script.closing_reserve_s

    @property
    def ask_until_s(self) -> float:
        """An event at or after this time gets no new question, only the closing."""
        return self.close_at_s - self.script.question_room_s

    @property
    def need_until_s(self) -> float:
        """A need question is asked only before this: a hurt shared must have time for its
        validation and the other partner's response."""
        return self.close_at_s - self.script.need_room_s

    @property
    def context(self) -> str:
        """The context of the current question."""
        if self.phase in (RESPOND, RETRY):
            return RESPONSE
        return YESNO if self.phase == CONFIRM else STAGES[self.stage][0]

    @property
    def asked(self) -> int:
        """Index in `partners` of the partner this stage is for (after any hand-over)."""
        context, index = STAGES[self.stage]
        return index ^ (context in self.handed)

    @property
    def partner(self) -> str:
        """Who the current question is for (for a response: the one responding)."""
        asked = self.asked
        return self.partners[1 - asked if self.phase in (RESPOND, RETRY) else asked]

    @property
    def other(self) -> str:
        """The partner the current question is not for."""
        return self.partners[1] if self.partner == self.partners[0] else self.partners[0]
