"""The Alembic migrations build exactly the schema the tables declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import warnings
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from labelhub.db.engine import make_engine
from labelhub.db.migrate import current, upgrade
from labelhub.db.tables import Base

EXPRESSION_INDEXES = {"ix_tasks_next"}  # autogenerate cannot compare these; checked by the planner test below


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "skipping expression-based index"
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    return [
        d
        for d in diff
        if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index") and d[1].name in EXPRESSION_INDEXES)
    ]


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


def test_next_task_reads_its_index_in_order(tmp_path: Path) -> None:
    """The migration creates (project_id, available, priority DESC, id) and the planner uses it
    without a sort, which is what keeps next-task flat at any queue length."""
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    upgrade(engine)
    sql = (
        "EXPLAIN QUERY PLAN SELECT id, priority FROM tasks WHERE project_id = 1 AND available = 1 "
        "ORDER BY priority DESC, id LIMIT 20"
    )
    with engine.connect() as c:
        plan = " ".join(str(r[-1]) for r in c.exec_driver_sql(sql))
    engine.dispose()
    assert "ix_tasks_next" in plan and "TEMP B-TREE" not in plan, plan
