"""YOLO exports: the Ultralytics layout, label files checked with Ultralytics' own label rules.

Ultralytics is not installed (it pulls torch), so ``verify`` re-states the checks of its
``verify_image_label``: columns per task, every coordinate normalized within [0, 1].
"""

from __future__ import annotations

import math
import zipfile
from typing import Any

import numpy as np
import pytest

from labelhub.formats.yolo import YoloExporter
from tests.formats.conftest import FakeSource, box, mask, obj, poly, rbox, run_export

W, H = 200, 100


def verify(zf: zipfile.ZipFile, task: str, kpt: int = 0) -> dict[str, list[list[float]]]:
    """{label file: rows}, asserting Ultralytics' label rules."""
    out = {}
    for name in zf.namelist():
        if not name.startswith("labels/"):
            continue
        rows = [[float(v) for v in line.split()] for line in zf.read(name).decode().splitlines()]
        for r in rows:
            coords = (
                np.array(r[1:]) if task != "pose" else np.array(r[1:5] + [v for i, v in enumerate(r[5:]) if i % 3 != 2])
            )
            assert r[0] == int(r[0]) and r[0] >= 0
            assert (coords >= 0).all() and (coords <= 1).all(), f"{name}: out of bounds {r}"
            if task == "detect":
                assert len(r) == 5
            elif task == "obb":
                assert len(r) == 9
            elif task == "segment":
                assert len(r) >= 7 and len(r) % 2 == 1
            else:
                assert len(r) == 5 + 3 * kpt
        out[name] = rows
    return out


def test_detection_layout_data_yaml_and_counts() -> None:
    items = [
        ("a.png", W, H, [box("b1", 10, 20, 50, 60), box("b2", -10, 90, 30, 120)], {}),
        ("empty.png", W, H, [], {}),
        ("a.jpg", W, H, [box("b3", 0, 0, 200, 100)], {}),  # same stem as a.png: renamed, not overwritten
    ]
    zf, report = run_export(YoloExporter(), FakeSource(items, media={"a.png": b"x"}))
    labels = verify(zf, "detect")
    assert sorted(labels) == ["labels/train/102_a.txt", "labels/train/a.txt", "labels/train/empty.txt"]
    assert labels["labels/train/empty.txt"] == []
    assert labels["labels/train/a.txt"][0] == pytest.approx([0, 0.15, 0.4, 0.2, 0.4])
    assert labels["labels/train/a.txt"][1] == pytest.approx([0, 0.075, 0.95, 0.15, 0.1])  # clipped
    assert labels["labels/train/102_a.txt"] == [[0, 0.5, 0.5, 1, 1]]
    assert "images/train/a.png" in zf.namelist()
    yaml = zf.read("data.yaml").decode()
    assert 'train: images/train\nval: images/train\nnc: 7\nnames:\n  0: "car"\n' in yaml
    assert report["objects"] == 3 and report["clipped"] == 1 and report["images"] == 3


def test_unsupported_shapes_are_counted_not_lost_silently() -> None:
    items = [("a.png", W, H, [box("b", 1, 1, 5, 5), poly("p", [[0, 0], [9, 0], [9, 9]])], {})]
    _, report = run_export(YoloExporter(), FakeSource(items))
    assert report["objects"] == 1 and report["dropped"] == {"unsupported shape polygon": 1}
    assert "'p' dropped" in report["warnings"][0]


@pytest.mark.parametrize("angle", [0, 30, 45, 90, -60, 135])
def test_obb_rotated_box_on_a_non_square_image(angle: float) -> None:
    cx, cy, bw, bh = 100.0, 50.0, 40.0, 20.0
    zf, _ = run_export(YoloExporter("obb"), FakeSource([("r.png", W, H, [rbox("r", cx, cy, bw, bh, angle)], {})]))
    ((row,),) = verify(zf, "obb").values()
    assert row[0] == 2  # "plate" is the third class
    pts = np.array(row[1:]).reshape(4, 2) * [W, H]  # back to pixels
    sides = np.linalg.norm(np.roll(pts, -1, axis=0) - pts, axis=1)
    assert sides == pytest.approx([bw, bh, bw, bh], abs=0.01)  # a rectangle, not a rhombus
    assert pts.mean(axis=0) == pytest.approx([cx, cy], abs=1e-3)
    edge = pts[1] - pts[0]
    assert math.degrees(math.atan2(edge[1], edge[0])) == pytest.approx(angle, abs=0.01)


