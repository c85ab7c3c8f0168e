"""Authorization matrix: every API route under /api/v1 x every kind of caller -> the exact status.

Callers: an organization admin (not a project member), the project's manager, reviewer and
labeler (who holds the target task), a second labeler who does not hold it, an outsider who is
not a member, and an anonymous client.

Rules checked (besides each row's own expectations):

* anonymous -> 401 everywhere except sign-in;
* an outsider gets 404 for anything inside a project, never 403, and that 404 is the same problem
  body (modulo ids) as the one for an id that does not exist at all: no existence leak;
* a refused request (any 4xx) changes nothing in the database;
* every error is an RFC 9457 problem (``application/problem+json`` with type/title/status/detail).

Speed: accounts are created once per module (argon2 hashing is the slow part).  Every case gets its
own fresh project (created through the services, labeled through the API), so cases never see
each other's writes.
``test_matrix_covers_every_route`` fails when a route is added without a row here.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from labelhub.api.app import create_app
from labelhub.db.tables import (
    AnnotationRevision,
    ApiToken,
    Asset,
    Base,
    DatasetVersion,
    Draft,
    Job,
    Project,
    ProjectMember,
    ReviewEvent,
    Task,
    User,
)
from labelhub.services.context import Actor
from labelhub.services.ingest import ingest
from labelhub.wiring import Platform, build
from tests.conftest import (
    ONTOLOGY,
    PASSWORD,
    QUEUE_KIND,
    Api,
    _truncate,
    box_body,
    make_api,
    make_settings,
    png_bytes,
)

API = "/api/v1"
ACTORS = ("admin", "manager", "reviewer", "labeler", "labeler2", "outsider", "anonymous")
MEMBERS = ("admin", "manager", "reviewer", "labeler", "labeler2")
MISSING_ID = 987_654_321
SECRET = "labeler-private-draft"  # an object id only the labeler's draft contains
PROBLEM = "application/problem+json"


# -- the world: one platform and its accounts per module ---------------------------------------
@dataclass
class World:
    platform: Platform
    client: TestClient
    apis: dict[str, Api]
    actors: dict[str, Actor]
    native_zip: bytes
    images: list[bytes]
    orphans: list[str] = field(default_factory=list)  # jobs written as queued but never enqueued

    def uid(self, name: str) -> int:
        return self.apis[name].user_id


def settle(platform: Platform, *, ignore: tuple[str, ...] = (), timeout: float = 30.0) -> None:
    """Wait until no job is queued or running: with the Redis queue jobs run in the background and
    would otherwise change the database under the next case's fingerprint."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with platform.deps.db.read() as s:
            q = select(func.count()).select_from(Job).where(Job.state.in_(("queued", "running")))
            if ignore:
                q = q.where(Job.id.notin_(ignore))
            if not s.scalar(q):
                return
        time.sleep(0.05)
    raise AssertionError("background jobs did not finish within 30 s")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, postgres_url: str | None) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("authz")
    if postgres_url:
        _truncate(postgres_url)
    p = build(
        make_settings(tmp / "data", postgres_url, import_roots=[tmp / "import"]),
        migrate=postgres_url is None,
        immediate_jobs=QUEUE_KIND != "redis",
    )
    if QUEUE_KIND == "redis":
        p.queue.huey.flush()
        p.queue.start_consumer(2)
    with TestClient(create_app(p, run_worker=False)) as client:
        apis = {"admin": make_api(p, client, "admin", admin=True)}
        for name in ("manager", "reviewer", "labeler", "labeler2", "outsider", "spare"):
            apis[name] = make_api(p, client, name)
        actors = {n: Actor(a.user_id, a.username, n == "admin") for n, a in apis.items()}
        images = [png_bytes(32, 24, seed=100 + i) for i in range(4)]
        w = World(p, client, apis, actors, b"", images)
        # A native project archive for POST /projects/import: export a small project once.
        pid = _new_project(w, "tasks")["project_id"]
        w.native_zip = _export(apis["manager"], pid, include_media=True)[1]
        yield w
    p.close()


@pytest.fixture(autouse=True)
def _no_cookies(world: World) -> Iterator[None]:
    """The clients share one cookie jar: a sign-in case must not turn 'anonymous' into a user."""
    world.client.cookies.clear()
    yield
    world.client.cookies.clear()
    if world.orphans:
        with world.platform.deps.db.write() as s:
            s.execute(update(Job).where(Job.id.in_(world.orphans), Job.state == "queued").values(state="cancelled"))
        world.orphans.clear()
    settle(world.platform)


def _expect(r: Any, status: int) -> Any:
    assert r.status_code == status, f"setting up: expected {status}, got {r.status_code}: {r.text[:300]}"
    return r.json() if r.content else None


def _export(api: Api, pid: int, *, include_media: bool = False) -> tuple[str, bytes]:
    """(job id, archive bytes) of a finished native export."""
    job = _expect(api.post(f"{API}/projects/{pid}/exports", json={"include_media": include_media}), 202)
    done = api.wait_job(job["id"])
    assert done["state"] == "succeeded", done
    r = api.get(f"{API}/jobs/{job['id']}/download")
    assert r.status_code == 200, r.text
    return job["id"], r.content


