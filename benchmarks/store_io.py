"""Export of one week and import of a year, on real SQLite files holding a year of check-ins.

Wall time in-process: the store's cost is mostly SQLite and the disk (commits,
WAL), which CPU time would not see.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

from benchmarks.runner import Figure, Settings, fmt_ms, fmt_s, median

WEEK = "2025-W27"
"""A midsummer week of the sample year (which starts on Monday 2025-01-06)."""

FORMATS = ("md", "html", "csv", "json")
EXPORT_TARGET_S = 0.100
IMPORT_TARGET_S = 2.0


def wall_seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def run(settings: Settings) -> list[Figure]:
    from store import export_week, import_export, open_store
    from store.sample import year_export, year_export_json

    document = year_export_json()
    year = year_export()
    counts = f"{len(year['sessions'])} sessions, {len(year['entries'])} entries"
    with tempfile.TemporaryDirectory(prefix="checkin-bench-") as folder:
        import_times = []
        for attempt in range(settings.repeats):
            with open_store(Path(folder) / f"import-{attempt}.db") as store:
                import_times.append(
                    wall_seconds(lambda: import_export(store, document, "the sample year"))
                )
        with open_store(Path(folder) / "import-0.db") as store:
            for fmt in FORMATS:  # the first export of each format builds caches: untimed
                export_week(store, WEEK, fmt, tz=UTC)
            export_times = {
                fmt: [wall_seconds(lambda: export_week(store, WEEK, fmt, tz=UTC))  # noqa: B023
                      for _ in range(settings.repeats)]
                for fmt in FORMATS
            }
    export_medians = {fmt: median(times) for fmt, times in export_times.items()}
    slowest = max(export_medians, key=lambda fmt: export_medians[fmt])
    import_s = median(import_times)
    breakdown = ", ".join(f"{fmt} {fmt_ms(value)}" for fmt, value in export_medians.items())
    return [
        Figure(
            name="export one week (slowest format)",
            app=f"{fmt_ms(export_medians[slowest])} ({slowest})",
            target=f"< {fmt_ms(EXPORT_TARGET_S)}",
            met=export_medians[slowest] < EXPORT_TARGET_S,
            note=f"store.export_week({WEEK}) from a SQLite file holding store.sample's year "
                 f"({counts}); wall time in-process, median of {settings.repeats}: {breakdown}",
            values={"export_s": export_times},
        ),
        Figure(
            name="import a year",
            app=fmt_s(import_s),
            target=f"< {fmt_s(IMPORT_TARGET_S)}",
            met=import_s < IMPORT_TARGET_S,
            note=f"store.import_export of store.sample's year ({counts}) into a new SQLite "
                 f"file; wall time in-process, median of {settings.repeats}",
            values={"import_s": import_times},
        ),
    ]
