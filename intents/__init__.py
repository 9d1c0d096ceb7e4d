"""The intent catalogue (TOML data, with example phrasings) and the pure matcher."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intents.catalogue import CONTEXTS, Catalogue, CatalogueError, load_catalogue
    from intents.matcher import Match, match

__all__ = ["CONTEXTS", "Catalogue", "CatalogueError", "Match", "load_catalogue", "match"]


def __getattr__(name: str) -> Any:
    """rapidfuzz and numpy load when matching starts (the encoder on the first answer that
    needs it), not when `checkin --help` lists the commands."""
    if name in ("Match", "match"):
        return getattr(import_module("intents.matcher"), name)
    if name in __all__:
        return getattr(import_module("intents.catalogue"), name)
    raise AttributeError(f"module 'intents' has no attribute {name!r}")