def _new_project(w: World, level: str) -> dict[str, Any]:
    """A fresh project for one case.

    ``project``: the manager's project with reviewer, labeler and labeler2 as members.
    ``tasks``: plus three images; the labeler submitted task 1 (``t_sub``) and holds task 2 (``t_l``)
    with a private draft; labeler2 holds task 3 (``t_l2``) with a draft of their own.
    """
    p, a = w.platform, w.actors
    pid = p.projects.create(a["manager"], "Matrix", ONTOLOGY).project.id
    for name, role in (("reviewer", "reviewer"), ("labeler", "labeler"), ("labeler2", "labeler")):
        p.projects.set_member(a["manager"], pid, name, role)
    ids: dict[str, Any] = {"project_id": pid}
    if level != "tasks":
        return ids
    for i, img in enumerate(w.images[:3]):
        ingest(p.deps, pid, a["manager"].user_id, io.BytesIO(img), f"img{i}.png")
    # The labeling itself goes through the API, as a client would do it.
    lab, lab2 = w.apis["labeler"], w.apis["labeler2"]
    t_sub = _expect(lab.post(f"{API}/projects/{pid}/next-task"), 200)["task"]
    _expect(lab.post(f"{API}/tasks/{t_sub['id']}/submit", json={"body": box_body()}), 201)
    t_l = _expect(lab.post(f"{API}/projects/{pid}/next-task"), 200)["task"]
    _expect(lab.put(f"{API}/tasks/{t_l['id']}/draft", json={"body": box_body(oid=SECRET)}), 200)
    t_l2 = _expect(lab2.post(f"{API}/projects/{pid}/next-task"), 200)["task"]
    _expect(lab2.put(f"{API}/tasks/{t_l2['id']}/draft", json={"body": box_body(oid="labeler2-draft")}), 200)
    assert len({t_sub["id"], t_l["id"], t_l2["id"]}) == 3
    ids.update(
        t_sub=t_sub["id"],
        task_id=t_l["id"],
        t_l2=t_l2["id"],
        asset_id=t_l["asset_id"],
    )
    return ids


# -- expectations ------------------------------------------------------------------------------
def expect(default: int, **overrides: int) -> dict[str, int]:
    out = {actor: default for actor in ACTORS}
    out["anonymous"] = 401
    out.update(overrides)
    return out


def anyone(code: int, **kw: int) -> dict[str, int]:
    """Any signed-in caller."""
    return expect(code, **kw)


def members(code: int, **kw: int) -> dict[str, int]:
    """Any member (and admins); an outsider gets 404."""
    return expect(code, **{"outsider": 404, **kw})


def reviewers(code: int, **kw: int) -> dict[str, int]:
    """Reviewers, managers and admins; labelers get 403, an outsider 404."""
    return expect(code, **{"labeler": 403, "labeler2": 403, "outsider": 404, **kw})


def managers(code: int, **kw: int) -> dict[str, int]:
    """Managers and admins only."""
    return expect(code, **{"reviewer": 403, "labeler": 403, "labeler2": 403, "outsider": 404, **kw})


@dataclass
class Ctx:
    """One case: the world, the actor, and the ids its fresh state got."""

    w: World
    actor: str
    ids: dict[str, Any]

    @property
    def p(self) -> Platform:
        return self.w.platform

    def a(self, name: str) -> Actor:
        return self.w.actors[name]


Prepare = Callable[[Ctx], None]
Body = Callable[[Ctx], dict[str, Any]]
Check = Callable[[Ctx, Any], None]


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # as the route declares it, without the /api/v1 prefix
    expected: dict[str, int]
    level: str = "tasks"  # none | project | tasks
    prepare: Prepare | None = None
    body: Body | None = None
    check: Check | None = None
    xfail: dict[str, str] = field(default_factory=dict)  # actor -> server bug

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


# -- per-row state and checks ------------------------------------------------------------------
def _zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def prep_token(c: Ctx) -> None:
    c.ids["token_id"] = _expect(c.w.apis["labeler"].post(f"{API}/tokens", json={"name": "victim"}), 201)["id"]


def prep_member(c: Ctx) -> None:
    c.ids["user_id"] = c.w.uid("labeler2")


def prep_skipped(c: Ctx) -> None:
    _expect(c.w.apis["labeler"].post(f"{API}/tasks/{c.ids['task_id']}/skip", json={"reason": "unreadable"}), 200)


def prep_tiles(c: Ctx) -> None:
    """Tile the case's image (small, so one level) as the job does for large ones."""
    d = c.p.tiles.build(c.ids["asset_id"])
    c.ids.update(level=d["max_level"], x=0, y=0)


def prep_review_target(c: Ctx) -> None:
    c.ids["task_id"] = c.ids["t_sub"]


def prep_accepted(c: Ctx) -> None:
    c.ids["task_id"] = c.ids["t_sub"]
    _expect(c.w.apis["reviewer"].post(f"{API}/tasks/{c.ids['t_sub']}/review", json={"decision": "accept"}), 201)


