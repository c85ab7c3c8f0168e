"""Bulk inserts straight through the database driver.

SQLAlchemy's executemany converts every value through its type and builds a parameter dict per
row; for 10,000-row imports that was most of the time.  Here each column's converter runs once
per distinct value run (timestamps of one import are all the same object) and rows go to the
driver's own ``executemany`` as tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_rows(s: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    conn = s.connection()
    dialect = conn.dialect
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    by_column = list(zip(*rows, strict=True))
    for i, name in enumerate(columns):
        proc = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if proc is not None:
            by_column[i] = tuple(_memo(proc, by_column[i]))
    params = list(zip(*by_column, strict=True))
    if dialect.name == "postgresql":  # COPY is several times faster than executemany there
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in params:
                copy.write_row(row)
        return
    conn.exec_driver_sql(sql, params)


def _memo(proc: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """Convert a column, once per run of the same value (an import's timestamps are one object)."""
    out: list[Any] = []
    last_in: Any = object()
    last_out: Any = None
    for v in values:
        if v is not last_in:
            last_in, last_out = v, (None if v is None else proc(v))
        out.append(last_out)
    return out


__all__ = ["insert_rows"]
