"""The spoken edges of a check-in: frames in through the endpointer and recognizer, voice out.

`run_checkin` (voice/session.py) drives the dialogue; these classes are the Ears,
Mouth and Clock it is given for a spoken check-in. The same objects serve a live
microphone, a WAV file and scripted replies: only the FrameSource differs.

The end of an answer: once a pause (audio.endpoint.PauseBegan) has lasted
`EARLY_END_SILENCE_S`, the words heard so far are judged (voice/turn_end.py); a
complete answer ends there, an open one ("I felt unheard when ...") waits for
the endpointer's full trailing silence. `EarState` names where a listening stands.

Half-duplex: while the assistant speaks, and for a short tail after it, the
source's frames are dropped (`FrameSource.skip_to`), so the assistant never
hears itself and no partner turn overlaps an assistant turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from audio.endpoint import (
    Endpointer,
    NoSpeech,
    PauseBegan,
    SpeechResumed,
    SpeechStarted,
    UtteranceEnded,
)
from audio.frames import Frame, split_into_frames, to_samples, to_seconds
from audio.music import sounds_like_music
from audio.source import FrameSource
from voice.checkin.dialogue import Silence
from voice.checkin.session import ASSISTANT, InputEnded, Turn, Utterance
from voice.checkin.turn_end import EARLY_END_SILENCE_S, sounds_complete
from voice.recognizers.base import Recognizer
from voice.recognizers.base import Utterance as RecognizerUtterance
from voice.recognizers.worker import EngineCrashed

HALF_DUPLEX_TAIL_S = 0.25
"""Input dropped after the assistant stops: the room's echo of its last word."""

StatusCallback = Callable[[str], None]
"""Told "listening", "thinking" or "speaking" as the state changes (for a status line)."""

TurnCallback = Callable[[Turn], None]
"""Told each turn as it happens (the live transcript); an assistant turn before it is spoken."""


def quiet(_: str) -> None:
    """No status line."""


class AudioClock:
    """Samples heard plus samples spoken: the only time the app knows."""

    def __init__(self, position: int = 0) -> None:
        self.position = position

    def now_s(self) -> float:
        return to_seconds(self.position)


class FrameRecorder(Protocol):
    """Somewhere both sides of a conversation can be written at their clock positions."""

    def write(self, frame: Frame) -> None: ...


class VoiceOutput(Protocol):
    """Where the assistant's rendered speech goes: speakers, a WAV file, or nowhere."""

    def emit(self, pcm: bytes) -> None: ...


class Renderer(Protocol):
    """Text to 16 kHz mono int16 PCM (the TTS engine)."""

    def render(self, text: str) -> bytes: ...


class EarState(Enum):
    """Where one listening for an answer stands (`SpokenEars.listen`)."""

    WAITING_FOR_SPEECH = "waiting for speech"
    """No utterance yet, or the last one held no words: the recognizer hears nothing."""
    HEARING = "hearing"
    """In an utterance: every frame goes to the recognizer as it comes."""
    PAUSED = "paused"
    """Speech stopped past a soft ending: the endpointer holds the frames, and the words so far
    are judged once the pause is `early_end_samples` long."""
    WAITING_OUT_PAUSE = "waiting out the pause"
    """Judged an open answer at this pause: wait for speech to resume or the full silence."""


