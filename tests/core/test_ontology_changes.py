import copy

import pytest

from labelhub.core.errors import InvalidInput
from labelhub.core.ontology import Ontology
from labelhub.core.ontology_changes import Migration, breaking_changes, check_migration, migrate_body, usages

OLD = {
    "classes": [
        {
            "id": "car",
            "tool": "bbox",
            "color": "#000001",
            "attributes": [{"id": "col", "kind": "radio", "options": [{"id": "red"}, {"id": "blue"}]}],
        },
        {"id": "van", "tool": "bbox", "color": "#000002"},
    ],
    "classifications": [{"id": "w", "kind": "radio", "options": [{"id": "sun"}, {"id": "rain"}]}],
}
BODY = {
    "objects": [
        {"id": "a", "class_id": "van", "geometry": {"type": "bbox", "xyxy": [0, 0, 1, 1]}, "attributes": {}},
        {
            "id": "b",
            "class_id": "car",
            "geometry": {"type": "bbox", "xyxy": [0, 0, 1, 1]},
            "attributes": {"col": "blue"},
        },
    ],
    "classifications": {"w": "rain"},
}


def _new() -> dict:  # type: ignore[type-arg]
    new = copy.deepcopy(OLD)
    new["classes"] = [new["classes"][0]]  # van removed
    new["classes"][0]["attributes"][0]["options"] = [{"id": "red"}]  # blue removed
    new["classifications"][0]["options"] = [{"id": "sun"}]  # rain removed
    return new


def test_changes_and_usages_are_found() -> None:
    ch = breaking_changes(Ontology.parse(OLD), Ontology.parse(_new()))
    assert ch.removed_classes == {"van"}
    assert ch.removed_options == {("car", "col", "blue"), ("", "w", "rain")}
    assert usages(BODY, ch) == {"class 'van'", "option 'blue' of question 'col'", "option 'rain' of question 'w'"}


def test_adding_things_is_not_breaking() -> None:
    new = copy.deepcopy(OLD)
    new["classes"].append({"id": "bus", "tool": "polygon", "color": "#000003"})
    assert breaking_changes(Ontology.parse(OLD), Ontology.parse(new)).empty


def test_migration_must_cover_every_used_piece_then_applies() -> None:
    old, new = Ontology.parse(OLD), Ontology.parse(_new())
    ch = breaking_changes(old, new)
    used = usages(BODY, ch)
    with pytest.raises(InvalidInput, match="class 'van'"):
        check_migration(ch, Migration(), new, used)
    with pytest.raises(InvalidInput, match="drop_answers"):
        check_migration(ch, Migration({"van": "car"}), new, used)
    plan = Migration({"van": "car"}, drop_answers=True)
    check_migration(ch, plan, new, used)
    out = migrate_body(copy.deepcopy(BODY), plan, ch, new)
    assert [o["class_id"] for o in out["objects"]] == ["car", "car"]
    assert out["objects"][1]["attributes"] == {} and out["classifications"] == {}
    deleted = migrate_body(copy.deepcopy(BODY), Migration({"van": None}, True), ch, new)
    assert [o["id"] for o in deleted["objects"]] == ["b"]
