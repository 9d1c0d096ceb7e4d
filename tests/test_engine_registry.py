"""The engine registry is the one list of engines: a new row is all a new engine needs.

The third engine here is PocketSphinx again under another name, so everything it
does is real; what is tested is that the CLI, config and doctor take it from the row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from recognizer_helpers import speech_pcm

from audio.wav import write_wav
from voice.cli import main
from voice.config import load_config
from voice.recognizers import load_recognizer, registry

TWIN = registry.Engine(
    name="twin",
    summary="PocketSphinx under a second name (a test row)",
    load="voice.recognizers.sphinx:load",
    locate="voice.recognizers.sphinx:locate",
    auto_rank=None,
)


@pytest.fixture
def with_twin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "ENGINES", [*registry.ENGINES, TWIN])


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.usefixtures("with_twin")
@pytest.mark.parametrize("command", ["start", "listen", "demo", "doctor", "transcribe"])
def test_a_new_row_is_a_choice_of_every_command_that_takes_an_engine(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, _ = run_cli(capsys, command, "--help")
    assert code == 0
    assert "twin" in out and "pocketsphinx" in out


@pytest.mark.usefixtures("with_twin")
def test_doctor_lists_the_new_engine_and_can_load_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "doctor", "--engine", "twin", "--json")
    report = json.loads(out)
    assert "twin" in [engine["name"] for engine in report["engines"]]
    assert report["recognizer"]["engine"] == "pocketsphinx"
    assert "forced" in report["recognizer"]["why"]


@pytest.mark.usefixtures("with_twin")
def test_the_new_engine_transcribes_real_audio(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    wav = tmp_path / "answer.wav"
    write_wav(wav, speech_pcm(tmp_path, "slt", "thank you for the coffee"))
    code, out, err = run_cli(capsys, "transcribe", "--engine", "twin", str(wav))
    assert code == 0, err
    assert "coffee" in out


@pytest.mark.usefixtures("with_twin")
def test_the_config_file_accepts_the_new_engine(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('engine = "twin"\n')
    assert load_config(config_file).engine == "twin"


def test_an_unknown_engine_is_refused_with_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "transcribe", "--engine", "nope", "x.wav")
    assert code == 2
    assert "pocketsphinx" in err and "vosk" in err


def test_auto_skips_an_engine_that_cannot_load_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = registry.Engine(
        name="broken", summary="an engine whose package is missing", auto_rank=0,
        load="voice.recognizers.no_such_module:load", locate="voice.recognizers.sphinx:locate",
    )
    others = [engine for engine in registry.ENGINES if engine.name != "whisper"]
    monkeypatch.setattr(registry, "ENGINES", [broken, *others])
    recognizer, why = load_recognizer("auto")
    assert recognizer.name == "pocketsphinx"
    assert "no_such_module" in why
