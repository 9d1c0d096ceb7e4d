"""The `checkin` command line: a thin click layer over the library.

Errors a user can cause become one plain line and exit status 2; a traceback is
shown only with --debug. A subcommand's module is imported only when it runs (or
when help lists it), so `checkin --help` and `checkin text` never load an engine.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from audio.errors import AudioError
from store.errors import StoreError
from voice.errors import CheckinError

USER_ERRORS: tuple[type[BaseException], ...] = (CheckinError, AudioError, StoreError)


COMMANDS_PACKAGE = "voice.commands"
SHARED_MODULES = ("options",)
"""Modules of voice.commands that hold what commands share, not a command."""


class LazyGroup(click.Group):
    """Subcommands found as modules of voice.commands, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_modules())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module_name = _modules().get(name)
        if module_name is None:
            return None
        command = getattr(importlib.import_module(module_name), "command", None)
        return command if isinstance(command, click.Command) else None


def _modules() -> dict[str, str]:
    """Command name -> module; `import_` is `import`, modules without a command are skipped."""
    package = importlib.import_module(COMMANDS_PACKAGE)
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in SHARED_MODULES:
            continue
        found[info.name.rstrip("_")] = f"{COMMANDS_PACKAGE}.{info.name}"
    return found


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="couple-checkin")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """An offline voice assistant for a couple's two-minute evening check-in.

    \b
    Example:
      checkin demo
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def configure_logging() -> None:
    """CHECKIN_LOG=info (the service unit sets it) sends state changes to stderr, the journal.

    Off by default: in a terminal the conversation itself says what happened.
    """
    import logging
    import os

    level = os.environ.get("CHECKIN_LOG", "").upper()
    if level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        logging.basicConfig(level=level, format="checkin: %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `checkin` console script."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    configure_logging()
    try:
        cli.main(args=argv, prog_name="checkin", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("checkin: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except USER_ERRORS as error:
        if debug:
            raise
        click.echo(f"checkin: {error}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("checkin: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as error:  # a bug, not the user's doing: say so in one line, keep the trace
        if debug:
            raise
        click.echo(
            f"checkin: internal error ({type(error).__name__}: {error}); "
            "run again with --debug and report the traceback",
            err=True,
        )
        sys.exit(1)
