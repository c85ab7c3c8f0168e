"""Annotation imports as jobs: the preview writes nothing, the job cleans up its upload, a retried
attempt does not import twice, and the write re-checks what changed while the import was prepared."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest
from sqlalchemy import select, update

from labelhub.core.errors import Conflict
from labelhub.core.workflow import JobState
from labelhub.db.tables import Job, Project, Task
from labelhub.services.annotation_import_plan import prepare
from labelhub.services.annotation_import_write import write_plan
from labelhub.services.projects import load_ontology
from tests.conftest import ONTOLOGY, Api, box_body
from tests.formats.test_import import V1, H, W, do_import, new_project, revisions

COCO = {
    "images": [{"id": 1, "file_name": "img0.png", "width": W, "height": H},
               {"id": 2, "file_name": "img1.png", "width": W, "height": H}],
    "categories": [{"id": 1, "name": "car"}],
    "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 10, 10]},
                    {"id": 2, "image_id": 2, "category_id": 1, "bbox": [5, 5, 10, 10]},
                    {"id": 3, "image_id": 2, "category_id": 1, "bbox": [500, 500, 10, 10]}],
}  # fmt: skip


def job_row(platform: Any, job_id: str) -> Job:
    with platform.deps.db.read() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def test_preview_reports_and_writes_nothing_then_the_job_writes(users: dict[str, Api], platform: Any) -> None:
    m = users["manager"]
    pid = new_project(users, ONTOLOGY, n=2)
    files = {"file": ("c.json", orjson.dumps(COCO))}
    dry = m.post(f"{V1}/projects/{pid}/annotation-imports/preview", files=files, data={"format": "coco"})
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True and dry.json()["objects"] == 2 and dry.json()["dropped_objects"] == 1
    assert revisions(platform, pid) == 0
    started = m.post(f"{V1}/projects/{pid}/annotation-imports", files=files, data={"format": "coco"})
    assert started.status_code == 202 and started.json()["kind"] == "import_annotations", started.text
    job = m.wait_job(started.json()["id"])
    assert job["state"] == "succeeded", job
    assert job["result"]["revisions"] == 2 and job["result"]["dry_run"] is False
    assert job["result"]["dropped_objects"] == 1 and "dropped" in job["result"]["warnings"][0]
    assert (job["progress_done"], job["progress_total"]) == (2, 2)
    assert revisions(platform, pid) == 2
    key = orjson.loads(job_row(platform, job["id"]).payload_json)["key"]
    assert key.startswith("uploads/annotation-imports/") and not platform.deps.blobs.exists(key)


def test_a_failed_job_leaves_nothing_and_removes_its_upload(users: dict[str, Api], platform: Any) -> None:
    m = users["manager"]
    pid = new_project(users, ONTOLOGY, n=1)
    bad = b'{"images": [{"id": 1, "file_name": "img0.png"}], "categories": [{"id": 1, "name": "car"}], "annotations": ['
    started = m.post(
        f"{V1}/projects/{pid}/annotation-imports", files={"file": ("big.json", bad)}, data={"format": "coco"}
    )
    assert started.status_code == 202, started.text
    job = m.wait_job(started.json()["id"])
    assert job["state"] == "failed" and job["error"].startswith("big.json: not valid JSON at line 1"), job
    assert revisions(platform, pid) == 0
    assert not platform.deps.blobs.exists(orjson.loads(job_row(platform, job["id"]).payload_json)["key"])


def test_bad_requests_are_refused_before_any_job(users: dict[str, Api], platform: Any) -> None:
    m = users["manager"]
    pid = new_project(users, ONTOLOGY, n=1)
    url = f"{V1}/projects/{pid}/annotation-imports"
    files = {"file": ("c.json", orjson.dumps(COCO))}
    assert m.post(url, files=files, data={"format": "kml"}).status_code == 404
    assert "coco" in m.post(url, files=files, data={"format": "kml"}).json()["detail"]
    assert m.post(url, files=files, data={"format": "coco", "mode": "merge"}).status_code == 400
    assert m.post(url, files=files, data={"format": "coco", "mapping": "[1]"}).status_code == 400
    assert m.post(url, files={"file": ("e.json", b"")}, data={"format": "coco"}).status_code == 400
    assert users["labeler"].post(url, files=files, data={"format": "coco"}).status_code == 403
    assert [j for j in m.get(f"{V1}/projects/{pid}/jobs").json() if j["kind"] == "import_annotations"] == []


def test_a_retried_attempt_after_the_commit_imports_nothing_twice(users: dict[str, Api], platform: Any) -> None:
    m = users["manager"]
    pid = new_project(users, ONTOLOGY, n=2)
    first = do_import(m, pid, "coco", "c.json", orjson.dumps(COCO))
    assert first.status_code == 200 and revisions(platform, pid) == 2
    job_id = next(j["id"] for j in m.get(f"{V1}/projects/{pid}/jobs").json() if j["kind"] == "import_annotations")
    with platform.deps.db.write() as s:  # as if the worker died after the commit, before finishing the job
        s.execute(update(Job).where(Job.id == job_id).values(state=JobState.QUEUED.value))
    platform.jobs.run(job_id)
    again = m.get(f"{V1}/jobs/{job_id}").json()
    assert again["state"] == "succeeded" and again["result"] == first.json()
    assert revisions(platform, pid) == 2


def plan_for(platform: Any, pid: int, mode: str = "replace") -> Any:
    items = platform.deps.formats.annotation_importer("coco").read(io.BytesIO(orjson.dumps(COCO)), "c.json")
    with platform.deps.db.read() as s:
        project = s.get(Project, pid)
        return prepare(s, project, load_ontology(s, project), "coco", items, {}, mode, dry_run=False)


def test_an_ontology_change_while_preparing_refuses_the_write(users: dict[str, Api], platform: Any) -> None:
    pid = new_project(users, ONTOLOGY, n=2)
    plan = plan_for(platform, pid)
    onto = users["manager"].get(f"{V1}/projects/{pid}").json()["ontology"]
    onto["classes"].append({"id": "bus", "tool": "bbox"})
    assert users["manager"].put(f"{V1}/projects/{pid}/ontology", json={"ontology": onto}).status_code == 200
    with pytest.raises(Conflict, match="changed"), platform.deps.db.write() as s:
        write_plan(s, plan, None)
    assert revisions(platform, pid) == 0


def test_append_rebuilds_on_a_head_that_moved_while_preparing(users: dict[str, Api], platform: Any) -> None:
    pid = new_project(users, ONTOLOGY, n=2)
    plan = plan_for(platform, pid, mode="append")
    lab = users["labeler"]
    tid = lab.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]
    assert lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body(oid="mine")}).status_code == 201
    with platform.deps.db.write() as s:
        assert write_plan(s, plan, None) == 2
    with platform.deps.db.read() as s:
        head = s.scalar(select(Task.head_revision_id).where(Task.id == tid))
    body = users["manager"].get(f"{V1}/tasks/{tid}/annotation").json()
    assert body["id"] == head and body["kind"] == "import" and body["parent_id"] is not None
    assert body["body"]["objects"][0]["id"] == "mine" and len(body["body"]["objects"]) >= 2
