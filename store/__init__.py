"""SQLite storage through sqlite-utils: schema, migrations, writes, export, import, forget.

The schema is documented in store/SCHEMA.md. Times are UTC ISO 8601 text with a
trailing "Z"; partners are stored as a JSON list of names.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.errors import StoreError
    from store.exporting import export_week
    from store.forgetting import forget
    from store.importing import ImportResult, import_export
    from store.store import Store, open_store
    from store.summary import WeekSummary, week_summary
    from store.weeks import current_week

_HOMES = {
    "StoreError": "store.errors",
    "export_week": "store.exporting",
    "forget": "store.forgetting",
    "ImportResult": "store.importing",
    "import_export": "store.importing",
    "Store": "store.store",
    "open_store": "store.store",
    "WeekSummary": "store.summary",
    "week_summary": "store.summary",
    "current_week": "store.weeks",
}


def __getattr__(name: str) -> Any:
    """Names load on first use, so `from store.errors import ...` never pays for sqlite-utils."""
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'store' has no attribute {name!r}")


__all__ = [
    "ImportResult",
    "Store",
    "StoreError",
    "WeekSummary",
    "current_week",
    "export_week",
    "forget",
    "import_export",
    "open_store",
    "week_summary",
]
