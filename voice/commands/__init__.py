"""One module per `checkin` subcommand; each exposes a click command named `command`.

voice.cli discovers them, so adding a command never means editing the CLI core.
"""
