"""Errors a user can cause outside the audio and store layers."""


class CheckinError(Exception):
    """A problem the user can fix. The message names it and says how to fix it."""
