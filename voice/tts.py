"""The assistant's voice: pyttsx3 (espeak-ng) rendered to 16 kHz mono PCM, in a killable worker.

pyttsx3 is known to hang in `runAndWait`, to fail with "run loop already
started" and to trip over missing audio devices. So it never runs in the app's
process: a persistent child (`python -m voice.tts --worker`, run by voice.children)
renders each prompt to a temporary WAV, answering each request message below. A
request that takes longer than `timeout_s` kills the worker and raises CheckinError;
the next request starts a fresh one. The WAV is converted with audio.wav.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from audio.errors import AudioError
from audio.wav import read_wav
from voice.children import Child, ChildExited, ChildHung, ChildLost, Failed, Message, serve
from voice.config import DEFAULT_VOICE_RATE
from voice.errors import CheckinError

WORKER_COMMAND = [sys.executable, "-m", "voice.tts", "--worker"]

TTS_HINT = "check that `espeak-ng 'hello'` works (Debian: apt install espeak-ng), or use --mute"

Answer = TypeVar("Answer", bound=Message)


# ------------------------------------------------------------------ the messages


@dataclass(frozen=True)
class Render(Message):
    """Speak `text` into a WAV file; answered by Rendered."""

    type = "render"

    text: str
    """What to say."""

    path: str
    """Where to write the WAV (in the app's temporary folder, so the app cleans it up)."""

    voice: str | None
    """A pyttsx3 voice id or a part of its name; None for espeak-ng's default."""

    rate: int | None
    """Words per minute; None for pyttsx3's default."""


@dataclass(frozen=True)
class Rendered(Message):
    """The WAV file is written."""

    type = "rendered"


@dataclass(frozen=True)
class ListVoices(Message):
    """Ask which voices there are; answered by Voices."""

    type = "list-voices"


@dataclass(frozen=True)
class Voices(Message):
    """The voices pyttsx3 offers."""

    type = "voices"

    ids: tuple[str, ...]
    """Their pyttsx3 ids."""


@dataclass(frozen=True)
class Describe(Message):
    """Ask what speaking with this voice and rate means; answered by Description."""

    type = "describe"

    voice: str | None
    """As in Render."""

    rate: int | None
    """As in Render."""


@dataclass(frozen=True)
class Description(Message):
    """The engine as it would speak, for `checkin doctor`."""

    type = "description"

    driver: str
    """pyttsx3's driver ("espeak")."""

    voice: str
    """The voice id chosen."""

    rate: int
    """Words per minute."""

    voice_count: int
    """How many voices exist."""


REQUESTS = (Render, ListVoices, Describe)
ANSWERS = (Rendered, Voices, Description)


# ------------------------------------------------------------------ the app's side


class Speaker:
    """Renders text to speech frames' PCM with pyttsx3 + espeak-ng, never hanging the app."""

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = DEFAULT_VOICE_RATE,
        timeout_s: float = 10.0,
        worker_command: list[str] | None = None,
    ) -> None:
        """`worker_command` (for tests) gets the pipes' fds appended, as voice.children does."""
        self.voice = voice
        """A pyttsx3 voice id or a part of its name (e.g. "en-us"); None for espeak-ng's default."""
        self.rate = rate
        """espeak-ng words per minute (config `voice_rate`); the default is a calm one, about
        165 spoken words a minute. None for pyttsx3's own (200: about 215, hurried)."""
        self.timeout_s = timeout_s
        self._command = worker_command or WORKER_COMMAND
        self._worker: Child | None = None
        # Made on the first render, not here: a Speaker that never speaks (doctor, a check-in
        # that fails to start, a process killed early) leaves no folder behind in /tmp.
        self._tmpdir: Path | None = None
        self._count = 0

    @property
    def pid(self) -> int | None:
        """The worker's process id; None before the first request and after a failure."""
        return self._worker.pid if self._worker is not None else None

    def render(self, text: str) -> bytes:
        """`text` spoken, as 16 kHz mono int16 PCM. Raises CheckinError on failure or timeout."""
        if not text.strip():
            return b""
        self._count += 1
        if self._tmpdir is None:
            self._tmpdir = Path(tempfile.mkdtemp(prefix="checkin-tts-"))
        path = self._tmpdir / f"prompt-{self._count}.wav"
        try:
            self._request(Render(text, str(path), self.voice, self.rate), Rendered)
            return read_wav(path).pcm
        except AudioError as error:
            raise CheckinError(
                f"text-to-speech wrote no usable audio ({error}); {TTS_HINT}"
            ) from None
        finally:
            path.unlink(missing_ok=True)

    def voices(self) -> list[str]:
        """Ids of the voices pyttsx3 offers."""
        return list(self._request(ListVoices(), Voices).ids)

    def describe(self) -> str:
        """One line for `checkin doctor`: engine, voice, rate and how many voices exist."""
        reply = self._request(Describe(self.voice, self.rate), Description)
        return (
            f"pyttsx3 {reply.driver} driver, voice {reply.voice}, "
            f"{reply.rate} wpm, {reply.voice_count} voices"
        )

    def close(self) -> None:
        """Stop the worker and remove temporary files."""
        self._stop_worker()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> Speaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _stop_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.kill()

    def _request(self, request: Message, expected: type[Answer]) -> Answer:
        if self._worker is not None and self._worker.exited() is not None:
            self._worker = None
        if self._worker is None:
            try:
                self._worker = Child(self._command, ANSWERS)
            except OSError as error:
                raise CheckinError(
                    f"cannot start the speech worker ({error}); {TTS_HINT}"
                ) from None
        try:
            reply = self._worker.ask(request, self.timeout_s)
        except ChildLost as lost:
            self._worker = None  # killed and reaped already; the next request starts another
            if isinstance(lost, ChildHung):
                why = f"text-to-speech did not answer within {self.timeout_s:g} s (pyttsx3 hung)"
            elif isinstance(lost, ChildExited):
                why = "the speech worker exited unexpectedly"
            else:
                why = "the speech worker answered garbage"
            raise CheckinError(f"{why}; {TTS_HINT}") from None
        if isinstance(reply, Failed):
            raise CheckinError(f"text-to-speech failed: {reply.detail}")
        if not isinstance(reply, expected):
            self._stop_worker()
            raise CheckinError(f"the speech worker answered garbage; {TTS_HINT}")
        return reply


