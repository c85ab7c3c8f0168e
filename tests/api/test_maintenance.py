"""The periodic upkeep a worker runs every minute."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from labelhub.db.tables import Assignment, BrowserSession, utcnow
from tests.conftest import PASSWORD, ProjectEnv

V1 = "/api/v1"


def test_maintenance_expires_leases_and_purges_ended_sessions(project: ProjectEnv, platform, client) -> None:  # type: ignore[no-untyped-def]
    assert client.post(f"{V1}/auth/login", json={"username": "labeler", "password": PASSWORD}).status_code == 200
    assert client.post(f"{V1}/auth/login", json={"username": "reviewer", "password": PASSWORD}).status_code == 200
    tid = project.labeler.post(f"{V1}/projects/{project.id}/next-task").json()["task"]["id"]
    past = utcnow() - timedelta(seconds=1)
    with platform.deps.db.write() as s:
        s.execute(update(Assignment).where(Assignment.task_id == tid).values(lease_expires_at=past))
        s.execute(
            update(BrowserSession).where(BrowserSession.user_id == project.labeler.user_id).values(expires_at=past)
        )
    platform.maintenance()
    with platform.deps.db.read() as s:
        assert s.scalar(select(Assignment.state).where(Assignment.task_id == tid)) == "expired"
        assert s.scalar(select(func.count()).select_from(BrowserSession)) == 1  # the reviewer's is still valid
    assert project.manager.get(f"{V1}/tasks/{tid}").json()["task"]["state"] == "queued"
