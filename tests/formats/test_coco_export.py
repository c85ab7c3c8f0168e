"""COCO export, checked by pycocotools: it loads every file and decodes every mask to the expected area."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

from labelhub.formats.coco import CocoExporter
from tests.formats.conftest import FakeSource, box, mask, obj, poly, rbox, run_export

W, H = 200, 100  # non-square on purpose


def coco_of(tmp_path: Path, source: FakeSource, split: str = "default", **options: Any) -> tuple[COCO, dict[str, Any]]:
    zf, report = run_export(CocoExporter(), source, **options)
    path = tmp_path / f"instances_{split}.json"
    path.write_bytes(zf.read(f"annotations/instances_{split}.json"))
    return COCO(str(path)), report


def holed_masks() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """A ring (a square with a hole) plus a separate blob: two components, one hole."""
    m = np.zeros((H, W), dtype=bool)
    m[10:50, 10:50] = True
    m[20:40, 20:40] = False
    m[70:90, 150:199] = True
    edge = np.zeros((H, W), dtype=bool)
    edge[:, 0] = edge[:, -1] = edge[0, :] = edge[-1, :] = True  # touches every border
    return m, edge


def test_pycocotools_loads_everything_and_masks_decode_to_their_area(tmp_path: Path) -> None:
    m, edge = holed_masks()
    objects = [
        box("b1", 10, 20, 50, 60, attributes={"occluded": "yes"}, confidence=0.5),
        poly("p1", [[0, 0], [100, 0], [100, 50]]),
        mask("m1", m),
        mask("m2", edge, compact=True),
        obj("k1", "person", {"type": "keypoints", "points": [[10, 10, 2], [20, 30, 1], [0, 0, 0]]}),
        obj("e1", "ball", {"type": "ellipse", "cxcyrxrya": [100, 50, 20, 10, 0]}),
    ]
    coco, report = coco_of(tmp_path, FakeSource([("a.png", W, H, objects, {"weather": "sun"})]))
    assert report["objects"] == 6 and report["dropped_total"] == 0
    anns = {a["labelhub"]["id"]: a for a in coco.loadAnns(coco.getAnnIds())}
    for oid, expected in (("m1", m), ("m2", edge)):
        decoded = coco.annToMask(anns[oid])
        assert decoded.shape == (H, W)
        assert int(decoded.sum()) == int(expected.sum()) == int(anns[oid]["area"])
        assert (decoded.astype(bool) == expected).all()
        assert anns[oid]["iscrowd"] == 1
        assert list(mask_utils.toBbox(anns[oid]["segmentation"])) == anns[oid]["bbox"]
    assert anns["m1"]["bbox"] == [10, 10, 189, 80]
    # a polygon's area is its exact area; pycocotools' raster agrees within the edge pixels
    assert anns["p1"]["area"] == pytest.approx(2500)
    assert abs(int(coco.annToMask(anns["p1"]).sum()) - 2500) <= 100 + 50
    assert anns["b1"]["bbox"] == [10, 20, 40, 40] and anns["b1"]["area"] == 1600
    assert anns["b1"]["attributes"] == {"occluded": "yes"} and anns["b1"]["score"] == 0.5
    k = anns["k1"]
    assert k["keypoints"] == [10, 10, 2, 20, 30, 1, 0, 0, 0] and k["num_keypoints"] == 2
    assert k["bbox"] == [10, 10, 10, 20]
    assert anns["e1"]["area"] == pytest.approx(math.pi * 200, rel=0.01)
    cats = coco.loadCats(coco.getCatIds())
    assert [c["name"] for c in cats] == ["car", "road", "plate", "blob", "person", "ball", "sign"]
    assert [c["id"] for c in cats] == [1, 2, 3, 4, 5, 6, 7]
    person = coco.loadCats(5)[0]
    assert person["keypoints"] == ["head", "hip", "foot"] and person["skeleton"] == [[1, 2], [2, 3]]
    img = coco.loadImgs(coco.getImgIds())[0]
    assert img["width"] == W and img["height"] == H and img["file_name"] == "a.png"
    assert img["attributes"] == {"weather": "sun"}


@pytest.mark.parametrize("angle", [0, 30, 45, 90, -60, 135, -179])
def test_rotated_box_on_a_non_square_image(tmp_path: Path, angle: float) -> None:
    """The peers' bug: normalizing before rotating skews rotated boxes on non-square images."""
    cx, cy, bw, bh = 100.0, 50.0, 40.0, 20.0
    coco, _ = coco_of(tmp_path, FakeSource([("r.png", W, H, [rbox("r", cx, cy, bw, bh, angle)], {})]))
    (a,) = coco.loadAnns(coco.getAnnIds())
    t = math.radians(angle)
    ew = abs(bw * math.cos(t)) + abs(bh * math.sin(t))
    eh = abs(bw * math.sin(t)) + abs(bh * math.cos(t))
    assert a["bbox"] == pytest.approx([cx - ew / 2, cy - eh / 2, ew, eh], abs=0.01)
    assert a["area"] == pytest.approx(bw * bh, rel=1e-3)
    pts = np.array(a["segmentation"][0]).reshape(-1, 2)
    sides = np.linalg.norm(np.roll(pts, -1, axis=0) - pts, axis=1)
    assert sides == pytest.approx([bw, bh, bw, bh], abs=0.01)  # still a 40 x 20 rectangle, not skewed
    first_edge = pts[1] - pts[0]
    assert math.degrees(math.atan2(first_edge[1], first_edge[0])) == pytest.approx(angle, abs=0.01)
    assert a["attributes"]["rotation"] == angle and a["labelhub"]["cxcywha"] == [cx, cy, bw, bh, angle]
    assert int(coco.annToMask(a).sum()) == pytest.approx(bw * bh, rel=0.1)


