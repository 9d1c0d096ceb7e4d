"""The `checkin` command line: a thin click layer over the library.

Errors a user can cause become one plain line and exit status 2; a traceback is
shown only with --debug.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

import voice.commands
from audio.errors import AudioError
from store.errors import StoreError
from voice.errors import CheckinError

USER_ERRORS: tuple[type[BaseException], ...] = (CheckinError, AudioError, StoreError)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


def _register_commands() -> None:
    for module_info in sorted(pkgutil.iter_modules(voice.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"voice.commands.{module_info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `checkin` console script."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
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