@dataclass
class SpokenEars:
    """Hears a partner's answer: frames -> endpointer -> recognizer -> text on the clock."""

    source: FrameSource
    recognizer: Recognizer
    endpointer: Endpointer
    clock: AudioClock
    recorder: FrameRecorder | None = None
    status: StatusCallback = quiet
    cue: Callable[[], None] | None = None
    """Played just before listening starts (an earcon), if any."""
    on_turn: TurnCallback | None = None
    early_end_samples: int | None = to_samples(EARLY_END_SILENCE_S)
    """Silence after which an answer whose words are complete is ended (None: silence only),
    counted from where the pause began; judged once per pause."""

    def listen(
        self, context: str, partner: str, timeout_s: float
    ) -> Utterance | Silence | InputEnded:
        """The partner's next answer; Silence when none started within `timeout_s`.

        Sound that holds no words (a cough, music) is not an answer: listening goes on
        until the deadline."""
        if self.cue is not None:
            self.cue()
        self.status("listening")
        self.source.listening_started()
        deadline = self.clock.position + to_samples(max(timeout_s, 0.0))
        self.endpointer.start(self.clock.position, deadline)
        state = EarState.WAITING_FOR_SPEECH
        pause_start = 0
        recognizer = _CrashGuard(self.recognizer)
        while True:
            frame = self.source.read()
            if frame is None:
                if state is not EarState.WAITING_FOR_SPEECH:
                    recognizer.end()
                self.source.listening_ended(False)
                return InputEnded(self.clock.now_s())
            self.clock.position = frame.end
            if self.recorder is not None:
                self.recorder.write(frame)
            events = self.endpointer.push(frame)
            # The endpointer holds a pause's frames from the one it reports PauseBegan on.
            if state is EarState.HEARING and not any(isinstance(e, PauseBegan) for e in events):
                recognizer.accept([frame])
            ending: UtteranceEnded | NoSpeech | None = None
            for event in events:
                if isinstance(event, SpeechStarted):
                    state = EarState.HEARING
                    first = event.preroll[0].start if event.preroll else event.position
                    recognizer.begin(context, first)
                    recognizer.accept(event.preroll)
                elif isinstance(event, PauseBegan):
                    state, pause_start = EarState.PAUSED, event.position
                elif isinstance(event, SpeechResumed):
                    state = EarState.HEARING
                    recognizer.accept(event.frames)
                else:
                    ending = event
            if ending is None and state is EarState.PAUSED and self._judge_now(frame, pause_start):
                # Once per pause: a complete answer is replied to now, an open one waits.
                state = EarState.WAITING_OUT_PAUSE
                if sounds_complete(context, recognizer.heard_so_far()):
                    ending = self.endpointer.end_now()
            if isinstance(ending, NoSpeech):
                self.source.listening_ended(False)
                return Silence(to_seconds(ending.position))
            if isinstance(ending, UtteranceEnded):
                state = EarState.WAITING_FOR_SPEECH
                self.status("thinking")
                outcome = self._understand(ending, recognizer.end(), recognizer.audio, partner)
                if outcome is not None:
                    self.source.listening_ended(True)
                    return outcome
                # Sound that held no words (a cough, a door, music): keep listening until the
                # deadline.
                if self.clock.position >= deadline:
                    self.source.listening_ended(False)
                    return Silence(self.clock.now_s())
                self.status("listening")
                self.endpointer.start(self.clock.position, deadline)

    def _judge_now(self, frame: Frame, pause_start: int) -> bool:
        """Whether the pause in progress is long enough to judge the words heard so far."""
        return self.early_end_samples is not None and (
            frame.end - pause_start >= self.early_end_samples
        )

    def _understand(
        self,
        event: UtteranceEnded,
        heard: RecognizerUtterance | None,
        heard_audio: list[bytes],
        partner: str,
    ) -> Utterance | None:
        """The utterance to answer, or None when the sound held no words to answer."""
        start_s, end_s = to_seconds(event.speech_start), to_seconds(event.speech_end)
        if heard is None:
            # The engine died mid-answer and was restarted: not understood, so the dialogue
            # asks again instead of the check-in ending.
            return Utterance("", start_s, end_s, 0.0)
        # Engines hear words in music ("cha cha cha her"); speech never holds one spectrum
        # for long, so such a sound is not an answer.
        if not heard.text.strip() or sounds_like_music(b"".join(heard_audio)):
            return None
        utterance = Utterance(heard.text, start_s, end_s, heard.confidence)
        if self.on_turn is not None:
            self.on_turn(Turn(partner, heard.text, start_s, end_s))
        return utterance


@dataclass
class SpokenMouth:
    """Speaks a prompt: renders it, sends it out, and moves the clock past it (half-duplex)."""

    renderer: Renderer
    output: VoiceOutput
    source: FrameSource
    clock: AudioClock
    recorder: FrameRecorder | None = None
    status: StatusCallback = quiet
    tail_s: float = HALF_DUPLEX_TAIL_S
    on_turn: TurnCallback | None = None

    def say(self, text: str) -> Turn:
        self.status("speaking")
        if self.on_turn is not None:
            now = self.clock.now_s()
            self.on_turn(Turn(ASSISTANT, text, now, now))
        pcm = self.renderer.render(text)
        return self.play(pcm, text)

    def play(self, pcm: bytes, text: str = "", input_gone: bool = False) -> Turn:
        """Send already-rendered audio out (a prompt or an earcon) on the clock.

        `input_gone`: the microphone has just been lost, so there is no input to drop
        while it plays, nor an echo after it; the clock still moves past the sound."""
        start = self.clock.position
        self.output.emit(pcm)
        if self.recorder is not None:
            for frame in split_into_frames(pcm, start):
                self.recorder.write(frame)
        self.clock.position = start + len(pcm) // 2
        end_s = self.clock.now_s()
        if not input_gone:
            # Whatever the microphone picked up while we spoke is dropped, and the clock keeps it.
            self.clock.position += to_samples(self.tail_s)
            self.source.skip_to(self.clock.position)
        return Turn(ASSISTANT, text, to_seconds(start), end_s)


class _CrashGuard:
    """One utterance's view of the recognizer: after an EngineCrashed it hears nothing more.

    `end()` then returns None, meaning "the engine lost this answer" (the worker has
    already restarted it and warned the user). `audio` keeps what the utterance was fed,
    for the music test.
    """

    def __init__(self, recognizer: Recognizer) -> None:
        self.recognizer = recognizer
        self.crashed = False
        self.audio: list[bytes] = []

    def begin(self, context: str | None, start: int) -> None:
        self.crashed = False
        self.audio = []
        try:
            self.recognizer.begin(context, start)
        except EngineCrashed:
            self.crashed = True

    def accept(self, frames: Iterable[Frame]) -> None:
        for frame in frames:
            self.audio.append(frame.pcm)
            if self.crashed:
                continue
            try:
                self.recognizer.accept(frame)
            except EngineCrashed:
                self.crashed = True

    def heard_so_far(self) -> str:
        if self.crashed:
            return ""
        try:
            return self.recognizer.heard_so_far()
        except EngineCrashed:
            self.crashed = True
            return ""

    def end(self) -> RecognizerUtterance | None:
        if self.crashed:
            return None
        try:
            return self.recognizer.end()
        except EngineCrashed:
            return None