def prep_job(c: Ctx) -> None:
    """A job of the manager's in the project (an export)."""
    c.ids["job_id"] = _expect(c.w.apis["manager"].post(f"{API}/projects/{c.ids['project_id']}/exports", json={}), 202)[
        "id"
    ]


def prep_queued_job(c: Ctx) -> None:
    """A job that stays queued (never enqueued), so it can be cancelled."""
    job_id = str(uuid.uuid4())
    with c.p.deps.db.write() as s:
        s.add(
            Job(
                id=job_id,
                kind="thumbnail",
                project_id=c.ids["project_id"],
                created_by=c.w.uid("manager"),
                payload_json=f'{{"asset_ids": [{MISSING_ID}]}}',
            )
        )
    c.ids["job_id"] = job_id
    c.w.orphans.append(job_id)


def prep_export(c: Ctx) -> None:
    c.ids["job_id"] = _export(c.w.apis["manager"], c.ids["project_id"])[0]


def prep_dataset_version(c: Ctx) -> None:
    """A finished export, recorded as a dataset version."""
    job_id = _export(c.w.apis["manager"], c.ids["project_id"])[0]
    with c.p.deps.db.read() as s:
        c.ids["version_id"] = s.scalar(select(DatasetVersion.id).where(DatasetVersion.job_id == job_id))


def check_projects_list(c: Ctx, r: Any) -> None:
    seen: set[int] = set()
    cursor: str | None = None
    while True:
        page = c.w.apis[c.actor].get(f"{API}/projects", params={"limit": 500, **({"cursor": cursor} if cursor else {})})
        seen |= {p["id"] for p in page.json()["items"]}
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert (c.ids["project_id"] in seen) == (c.actor != "outsider")


def check_tasks_list(c: Ctx, r: Any) -> None:
    got = {t["id"] for t in r.json()["items"]}
    i = c.ids
    want = {"labeler": {i["t_sub"], i["task_id"]}, "labeler2": {i["t_l2"]}}.get(
        c.actor, {i["t_sub"], i["task_id"], i["t_l2"]}
    )
    assert got == want, "labelers list only their own tasks; reviewers and up see all"


def check_draft_read(c: Ctx, r: Any) -> None:
    if c.actor == "labeler":
        assert [o["id"] for o in r.json()["body"]["objects"]] == [SECRET]
    else:
        assert r.content == b"" and SECRET not in r.text, "another user's draft must never be returned"


def check_draft_kept(c: Ctx, r: Any) -> None:
    with c.p.deps.db.read() as s:
        d = s.get(Draft, (c.ids["task_id"], c.w.uid("labeler")))
    if c.actor == "labeler":
        assert d is None
    else:
        assert d is not None and SECRET in d.body_json, "deleting your draft must not delete another user's"


def check_project_gone(c: Ctx, r: Any) -> None:
    with c.p.deps.db.read() as s:
        assert s.get(Project, c.ids["project_id"]) is None


def check_renamed(c: Ctx, r: Any) -> None:
    assert r.json()["name"] == "Renamed"


def check_member_added(c: Ctx, r: Any) -> None:
    with c.p.deps.db.read() as s:
        assert s.get(ProjectMember, (c.ids["project_id"], c.w.uid("spare"))).role == "reviewer"


def check_member_removed(c: Ctx, r: Any) -> None:
    with c.p.deps.db.read() as s:
        assert s.get(ProjectMember, (c.ids["project_id"], c.w.uid("labeler2"))) is None


def check_token_revoked(c: Ctx, r: Any) -> None:
    with c.p.deps.db.read() as s:
        assert s.get(ApiToken, c.ids["token_id"]).revoked_at is not None


def check_user_created(c: Ctx, r: Any) -> None:
    assert r.json()["username"] == c.ids["new_user"]


def check_head(c: Ctx, r: Any) -> None:
    assert r.json()["task_id"] == c.ids["t_sub"] and r.json()["author_id"] == c.w.uid("labeler")


def check_me(c: Ctx, r: Any) -> None:
    assert r.json()["username"] == c.w.apis[c.actor].username


def check_users_list(c: Ctx, r: Any) -> None:
    names = {u["username"] for u in r.json()}
    assert {"admin", "manager", "labeler"} <= names
    assert all("password" not in k for u in r.json() for k in u)


def body_new_user(c: Ctx) -> dict[str, Any]:
    c.ids["new_user"] = f"new-{uuid.uuid4().hex[:8]}"
    return {"json": {"username": c.ids["new_user"], "password": PASSWORD}}


def body_ontology(c: Ctx) -> dict[str, Any]:
    extra = {"id": "bike", "name": "Bike", "tool": "bbox", "color": "#911eb4"}
    return {"json": {"ontology": {**ONTOLOGY, "classes": [*ONTOLOGY["classes"], extra]}, "note": "add bike"}}


def body_png(c: Ctx) -> dict[str, Any]:
    return {"files": {"file": ("new.png", c.w.images[3], "image/png")}}


