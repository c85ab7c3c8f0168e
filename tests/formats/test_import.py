"""Annotation imports through the API: round trips, Label Studio and CVAT samples, mapping, all-or-nothing."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import numpy as np
import orjson
import pytest
from sqlalchemy import func, select

from labelhub.core import rle
from labelhub.db.tables import AnnotationRevision
from tests.conftest import ONTOLOGY, Api, png_bytes
from tests.formats.conftest import ONTO

V1 = "/api/v1"
W, H = 200, 100


def new_project(users: dict[str, Api], ontology: dict[str, Any], n: int = 3) -> int:
    m = users["manager"]
    pid = int(m.post(f"{V1}/projects", json={"name": "P", "ontology": ontology}).json()["id"])
    m.put(f"{V1}/projects/{pid}/members", json={"username": "labeler", "role": "labeler"})
    for i in range(n):
        r = m.post(f"{V1}/projects/{pid}/assets", files={"file": (f"img{i}.png", png_bytes(W, H, seed=i), "image/png")})
        assert r.status_code == 201, r.text
    return pid


def rich_body(i: int) -> dict[str, Any]:
    m = np.zeros((H, W), dtype=bool)
    m[10:50, 10:50] = True
    m[20:40, 20:40] = False  # a hole
    m[70:90, 150:190] = True  # a second part
    return {
        "objects": [
            {"id": "b", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [10.25, 20, 50 + i, 60.5]}},
            {"id": "e", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [0, 0, 200, 100]}},
            {"id": "p", "class_id": "road", "geometry": {"type": "polygon", "points_xy": [[0, 0], [120, 3], [99, 70]]}},
            {"id": "r", "class_id": "plate", "geometry": {"type": "rotated_bbox", "cxcywha": [100, 50, 60, 20, 30]}},
            {"id": "m", "class_id": "blob", "geometry": {"type": "mask", "rle": rle.encode(m)}},
            {"id": "k", "class_id": "person",
             "geometry": {"type": "keypoints", "points": [[5, 5, 2], [10, 40, 1], [0, 0, 0]]}},
        ],
        "classifications": {"weather": "rain"},
    }  # fmt: skip


def label_all(users: dict[str, Api], pid: int, n: int = 3) -> None:
    lab = users["labeler"]
    for i in range(n):
        tid = lab.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]
        assert lab.post(f"{V1}/tasks/{tid}/submit", json={"body": rich_body(i)}).status_code == 201


def export(m: Api, pid: int, fmt: str) -> bytes:
    job = m.post(f"{V1}/projects/{pid}/exports", json={"format": fmt, "include_media": False}).json()
    done = m.wait_job(job["id"])
    assert done["state"] == "succeeded", done
    return bytes(m.get(f"{V1}/jobs/{job['id']}/download").content)


class Outcome:
    """An import's outcome in the shape of a response: the preview's answer, or the job's result
    (200) or error (400 with ``detail``)."""

    def __init__(self, status_code: int, body: dict[str, Any], text: str = "") -> None:
        self.status_code, self.body, self.text = status_code, body, text or orjson.dumps(body).decode()

    def json(self) -> dict[str, Any]:
        return self.body


def do_import(m: Api, pid: int, fmt: str, name: str, data: bytes, *, dry_run: bool = False, **form: Any) -> Any:
    """A dry run goes to the synchronous preview; a real import starts a job and waits for it."""
    fields = {"format": fmt, **{k: (orjson.dumps(v).decode() if k == "mapping" else str(v)) for k, v in form.items()}}
    url = f"{V1}/projects/{pid}/annotation-imports" + ("/preview" if dry_run else "")
    r = m.post(url, files={"file": (name, data)}, data=fields)
    if dry_run or r.status_code != 202:
        return Outcome(r.status_code, r.json(), r.text)
    job = m.wait_job(r.json()["id"])
    assert job["kind"] == "import_annotations" and job["state"] in ("succeeded", "failed"), job
    if job["state"] == "failed":
        return Outcome(400, {"detail": job["error"]})
    assert job["progress_done"] == job["progress_total"] == job["result"]["items"], job
    return Outcome(200, job["result"])


def coco_by_image(data: bytes) -> dict[str, list[dict[str, Any]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        doc = orjson.loads(zf.read("annotations/instances_default.json"))
    names = {i["id"]: i["file_name"] for i in doc["images"]}
    cats = {c["id"]: c["name"] for c in doc["categories"]}
    out: dict[str, list[dict[str, Any]]] = {n: [] for n in names.values()}
    for a in doc["annotations"]:
        out[names[a["image_id"]]].append({**a, "category": cats[a["category_id"]]})
    return out


def revisions(platform: Any, pid: int) -> int:
    with platform.deps.db.read() as s:
        q = select(func.count()).select_from(AnnotationRevision).where(AnnotationRevision.project_id == pid)
        return int(s.scalar(q) or 0)


def test_native_to_coco_to_import_to_coco_is_equal_within_one_pixel(users: dict[str, Api], platform: Any) -> None:
    m = users["manager"]
    a, b = new_project(users, ONTO), new_project(users, ONTO)
    label_all(users, a)
    first = export(m, a, "coco")
    r = do_import(m, b, "coco", "coco.zip", first)
    assert r.status_code == 200, r.text
    assert r.json()["revisions"] == 3 and r.json()["objects"] == 18 and r.json()["unknown_classes"] == []
    before, after = coco_by_image(first), coco_by_image(export(m, b, "coco"))
    assert before.keys() == after.keys() == {"img0.png", "img1.png", "img2.png"}
    for name in before:
        assert len(before[name]) == len(after[name]) == 6
        for x, y in zip(before[name], after[name], strict=True):
            assert x["category"] == y["category"] and x["iscrowd"] == y["iscrowd"]
            assert np.allclose(x["bbox"], y["bbox"], atol=1), (x, y)
            assert abs(x["area"] - y["area"]) <= max(1, 0.01 * x["area"])
            if isinstance(x["segmentation"], dict):
                assert x["segmentation"] == y["segmentation"]
            elif x["segmentation"]:
                assert np.allclose(x["segmentation"], y["segmentation"], atol=1)
            assert x.get("keypoints") == y.get("keypoints")
    # imported objects keep their origin and the head is a revision of kind "import"
    tid = users["manager"].get(f"{V1}/projects/{b}/tasks").json()["items"][0]["id"]
    head = m.get(f"{V1}/tasks/{tid}/annotation").json()
    assert head["kind"] == "import"
    assert head["body"]["objects"][0]["source"] == {
        "kind": "import",
        "name": "coco",
        "file": "annotations/instances_default.json",
    }
    assert head["body"]["classifications"] == {"weather": "rain"}


@pytest.mark.parametrize("fmt", ["yolo", "voc"])
def test_yolo_and_voc_exports_import_with_the_same_box_counts(users: dict[str, Api], fmt: str) -> None:
    m = users["manager"]
    a, b = new_project(users, ONTO), new_project(users, ONTO)
    label_all(users, a)
    r = do_import(m, b, fmt, f"{fmt}.zip", export(m, a, fmt))
    assert r.status_code == 200, r.text
    assert r.json()["items"] == 3 and r.json()["objects"] == 6 and r.json()["classes"]["car"]["objects"] == 6
    boxes = sorted(tuple(round(v) for v in a["bbox"]) for v in coco_by_image(export(m, b, "coco")).values() for a in v)
    assert boxes[:2] == [(0, 0, 200, 100)] * 2 and (10, 20, 40, 40) in boxes


LABEL_STUDIO = [
    {"id": 1, "data": {"image": "/data/upload/3/0a1b2c3d-img0.png"},
     "annotations": [{"id": 11, "was_cancelled": False, "result": [
         {"id": "r1", "type": "rectanglelabels", "from_name": "label", "to_name": "image", "original_width": W,
          "original_height": H, "value": {"x": 10, "y": 20, "width": 20, "height": 40, "rotation": 0,
                                          "rectanglelabels": ["Car"]}},
         {"id": "p1", "type": "polygonlabels", "from_name": "poly", "to_name": "image", "original_width": W,
          "original_height": H, "value": {"points": [[0, 0], [50, 0], [50, 50]], "polygonlabels": ["road"]}},
         {"id": "c1", "type": "choices", "from_name": "weather", "to_name": "image", "value": {"choices": ["sun"]}},
     ]}]},
    {"id": 2, "data": {"image": "/data/local-files/?d=img1.png"}, "annotations": [],
     "predictions": [{"model_version": "v1", "score": 0.75, "result": [
         {"id": "r2", "type": "rectanglelabels", "from_name": "label", "to_name": "image", "original_width": W,
          "original_height": H, "value": {"x": 50, "y": 50, "width": 10, "height": 10, "rectanglelabels": ["Car"]}},
         {"id": "b1", "type": "brushlabels", "from_name": "brush", "to_name": "image", "original_width": W,
          "original_height": H, "value": {"format": "rle", "rle": [1, 2], "brushlabels": ["road"]}},
     ]}]},
    {"id": 3, "data": {"image": "/data/upload/3/ffffffff-elsewhere.png"}, "annotations": []},
]  # fmt: skip

CVAT = b"""<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta><task><name>t</name></task></meta>
  <image id="0" name="folder/img0.png" width="200" height="100">
    <box label="car" occluded="0" source="manual" xtl="10" ytl="20" xbr="50" ybr="60" z_order="0">
      <attribute name="occluded">yes</attribute>
    </box>
    <box label="car" occluded="0" xtl="100" ytl="40" xbr="140" ybr="60" rotation="30"></box>
    <polygon label="road" occluded="0" points="0,0;50,0;50,50"></polygon>
    <points label="sign" occluded="0" points="5,5;6,6"></points>
    <tag label="sunny" source="manual"></tag>
  </image>
  <image id="1" name="img1.png" width="200" height="100">
    <mask label="blob" occluded="0" rle="2,3,1,4" left="10" top="10" width="5" height="2"></mask>
  </image>
