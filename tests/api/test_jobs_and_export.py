"""Background jobs (crash recovery) and the lossless native export / import round trip."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import orjson
from sqlalchemy import func, select, update

from labelhub.db.tables import AnnotationRevision, Asset, Job, OntologyVersion, ReviewEvent, Task, utcnow
from tests.conftest import ONTOLOGY, Api, ProjectEnv, box_body

V1 = "/api/v1"


def _counts(platform, project_id: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with platform.deps.db.read() as s:
        return {
            "ontology_versions": s.scalar(select(func.count()).where(OntologyVersion.project_id == project_id)),
            "assets": s.scalar(select(func.count()).where(Asset.project_id == project_id)),
            "tasks": s.scalar(select(func.count()).where(Task.project_id == project_id)),
            "revisions": s.scalar(select(func.count()).where(AnnotationRevision.project_id == project_id)),
            "reviews": s.scalar(
                select(func.count())
                .select_from(ReviewEvent)
                .join(Task, Task.id == ReviewEvent.task_id)
                .where(Task.project_id == project_id)
            ),
        }


def _label_everything(project: ProjectEnv) -> None:
    lab, pid = project.labeler, project.id
    for i in range(3):
        tid = lab.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]
        assert lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body(x2=20 + i)}).status_code == 201
    t = project.reviewer.post(f"{V1}/projects/{pid}/review/next").json()["task"]["id"]
    project.reviewer.post(f"{V1}/tasks/{t}/review", json={"decision": "accept"})
    new = dict(ONTOLOGY, classes=[*ONTOLOGY["classes"], {"id": "tree", "tool": "polygon", "color": "#00ff00"}])
    assert project.manager.put(f"{V1}/projects/{pid}/ontology", json={"ontology": new}).status_code == 200


def test_native_export_then_import_is_lossless(project: ProjectEnv, platform, admin: Api) -> None:  # type: ignore[no-untyped-def]
    _label_everything(project)
    m, pid = project.manager, project.id
    job = m.post(f"{V1}/projects/{pid}/exports", json={"format": "native"}).json()
    done = m.wait_job(job["id"])
    assert done["state"] == "succeeded", done
    assert done["result"]["report"]["revisions"] == 3 and done["result"]["report"]["media"] == 3
    r = m.get(f"{V1}/jobs/{job['id']}/download")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    archive = r.content
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        manifest = orjson.loads(zf.read("manifest.json"))
        assert manifest["format"] == "labelhub-native" and len(manifest["ontology_versions"]) == 2
    before = _counts(platform, pid)
    job = admin.post(f"{V1}/projects/import", files={"file": ("p.zip", archive, "application/zip")}).json()
    done = admin.wait_job(job["id"])
    assert done["state"] == "succeeded", done
    new_pid = done["result"]["project_id"]
    assert _counts(platform, new_pid) == before
    # the same annotations and the same bytes, task by task (matched through the asset's content hash)
    old_assets = {a["id"]: a["sha256"] for a in m.get(f"{V1}/projects/{pid}/assets").json()["items"]}
    old_task_by_sha = {old_assets[t["asset_id"]]: t for t in m.get(f"{V1}/projects/{pid}/tasks").json()["items"]}
    new_tasks = admin.get(f"{V1}/projects/{new_pid}/tasks").json()["items"]
    assert {t["state"] for t in new_tasks} == {"submitted", "accepted"}
    for t in new_tasks:
        sha = admin.get(f"{V1}/assets/{t['asset_id']}").json()["sha256"]
        old = old_task_by_sha[sha]
        assert t["state"] == old["state"]
        old_body = m.get(f"{V1}/tasks/{old['id']}/annotation").json()["body"]
        assert admin.get(f"{V1}/tasks/{t['id']}/annotation").json()["body"] == old_body
        old_bytes = m.get(f"{V1}/assets/{old['asset_id']}/content").content
        assert admin.get(f"{V1}/assets/{t['asset_id']}/content").content == old_bytes


def test_export_filters_by_state_and_refuses_unknown_format(project: ProjectEnv) -> None:
    _label_everything(project)
    m, pid = project.manager, project.id
    r = m.post(f"{V1}/projects/{pid}/exports", json={"format": "yaml-of-doom"})
    assert r.status_code == 404 and "available: " in r.json()["detail"] and "native" in r.json()["detail"]
    job = m.post(
        f"{V1}/projects/{pid}/exports", json={"format": "native", "states": ["accepted"], "include_media": False}
    ).json()
    report = m.wait_job(job["id"])["result"]["report"]
    assert report == {"assets": 1, "tasks": 1, "revisions": 1, "objects": 1, "reviews": 1, "media": 0}
    assert project.labeler.post(f"{V1}/projects/{pid}/exports", json={"format": "native"}).status_code == 403


def test_import_of_a_broken_archive_is_refused_and_writes_nothing(admin: Api, platform) -> None:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", orjson.dumps({"format": "something-else", "version": 1}))
    r = admin.post(f"{V1}/projects/import", files={"file": ("p.zip", buf.getvalue(), "application/zip")})
    assert r.status_code == 400 and "expected 'labelhub-native'" in r.json()["detail"]
    r = admin.post(f"{V1}/projects/import", files={"file": ("p.zip", b"not a zip", "application/zip")})
    assert r.status_code == 400
    with platform.deps.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Job)) == 0


def test_job_whose_worker_died_is_retried_then_failed(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    """A crash leaves a job 'running' with a stale heartbeat; recovery re-queues it, and gives up after N tries."""
    m = project.manager
    job_id = m.post(f"{V1}/projects/{project.id}/exports", json={"format": "native"}).json()["id"]
    m.wait_job(job_id)

    def crash(attempts: int) -> None:
        with platform.deps.db.write() as s:
            s.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(
                    state="running",
                    attempts=attempts,
                    finished_at=None,
                    heartbeat_at=utcnow() - timedelta(seconds=platform.deps.limits.job_stale_seconds + 5),
                )
            )

    crash(attempts=1)
    requeued, failed = platform.jobs.recover()
    assert (requeued, failed) == (1, 0)
    job = m.wait_job(job_id)
    assert job["state"] == "succeeded" and job["attempts"] == 2  # ran again to completion
    crash(attempts=platform.deps.limits.job_max_attempts)
    assert platform.jobs.recover() == (0, 1)
    job = m.get(f"{V1}/jobs/{job_id}").json()
    assert job["state"] == "failed" and "giving up" in job["error"]


def test_cancel_and_job_visibility(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    m = project.manager
    job_id = m.post(f"{V1}/projects/{project.id}/exports", json={"format": "native"}).json()["id"]
    m.wait_job(job_id)
    assert m.post(f"{V1}/jobs/{job_id}/cancel").status_code == 409
    assert project.outsider.get(f"{V1}/jobs/{job_id}").status_code == 404
    assert project.labeler.get(f"{V1}/jobs/{job_id}").status_code == 404
    assert m.get(f"{V1}/projects/{project.id}/jobs").json()[0]["id"] == job_id