def body_zip(c: Ctx) -> dict[str, Any]:
    return {"files": {"file": ("batch.zip", _zip_of({"a/new.png": c.w.images[3]}), "application/zip")}}


def body_native(c: Ctx) -> dict[str, Any]:
    return {"files": {"file": ("project.zip", c.w.native_zip, "application/zip")}}


def body_coco_prelabels(c: Ctx) -> dict[str, Any]:
    coco = (
        b'{"images": [{"id": 1, "file_name": "img0.png", "width": 32, "height": 24}], '
        b'"categories": [{"id": 1, "name": "car"}], '
        b'"annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 8, 8]}]}'
    )
    return {"files": {"file": ("pre.json", coco, "application/json")}, "data": {"format": "coco"}}


def js(value: Any) -> Body:
    return lambda c: {"json": value}


# documents and quarantine (issue 4)
def prep_pdf(c: Ctx) -> None:
    from tests.media.pdf_samples import make_pdf

    asset, _ = ingest(c.p.deps, c.ids["project_id"], c.a("manager").user_id, io.BytesIO(make_pdf(["Hi"])), "d.pdf")
    c.ids.update(asset_id=asset.id, page=0)


def prep_text(c: Ctx) -> None:
    asset, _ = ingest(c.p.deps, c.ids["project_id"], c.a("manager").user_id, io.BytesIO(b"plain words"), "t.txt")
    c.ids["asset_id"] = asset.id


def prep_quarantined(c: Ctx) -> None:
    """A quarantined asset of the case's project, with a de-identification report."""
    from labelhub.core.media import MediaInfo, MediaKind
    from labelhub.services.ingest import record_asset

    report_id = str(uuid.uuid4())
    report = {"id": report_id, "project_id": c.ids["project_id"], "summary": {}, "files": []}
    c.p.deps.blobs.put_bytes(f"reports/deid/{report_id}.json", orjson.dumps(report))
    data = png_bytes(8, 8, seed=int(uuid.uuid4().int % 10_000))
    info = MediaInfo(kind=MediaKind.IMAGE, mime_type="image/png", width=8, height=8, extra={"reader": "image"})
    sha, uid = hashlib.sha256(data).hexdigest(), c.a("manager").user_id
    meta = {"deid_report": report_id}
    asset, _ = record_asset(
        c.p.deps, c.ids["project_id"], uid, "q.png", data, sha, info, status="quarantined", meta=meta
    )
    c.ids.update(asset_id=asset.id, report_id=report_id)


# -- models, Auto Detect, pre-labeling, AI report (issue 6) -------------------------------------
def _tiny_model_file() -> str:
    import tempfile
    from pathlib import Path

    from tests.models.graphs import box_model

    return str(box_model(Path(tempfile.mkdtemp(prefix="authz-model-"))))


def prep_model(c: Ctx) -> None:
    m = c.p.models.register(c.a("admin"), name=f"m-{uuid.uuid4().hex[:8]}", kind="onnx", uri=_tiny_model_file())
    c.ids["model_id"] = m.id


def prep_attached(c: Ctx) -> None:
    prep_model(c)
    c.p.models.attach(c.a("manager"), c.ids["project_id"], c.ids["model_id"], {"vehicle": "car"}, 0.0)


def body_model(c: Ctx) -> dict[str, Any]:
    return {"json": {"name": f"m-{uuid.uuid4().hex[:8]}", "kind": "onnx", "uri": _tiny_model_file()}}


