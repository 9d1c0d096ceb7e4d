"""The intent catalogue (TOML data) and the pure rapidfuzz matcher."""

from intents.catalogue import CONTEXTS, Catalogue, CatalogueError, load_catalogue
from intents.matcher import Match, match

__all__ = ["CONTEXTS", "Catalogue", "CatalogueError", "Match", "load_catalogue", "match"]
