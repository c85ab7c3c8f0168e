"""Shared fixtures: a real platform on a real database, and API clients per role.

The database is chosen by LABELHUB_TEST_DB: ``sqlite`` (default; a fresh file per test) or
``postgres`` (needs LABELHUB_TEST_POSTGRES_URL; one throw-away database per run, tables
truncated between tests).  LABELHUB_TEST_QUEUE=redis (needs LABELHUB_TEST_REDIS_URL) runs jobs
through a Redis-backed Huey queue with worker threads instead of inline.  ``.ci/run`` sets these.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from labelhub.api.app import create_app
from labelhub.services.context import Actor
from labelhub.settings import Settings
from labelhub.wiring import Platform, build

DB_KIND = os.environ.get("LABELHUB_TEST_DB", "sqlite")
QUEUE_KIND = os.environ.get("LABELHUB_TEST_QUEUE", "inline")
PG_URL = os.environ.get("LABELHUB_TEST_POSTGRES_URL")
REDIS_URL = os.environ.get("LABELHUB_TEST_REDIS_URL")
PASSWORD = "correct horse battery staple"


def pytest_report_header(config: pytest.Config) -> str:
    return f"labelhub: database={DB_KIND} queue={QUEUE_KIND}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    if DB_KIND != "postgres":
        yield None
        return
    if not PG_URL:
        pytest.exit(
            "LABELHUB_TEST_DB=postgres needs LABELHUB_TEST_POSTGRES_URL (e.g. "
            "postgresql+psycopg://postgres@127.0.0.1:5432/postgres)",
            returncode=2,
        )
    name = f"labelhub_test_{secrets.token_hex(4)}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    from labelhub.db.engine import make_engine
    from labelhub.db.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(url: str) -> None:
    from labelhub.db.tables import Base

    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as c:
        c.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def make_settings(tmp: Path, postgres_url: str | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp, "embedded_worker": False, **overrides}
    if postgres_url:
        values["database_url"] = postgres_url
    if QUEUE_KIND == "redis":
        if not REDIS_URL:
            pytest.exit("LABELHUB_TEST_QUEUE=redis needs LABELHUB_TEST_REDIS_URL", returncode=2)
        values["queue_url"] = REDIS_URL
    return Settings(**values)


@pytest.fixture
def platform(tmp_path: Path, postgres_url: str | None) -> Iterator[Platform]:
    if postgres_url:
        _truncate(postgres_url)
    p = build(
        make_settings(tmp_path / "data", postgres_url, import_roots=[tmp_path / "import"]),
        migrate=postgres_url is None,
        immediate_jobs=QUEUE_KIND != "redis",
    )
    if QUEUE_KIND == "redis":
        p.queue.huey.flush()
        p.queue.start_consumer(2)
    yield p
    p.close()


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform, run_worker=False)) as c:
        yield c


@dataclass
class Api:
    """A TestClient bound to one user's API token."""

    client: TestClient
    token: str
    user_id: int
    username: str

    def _h(self, kw: dict[str, Any]) -> dict[str, Any]:
        kw.setdefault("headers", {})["Authorization"] = f"Bearer {self.token}"
        return kw

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **self._h(kw))

    def post(self, url: str, **kw: Any) -> Any:
        return self.client.post(url, **self._h(kw))

    def put(self, url: str, **kw: Any) -> Any:
        return self.client.put(url, **self._h(kw))

    def patch(self, url: str, **kw: Any) -> Any:
        return self.client.patch(url, **self._h(kw))

    def delete(self, url: str, **kw: Any) -> Any:
        return self.client.delete(url, **self._h(kw))

    def get_when(self, url: str, status: int = 200, timeout: float = 30.0) -> Any:
        """GET until the answer has ``status`` (background work such as thumbnails may still run
        when jobs go through a real queue); returns the last response."""
        deadline = time.monotonic() + timeout
        while True:
            r = self.get(url)
            if r.status_code == status or time.monotonic() > deadline:
                return r
            time.sleep(0.05)

    def wait_job(self, job_id: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(f"/api/v1/jobs/{job_id}").json()
            if job["state"] in ("succeeded", "failed", "cancelled") or time.monotonic() > deadline:
                return dict(job)
            time.sleep(0.05)


def make_api(platform: Platform, client: TestClient, username: str, *, admin: bool = False) -> Api:
    user = platform.auth.create_user(username, PASSWORD, is_admin=admin)
    token = platform.auth.create_token(Actor(user.id, user.username, True), "tests").token
    return Api(client, token, user.id, user.username)


@pytest.fixture
def admin(platform: Platform, client: TestClient) -> Api:
    return make_api(platform, client, "admin", admin=True)


@pytest.fixture
def users(platform: Platform, client: TestClient) -> dict[str, Api]:
    """manager, reviewer, labeler, labeler2 (members of nothing yet) and outsider."""
    return {n: make_api(platform, client, n) for n in ("manager", "reviewer", "labeler", "labeler2", "outsider")}


ONTOLOGY: dict[str, Any] = {
    "classes": [
        {
            "id": "car",
            "name": "Car",
            "tool": "bbox",
            "color": "#e6194b",
            "hotkey": "1",
            "attributes": [
                {
                    "id": "occluded",
                    "name": "Occluded",
                    "kind": "radio",
                    "required": True,
                    "options": [
                        {"id": "no", "name": "No"},
                        {
                            "id": "yes",
                            "name": "Yes",
                            "questions": [
                                {
                                    "id": "how_much",
                                    "name": "How much",
                                    "kind": "number",
                                    "min": 0,
                                    "max": 100,
                                    "required": True,
                                }
                            ],
                        },
                    ],
                }
            ],
        },
        {"id": "road", "name": "Road", "tool": "polygon", "color": "#3cb44b", "hotkey": "2"},
        {"id": "sign", "name": "Sign", "tool": "point", "color": "#4363d8"},
    ],
    "classifications": [
        {
            "id": "weather",
            "name": "Weather",
            "kind": "radio",
            "required": True,
            "options": [{"id": "sun", "name": "Sun"}, {"id": "rain", "name": "Rain"}],
        },
    ],
}


def box_body(x1: float = 10, y1: float = 10, x2: float = 50, y2: float = 40, oid: str = "c1") -> dict[str, Any]:
    return {
        "objects": [
            {
                "id": oid,
                "class_id": "car",
                "geometry": {"type": "bbox", "xyxy": [x1, y1, x2, y2]},
                "attributes": {"occluded": "no"},
            }
        ],
        "classifications": {"weather": "sun"},
    }


@dataclass
class ProjectEnv:
    id: int
    manager: Api
    reviewer: Api
    labeler: Api
    labeler2: Api
    outsider: Api
    task_ids: list[int]


def png_bytes(width: int = 64, height: int = 48, seed: int = 0) -> bytes:
    import io

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def project(users: dict[str, Api]) -> ProjectEnv:
    """A project with members in every role and three uploaded 64 x 48 images (three queued tasks)."""
    m = users["manager"]
    pid = m.post("/api/v1/projects", json={"name": "Streets", "ontology": ONTOLOGY}).json()["id"]
    for role, name in (("reviewer", "reviewer"), ("labeler", "labeler"), ("labeler", "labeler2")):
        assert m.put(f"/api/v1/projects/{pid}/members", json={"username": name, "role": role}).status_code == 204
    for i in range(3):
        r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": (f"img{i}.png", png_bytes(seed=i), "image/png")})
        assert r.status_code == 201, r.text
    tasks = m.get(f"/api/v1/projects/{pid}/tasks").json()["items"]
    return ProjectEnv(
        pid, m, users["reviewer"], users["labeler"], users["labeler2"], users["outsider"], [t["id"] for t in tasks]
    )
