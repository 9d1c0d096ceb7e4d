"""The intent catalogue (TOML data) and the pure rapidfuzz matcher."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intents.catalogue import CONTEXTS, Catalogue, CatalogueError, load_catalogue
    from intents.matcher import Match, match

__all__ = ["CONTEXTS", "Catalogue", "CatalogueError", "Match", "load_catalogue", "match"]


def __getattr__(name: str) -> Any:
    """rapidfuzz loads when matching starts, not when `checkin --help` lists the commands."""
    if name in ("Match", "match"):
        return getattr(import_module("intents.matcher"), name)
    if name in __all__:
        return getattr(import_module("intents.catalogue"), name)
    raise AttributeError(f"module 'intents' has no attribute {name!r}")