ROWS: list[Row] = [
    # -- auth ----------------------------------------------------------------------------------
    Row(
        "POST",
        "/auth/login",
        expect(200, anonymous=200),
        level="none",
        body=js({"username": "spare", "password": PASSWORD}),
    ),
    Row("POST", "/auth/logout", anyone(204), level="none"),
    Row("GET", "/auth/me", anyone(200), level="none", check=check_me),
    Row("GET", "/users", anyone(403, admin=200), level="none", check=check_users_list),
    Row("POST", "/users", anyone(403, admin=201), level="none", body=body_new_user, check=check_user_created),
    Row("GET", "/tokens", anyone(200), level="none"),
    Row("POST", "/tokens", anyone(201), level="none", body=js({"name": "matrix"})),
    Row(
        "DELETE",
        "/tokens/{token_id}",
        anyone(404, admin=204, labeler=204),
        level="none",
        prepare=prep_token,
        check=check_token_revoked,
    ),
    # -- projects ------------------------------------------------------------------------------
    Row("POST", "/projects", anyone(201), level="none", body=js({"name": "Mine", "ontology": ONTOLOGY})),
    Row("GET", "/projects", anyone(200), level="project", check=check_projects_list),
    Row("GET", "/projects/{project_id}", members(200), level="project"),
    Row("PATCH", "/projects/{project_id}", managers(200), body=js({"name": "Renamed"}), check=check_renamed),
    Row("DELETE", "/projects/{project_id}", managers(204), check=check_project_gone),
    Row("GET", "/projects/{project_id}/ontology/versions", members(200), level="project"),
    Row("PUT", "/projects/{project_id}/ontology", managers(200), body=body_ontology),
    Row("GET", "/projects/{project_id}/members", members(200), level="project"),
    Row(
        "PUT",
        "/projects/{project_id}/members",
        managers(204),
        level="project",
        body=js({"username": "spare", "role": "reviewer"}),
        check=check_member_added,
    ),
    Row(
        "DELETE",
        "/projects/{project_id}/members/{user_id}",
        managers(204),
        prepare=prep_member,
        check=check_member_removed,
    ),
    Row("GET", "/projects/{project_id}/stats", reviewers(200)),
    # -- assets --------------------------------------------------------------------------------
    Row("POST", "/projects/{project_id}/assets", managers(201), level="project", body=body_png),
    Row(
        "POST",
        "/projects/{project_id}/assets/bulk",
        managers(201),
        level="project",
        body=js({"items": [{"uri": "https://example.com/a.png", "width": 10, "height": 10}]}),
    ),
    Row("POST", "/projects/{project_id}/imports", managers(202), level="project", body=body_zip),
    Row(
        "POST",
        "/projects/{project_id}/assets/scan",
        managers(202),
        level="project",
        body=js({"uri": "blob://external/"}),
    ),
    Row("GET", "/projects/{project_id}/assets", reviewers(200)),
    Row("GET", "/assets/{asset_id}", members(200)),
    Row("GET", "/assets/{asset_id}/content", members(200)),
    Row("GET", "/assets/{asset_id}/thumbnail", members(204)),  # ingested directly: no thumbnail job ran
    Row("GET", "/assets/{asset_id}/tiles", members(200), prepare=prep_tiles),
    Row("GET", "/assets/{asset_id}/tiles/{level}/{x}/{y}", members(200), prepare=prep_tiles),
    # -- the queue, drafts, submissions --------------------------------------------------------
    Row("POST", "/projects/{project_id}/next-task", members(204, labeler=200, labeler2=200)),
    Row("GET", "/projects/{project_id}/tasks", members(200), check=check_tasks_list),
    Row("GET", "/tasks/{task_id}", members(200, labeler2=404)),
    Row("POST", "/tasks/{task_id}/skip", members(409, labeler=200), body=js({"reason": "blurry"})),
    Row("POST", "/tasks/{task_id}/release", members(409, labeler=204)),
    Row("POST", "/tasks/{task_id}/requeue", managers(200), prepare=prep_skipped),
    Row("PUT", "/tasks/{task_id}/priority", managers(200), body=lambda c: {"params": {"priority": 7}}),
    Row("POST", "/tasks/{task_id}/time", members(409, labeler=204), body=js({"active_seconds": 12.5})),
    Row("GET", "/tasks/{task_id}/draft", members(204, labeler=200), check=check_draft_read),
    Row("PUT", "/tasks/{task_id}/draft", members(200, labeler2=409), body=js({"body": box_body(oid="mine")})),
    # a delta save against a draft nobody stored at that time: refused after the access checks
    Row(
        "PATCH",
        "/tasks/{task_id}/draft",
        members(409),
        body=js({"draft_updated_at": "2020-01-01T00:00:00Z", "order": []}),
    ),
    Row("DELETE", "/tasks/{task_id}/draft", members(204), check=check_draft_kept),
    Row("POST", "/tasks/{task_id}/submit", members(409, labeler=201), body=js({"body": box_body()})),
    Row("GET", "/tasks/{task_id}/annotation", members(200, labeler2=404), prepare=prep_review_target, check=check_head),
    Row("GET", "/tasks/{task_id}/revisions", members(200, labeler2=404), prepare=prep_review_target),
    # -- review --------------------------------------------------------------------------------
    Row("POST", "/projects/{project_id}/review/next", reviewers(200)),
    Row("POST", "/tasks/{task_id}/review/open", reviewers(200), prepare=prep_review_target),
    Row(
        "POST",
        "/tasks/{task_id}/review",
        reviewers(201),
        prepare=prep_review_target,
        body=js({"decision": "accept", "comment": "fine"}),
    ),
    Row("POST", "/tasks/{task_id}/reopen", managers(200), prepare=prep_accepted),
    # -- jobs, exports, project import ---------------------------------------------------------
    Row("GET", "/jobs/{job_id}", reviewers(200, labeler=404, labeler2=404), level="project", prepare=prep_job),
    Row(
        "POST",
        "/jobs/{job_id}/cancel",
        managers(200, labeler=404, labeler2=404, reviewer=403),
        level="project",
        prepare=prep_queued_job,
    ),
    Row("GET", "/projects/{project_id}/jobs", reviewers(200), level="project"),
    Row(
        "POST",
        "/projects/{project_id}/exports",
        managers(202),
        level="project",
        body=js({"format": "native", "include_media": False}),
    ),
    Row(
        "GET", "/jobs/{job_id}/download", managers(200, labeler=404, labeler2=404), level="project", prepare=prep_export
    ),
    Row("POST", "/projects/import", anyone(202), level="none", body=body_native),
    Row("GET", "/formats", anyone(200), level="none"),
    # -- dataset versions and annotation imports (formats) ----------------------------------------
    Row("GET", "/projects/{project_id}/dataset-versions", managers(200), level="project"),
    Row("GET", "/dataset-versions/{version_id}/download", managers(200), prepare=prep_dataset_version),
    Row("POST", "/projects/{project_id}/annotation-imports", managers(202), body=body_coco_prelabels),
    Row("POST", "/projects/{project_id}/annotation-imports/preview", managers(200), body=body_coco_prelabels),
    Row("GET", "/assets/{asset_id}/pages/{page}.png", members(200), prepare=prep_pdf),
    Row("GET", "/assets/{asset_id}/pages/{page}/text", members(200), prepare=prep_pdf),
    Row("GET", "/assets/{asset_id}/text", members(200), prepare=prep_text),
    Row("GET", "/deid-reports/{report_id}", expect(404, admin=200, manager=200), prepare=prep_quarantined),
    Row("GET", "/assets/{asset_id}/deid-report", expect(404, admin=200, manager=200), prepare=prep_quarantined),
    Row("GET", "/projects/{project_id}/quarantine", managers(200), prepare=prep_quarantined),
    Row(
        "POST",
        "/assets/{asset_id}/quarantine-decision",
        expect(404, admin=200, manager=200),
        prepare=prep_quarantined,
        body=js({"decision": "release"}),
    ),
    # -- models, Auto Detect, pre-labeling, AI report --------------------------------------------
    Row("POST", "/models", anyone(403, admin=201), level="none", body=body_model),
    Row("GET", "/models", anyone(403, admin=200), level="none"),
    Row("GET", "/models/builtins", anyone(403, admin=200), level="none"),
    Row("GET", "/models/{model_id}", anyone(403, admin=200), level="none", prepare=prep_model),
    Row("DELETE", "/models/{model_id}", anyone(403, admin=204), level="none", prepare=prep_model),
    Row("GET", "/projects/{project_id}/models", members(200), level="project", prepare=prep_attached),
    Row(
        "PUT",
        "/projects/{project_id}/models/{model_id}",
        managers(200),
        level="project",
        prepare=prep_model,
        body=js({"class_map": {"vehicle": "car"}, "threshold": 0.4}),
    ),
    Row("DELETE", "/projects/{project_id}/models/{model_id}", managers(204), level="project", prepare=prep_attached),
    Row("POST", "/tasks/{task_id}/assist/detect", members(200), prepare=prep_attached, body=js({})),
    Row(
        "POST",
        "/projects/{project_id}/prelabel",
        managers(202),
        prepare=prep_attached,
        body=lambda c: {"json": {"model_id": c.ids["model_id"]}},
    ),
    Row("GET", "/projects/{project_id}/reports/ai", managers(200)),
    # -- interactive AI tools: the labeler holding the task, reviewers and up --------------------
    Row("POST", "/tasks/{task_id}/assist/frame-cut", members(200, labeler2=404), body=js({"box": [2, 2, 20, 18]})),
    Row(
        "POST",
        "/tasks/{task_id}/assist/scissors",
        members(200, labeler2=404),
        body=js({"anchors": [[2, 2]], "cursor": [20, 18]}),
    ),
    Row("POST", "/tasks/{task_id}/assist/ocr", members(200, labeler2=404), body=js({})),
]