</annotations>
"""


def test_label_studio_sample_imports_with_the_expected_counts(users: dict[str, Api]) -> None:
    m = users["manager"]
    pid = new_project(users, ONTOLOGY, n=2)
    r = do_import(m, pid, "labelstudio", "export.json", orjson.dumps(LABEL_STUDIO))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["items"] == 2 and out["objects"] == 3 and out["unmatched_files"] == ["elsewhere.png"], out
    assert out["classes"] == {"Car": {"objects": 2, "target": "car"}, "road": {"objects": 1, "target": "road"}}
    assert len(out["skipped"]) == 1 and "brushlabels" in out["skipped"][0]
    tasks = {t["asset_id"]: t["id"] for t in m.get(f"{V1}/projects/{pid}/tasks").json()["items"]}
    heads = [m.get(f"{V1}/tasks/{t}/annotation").json()["body"] for t in tasks.values()]
    first = next(h for h in heads if h and len(h["objects"]) == 2)
    assert first["objects"][0]["geometry"]["xyxy"] == [20, 20, 60, 60]  # percentages of 200 x 100
    assert first["classifications"] == {"weather": "sun"}
    second = next(h for h in heads if h and len(h["objects"]) == 1)
    assert second["objects"][0]["confidence"] == 0.75


def test_cvat_sample_imports_with_the_expected_counts(users: dict[str, Api]) -> None:
    m = users["manager"]
    pid = new_project(users, ONTO, n=2)
    r = do_import(m, pid, "cvat", "annotations.xml", CVAT, mapping={"sign": "drop"})
    assert r.status_code == 200, r.text
    out = r.json()
    # box -> car, rotated box -> car's bbox (its enclosing box), polygon, 2 points dropped by mapping, mask
    assert out["items"] == 2 and out["objects"] == 4 and out["classes"]["sign"] == {"objects": 2, "target": "drop"}
    assert len(out["skipped"]) == 1 and "tag" in out["skipped"][0]
    tasks = m.get(f"{V1}/projects/{pid}/tasks").json()["items"]
    bodies = [m.get(f"{V1}/tasks/{t['id']}/annotation").json()["body"] for t in tasks]
    car = bodies[0]["objects"][0]
    assert car["geometry"]["xyxy"] == [10, 20, 50, 60] and car["attributes"] == {"occluded": "yes"}
    mask = rle.decode(bodies[1]["objects"][0]["geometry"]["rle"])
    # CVAT's runs 2,3,1,4 fill the 5 x 2 box at (10, 10) row by row: 00111 / 01111
    assert mask.sum() == 7 and mask[10, 12:15].all() and mask[11, 11:15].all() and not mask[11, 10]


def test_unknown_labels_need_a_mapping_and_create_adds_the_class(users: dict[str, Api], platform: Any) -> None:
    m = users["manager"]
    pid = new_project(users, ONTOLOGY, n=1)
    coco = {"images": [{"id": 1, "file_name": "img0.png", "width": W, "height": H}],
            "categories": [{"id": 1, "name": "truck"}, {"id": 2, "name": "car"}],
            "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 10, 10]},
                            {"id": 2, "image_id": 1, "category_id": 2, "bbox": [5, 5, 10, 10]}]}  # fmt: skip
    data = orjson.dumps(coco)
    r = do_import(m, pid, "coco", "c.json", data)
    assert r.status_code == 400 and "['truck']" in r.json()["detail"] and "--map" in r.json()["detail"]
    assert revisions(platform, pid) == 0
    dry = do_import(m, pid, "coco", "c.json", data, dry_run=True).json()
    assert dry["unknown_classes"] == ["truck"] and dry["revisions"] == 0 and revisions(platform, pid) == 0
    assert dry["classes"] == {"car": {"objects": 1, "target": "car"}, "truck": {"objects": 1, "target": "?"}}
    assert do_import(m, pid, "coco", "c.json", data, mapping={"truck": "drop"}).json()["objects"] == 1
    r = do_import(m, pid, "coco", "c.json", data, mapping={"truck": "create"})
    assert r.json()["created_classes"] == ["truck"] and r.json()["objects"] == 2
    onto = m.get(f"{V1}/projects/{pid}").json()
    assert onto["ontology_version"] == 2
    r = do_import(m, pid, "coco", "c.json", data, mapping={"truck": "car"})
    assert r.json()["classes"]["truck"]["target"] == "car"


@pytest.mark.parametrize(
    ("fmt", "name", "data", "words"),
    [
        ("coco", "bad.json", b'{"images": [}', "bad.json: not valid JSON at line 1"),
        ("coco", "c.json", b'{"images": [{"id": 1, "file_name": "img0.png"}], "categories": [], "annotations": '
                           b'[{"image_id": 1, "category_id": 9, "bbox": [0, 0, 1, 1]}]}', "annotations[0].category_id"),
        ("voc", "a.xml", b"<annotation><filename>img0.png</filename><object><name>car</name></object>",
         "a.xml: not valid XML at line 1"),
        ("cvat", "a.xml", b'<annotations><image name="img0.png" width="200" height="100">'
                          b'<polygon label="road" points="1,2;x"/></image></annotations>', "points="),
    ],
)  # fmt: skip
def test_malformed_files_are_refused_naming_the_file_and_place(
    users: dict[str, Api], platform: Any, fmt: str, name: str, data: bytes, words: str
) -> None:
    m = users["manager"]
    pid = new_project(users, ONTOLOGY, n=1)
    r = do_import(m, pid, fmt, name, data)
    assert r.status_code == 400 and words in r.json()["detail"], r.text
    assert revisions(platform, pid) == 0


def test_a_bad_yolo_row_in_the_second_file_leaves_nothing_half_imported(users: dict[str, Api], platform: Any) -> None:
    m = users["manager"]
    pid = new_project(users, ONTOLOGY, n=2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("data.yaml", "names:\n  0: car\n")
        zf.writestr("labels/train/img0.txt", "0 0.5 0.5 0.2 0.2\n")
        zf.writestr("labels/train/img1.txt", "0 0.5 0.5 0.2 0.2\n0 0.5 oops 0.2 0.2\n")
    r = do_import(m, pid, "yolo", "y.zip", buf.getvalue())
    assert r.status_code == 400 and "labels/train/img1.txt: line 2" in r.json()["detail"], r.text
    assert revisions(platform, pid) == 0
