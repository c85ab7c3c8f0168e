"""Engines and transaction scopes.

Services open their own transactions: ``with db.read() as s`` for queries and ``with db.write() as s``
for changes (committed on exit, rolled back on error).  On SQLite a write transaction starts with
``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing with "database is locked" when a
read lock would have to be upgraded; readers never block in WAL mode.  Within one process, SQLite
writers also queue on a lock: SQLite's own busy handler sleeps in steps of up to 100 ms, which
under 8 concurrent clients turned 20 ms writes into 250 ms ones.  Other processes (a separate
worker) still wait on the busy timeout.  A write nested in another write on the same thread is a
bug (it would wait for itself) and raises at once.
"""

from __future__ import annotations

import fcntl
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

_IMMEDIATE = "labelhub_immediate"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30, "isolation_level": None},
            pool_size=16,
            max_overflow=16,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_size=16, max_overflow=16, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_IMMEDIATE) else "BEGIN")


def rowcount(result: Result[Any]) -> int:
    """Rows matched by an UPDATE/DELETE (typed access to ``CursorResult.rowcount``)."""
    return cast(CursorResult[Any], result).rowcount


class Database:
    """The one handle services get: an engine plus read and write transaction scopes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(**{_IMMEDIATE: True}), expire_on_commit=False)
        self._write_lock = threading.Lock() if self.is_sqlite else None
        self._local = threading.local()
        database = engine.url.database if self.is_sqlite else None
        # Other processes on the same SQLite file (``serve --processes N``, a separate worker) queue
        # on an advisory file lock, which wakes the next writer at once (SQLite's busy handler polls).
        self._file_lock = open(f"{database}.write-lock", "a+b") if database and database != ":memory:" else None  # noqa: SIM115

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        if getattr(self._local, "writing", False):
            raise RuntimeError("a write transaction was opened inside another one on the same thread")
        self._local.writing = True
        try:
            if self._write_lock is None:
                with self._write() as session, session.begin():
                    yield session
            else:
                with self._write_lock, _flocked(self._file_lock), self._write() as session, session.begin():
                    yield session
        finally:
            self._local.writing = False

    def dispose(self) -> None:
        self.engine.dispose()
        if self._file_lock is not None:
            self._file_lock.close()


@contextmanager
def _flocked(f: Any) -> Iterator[None]:
    if f is None:
        yield
        return
    fcntl.flock(f.fileno(), fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


__all__ = ["Database", "make_engine", "rowcount"]
