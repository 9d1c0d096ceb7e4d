"""The assistant's voice: pyttsx3 (espeak-ng) rendered to 16 kHz mono PCM, in a killable worker.

pyttsx3 is known to hang in `runAndWait`, to fail with "run loop already
started" and to trip over missing audio devices. So it never runs in the app's
process: a persistent child process (`python -m voice.tts --worker`) renders
each prompt to a temporary WAV, answering one JSON line per request. A request
that takes longer than `timeout_s` kills the worker and raises CheckinError; the
next request starts a fresh one. The WAV is converted with audio.wav.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from audio.errors import AudioError
from audio.wav import read_wav
from voice.errors import CheckinError

WORKER_COMMAND = [sys.executable, "-m", "voice.tts", "--worker"]

TTS_HINT = "check that `espeak-ng 'hello'` works (Debian: apt install espeak-ng), or use --mute"


class Speaker:
    """Renders text to speech frames' PCM with pyttsx3 + espeak-ng, never hanging the app."""

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = None,
        timeout_s: float = 10.0,
        worker_command: list[str] | None = None,
    ) -> None:
        self.voice = voice
        """A pyttsx3 voice id or a part of its name (e.g. "en-us"); None for espeak-ng's default."""
        self.rate = rate
        """Words per minute; None for pyttsx3's default (200)."""
        self.timeout_s = timeout_s
        self._command = worker_command or WORKER_COMMAND
        self._worker: subprocess.Popen[bytes] | None = None
        # Made on the first render, not here: a Speaker that never speaks (doctor, a check-in
        # that fails to start, a process killed early) leaves no folder behind in /tmp.
        self._tmpdir: Path | None = None
        self._count = 0

    def render(self, text: str) -> bytes:
        """`text` spoken, as 16 kHz mono int16 PCM. Raises CheckinError on failure or timeout."""
        if not text.strip():
            return b""
        self._count += 1
        if self._tmpdir is None:
            self._tmpdir = Path(tempfile.mkdtemp(prefix="checkin-tts-"))
        path = self._tmpdir / f"prompt-{self._count}.wav"
        self._request(
            {
                "cmd": "render",
                "text": text,
                "path": str(path),
                "voice": self.voice,
                "rate": self.rate,
            }
        )
        try:
            return read_wav(path).pcm
        except AudioError as error:
            raise CheckinError(
                f"text-to-speech wrote no usable audio ({error}); {TTS_HINT}"
            ) from None
        finally:
            path.unlink(missing_ok=True)

    def voices(self) -> list[str]:
        """Ids of the voices pyttsx3 offers."""
        reply = self._request({"cmd": "voices"})
        return [str(v) for v in reply.get("voices", [])]

    def describe(self) -> str:
        """One line for `checkin doctor`: engine, voice, rate and how many voices exist."""
        reply = self._request({"cmd": "describe", "voice": self.voice, "rate": self.rate})
        return (
            f"pyttsx3 {reply.get('driver', '?')} driver, voice {reply.get('voice', '?')}, "
            f"{reply.get('rate', '?')} wpm, {reply.get('voice_count', 0)} voices"
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

    def _start_worker(self) -> subprocess.Popen[bytes]:
        if self._worker is None or self._worker.poll() is not None:
            try:
                self._worker = subprocess.Popen(
                    self._command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError as error:
                raise CheckinError(
                    f"cannot start the speech worker ({error}); {TTS_HINT}"
                ) from None
        return self._worker

    def _stop_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is None:
            return
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        for pipe in (worker.stdin, worker.stdout):
            if pipe is not None:
                pipe.close()

    def _request(self, request: dict[str, Any]) -> dict[str, Any]:
        worker = self._start_worker()
        assert worker.stdin is not None and worker.stdout is not None
        try:
            worker.stdin.write(json.dumps(request).encode() + b"\n")
            worker.stdin.flush()
        except BrokenPipeError:
            self._stop_worker()
            raise CheckinError(f"the speech worker exited unexpectedly; {TTS_HINT}") from None
        line = _read_line(worker.stdout.fileno(), self.timeout_s)
        if line is None:
            self._stop_worker()
            raise CheckinError(
                f"text-to-speech did not answer within {self.timeout_s:g} s (pyttsx3 hung); "
                f"{TTS_HINT}"
            )
        if not line:
            self._stop_worker()
            raise CheckinError(f"the speech worker exited unexpectedly; {TTS_HINT}")
        try:
            reply: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            self._stop_worker()
            raise CheckinError(f"the speech worker answered garbage; {TTS_HINT}") from None
        if not reply.get("ok"):
            raise CheckinError(f"text-to-speech failed: {reply.get('error', 'unknown error')}")
        return reply


def _read_line(fd: int, timeout_s: float) -> bytes | None:
    """One line from `fd`; None on timeout, b"" at end of file.

    This is the one place that uses wall time: it bounds how long a real child
    process may take, so a hung pyttsx3 cannot hang the app.
    """
    deadline = time.monotonic() + timeout_s
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while not data.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return b""
            data += chunk
    return data


# ------------------------------------------------------------------ the worker process


def _worker_main() -> None:
    """Serve render requests from stdin, one JSON line in and one out."""
    # pyttsx3 prints ("Audio saved to ...") on stdout: keep a private copy for the protocol.
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    engine: Any = None
    for line in sys.stdin:
        try:
            request = json.loads(line)
            if engine is None:
                import pyttsx3

                engine = pyttsx3.init("espeak")
            reply = _handle(engine, request)
        except Exception as error:  # report every failure to the app instead of dying silently
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        protocol.write(json.dumps(reply) + "\n")


def _handle(engine: Any, request: dict[str, Any]) -> dict[str, Any]:
    voices = engine.getProperty("voices")
    if request.get("voice"):
        engine.setProperty("voice", _find_voice(voices, request["voice"]))
    if request.get("rate"):
        engine.setProperty("rate", int(request["rate"]))
    if request["cmd"] == "voices":
        return {"ok": True, "voices": [v.id for v in voices]}
    if request["cmd"] == "describe":
        return {
            "ok": True,
            "driver": "espeak",
            "voice": engine.getProperty("voice"),
            "rate": engine.getProperty("rate"),
            "voice_count": len(voices),
        }
    # pyttsx3 2.99's espeak driver sometimes ends its loop before the first long
    # utterance is written (seen: >11 s of speech on a fresh engine); asking again works.
    for _attempt in range(3):
        engine.save_to_file(request["text"], request["path"])
        engine.runAndWait()
        if os.path.exists(request["path"]) and os.path.getsize(request["path"]) > 44:
            return {"ok": True}
    return {"ok": False, "error": "pyttsx3 finished without writing the audio file"}


def _find_voice(voices: list[Any], wanted: str) -> str:
    lowered = wanted.lower()
    for voice in voices:
        if voice.id.lower() == lowered or (voice.name or "").lower() == lowered:
            return str(voice.id)
    for voice in voices:
        if lowered in voice.id.lower() or lowered in (voice.name or "").lower():
            return str(voice.id)
    raise ValueError(f"no voice matches {wanted!r}; list them with `checkin doctor`")


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _worker_main()
