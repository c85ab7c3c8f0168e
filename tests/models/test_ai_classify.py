"""The suggestion classifier and its IoU, without a database."""

from __future__ import annotations

import numpy as np
import pytest

from labelhub.core import rle
from labelhub.services.ai_report import classify, iou


def _poly(points: list[list[float]]) -> dict[str, object]:
    return {"type": "polygon", "points_xy": points}


def test_iou_of_boxes_polygons_and_masks() -> None:
    a = {"type": "bbox", "xyxy": [0, 0, 10, 10]}
    assert iou(a, {"type": "bbox", "xyxy": [5, 0, 15, 10]}) == pytest.approx(50 / 150)
    square = _poly([[0, 0], [10, 0], [10, 10], [0, 10]])
    triangle = _poly([[0, 0], [10, 0], [0, 10]])
    assert iou(square, triangle) == pytest.approx(0.5, abs=0.02)  # rasterised: close, not exact
    assert iou(square, a) == pytest.approx(1.0)  # different types: by bounding boxes
    m1 = np.zeros((20, 20), dtype=bool)
    m1[0:10, 0:10] = True
    m2 = np.zeros((20, 20), dtype=bool)
    m2[0:10, 0:5] = True
    assert iou({"type": "mask", "rle": rle.encode(m1)}, {"type": "mask", "rle": rle.encode(m2)}) == pytest.approx(0.5)


def test_classify_by_id_and_derived_from() -> None:
    src = {"kind": "model", "name": "m", "version": "1"}
    sug = [
        {"id": "a", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [0, 0, 10, 10]}, "source": src},
        {"id": "b", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [0, 0, 10, 10]}, "source": src},
    ]
    final = [
        {"id": "x", "class_id": "car", "derived_from": "a", "geometry": _poly([[0, 0], [10, 0], [10, 10], [0, 10]])},
        {"id": "h", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [1, 1, 2, 2]}},
    ]
    out, new, untracked = classify(sug, final)
    assert [(s["id"], c) for s, c in out] == [("a", "unchanged"), ("b", "deleted")]
    assert (new, untracked) == (1, 0)