# ------------------------------------------------------------------ the worker process


def _worker_main() -> None:
    """Serve requests from the app until it quits; pyttsx3 starts on the first one."""
    engine: Any = None

    def handle(request: Message) -> Message:
        nonlocal engine
        if engine is None:
            import pyttsx3

            engine = pyttsx3.init("espeak")
        return _handle(engine, request)

    serve(handle, REQUESTS)


def _handle(engine: Any, request: Message) -> Message:
    voices = engine.getProperty("voices")
    if isinstance(request, Render | Describe):
        if request.voice:
            engine.setProperty("voice", _find_voice(voices, request.voice))
        if request.rate:
            engine.setProperty("rate", int(request.rate))
    if isinstance(request, ListVoices):
        return Voices(tuple(str(v.id) for v in voices))
    if isinstance(request, Describe):
        # pyttsx3 applies a new rate with the next utterance; getProperty still says the old one.
        rate = int(request.rate) if request.rate else int(engine.getProperty("rate"))
        return Description("espeak", str(engine.getProperty("voice")), rate, len(voices))
    if not isinstance(request, Render):
        raise TypeError(f"no handler for {request.type!r}")
    # pyttsx3 2.99's espeak driver sometimes ends its loop before the first long
    # utterance is written (seen: >11 s of speech on a fresh engine); asking again works.
    text = _at_rate(request.text, request.rate)
    for _attempt in range(3):
        engine.save_to_file(text, request.path)
        engine.runAndWait()
        if os.path.exists(request.path) and os.path.getsize(request.path) > 44:
            return Rendered()
    return Failed("pyttsx3 finished without writing the audio file")


def _at_rate(text: str, rate: int | None) -> str:
    """`text` with espeak-ng's embedded speed command in front of it.

    A rate set with setProperty is queued apart from the text, and a fresh engine sometimes
    spoke the next prompt at pyttsx3's 200 wpm instead (1 run in 20 here, a warm-up word and
    setting it twice did not cure it); a command inside the text is read with the text.
    """
    spoken = "".join(ch for ch in text if ch >= " " or ch in "\n\t")
    return f"\x01{int(rate)}S{spoken}" if rate else spoken


def _find_voice(voices: list[Any], wanted: str) -> str:
    lowered = wanted.lower()
    for voice in voices:
        if voice.id.lower() == lowered or (voice.name or "").lower() == lowered:
            return str(voice.id)
    for voice in voices:
        if lowered in voice.id.lower() or lowered in (voice.name or "").lower():
            return str(voice.id)
    raise ValueError(f"no voice matches {wanted!r}; list them with `checkin doctor`")


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    _worker_main()
