"""`checkin model`: install and list Vosk speech models."""

from __future__ import annotations

from pathlib import Path

import click

from voice.recognizers import models


@click.group(name="model")
def command() -> None:
    """Install or list Vosk models (the more accurate recognizer).

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
    """Show installed Vosk models: name, language, size and path.

    \b
    Example:
      checkin model list
    """
    installed = models.list_models()
    if not installed:
        dirs = ", ".join(str(folder) for folder in models.search_dirs())
        click.echo(f"no Vosk models installed in {dirs}; run `checkin model download`")
        return
    for model in installed:
        size_mb = model.size_bytes / 1_000_000
        click.echo(f"{model.name}\t{model.language}\t{size_mb:.0f} MB\t{model.path}")
