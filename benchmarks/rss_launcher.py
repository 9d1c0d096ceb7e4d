"""`python -m benchmarks.rss_launcher REPORT -- COMMAND...`: run COMMAND, report its peak memory.

Two reasons for a launcher between the benchmark and the command:
- Linux hands a new process the memory high-water mark of the process that
  spawned it (the address space replaced at exec is counted), so a child of the
  benchmark process, which holds loaded models, would report at least the
  benchmark's own size. This small, fresh launcher imports only the standard
  library, so the command inherits just a few megabytes.
- The app runs its engine and its voice in worker processes it may never wait
  for, so wait4 alone would miss them. The launcher reads the peak resident set
  (VmHWM) of the command and every descendant from /proc while they run; VmHWM
  only grows, so the last reading of each is its peak up to that moment.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

POLL_S = 0.05
"""How often /proc is read: wall time bounds how late a process's last reading can be."""


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m benchmarks.rss_launcher REPORT -- COMMAND...", file=sys.stderr)
        return 2
    report, command = argv[0], argv[2:]
    process = subprocess.Popen(command)
    peaks: dict[int, tuple[str, int]] = {}
    while process.poll() is None:
        for pid in [process.pid, *descendants(process.pid)]:
            reading = peak_kib(pid)
            if reading is not None:
                peaks[pid] = (reading[0], max(reading[1], peaks.get(pid, ("", 0))[1]))
        time.sleep(POLL_S)
    with open(report, "w", encoding="utf-8") as handle:
        json.dump({
            "returncode": process.returncode,
            "processes": [{"pid": pid, "command": name, "peak_kib": kib}
                          for pid, (name, kib) in peaks.items()],
        }, handle)
    return 0


def descendants(root: int) -> list[int]:
    """Every living process below `root`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the parent pid follows the last ")".
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def peak_kib(pid: int) -> tuple[str, int] | None:
    """(command line, VmHWM in KiB) of `pid`, or None if it is gone or has no memory."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return command.strip(), int(line.split()[1])
    return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
