"""Reserving primary keys for bulk inserts, so rows can be inserted in batches without RETURNING.

SQLite cannot batch ``INSERT ... RETURNING`` in parameter order (SQLAlchemy then sends one
statement per row, ~20x slower); with ids chosen up front a 10,000-row insert is one batch.
"""

from __future__ import annotations

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session


def reserve_ids(s: Session, table: Table, n: int) -> list[int]:
    """``n`` fresh ids for ``table``.  On SQLite the caller must hold the write transaction
    (``Database.write``: BEGIN IMMEDIATE), which makes ``max(id) + 1 ...`` safe; on PostgreSQL
    the ids come from the column's sequence and are safe under concurrency."""
    if n <= 0:
        return []
    if s.get_bind().dialect.name == "postgresql":
        seq = s.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        return list(s.scalars(text("SELECT nextval(:seq) FROM generate_series(1, :n)"), {"seq": seq, "n": n}))
    start = int(s.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + n))


__all__ = ["reserve_ids"]