# -- running one case --------------------------------------------------------------------------
def _fill(path: str, ids: dict[str, Any]) -> str:
    return API + re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def _send(w: World, actor: str, method: str, url: str, kw: dict[str, Any]) -> Any:
    if actor == "anonymous":
        w.client.cookies.clear()
        return w.client.request(method, url, **kw)
    api = w.apis[actor]
    headers = {**kw.pop("headers", {}), "Authorization": f"Bearer {api.token}"}
    return w.client.request(method, url, headers=headers, **kw)


def _fingerprint(w: World, ids: dict[str, Any]) -> dict[str, Any]:
    """Row counts of every table (but the audit log) plus the case's own rows, column by column."""
    out: dict[str, Any] = {}
    volatile = {"last_used_at"}
    with w.platform.deps.db.read() as s:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_events":
                continue
            out[f"count:{table.name}"] = s.scalar(select(func.count()).select_from(table))
        pid = ids.get("project_id")
        if pid is not None:
            task_ids = list(s.scalars(select(Task.id).where(Task.project_id == pid)))
            for table in Base.metadata.sorted_tables:
                if "project_id" in table.c:
                    q = select(table).where(table.c.project_id == pid)
                elif table.name == "projects":
                    q = select(table).where(table.c.id == pid)
                elif "task_id" in table.c:
                    q = select(table).where(table.c.task_id.in_(task_ids))
                else:
                    continue
                out[table.name] = sorted(repr(tuple(r)) for r in s.execute(q))
        for model in (User, ApiToken):
            cols = [c for c in model.__table__.c if c.name not in volatile]
            out[model.__tablename__] = sorted(repr(tuple(r)) for r in s.execute(select(*cols)))
    return out


def _normalized(r: Any) -> dict[str, Any]:
    body = dict(r.json())
    for key in ("detail", "instance"):
        if isinstance(body.get(key), str):
            text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", body[key])
            body[key] = re.sub(r"\d+", "<n>", text)
    return body


