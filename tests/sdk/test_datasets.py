"""The SDK's annotation imports and dataset versions against the real server (and one mocked
answer for a damaged download)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest

from labelhub_sdk import (
    AnnotationImportResult,
    BadRequest,
    Client,
    ConnectionFailed,
    DatasetVersion,
    JobFailed,
    LabelTarget,
)


def coco(name: str, label: str = "car") -> bytes:
    return json.dumps({
        "images": [{"id": 1, "file_name": name, "width": 64, "height": 48}],
        "categories": [{"id": 1, "name": label}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 2, 10, 20]}],
    }).encode()  # fmt: skip


def test_preview_then_run_then_export_and_download_the_version(
    client: Client, project_id: int, make_image: object, tmp_path: Path
) -> None:
    image = make_image("photo")  # type: ignore[operator]
    client.assets.upload(project_id, image)
    data = coco(image.name, "Truck")
    preview = client.annotation_imports.preview(project_id, data, "coco", filename="pre.json")
    assert isinstance(preview, AnnotationImportResult) and preview.dry_run and preview.items == 1
    assert preview.unknown_classes == ("Truck",) and preview.classes == {"Truck": LabelTarget(1, "?")}
    with pytest.raises(JobFailed, match="Truck"):
        client.annotation_imports.run(project_id, data, "coco", filename="pre.json")
    done = client.annotation_imports.run(project_id, data, "coco", filename="pre.json", mapping={"Truck": "car"})
    assert (done.dry_run, done.revisions, done.objects, done.classes["Truck"].target) == (False, 1, 1, "car")
    task = next(iter(client.tasks.iter(project_id)))
    head = client.tasks.annotation(task.id)
    assert head is not None and head.kind == "import" and head.body["objects"][0]["geometry"]["xyxy"] == [1, 2, 11, 22]

    job = client.jobs.wait(client.exports.start(project_id, "coco", include_media=False, seed=3).id)
    versions = client.dataset_versions.list(project_id)
    assert isinstance(versions[0], DatasetVersion) and versions[0].id == job.result["dataset_version"]  # type: ignore[index]
    out = client.dataset_versions.download(versions[0].id, tmp_path)
    assert out.name == versions[0].filename
    assert hashlib.sha256(out.read_bytes()).hexdigest() == versions[0].content_sha256


def test_a_malformed_preview_is_a_bad_request(client: Client, project_id: int) -> None:
    with pytest.raises(BadRequest, match="not valid JSON at line 1"):
        client.annotation_imports.preview(project_id, b'{"images": [', "coco", filename="x.json")


def test_a_damaged_download_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"abc", headers={"X-Content-SHA256": "0" * 64})

    client = Client("http://lh.test", "lh_x", transport=httpx.MockTransport(answer))
    with client, pytest.raises(ConnectionFailed, match="arrived damaged"):
        client.dataset_versions.download(7, tmp_path / "v.zip")
    assert list(tmp_path.iterdir()) == []
