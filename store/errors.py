"""Errors a user can cause in the store. Each message says what is wrong and how to fix it."""


class StoreError(Exception):
    """A database or export/import problem the user can fix."""
