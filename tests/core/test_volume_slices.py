"""Per-slice classifications (``scope: slice``) and ``volume_polygon`` geometry."""

from typing import Any

import pytest

from labelhub.core.annotations import validate_body
from labelhub.core.errors import InvalidInput
from labelhub.core.geometry import AssetExtent
from labelhub.core.ontology import Ontology, QuestionScope, ToolKind
from labelhub.core.ontology_changes import Migration, breaking_changes, migrate_body, usages

RAW: dict[str, Any] = {
    "classes": [{"id": "lesion", "tool": "volume_polygon", "color": "#e6194b"}],
    "classifications": [
        {
            "id": "quality",
            "name": "Quality",
            "kind": "radio",
            "required": True,
            "options": [{"id": "ok"}, {"id": "bad"}],
        },
        {
            "id": "finding",
            "name": "Finding",
            "kind": "radio",
            "required": True,
            "scope": "slice",
            "options": [
                {"id": "none"},
                {"id": "nodule", "questions": [{"id": "size_mm", "kind": "number", "min": 0, "max": 100}]},
            ],
        },
        {"id": "note", "kind": "text", "scope": "slice"},
    ],
}
ONTO = Ontology.parse(RAW)
VOL = AssetExtent(width=20, height=10, depth=6)


def body(**extra: Any) -> dict[str, Any]:
    return {"objects": [], "classifications": {"quality": "ok"}, **extra}


def check(b: dict[str, Any], extent: AssetExtent = VOL, complete: bool = True) -> dict[str, Any]:
    return validate_body(b, ONTO, extent, require_complete=complete)


def test_scope_parses_and_round_trips() -> None:
    assert [q.scope for q in ONTO.classifications] == [QuestionScope.ASSET, QuestionScope.SLICE, QuestionScope.SLICE]
    assert [q.id for q in ONTO.asset_classifications] == ["quality"]
    assert [q.id for q in ONTO.slice_classifications] == ["finding", "note"]
    js = ONTO.to_json()
    assert "scope" not in js["classifications"][0]
    assert js["classifications"][1]["scope"] == "slice"
    assert Ontology.parse(js) == ONTO
    assert ONTO.get_class("lesion").tool is ToolKind.VOLUME_POLYGON


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"classifications": [{"id": "q", "kind": "text", "scope": "series"}]}, "scope 'series' is unknown"),
        ({"classifications": [{"id": "q", "kind": "text", "scope": 3}]}, "scope 3 is unknown"),
        (
            {
                "classifications": [
                    {
                        "id": "q",
                        "kind": "radio",
                        "options": [{"id": "a", "questions": [{"id": "n", "kind": "text", "scope": "slice"}]}],
                    }
                ]
            },
            "only on top-level classifications",
        ),
        (
            {"classes": [{"id": "c", "tool": "bbox", "attributes": [{"id": "q", "kind": "text", "scope": "slice"}]}]},
            "only on top-level classifications",
        ),
    ],
)
def test_bad_scopes_are_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Ontology.parse(raw)


def test_slice_answers_are_validated_sorted_and_emptied_slices_dropped() -> None:
    out = check(
        body(
            slice_classifications={
                "4": {"finding": "nodule", "size_mm": 7},
                "0": {"finding": "none", "note": "motion"},
                "2": {},
            }
        )
    )
    assert out["classifications"] == {"quality": "ok"}
    assert out["slice_classifications"] == {
        "0": {"finding": "none", "note": "motion"},
        "4": {"finding": "nodule", "size_mm": 7},
    }
    assert list(out["slice_classifications"]) == ["0", "4"]


def test_no_slice_answers_leave_the_body_shape_unchanged() -> None:
    assert check(body()) == {"objects": [], "classifications": {"quality": "ok"}}
    assert check(body(slice_classifications={})) == {"objects": [], "classifications": {"quality": "ok"}}


def test_required_slice_questions_do_not_block_submit() -> None:
    # "finding" is required, slice 3 answers only "note", no other slice answers anything.
    assert check(body(slice_classifications={"3": {"note": "x"}}))["slice_classifications"] == {"3": {"note": "x"}}


def test_required_asset_question_still_blocks_submit() -> None:
    with pytest.raises(InvalidInput, match="required question 'Quality'"):
        check({"objects": [], "classifications": {}})


