"""`python -m voice` runs the `checkin` command line."""

from voice.cli import main

main()
