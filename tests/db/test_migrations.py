"""The Alembic migrations build exactly the schema the tables declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from labelhub.db.engine import make_engine
from labelhub.db.migrate import current, upgrade
from labelhub.db.tables import Base


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))
    finally:
        engine.dispose()


def test_fresh_sqlite_upgrade_matches_the_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    engine = make_engine(url)
    upgrade(engine)
    assert current(engine) is not None
    engine.dispose()
    assert _diff(url) == []


def test_postgres_schema_matches_the_tables(postgres_url: str | None, tmp_path: Path) -> None:
    """On the PostgreSQL run the session database was built by the migrations; compare it."""
    if postgres_url is None:
        url = f"sqlite:///{tmp_path / 'again.db'}"
        engine = make_engine(url)
        upgrade(engine)
        upgrade(engine)  # idempotent: a second upgrade is a no-op
        engine.dispose()
        assert _diff(url) == []
        return
    assert _diff(postgres_url) == []


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
