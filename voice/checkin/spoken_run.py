"""One spoken check-in from already-open edges: shared by `start`, `listen` and `demo`."""

from __future__ import annotations

from dataclasses import dataclass, field

from audio.endpoint import Endpointer
from audio.frames import to_samples
from audio.source import FrameSource
from voice.checkin.session import CheckinStore, SessionResult, run_checkin
from voice.checkin.spoken import (
    AudioClock,
    FrameRecorder,
    Renderer,
    SpokenEars,
    SpokenMouth,
    StatusCallback,
    TurnCallback,
    VoiceOutput,
    quiet,
)
from voice.checkin.turn_end import EARLY_END_SILENCE_S
from voice.recognizers.base import Recognizer


@dataclass
class SpokenEdges:
    """Everything a spoken check-in touches, opened by the caller."""

    source: FrameSource
    recognizer: Recognizer
    renderer: Renderer
    output: VoiceOutput
    clock: AudioClock = field(default_factory=AudioClock)
    recorder: FrameRecorder | None = None
    endpointer: Endpointer = field(default_factory=Endpointer)
    on_turn: TurnCallback | None = None
    status: StatusCallback = quiet
    earcons: bool = False
    """Chime before each answer is listened for (the couple knows it is their turn)."""
    patient: bool = False
    """Never end an answer early on complete-sounding words: wait out every pause."""

    def ears(
        self, source: FrameSource | None = None, mouth: SpokenMouth | None = None
    ) -> SpokenEars:
        """Ears on `source` (default: the edges' source); the chime, if any, plays on `mouth`."""
        cue = None
        if self.earcons:
            from audio.earcon import listen_earcon

            chime_on = mouth or self.mouth(source)

            def cue() -> None:
                chime_on.play(listen_earcon())

        return SpokenEars(
            self.source if source is None else source,
            self.recognizer,
            self.endpointer,
            self.clock,
            self.recorder,
            status=self.status,
            cue=cue,
            on_turn=self.on_turn,
            early_end_samples=None if self.patient else to_samples(EARLY_END_SILENCE_S),
        )

    def mouth(self, source: FrameSource | None = None) -> SpokenMouth:
        """A mouth whose half-duplex drops the input of `source` (default: the edges' source)."""
        return SpokenMouth(
            self.renderer,
            self.output,
            self.source if source is None else source,
            self.clock,
            self.recorder,
            status=self.status,
            on_turn=self.on_turn,
        )


def spoken_checkin(
    edges: SpokenEdges,
    partners: tuple[str, str],
    store: CheckinStore,
    seed: int | None = None,
    budget_s: float = 120.0,
    ears: SpokenEars | None = None,
    mouth: SpokenMouth | None = None,
    first: str | None = None,
) -> SessionResult:
    """Run one check-in through the spoken edges; every answer is stored as it is understood.

    A caller that keeps its ears and mouth (the hands-free loop) passes them; otherwise
    they are built from the edges, the chime playing on the same mouth as the prompts."""
    mouth = mouth or edges.mouth()
    return run_checkin(
        partners,
        ears or edges.ears(mouth=mouth),
        mouth,
        edges.clock,
        store,
        edges.recognizer.name,
        seed=seed,
        budget_s=budget_s,
        first=first,
    )
