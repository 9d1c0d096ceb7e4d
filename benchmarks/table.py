"""Print the figures as a Markdown table (with numbered notes) or as JSON."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.runner import Figure

COLUMNS = ("figure", "app", "reference (bare engine, same run, same input)", "ratio", "target",
           "verdict")


def machine() -> dict[str, Any]:
    """Cores, CPU model and Python version of the machine the figures come from."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def machine_line(info: dict[str, Any]) -> str:
    return (f"Machine: {info['cores']} cores, {info['cpu']}, Python {info['python']}, "
            f"{info['system']}.")


def render_markdown(figures: Sequence[Figure], info: dict[str, Any], wall_s: float) -> str:
    """The table, its notes, and the machine it ran on."""
    notes: list[str] = []
    rows = []
    for figure in figures:
        name = figure.name
        if figure.note:
            notes.append(figure.note)
            name = f"{name} [{len(notes)}]"
        ratio = "—" if figure.ratio is None else f"{figure.ratio:.2f}x"
        rows.append((name, figure.app or "—", figure.reference, ratio, figure.target,
                     figure.verdict))
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
        *("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows),
        "",
        *(f"[{number}] {note}" for number, note in enumerate(notes, 1)),
        "",
        f"{machine_line(info)} Whole run: {wall_s:.0f} s wall.",
    ]
    return "\n".join(lines)


def render_json(figures: Sequence[Figure], info: dict[str, Any], wall_s: float) -> str:
    return json.dumps(
        {"machine": info, "wall_s": round(wall_s, 1), "figures": [f.to_json() for f in figures]},
        indent=2,
        ensure_ascii=False,
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
