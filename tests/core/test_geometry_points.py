"""Point lists: the fast path for plain [x, y] lists gives the same results and errors as the checked path."""

import math

import pytest

from labelhub.core.annotations import validate_body
from labelhub.core.errors import InvalidInput
from labelhub.core.geometry import AssetExtent
from labelhub.core.ontology import Ontology

ONTO = Ontology.parse({"classes": [{"id": "poly", "tool": "polygon", "color": "#000003"}]})
IMG = AssetExtent(width=100, height=50)


def poly(points: object) -> list[list[float]]:
    body = {"objects": [{"id": "o", "class_id": "poly", "geometry": {"type": "polygon", "points_xy": points}}]}
    obj = validate_body(body, ONTO, IMG, require_complete=True)["objects"][0]
    out: list[list[float]] = obj["geometry"]["points_xy"]
    return out


def test_plain_points_become_floats_and_are_clamped() -> None:
    assert poly([[1, 2], [30.5, 2], [30, 40]]) == [[1.0, 2.0], [30.5, 2.0], [30.0, 40.0]]
    assert all(type(v) is float for p in poly([[1, 2], [30, 2], [30, 40]]) for v in p)
    assert poly([[-5, 2], [130, 2], [30, 70]]) == [[0.0, 2.0], [100.0, 2.0], [30.0, 50.0]]


@pytest.mark.parametrize(
    ("points", "fragment"),
    [
        ([[1, 2], [True, 2], [30, 40]], "points_xy[1][0] must be a finite number"),
        ([[1, 2], [3, math.inf], [30, 40]], "points_xy[1][1] must be a finite number"),
        ([[1, 2], [3, "4"], [30, 40]], "points_xy[1][1] must be a finite number"),
        ([[1, 2], [3, 4, 5], [30, 40]], "points_xy[1] must be a list of 2 numbers"),
        ([[1, 2], {"x": 3}, [30, 40]], "points_xy[1] must be a list of 2 numbers"),
        ([[-5, -2], [-1, -2], [-3, -4]], "lies wholly outside"),
    ],
)
def test_bad_points_are_refused_with_the_same_messages(points: object, fragment: str) -> None:
    with pytest.raises(InvalidInput) as e:
        poly(points)
    assert fragment in e.value.message