def test_obb_crossing_the_border_is_clamped_and_one_outside_is_dropped() -> None:
    items = [("r.png", W, H, [rbox("edge", 195, 50, 40, 20, 30), rbox("out", 260, 50, 10, 10, 0)], {})]
    zf, report = run_export(YoloExporter("obb"), FakeSource(items))
    ((row,),) = verify(zf, "obb").values()
    assert max(row[1::2]) == 1.0 and report["clipped"] == 1
    assert report["dropped"] == {"outside the image": 1}


def test_segmentation_polygons_and_rotated_boxes() -> None:
    objects = [poly("p", [[0, 0], [100, 0], [100, 50]]), rbox("r", 190, 50, 40, 20, 0)]
    zf, report = run_export(YoloExporter("segment"), FakeSource([("s.png", W, H, objects, {})]))
    ((p, r),) = verify(zf, "segment").values()
    assert p == pytest.approx([1, 0, 0, 0.5, 0, 0.5, 0.5])
    assert max(r[1::2]) == 1.0 and report["clipped"] == 1  # the rotated box is cut at the right edge


def _filled(row: list[float]) -> np.ndarray[Any, Any]:
    """Rasterize a segmentation row the way Ultralytics does (``cv2.fillPoly`` on the pixel grid)."""
    import cv2

    pts = np.round(np.array(row[1:]).reshape(-1, 2) * [W, H]).astype(np.int32)
    out = np.zeros((H, W), np.uint8)
    cv2.fillPoly(out, [pts], 1)
    return out.astype(bool)


def test_segmentation_mask_with_parts_holes_and_border_contact_is_one_ring() -> None:
    m = np.zeros((H, W), bool)
    m[10:60, 0:80] = True  # touches the left border
    m[25:45, 20:50] = False  # a hole
    m[70:100, 150:200] = True  # a second part in the bottom-right corner
    m[5, 120] = True  # a single painted pixel
    zf, report = run_export(YoloExporter("segment"), FakeSource([("m.png", W, H, [mask("m", m)], {})]))
    ((row,),) = verify(zf, "segment").values()
    assert row[0] == 3 and report["objects"] == 1 and not report["dropped"]
    filled = _filled(row)
    iou = (filled & m).sum() / (filled | m).sum()
    assert iou > 0.9, iou
    assert not filled[30:40, 25:45].any()  # the hole stays open
    assert filled[80:95, 160:195].all() and filled[5, 120]  # the second part and the lone pixel are kept


def test_segmentation_empty_or_mis_sized_mask_is_dropped_with_a_reason() -> None:
    empty = mask("e", np.zeros((H, W), bool))
    small = mask("s", np.ones((10, 10), bool))
    _, report = run_export(YoloExporter("segment"), FakeSource([("m.png", W, H, [empty, small], {})]))
    assert report["objects"] == 0
    assert report["dropped"] == {"degenerate: empty mask": 1, "degenerate: the mask's size is not the image's": 1}


def test_pose_rows_and_kpt_shape() -> None:
    objects = [
        obj("k1", "person", {"type": "keypoints", "points": [[10, 10, 2], [30, 50, 1], [0, 0, 0]]}),
        obj("k2", "person", {"type": "keypoints", "points": [[10, 10, 2], [0, 0, 0], [0, 0, 0]]}),
    ]
    zf, report = run_export(YoloExporter("pose"), FakeSource([("k.png", W, H, objects, {})]))
    ((row,),) = verify(zf, "pose", kpt=3).values()
    assert row == pytest.approx([4, 0.1, 0.3, 0.1, 0.4, 0.05, 0.1, 2, 0.15, 0.5, 1, 0, 0, 0])
    assert report["dropped"] == {"degenerate: the visible keypoints span no box": 1}
    assert "kpt_shape: [3, 3]" in zf.read("data.yaml").decode()


def test_splits_get_their_own_folders() -> None:
    items: list[Any] = [(f"i{i}.png", W, H, [box("b", 1, 1, 5, 5)], {}) for i in range(10)]
    zf, report = run_export(YoloExporter(), FakeSource(items), split=(("train", 0.8), ("val", 0.2)), seed=1)
    labels = verify(zf, "detect")
    assert sum(n.startswith("labels/val/") for n in labels) == 2 == report["splits"]["val"]
    yaml = zf.read("data.yaml").decode()
    assert "train: images/train\nval: images/val\n" in yaml
