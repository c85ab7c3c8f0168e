import math

import numpy as np
import pytest

from labelhub.core import rle
from labelhub.core.annotations import validate_body
from labelhub.core.errors import InvalidInput
from labelhub.core.geometry import AssetExtent
from labelhub.core.ontology import Ontology

ONTO = Ontology.parse(
    {
        "classes": [
            {"id": "box", "tool": "bbox", "color": "#000001"},
            {"id": "rbox", "tool": "rotated_bbox", "color": "#000002"},
            {"id": "poly", "tool": "polygon", "color": "#000003"},
            {"id": "line", "tool": "polyline", "color": "#000004"},
            {"id": "pt", "tool": "point", "color": "#000005"},
            {
                "id": "kp",
                "tool": "keypoints",
                "color": "#000006",
                "skeleton": {"points": ["a", "b"], "edges": [[0, 1]]},
            },
            {"id": "ell", "tool": "ellipse", "color": "#000007"},
            {"id": "cub", "tool": "cuboid", "color": "#000008"},
            {"id": "mask", "tool": "mask", "color": "#000009"},
            {"id": "span", "tool": "text_span", "color": "#00000a"},
            {"id": "vbox", "tool": "volume_box", "color": "#00000b"},
        ],
    }
)
IMG = AssetExtent(width=100, height=50, pages=2)


def one(cls: str, geometry: dict, extent: AssetExtent = IMG, **extra) -> dict:  # type: ignore[no-untyped-def]
    body = {"objects": [{"id": "o", "class_id": cls, "geometry": geometry, **extra}]}
    return validate_body(body, ONTO, extent, require_complete=True)["objects"][0]


def test_every_tool_validates_a_good_shape() -> None:
    mask = np.zeros((50, 100), bool)
    mask[10:20, 30:40] = True
    shapes = {
        "box": {"type": "bbox", "xyxy": [1, 2, 30, 40]},
        "rbox": {"type": "rotated_bbox", "cxcywha": [50, 25, 20, 10, 30]},
        "poly": {"type": "polygon", "points_xy": [[0, 0], [10, 0], [10, 10]]},
        "line": {"type": "polyline", "points_xy": [[0, 0], [10, 5]]},
        "pt": {"type": "point", "xy": [5, 5]},
        "kp": {"type": "keypoints", "points": [[1, 1, 2], [0, 0, 0]]},
        "ell": {"type": "ellipse", "cxcyrxrya": [50, 25, 10, 5, 0]},
        "cub": {
            "type": "cuboid",
            "front_xy": [[0, 0], [10, 0], [10, 10], [0, 10]],
            "back_xy": [[5, 5], [15, 5], [15, 15], [5, 15]],
        },
        "mask": {"type": "mask", "rle": rle.encode(mask)},
    }
    for cls, g in shapes.items():
        assert one(cls, g)["geometry"]["type"] == g["type"]
    assert one("span", {"type": "text_span", "start": 0, "end": 5}, AssetExtent(text_length=5))["geometry"]["end"] == 5
    vol = AssetExtent(width=10, height=10, depth=4)
    assert one("vbox", {"type": "volume_box", "xyzxyz": [-1, 0, 0, 5, 5, 9]}, vol)["geometry"]["xyzxyz"] == [
        0,
        0,
        0,
        5,
        5,
        4,
    ]


def test_boxes_are_clipped_to_the_image() -> None:
    assert one("box", {"type": "bbox", "xyxy": [-5, -5, 120, 60]})["geometry"]["xyxy"] == [0, 0, 100, 50]


def test_rotated_box_angle_is_normalized_and_kept_exact() -> None:
    assert one("rbox", {"type": "rotated_bbox", "cxcywha": [50, 25, 300, 10, 270]})["geometry"]["cxcywha"] == [
        50,
        25,
        300,
        10,
        -90,
    ]


@pytest.mark.parametrize(
    ("cls", "geometry", "message"),
    [
        ("box", {"type": "bbox", "xyxy": [10, 10, 5, 20]}, "x1 <= x2"),
        ("box", {"type": "bbox", "xyxy": [200, 10, 300, 20]}, "wholly outside"),
        ("box", {"type": "bbox", "xyxy": [0, 0, math.nan, 10]}, "finite number"),
        ("box", {"type": "bbox", "xyxy": [0, 0, math.inf, 10]}, "finite number"),
        ("box", {"type": "bbox", "xyxy": [0, 0, 10]}, "list of 4 numbers"),
        ("box", {"type": "polygon", "points_xy": []}, "drawn with 'bbox'"),
        ("poly", {"type": "polygon", "points_xy": [[0, 0], [1, 1]]}, "at least 3"),
        ("poly", {"type": "polygon", "points_xy": [[0, 0], [1, 1], [2, 2]]}, "zero area"),
        ("poly", {"type": "polygon", "points_xy": [[0, 0], [0, 0], [0, 0], [5, 5]]}, "distinct points"),
        ("rbox", {"type": "rotated_bbox", "cxcywha": [500, 25, 20, 10, 0]}, "centre"),
        ("kp", {"type": "keypoints", "points": [[1, 1, 2]]}, "skeleton of 2"),
        ("kp", {"type": "keypoints", "points": [[1, 1, 5], [1, 1, 2]]}, "visibility"),
        ("mask", {"type": "mask", "rle": {"size": [10, 10], "counts": [100]}}, "does not match"),
        ("mask", {"type": "mask", "rle": {"size": [50, 100], "counts": [10]}}, "summing to"),
        ("pt", {"type": "point", "xy": [101, 5]}, "outside"),
    ],
)
def test_bad_geometry(cls: str, geometry: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidInput, match=message):
        one(cls, geometry)


def test_page_must_exist_and_ids_be_unique() -> None:
    g = {"type": "bbox", "xyxy": [1, 1, 5, 5]}
    with pytest.raises(InvalidInput, match=r"page must be an integer in 0\.\.1"):
        one("box", g, page=2)
    body = {"objects": [{"id": "a", "class_id": "box", "geometry": g}, {"id": "a", "class_id": "box", "geometry": g}]}
    with pytest.raises(InvalidInput, match="used twice"):
        validate_body(body, ONTO, IMG, require_complete=False)


def test_overlapping_spans_need_permission() -> None:
    body = {
        "objects": [
            {"id": "a", "class_id": "span", "geometry": {"type": "text_span", "start": 0, "end": 5}},
            {"id": "b", "class_id": "span", "geometry": {"type": "text_span", "start": 3, "end": 8}},
        ]
    }
    with pytest.raises(InvalidInput, match="overlap"):
        validate_body(body, ONTO, AssetExtent(text_length=10), require_complete=False)


def test_source_and_confidence() -> None:
    g = {"type": "bbox", "xyxy": [1, 1, 5, 5]}
    o = one("box", g, source={"kind": "model", "name": "yolo", "version": 3}, confidence=0.5)
    assert o["source"] == {"kind": "model", "name": "yolo", "version": "3"} and o["confidence"] == 0.5
    with pytest.raises(InvalidInput, match="name is required"):
        one("box", g, source={"kind": "model"})
    with pytest.raises(InvalidInput, match="confidence"):
        one("box", g, confidence=1.5)
