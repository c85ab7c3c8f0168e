"""Exports through the API: the options reach the exporter, and each export is a dataset version."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import orjson

from tests.conftest import Api, ProjectEnv, box_body

V1 = "/api/v1"


def _submit(api: Api, pid: int, body: dict[str, Any]) -> int:
    tid = api.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]
    assert api.post(f"{V1}/tasks/{tid}/submit", json={"body": body}).status_code == 201
    return int(tid)


def _export(m: Api, pid: int, **body: Any) -> tuple[dict[str, Any], bytes]:
    r = m.post(f"{V1}/projects/{pid}/exports", json=body)
    assert r.status_code == 202, r.text
    done = m.wait_job(r.json()["id"])
    assert done["state"] == "succeeded", done
    return done["result"], m.get(f"{V1}/jobs/{done['id']}/download").content


def _coco(data: bytes, split: str = "default") -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return dict(orjson.loads(zf.read(f"annotations/instances_{split}.json")))


def test_coco_export_with_filters_is_recorded_as_a_dataset_version(project: ProjectEnv) -> None:
    m, pid = project.manager, project.id
    road = {"id": "r1", "class_id": "road", "geometry": {"type": "polygon", "points_xy": [[0, 0], [30, 0], [30, 20]]}}
    two = box_body()
    two["objects"].append(road)
    t1 = _submit(project.labeler, pid, two)
    _submit(project.labeler2, pid, box_body(x2=30))
    project.reviewer.post(f"{V1}/tasks/{t1}/review", json={"decision": "accept"})

    result, data = _export(m, pid, format="coco", include_media=False)
    coco = _coco(data)
    assert len(coco["images"]) == 3 and len(coco["annotations"]) == 3  # the third task is still queued
    assert result["report"]["images"] == 3 and result["sha256"] == hashlib.sha256(data).hexdigest()

    _, data = _export(m, pid, format="coco", include_media=False, states=["accepted"], classes=["road"])
    coco = _coco(data)
    assert [a["labelhub"]["id"] for a in coco["annotations"]] == ["r1"] and len(coco["images"]) == 1

    _, data = _export(m, pid, format="coco", include_media=False, labelers=["labeler2"])
    coco = _coco(data)
    assert len(coco["images"]) == 1 and coco["annotations"][0]["bbox"] == [10, 10, 20, 30]

    result, data = _export(m, pid, format="coco", split={"train": 0.5, "val": 0.5}, seed=3)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
    assert {"annotations/instances_train.json", "annotations/instances_val.json"} <= set(names)
    assert sum(1 for n in names if n.startswith("images/")) == 3
    assert sorted(result["report"]["splits"].values()) == [1, 2]

    versions = m.get(f"{V1}/projects/{pid}/dataset-versions").json()
    assert len(versions) == 4 and versions[0]["id"] == result["dataset_version"]
    latest = versions[0]
    assert latest["filter"]["split"] == [["train", 0.5], ["val", 0.5]] and latest["filter"]["seed"] == 3
    assert latest["content_sha256"] == hashlib.sha256(data).hexdigest() and latest["format"] == "coco"
    again = m.get(f"{V1}/dataset-versions/{latest['id']}/download")
    assert again.status_code == 200 and again.content == data
    assert again.headers["x-content-sha256"] == latest["content_sha256"]
    assert versions[1]["filter"]["labeler_names"] == ["labeler2"]


def test_bad_export_options_are_refused_before_any_job(project: ProjectEnv) -> None:
    m, pid = project.manager, project.id
    for body, words in (
        ({"classes": ["unicorn"]}, "unicorn"),
        ({"labelers": ["nobody"]}, "nobody"),
        ({"split": {"train": 0.5, "val": 0.2}}, "sum to 1"),
        ({"split": {"Train!": 1.0}}, "Split name"),
        ({"split": {"train": 0}}, "ratio"),
    ):
        r = m.post(f"{V1}/projects/{pid}/exports", json={"format": "coco", **body})
        assert r.status_code == 400 and words in r.json()["detail"], (body, r.text)
    assert not [j for j in m.get(f"{V1}/projects/{pid}/jobs").json() if j["kind"] == "export"]
