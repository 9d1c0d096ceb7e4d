"""`checkin demo`: two synthetic partners through the real engines, one WAV of both sides."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from audio.wav import read_wav
from voice.checkin.script import load_script


def test_demo_records_the_whole_conversation_and_keeps_the_couples_data_clean(
    tmp_path: Path, isolated_home: Path
) -> None:
    out = tmp_path / "demo.wav"
    # No speaker, whatever this machine has: PortAudio cannot load (a stand-in sounddevice).
    fake = tmp_path / "no-portaudio"
    fake.mkdir()
    (fake / "sounddevice.py").write_text('raise OSError("PortAudio library not found")\n')
    path = os.pathsep.join(filter(None, [str(fake), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "voice", "demo", "--out", str(out), "--json", "--play"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, PYTHONPATH=path),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["completed"] is True

    kinds = [(e["partner"], e["kind"]) for e in summary["entries"]]
    assert kinds[:2] == [("Ana", "appreciation"), ("Sam", "appreciation")]
    assert ("Ana", "unmet_need") in kinds and ("Sam", "unmet_need") in kinds
    responses = [e["validated"] for e in summary["entries"] if e["kind"] == "response"]
    # Sam acknowledges; Ana brushes it off, is coached by name, and tries again.
    assert responses == [True, False, True]
    assistant = [t["text"] for t in summary["turns"] if t["speaker"] == "assistant"]
    script = load_script()
    coached = {v.format(partner="Ana", other="Sam") for v in script.variants("coach_dismissal")}
    sharer = {v.format(partner="Ana", other="Sam") for v in script.variants("validate_sharer")}
    assert set(assistant) & coached and set(assistant) & sharer

    # It ends with the next step, and says what it did in plain words.
    lines = result.stderr.strip().splitlines()
    assert "checkin setup" in lines[-1] and "checkin listen" in lines[-1]
    assert f"{len(summary['entries'])} entries were logged" in result.stderr
    # --play with no speaker: no advice about options demo does not have.
    warning = next(line for line in lines if "speaker" in line and "warning" in line)
    assert str(out) in warning
    assert not any(flag in result.stderr for flag in ("--speaker", "--say-to", "--mute"))

    # The transcript (stderr with --json) shows both sides.
    assert "Ana:" in result.stderr and "Sam:" in result.stderr and "assistant:" in result.stderr

    # One WAV holds both sides: as long as the session, with speech from partners and assistant.
    audio = read_wav(out)
    assert abs(audio.duration_s - summary["duration_s"]) < 2.0
    speakers = {turn["speaker"] for turn in summary["turns"]}
    assert speakers == {"assistant", "Ana", "Sam"}
    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float64)
    for turn in summary["turns"]:
        start, end = int(turn["start_s"] * 16000), int(turn["end_s"] * 16000)
        if end > start:
            assert np.sqrt(np.mean(samples[start:end] ** 2)) > 300, turn  # speech, not silence

    # A throwaway database: nothing lands in the couple's data folder.
    assert not (isolated_home / ".local" / "share" / "checkin").exists()