@pytest.mark.parametrize(
    ("per_slice", "message"),
    [
        ({"6": {"finding": "none"}}, r"key '6' must be an axial slice index in 0\.\.5"),
        ({"-1": {"finding": "none"}}, r"key '-1' must be an axial slice index"),
        ({"01": {"finding": "none"}}, r"key '01' must be an axial slice index"),
        ({"k": {"finding": "none"}}, r"key 'k' must be"),
        ({"1": {"finding": "maybe"}}, r"slice_classifications\['1'\]\.finding: choose one of"),
        ({"1": {"quality": "ok"}}, r"slice_classifications\['1'\]: unknown question\(s\) \['quality'\]"),
        ({"1": {"finding": "none", "size_mm": 3}}, "parent option is not chosen"),
        ({"1": {"finding": "nodule", "size_mm": 300}}, "outside the allowed range"),
        ({"1": ["finding"]}, r"slice_classifications\['1'\] must be an object"),
        (["1"], "must be an object mapping slice indexes"),
    ],
)
def test_bad_slice_answers_get_clear_messages(per_slice: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check(body(slice_classifications=per_slice), complete=False)


def test_slice_question_answered_as_asset_question_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"\['finding'\] are asked per slice"):
        check({"objects": [], "classifications": {"quality": "ok", "finding": "none"}})


def test_slice_answers_need_a_volume_and_slice_questions() -> None:
    with pytest.raises(InvalidInput, match="need a volume asset"):
        check(body(slice_classifications={"0": {"note": "x"}}), AssetExtent(width=5, height=5))
    plain = Ontology.parse({"classifications": [RAW["classifications"][0]]})
    with pytest.raises(InvalidInput, match="no classification with scope 'slice'"):
        validate_body(body(slice_classifications={"0": {"note": "x"}}), plain, VOL, require_complete=False)


def polygon(**geometry: Any) -> dict[str, Any]:
    g = {"type": "volume_polygon", "axis": "k", "slice": 2, "points": [[1, 1], [10.5, 1], [10.5, 8]], **geometry}
    return body(objects=[{"id": "p1", "class_id": "lesion", "geometry": g}])


def test_volume_polygon_on_each_axis() -> None:
    out = check(polygon())["objects"][0]["geometry"]
    assert out == {"type": "volume_polygon", "axis": "k", "slice": 2, "points": [[1.0, 1.0], [10.5, 1.0], [10.5, 8.0]]}
    # axis j: points are [i, k] in [0, 20] x [0, 6]; axis i: [j, k] in [0, 10] x [0, 6].
    assert check(polygon(axis="j", slice=9, points=[[0, 0], [20, 0], [20, 6]]))["objects"][0]["geometry"]["axis"] == "j"
    assert (
        check(polygon(axis="i", slice=19, points=[[0, 0], [10, 0], [10, 6]]))["objects"][0]["geometry"]["slice"] == 19
    )


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"axis": "axial"}, r"axis must be 'i', 'j' or 'k'"),
        ({"slice": 6}, r"slice must be an integer in 0\.\.5 along axis k, got 6"),
        ({"slice": -1}, r"slice must be an integer in 0\.\.5"),
        ({"slice": 1.5}, r"slice must be an integer"),
        ({"axis": "i", "slice": 20}, r"slice must be an integer in 0\.\.19 along axis i"),
        ({"points": [[1, 1], [2, 2]]}, "at least 3"),
        ({"points": [[1, 1], [1, 1], [2, 2]]}, "at least 3 distinct points"),
        ({"points": [[1, 1], [2, 2], [3, 3]]}, "zero area"),
        (
            {"points": [[1, 1], [21, 1], [5, 5]]},
            r"points\[1\] \(21, 1\) lies outside the slice: i must be in \[0, 20\] and j in \[0, 10\]",
        ),
        (
            {"axis": "j", "points": [[1, 1], [5, 7], [5, 1]]},
            r"points\[1\] \(5, 7\) lies outside the slice: i must be in \[0, 20\] and k in \[0, 6\]",
        ),
        ({"points": [[1, 1], [2, "x"], [5, 5]]}, "must be a finite number"),
        ({"points": [[1, 1], [2, float("nan")], [5, 5]]}, "must be a finite number"),
    ],
)
def test_bad_volume_polygons_get_clear_messages(geometry: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check(polygon(**geometry))


def test_volume_polygon_needs_a_volume() -> None:
    with pytest.raises(InvalidInput, match="needs a volume asset"):
        check(polygon(), AssetExtent(width=20, height=10))


def test_migration_drops_removed_slice_questions_per_slice() -> None:
    new_raw = {**RAW, "classifications": RAW["classifications"][:2]}
    new = Ontology.parse(new_raw)
    ch = breaking_changes(ONTO, new)
    stored = check(body(slice_classifications={"1": {"note": "a"}, "2": {"finding": "none", "note": "b"}}))
    assert usages(stored, ch) == {"question 'note'"}
    out = migrate_body(stored, Migration(drop_answers=True), ch, new)
    assert out["slice_classifications"] == {"2": {"finding": "none"}}