def assert_problem(r: Any, status: int) -> dict[str, Any]:
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == status and isinstance(body["detail"], str) and body["detail"].strip(), body
    titles = {401: "Not authenticated", 403: "Forbidden", 404: "Not found"}
    if status in titles:
        assert body["title"] == titles[status], body
    return dict(body)


def _cases() -> Iterator[Any]:
    for row in ROWS:
        for actor in ACTORS:
            marks = []
            if actor in row.xfail:
                marks.append(pytest.mark.xfail(strict=True, reason=f"server bug: {row.xfail[actor]}"))
            yield pytest.param(row, actor, id=f"{row.id}-{actor}", marks=marks)


@pytest.mark.parametrize(("row", "actor"), list(_cases()))
def test_authz(world: World, row: Row, actor: str) -> None:
    w = world
    ids = _new_project(w, row.level) if row.level != "none" else {}
    c = Ctx(w, actor, ids)
    if row.prepare:
        row.prepare(c)
    kw = row.body(c) if row.body else {}
    url = _fill(row.path, ids)
    settle(
        w.platform, ignore=tuple(w.orphans)
    )  # jobs the preparation started must not change rows under the fingerprint
    before = _fingerprint(w, ids)
    r = _send(w, actor, row.method, url, dict(kw))
    want = row.expected[actor]
    assert r.status_code == want, f"{row.id} as {actor}: expected {want}, got {r.status_code}: {r.text[:300]}"
    if want >= 400:
        assert_problem(r, want)
        assert _fingerprint(w, ids) == before, f"a refused {row.id} changed the database"
    if want == 404 and re.search(r"\{\w+\}", row.path):
        # Same request on ids that do not exist: the body must look exactly the same (no leak).
        UIDS = ("job_id", "report_id")
        missing = {k: (str(uuid.uuid4()) if k in UIDS else MISSING_ID) for k in re.findall(r"\{(\w+)\}", row.path)}
        kw2 = row.body(c) if row.body else {}
        r2 = _send(w, actor, row.method, _fill(row.path, {**ids, **missing}), dict(kw2))
        assert r2.status_code == 404, r2.text
        assert _normalized(r) == _normalized(r2), "a 404 for a hidden object must match the one for a missing id"
    if want < 300 and row.check:
        row.check(c, r)


# -- the matrix must cover every route -----------------------------------------------------------
EXEMPT = {("GET", f"{API}/health"), ("GET", f"{API}/openapi.json"), ("HEAD", f"{API}/openapi.json")}


def _iter_routes(routes: Any) -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route, descending into included routers.

    FastAPI >= 0.160 keeps an included router as one ``_IncludedRouter`` entry of ``app.routes``
    whose ``effective_route_contexts()`` yields the routes with their full paths; older versions
    flatten them into ``app.routes`` directly.
    """
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if callable(contexts):
            for ctx in contexts():
                yield ctx.path, set(getattr(ctx.original_route, "methods", None) or ())
        elif hasattr(route, "path"):
            yield route.path, set(getattr(route, "methods", None) or ())


def test_matrix_covers_every_route(world: World) -> None:
    routes: set[tuple[str, str]] = set()
    for path, methods in _iter_routes(world.client.app.routes):  # type: ignore[attr-defined]
        if not path.startswith(API + "/"):
            continue
        for method in methods:
            if method not in ("HEAD", "OPTIONS") and (method, path) not in EXEMPT:
                routes.add((method, path))
    assert len(routes) > 40, f"route discovery found only {sorted(routes)}"
    rows = {(row.method, API + row.path) for row in ROWS}
    assert len(rows) == len(ROWS), "two matrix rows for one route"
    assert not routes - rows, f"routes without an authorization-matrix row: {sorted(routes - rows)}"
    assert not rows - routes, f"matrix rows for routes that do not exist: {sorted(rows - routes)}"
    assert {"admin", "manager", "reviewer", "labeler", "labeler2", "outsider", "anonymous"} == set(ACTORS)
    for row in ROWS:
        assert set(row.expected) == set(ACTORS), row.id
        if row.id != "POST /auth/login":
            assert row.expected["anonymous"] == 401, row.id
        if any(f"{{{key}}}" in row.path for key in ("project_id", "task_id", "asset_id", "job_id")):
            assert row.expected["outsider"] == 404, f"{row.id}: outsiders must get 404, never 403"


# -- a few rules the matrix cannot express in one request ----------------------------------------
def test_labeler_cannot_list_another_labelers_tasks(world: World) -> None:
    ids = _new_project(world, "tasks")
    r = world.apis["labeler"].get(
        f"{API}/projects/{ids['project_id']}/tasks", params={"assignee_id": world.uid("labeler2")}
    )
    assert r.status_code == 403
    assert "own tasks" in assert_problem(r, 403)["detail"]
    r = world.apis["labeler"].get(f"{API}/projects/{ids['project_id']}/tasks", params={"state": "in_progress"})
    assert [t["id"] for t in r.json()["items"]] == [ids["task_id"]]
    r = world.apis["reviewer"].get(
        f"{API}/projects/{ids['project_id']}/tasks", params={"assignee_id": world.uid("labeler2")}
    )
    assert [t["id"] for t in r.json()["items"]] == [ids["t_l2"]]


def test_drafts_are_per_user(world: World) -> None:
    """Two users' drafts on one task are separate rows; each reads back only their own."""
    ids = _new_project(world, "tasks")
    tid = ids["task_id"]
    rev = world.apis["reviewer"]
    assert rev.put(f"{API}/tasks/{tid}/draft", json={"body": box_body(oid="reviewer-draft")}).status_code == 200
    mine = world.apis["labeler"].get(f"{API}/tasks/{tid}/draft").json()["body"]["objects"]
    theirs = rev.get(f"{API}/tasks/{tid}/draft").json()["body"]["objects"]
    assert [o["id"] for o in mine] == [SECRET]
    assert [o["id"] for o in theirs] == ["reviewer-draft"]
    r = world.apis["labeler2"].get(f"{API}/tasks/{tid}/draft")
    assert r.status_code == 204 and r.content == b""
    with world.platform.deps.db.read() as s:
        owners = set(s.scalars(select(Draft.user_id).where(Draft.task_id == tid)))
    assert owners == {world.uid("labeler"), world.uid("reviewer")}


