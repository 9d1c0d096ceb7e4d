"""SQLite storage through sqlite-utils: schema, migrations, writes, export, import, forget.

The schema is documented in store/SCHEMA.md. Times are UTC ISO 8601 text with a
trailing "Z"; partners are stored as a JSON list of names.
"""

from store.errors import StoreError
from store.exporting import export_week
from store.forgetting import forget
from store.importing import ImportResult, import_export
from store.store import Store, open_store
from store.summary import WeekSummary, week_summary
from store.weeklog import spoken_summary
from store.weeks import current_week

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
    "spoken_summary",
    "week_summary",
]
