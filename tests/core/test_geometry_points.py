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


def _body(*objects: dict[str, object]) -> dict[str, object]:
    return {"objects": list(objects), "classifications": {}}


def _poly_obj(oid: str, points: object, **extra: object) -> dict[str, object]:
    return {"id": oid, "class_id": "poly", "geometry": {"type": "polygon", "points_xy": points}, **extra}


def test_known_objects_are_reused_only_when_equal_and_free_of_booleans() -> None:
    first = validate_body(
        _body(_poly_obj("a", [[1, 2], [30, 2], [30, 40]]), _poly_obj("b", [[5, 5], [9, 5], [9, 9]], confidence=1)),
        ONTO,
        IMG,
        require_complete=False,
    )
    known = {o["id"]: o for o in first["objects"]}
    # The client sends back what it got (floats as ints where whole): same result, reused.
    again = validate_body(
        _body(_poly_obj("a", [[1, 2], [30, 2], [30, 40]]), _poly_obj("b", [[5, 5], [9, 5], [9, 9]], confidence=1)),
        ONTO,
        IMG,
        require_complete=False,
        known=known,
    )
    assert again == first
    # A changed object is validated (and refused when bad), whatever the known one was.
    with pytest.raises(InvalidInput):
        validate_body(_body(_poly_obj("a", [[1, 2], [1, 2], [1, 2]])), ONTO, IMG, require_complete=False, known=known)
    # True == 1 in Python: a boolean where the known object has 1 is still refused.
    sneaky = _body(_poly_obj("b", [[5, 5], [9, 5], [9, 9]], confidence=True))
    with pytest.raises(InvalidInput) as e:
        validate_body(sneaky, ONTO, IMG, require_complete=False, known=known)
    assert "confidence" in e.value.message
