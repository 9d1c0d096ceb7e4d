"""Shared fixtures: every test runs with its own config, data and cache folders.

No test may read or write the couple's real data, so the XDG folders and HOME
point into a temporary directory and the CHECKIN_* variables are cleared.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from spoken_helpers import ReplyBank

REPO_ROOT = Path(__file__).resolve().parent.parent

# Captured before the isolation below clears it: English Vosk accuracy tests
# run only when the developer points CHECKIN_VOSK_MODEL at an English model.
ENGLISH_VOSK_MODEL = os.environ.get("CHECKIN_VOSK_MODEL")


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in list(os.environ):
        if name.startswith("CHECKIN_"):
            monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def replies(tmp_path_factory: pytest.TempPathFactory) -> ReplyBank:
    """Spoken reply WAVs in the partners' flite voices, made once per test run."""
    return ReplyBank(tmp_path_factory.mktemp("replies"))
