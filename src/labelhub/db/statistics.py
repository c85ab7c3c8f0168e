"""Planner statistics after bulk loads.

After 10,000s of rows arrive at once, PostgreSQL's planner works from stale statistics until
autovacuum catches up (a minute or more), and picked sequential scans for next-task and deep
list pages in the 1,000,000-task benchmark.  ``refresh`` runs ANALYZE on the given tables
(SQLite: ``PRAGMA optimize``, which analyzes what needs it).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, text


def refresh(engine: Engine, tables: Sequence[str]) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in tables:
                conn.execute(text(f'ANALYZE "{table}"'))
        else:
            conn.exec_driver_sql("PRAGMA optimize")


__all__ = ["refresh"]
