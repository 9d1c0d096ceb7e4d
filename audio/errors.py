"""Errors a user can cause in the audio layer. Each message says what is wrong and how to fix it."""


class AudioError(Exception):
    """A problem with an audio file or device that the user can fix."""
