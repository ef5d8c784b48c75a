"""Keeping the database's query planner informed.

SQLite plans without statistics until ``ANALYZE`` has run: it then guesses that every index
narrows equally, and may walk all of a government's datasets by a (government, …) index
instead of reading twenty rows by primary key. PostgreSQL's autovacuum analyses on its own,
but a bulk load (the demo, a large import) is better followed by an explicit ``ANALYZE`` than
left to it. ``refresh_planner_statistics`` runs daily (periodic job ``core.analyze_database``),
after ``minga demo`` and after the benchmarks' bulk loads."""

from __future__ import annotations

import logging
import time

from django.db import connections

logger = logging.getLogger("minga.maintenance")

# Rows examined per index by SQLite's ANALYZE: approximate statistics (all the planner needs)
# at a cost bounded whatever the size of the tables.
SQLITE_ANALYSIS_LIMIT = 2000


def refresh_planner_statistics(*, using: str = "default") -> float:
    """Refresh the statistics of every table; returns the seconds it took."""
    started = time.monotonic()
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    seconds = time.monotonic() - started
    logger.info("planner statistics refreshed in %.1f s", seconds)
    return seconds
