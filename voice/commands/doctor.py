"""`checkin doctor`: what the app would use on this machine, and how to fix what is missing."""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from audio.errors import AudioError
from store.errors import StoreError
from voice.commands.options import engine_option, json_option, partners_option
from voice.config import Config, load_config, with_flags
from voice.errors import CheckinError
from voice.recognizers import registry


@dataclass
class Report:
    """One section per component; a problem stops the app, a warning only limits it."""

    sections: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_step: str | None = None
    """What to do next when the app can run but is not set up yet (no names)."""


def _audio_devices(report: Report) -> None:
    try:
        from audio.mic import load_sounddevice

        devices = list(load_sounddevice().query_devices())
    except (AudioError, OSError) as error:
        report.sections["audio"] = {"inputs": [], "outputs": []}
        report.warnings.append(f"audio devices unavailable: {error}")
        return
    inputs = [f"{i}: {d['name']}" for i, d in enumerate(devices) if d["max_input_channels"] > 0]
    outputs = [f"{i}: {d['name']}" for i, d in enumerate(devices) if d["max_output_channels"] > 0]
    report.sections["audio"] = {"inputs": inputs, "outputs": outputs}
    if not inputs:
        report.warnings.append(
            "no microphone found: plug one in for `checkin listen`; `checkin text`, "
            "`checkin demo` and --audio-in FILE work without one"
        )
    if not outputs:
        report.warnings.append(
            "no speakers found: prompts will be printed instead; use --say-to FILE.wav to keep them"
        )


def _recognizer(report: Report, config: Config) -> None:
    from voice.recognizers import load_recognizer

    try:
        recognizer, why = load_recognizer(
            config.engine, vocabulary=config.partners, configured_models=config.models
        )
        report.sections["recognizer"] = {"engine": recognizer.name, "why": why}
    except (CheckinError, AudioError) as error:
        report.sections["recognizer"] = {"engine": None, "why": str(error)}
        report.problems.append(f"speech recognizer: {error}")


def _voice(report: Report, config: Config) -> None:
    from voice.tts import Speaker

    try:
        with Speaker(rate=config.voice_rate, timeout_s=15.0) as speaker:
            report.sections["tts"] = speaker.describe()
    except (CheckinError, AudioError) as error:
        report.sections["tts"] = None
        report.problems.append(f"text-to-speech: {error}")


def _database(report: Report, config: Config) -> None:
    from store import open_store

    path = config.db_path
    info: dict[str, Any] = {"path": str(path), "from": config.origin("db_path")}
    report.sections["database"] = info
    if not path.exists():
        info["state"] = (
            "not created yet (the first check-in creates it, mode 0600 in a 0700 folder)"
        )
        return
    info["mode"] = oct(stat.S_IMODE(path.stat().st_mode))
    info["folder_mode"] = oct(stat.S_IMODE(path.parent.stat().st_mode))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        report.warnings.append(f"{path} is readable by others: run `chmod 600 {path}`")
    try:
        store = open_store(path, create=False)
    except StoreError as error:
        info["state"] = "unusable"
        report.problems.append(f"database: {error}")
        return
    try:
        info["schema_version"] = store.schema_version
        info["state"] = "ok"
    finally:
        store.close()


def diagnose(config: Config) -> Report:
    report = Report()
    report.sections["config"] = {
        "file": str(config.source) if config.source else "none (defaults are in effect)",
        "partners": list(config.partners),
        "wake_phrase": config.wake_phrase,
        "engine": config.engine,
        "db": str(config.db_path),
        "origins": {
            key: config.origin(key)
            for key in ("partners", "engine", "db_path", *registry.model_keys())
        },
    }
    report.sections["engines"] = [
        {"name": engine.name, "summary": engine.summary, "auto_rank": engine.auto_rank}
        for engine in registry.ENGINES
    ]
    _audio_devices(report)
    _recognizer(report, config)
    _voice(report, config)
    _database(report, config)
    if not config.names_set:
        report.warnings.append(
            f"no partner names are set, so a check-in would greet "
            f"\"{' and '.join(config.partners)}\": run `checkin setup` to set them"
        )
        report.next_step = "run `checkin setup` to set your names, microphone and reminder"
    return report


def _print(report: Report) -> None:
    config = report.sections["config"]
    click.echo(f"config:      {config['file']}")
    click.echo(f"partners:    {', '.join(config['partners'])} ({config['origins']['partners']})")
    click.echo(f"wake phrase: {config['wake_phrase']}")
    audio = report.sections["audio"]
    click.echo(f"microphones: {'; '.join(audio['inputs']) or 'none'}")
    click.echo(f"speakers:    {'; '.join(audio['outputs']) or 'none'}")
    engines = ", ".join(engine["name"] for engine in report.sections["engines"])
    click.echo(f"engines:     {engines}")
    click.echo(f"recognizer:  {report.sections['recognizer']['why']}")
    click.echo(f"voice:       {report.sections['tts'] or 'unavailable'}")
    database = report.sections["database"]
    details = ", ".join(f"{k} {v}" for k, v in database.items() if k not in ("path", "from"))
    click.echo(f"database:    {database['path']} ({database['from']}): {details}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    for problem in report.problems:
        click.echo(f"problem: {problem}")
    if report.problems:
        click.echo("the app cannot run yet")
    elif report.next_step:
        click.echo(f"ok: the app can run; next, {report.next_step}")
    else:
        click.echo("ok: the app can run")


@click.command("doctor")
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Database file."
)
@engine_option()
@partners_option()
@json_option("Print the report as JSON.")
@click.option("--mic-test", is_flag=True,
              help="Record 3 s, report the level and whether the wake phrase was heard.")
@click.option("--mic", help="With --mic-test: the microphone (index or part of its name).")
@click.option("--audio-in", type=click.Path(dir_okay=False, path_type=Path),
              help="With --mic-test: test this recording instead of the microphone.")
def command(
    db_path: Path | None, engine: str | None, partners: str | None, as_json: bool,
    mic_test: bool, mic: str | None, audio_in: Path | None,
) -> None:
    """Report the devices, recognizer, voice, database and config the app would use.

    Each problem comes with its fix. Exits 0 when the app can run.

    \b
    Example:
      checkin doctor
      checkin doctor --json --db ~/couple.db
      checkin doctor --mic-test
    """
    config = with_flags(load_config(), db_path=db_path, engine=engine, partners=partners)
    if mic_test:
        from voice.listen.mic_check import doctor_mic_test

        doctor_mic_test(config.wake_phrase, mic or config.mic, audio_in, as_json)
        return
    report = diagnose(config)
    if as_json:
        click.echo(
            json.dumps(
                {**report.sections, "problems": report.problems, "warnings": report.warnings,
                 "next_step": report.next_step},
                indent=2,
            )
        )
    else:
        _print(report)
    if report.problems:
        raise SystemExit(1)