def test_objects_touching_and_crossing_every_border(tmp_path: Path) -> None:
    objects = [
        box("touch-tl", 0, 0, 10, 10),
        box("touch-br", 190, 90, 200, 100),
        box("cross-left", -5, 40, 5, 50),
        box("cross-top", 40, -5, 50, 5),
        box("cross-right", 195, 40, 205, 50),
        box("cross-bottom", 40, 95, 50, 105),
        box("outside", 210, 10, 220, 20),
        rbox("rot-corner", 198, 98, 20, 10, 30),
        poly("poly-out", [[-10, -10], [250, -10], [250, 150]]),
    ]
    coco, report = coco_of(tmp_path, FakeSource([("b.png", W, H, objects, {})]))
    anns = {a["labelhub"]["id"]: a for a in coco.loadAnns(coco.getAnnIds())}
    assert set(anns) == {o["id"] for o in objects} - {"outside"}
    assert report["dropped"] == {"outside the image": 1}
    assert report["clipped"] == 6
    for a in anns.values():
        x, y, w, h = a["bbox"]
        assert x >= 0 and y >= 0 and x + w <= W + 1e-9 and y + h <= H + 1e-9, a
        assert w > 0 and h > 0
        if a["segmentation"]:
            assert int(coco.annToMask(a).sum()) > 0
    assert anns["cross-left"]["bbox"] == [0, 40, 5, 10] and anns["touch-br"]["bbox"] == [190, 90, 10, 10]


def test_empty_images_and_tasks_without_revision_are_listed(tmp_path: Path) -> None:
    source = FakeSource(
        [("e1.png", W, H, [], {}), ("e2.png", W, H, None, {}), ("f.png", W, H, [box("x", 1, 1, 9, 9)], {})]
    )
    coco, report = coco_of(tmp_path, source)
    assert len(coco.getImgIds()) == 3 and len(coco.getAnnIds()) == 1
    assert report["images"] == 3


def test_tiny_and_degenerate_shapes_are_dropped_with_a_reason_never_a_crash(tmp_path: Path) -> None:
    objects = [
        box("tiny", 10, 10, 10.5, 10.5),
        box("zero-width", 10, 10, 10, 20),
        box("nan", float("nan"), 0, 5, 5) | {"geometry": {"type": "bbox", "xyxy": ["x", 0, 5, 5]}},
        poly("collinear", [[0, 0], [10, 10], [20, 20]]),
        poly("two-points", [[0, 0], [10, 10], [0, 0]]),
        rbox("flat", 50, 50, 0, 10, 0),
        obj("m-bad", "blob", {"type": "mask", "rle": {"size": [5, 5], "counts": [25]}}),
        mask("m-empty", np.zeros((H, W), dtype=bool)),
        obj("pt", "sign", {"type": "point", "xy": [5, 5]}),
        obj("ghost", "unicorn", {"type": "bbox", "xyxy": [0, 0, 5, 5]}),
    ]
    coco, report = coco_of(tmp_path, FakeSource([("d.png", W, H, objects, {})]))
    assert [a["labelhub"]["id"] for a in coco.loadAnns(coco.getAnnIds())] == ["tiny"]
    assert report["dropped_total"] == 9 and len(report["warnings"]) == 9
    assert report["dropped"]["unsupported shape point"] == 1
    assert report["dropped"]["class 'unicorn' is not in the current ontology"] == 1
    assert any("'collinear'" in w for w in report["warnings"])


def test_split_by_ratio_is_exact_and_fixed_by_the_seed(tmp_path: Path) -> None:
    items = [(f"i{i}.png", W, H, [box("b", 1, 1, 5, 5)], {}) for i in range(50)]
    split = (("train", 0.7), ("val", 0.2), ("test", 0.1))
    zf, report = run_export(CocoExporter(), FakeSource(items), split=split, seed=7)
    assert report["splits"] == {"train": 35, "val": 10, "test": 5}
    names = {s: {i["file_name"] for i in orjson.loads(zf.read(f"annotations/instances_{s}.json"))["images"]}
             for s in ("train", "val", "test")}  # fmt: skip
    assert sum(len(v) for v in names.values()) == 50 and not names["train"] & names["val"]
    again, _ = run_export(CocoExporter(), FakeSource(items), split=split, seed=7)
    other, _ = run_export(CocoExporter(), FakeSource(items), split=split, seed=8)
    val = "annotations/instances_val.json"
    assert again.read(val).split(b'"images"')[1] == zf.read(val).split(b'"images"')[1]
    assert other.read(val).split(b'"images"')[1] != zf.read(val).split(b'"images"')[1]


def test_class_filter_and_media(tmp_path: Path) -> None:
    source = FakeSource(
        [("a.png", W, H, [box("b", 1, 1, 5, 5), poly("p", [[0, 0], [9, 0], [9, 9]])], {}), ("a.png", W, H, [], {})],
        media={"a.png": b"PNGDATA"},
    )
    zf, report = run_export(CocoExporter(), source, classes=("road",))
    data = orjson.loads(zf.read("annotations/instances_default.json"))
    assert [a["labelhub"]["id"] for a in data["annotations"]] == ["p"]
    assert [i["file_name"] for i in data["images"]] == ["a.png", "101_a.png"]  # same name twice: made unique
    assert zf.read("images/default/101_a.png") == b"PNGDATA" and report["media"] == 2
    zf, report = run_export(CocoExporter(), source, include_media=False)
    assert not [n for n in zf.namelist() if n.startswith("images/")] and report["media"] == 0
