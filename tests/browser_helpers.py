"""Debian's headless Chromium, driven through the DevTools protocol on a pipe.

`--remote-debugging-pipe` makes Chromium read commands on fd 3 and answer on
fd 4 (JSON, each message ended by a NUL): no port, no network, no extra
Python package. The page under test never runs a script; the measuring is
done from outside, the way a person's eyes would: how wide the layout is,
what sticks out, what text is there, and a screenshot of the whole page.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium")
TIMEOUT_S = 60.0
"""How long one answer may take before the browser is taken for stuck (not a timing check)."""

MEASURE = """(() => {
  const vw = window.innerWidth;
  const outside = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    const what = el.getAttribute('aria-label') || el.textContent;
    if (r.right > vw + 0.5 || r.left < -0.5) outside.push(el.tagName + ': ' + what.slice(0, 60));
  }
  const clipped = [];
  const sizes = [];
  for (const t of document.querySelectorAll('svg.chart text')) {
    const s = t.ownerSVGElement.getBoundingClientRect();
    const r = t.getBoundingClientRect();
    sizes.push(r.height);
    if (r.left < s.left - 0.5 || r.right > s.right + 0.5 ||
        r.top < s.top - 0.5 || r.bottom > s.bottom + 0.5) clipped.push(t.textContent);
  }
  return {viewport: vw, scrollWidth: document.documentElement.scrollWidth,
          height: document.documentElement.scrollHeight, outside, clipped,
          smallestChartText: Math.min(...sizes),
          charts: document.querySelectorAll('svg.chart').length,
          text: document.body.innerText, title: document.title};
})()"""


@dataclass
class Look:
    """What a page showed at one width."""

    width: int
    measured: dict[str, Any]
    screenshot: Path
    requests: list[str] = field(default_factory=list)

    @property
    def png_size(self) -> tuple[int, int]:
        """Width and height of the screenshot, from its PNG header."""
        data = self.screenshot.read_bytes()[:24]
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        return width, height


class Browser:
    """One headless Chromium; `look` opens a file at a width and measures it."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()
        # The child must find the pipe ends at fd 3 and 4 exactly; park them above 10 first.
        child_in = fcntl.fcntl(to_browser, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_browser, fcntl.F_DUPFD, 10)
        os.close(to_browser)
        os.close(from_browser)

        def wire() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(child_in)
        os.close(child_out)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (OSError, EOFError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._write)
        os.close(self._read)

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._read], [], [], TIMEOUT_S)
            if not ready:
                raise TimeoutError("chromium stopped answering")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed its pipe")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(line))

    def call(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._message()
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return dict(answer.get("result", {}))
            self.events.append(answer)

    def wait_for(self, event: str, session: str) -> None:
        while not any(e.get("method") == event and e.get("sessionId") == session
                      for e in self.events):
            self.events.append(self._message())

    def look(self, page: Path, width: int, shots: Path, mobile: bool = True) -> Look:
        """Open `page` on a fresh tab `width` CSS px wide (a phone's when mobile), measure it."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        self.events.clear()
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile},
                  session)
        self.call("Network.enable", {}, session)
        self.call("Page.enable", {}, session)
        self.call("Page.navigate", {"url": page.resolve().as_uri()}, session)
        self.wait_for("Page.loadEventFired", session)
        measured = self.call("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True},
                             session)["result"]["value"]
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": measured["scrollWidth"],
                     "height": measured["height"], "scale": 1},
        }, session)
        path = shots / f"{page.stem}-{width}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        requests = [e["params"]["request"]["url"] for e in self.events
                    if e.get("method") == "Network.requestWillBeSent"
                    and e.get("sessionId") == session]
        self.call("Target.closeTarget", {"targetId": target})
        return Look(width, measured, path, requests)


def open_browser() -> Browser:
    return Browser(Path(tempfile.mkdtemp(prefix="checkin-chromium-")))