def test_removed_member_loses_access_like_an_outsider(world: World) -> None:
    ids = _new_project(world, "tasks")
    pid, tid = ids["project_id"], ids["task_id"]
    lab = world.apis["labeler"]
    assert world.apis["manager"].delete(f"{API}/projects/{pid}/members/{lab.user_id}").status_code == 204
    for url in (
        f"{API}/projects/{pid}",
        f"{API}/tasks/{tid}",
        f"{API}/tasks/{tid}/draft",
        f"{API}/assets/{ids['asset_id']}",
    ):
        r = lab.get(url)
        assert r.status_code == 404, (url, r.text)
        assert_problem(r, 404)
    r = lab.post(f"{API}/tasks/{tid}/submit", json={"body": box_body()})
    assert r.status_code == 404
    with world.platform.deps.db.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(AnnotationRevision).where(AnnotationRevision.task_id == tid)) == 0
        )


def test_review_decisions_need_a_reviewer_even_for_the_author(world: World) -> None:
    """The labeler who submitted may not accept their own work."""
    ids = _new_project(world, "tasks")
    r = world.apis["labeler"].post(f"{API}/tasks/{ids['t_sub']}/review", json={"decision": "accept"})
    assert r.status_code == 403
    assert "reviewer" in assert_problem(r, 403)["detail"]
    with world.platform.deps.db.read() as s:
        assert s.get(Task, ids["t_sub"]).state == "submitted"
        assert s.scalar(select(func.count()).select_from(ReviewEvent).where(ReviewEvent.task_id == ids["t_sub"])) == 0


def test_outsider_cannot_find_projects_by_listing_or_guessing(world: World) -> None:
    ids = _new_project(world, "tasks")
    out = world.apis["outsider"]
    probes = [
        f"{API}/projects/{ids['project_id']}",
        f"{API}/projects/{MISSING_ID}",
        f"{API}/tasks/{ids['task_id']}",
        f"{API}/tasks/{MISSING_ID}",
        f"{API}/assets/{ids['asset_id']}",
        f"{API}/assets/{MISSING_ID}",
    ]
    bodies = [_normalized(out.get(u)) for u in probes]
    assert bodies[0] == bodies[1] and bodies[2] == bodies[3] and bodies[4] == bodies[5]
    assert all(b["status"] == 404 for b in bodies)


def test_bulk_register_cannot_reference_another_projects_stored_files(world: World) -> None:
    p = world.platform
    ids = _new_project(world, "project")
    files = {"file": ("private.png", world.images[3], "image/png")}
    uploaded = _expect(world.apis["manager"].post(f"{API}/projects/{ids['project_id']}/assets", files=files), 201)
    settle(p)  # the upload's thumbnail job
    with p.deps.db.read() as s:
        asset = s.get(Asset, uploaded["id"])
    assert asset.storage_key and asset.thumbnail_key
    private = {p.deps.blobs.read_bytes(asset.storage_key), p.deps.blobs.read_bytes(asset.thumbnail_key)}
    out = world.apis["outsider"]
    own = out.post(f"{API}/projects", json={"name": "Snoop", "ontology": ONTOLOGY}).json()["id"]
    items = [{"uri": f"blob://{key}", "width": 8, "height": 8} for key in (asset.thumbnail_key, asset.storage_key)]
    r = out.post(f"{API}/projects/{own}/assets/bulk", json={"items": items})
    assert r.status_code == 201, r.text
    leaked = [
        a["filename"]
        for a in out.get(f"{API}/projects/{own}/assets").json()["items"]
        if out.get(f"{API}/assets/{a['id']}/content").content in private
    ]
    assert not leaked, f"an outsider read another project's stored files through blob:// references: {leaked}"
    assert r.json()["created"] == 0 and [e["index"] for e in r.json()["errors"]] == [0, 1]
