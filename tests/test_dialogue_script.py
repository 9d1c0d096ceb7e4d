"""The check-in's words as data: voice/script.toml and its loader."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from voice.checkin.script import DEFAULT_SCRIPT_PATH, LINE_PLACEHOLDERS, load_script
from voice.errors import CheckinError

REPO = Path(__file__).resolve().parent.parent


def test_every_line_has_several_variants_so_evenings_differ() -> None:
    script = load_script()
    assert set(script.lines) == set(LINE_PLACEHOLDERS)
    assert all(len(script.variants(key)) >= 2 for key in LINE_PLACEHOLDERS)


def test_counts_are_said_in_words() -> None:
    script = load_script()
    assert script.count(0, script.need_forms) == "no moments that hurt"
    assert script.count(1, script.need_forms) == "one moment that hurt"
    assert script.count(2, script.appreciation_forms) == "two appreciations"
    assert script.count(40, script.appreciation_forms) == "40 appreciations"


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_SCRIPT_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "script.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("goodbye = [", "farewell = [", "lines.goodbye"),
        ('"I\'m glad to hear that.",', '"I\'m glad to hear that, {name}.",', "{name}"),
        ("answer_timeout_s = 8.0", "answer_timeout_s = 0", "timing.answer_timeout_s"),
        ("closing_reserve_s = 14.0", 'closing_reserve_s = "ten"', "timing.closing_reserve_s"),
        ('need = ["moment that hurt", "moments that hurt"]', 'need = ["need"]', "summary.need"),
        ("[summary]", "[summaries]", "summary"),
        ('stopped = [', 'stopped = []\nunused = [', "lines.stopped"),
    ],
    ids=["missing-line", "unknown-placeholder", "zero-timeout", "text-timeout", "one-form",
         "missing-table", "empty-line"],
)
def test_a_broken_script_names_the_key_and_the_file(
    tmp_path: Path, old: str, new: str, named: str
) -> None:
    path = edited(tmp_path, old, new)
    with pytest.raises(CheckinError) as error:
        load_script(path)
    message = str(error.value)
    assert named in message and str(path) in message
    assert "\n" not in message


def test_a_line_the_check_in_never_says_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "script.toml"
    text = DEFAULT_SCRIPT_PATH.read_text(encoding="utf-8")
    path.write_text(text + '\n[lines.extra]\n', encoding="utf-8")
    with pytest.raises(CheckinError, match="lines"):
        load_script(path)
    path.write_text(text.replace("[lines]\n", '[lines]\nwelcome = ["Hi"]\n'), encoding="utf-8")
    with pytest.raises(CheckinError, match="lines.welcome"):
        load_script(path)


def test_a_script_that_is_not_toml_or_not_there(tmp_path: Path) -> None:
    broken = tmp_path / "script.toml"
    broken.write_text("[lines\nopening = ", encoding="utf-8")
    with pytest.raises(CheckinError, match="not valid TOML"):
        load_script(broken)
    with pytest.raises(CheckinError, match="cannot read"):
        load_script(tmp_path / "missing.toml")


def test_the_packaged_script_is_plain_toml() -> None:
    with DEFAULT_SCRIPT_PATH.open("rb") as handle:
        assert "lines" in tomllib.load(handle)


def spoken_words(script: object) -> list[str]:
    """Every variant of every line, as it would be said (placeholders filled in)."""
    lines = load_script().lines
    fill = {"a": "Ana", "b": "Sam", "partner": "Ana", "other": "Sam",
            "appreciations": "two appreciations", "needs": "one moment that hurt"}
    return [variant.format(**fill) for variants in lines.values() for variant in variants]


def test_nothing_said_aloud_reads_an_ellipsis_or_jargon() -> None:
    for text in spoken_words(load_script()):
        assert "…" not in text and "..." not in text, text
        lowered = text.lower()
        assert "micro" not in lowered and "rejection" not in lowered, text
        assert re.search(r"\bneeds?\b", lowered) is None, text  # "two needs" is jargon aloud


def test_the_goodbye_does_not_repeat_the_coaching_phrase() -> None:
    script = load_script()
    assert any("I'm here for you" in variant for variant in script.variants("coach_dismissal"))
    for goodbye in script.variants("goodbye"):
        assert "here for you" not in goodbye.lower(), goodbye


def test_every_line_the_dialogue_says_comes_from_the_toml() -> None:
    source = (REPO / "voice" / "checkin" / "dialogue.py").read_text(encoding="utf-8")
    keys = {
        arg.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_say", "_ask", "_line")
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    keys |= {f"nothing_{context}" for context in ("appreciation", "need")}
    keys |= {f"ask_{c}" for c in ("appreciation", "need")} | {"reask_appreciation", "reask_need"}
    assert {"check_hurt", "what_happened", "validate_sharer", "time_up"} <= keys
    assert keys <= set(load_script().lines), keys - set(load_script().lines)
    # No sentence is written in the machine itself: only keys and placeholders.
    assert not re.search(r'Say\("[A-Z]', source)
