"""The check-in's words as data: voice/script.toml and its loader."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from voice.checkin.script import DEFAULT_SCRIPT_PATH, LINE_PLACEHOLDERS, load_script
from voice.errors import CheckinError


def test_every_line_has_several_variants_so_evenings_differ() -> None:
    script = load_script()
    assert set(script.lines) == set(LINE_PLACEHOLDERS)
    assert all(len(script.variants(key)) >= 2 for key in LINE_PLACEHOLDERS)


def test_counts_are_said_in_words() -> None:
    script = load_script()
    assert script.count(0, script.need_forms) == "no needs"
    assert script.count(1, script.need_forms) == "one need"
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
        ("closing_reserve_s = 10.0", 'closing_reserve_s = "ten"', "timing.closing_reserve_s"),
        ('need = ["need", "needs"]', 'need = ["need"]', "summary.need"),
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
