"""The AI utilization report on a crafted set of suggestions and human edits: exact counts."""

from __future__ import annotations

from typing import Any

from labelhub.services.revisions import add_revision
from tests.conftest import Api, png_bytes

V1 = "/api/v1"
ONTOLOGY = {
    "classes": [
        {"id": "car", "tool": "bbox", "color": "#ff0000"},
        {"id": "truck", "tool": "bbox", "color": "#00ff00"},
        {"id": "road", "tool": "polygon", "color": "#0000ff"},
    ]
}


def _box(oid: str, cls: str, xyxy: list[float], model: str | None = None, **extra: Any) -> dict[str, Any]:
    o: dict[str, Any] = {"id": oid, "class_id": cls, "geometry": {"type": "bbox", "xyxy": xyxy}, **extra}
    if model:
        name, version = model.split("@")
        o["source"] = {"kind": "model", "name": name, "version": version}
        o["confidence"] = 0.8
    return o


def _prelabel(platform: Any, pid: int, task_id: int, objects: list[dict[str, Any]]) -> None:
    with platform.deps.db.write() as s:
        from sqlalchemy import update

        from labelhub.db.tables import Task

        rev = add_revision(
            s,
            task_id=task_id,
            project_id=pid,
            author_id=None,
            kind="prelabel",
            parent_id=None,
            ontology_version=1,
            body={"objects": objects, "classifications": {}},
        )
        s.execute(update(Task).where(Task.id == task_id).values(head_revision_id=rev.id))


def _label(api: Api, pid: int, objects: list[dict[str, Any]], seconds: float) -> int:
    task = api.post(f"{V1}/projects/{pid}/next-task").json()["task"]
    head = api.get(f"{V1}/tasks/{task['id']}/annotation")
    base = head.json()["id"] if head.status_code == 200 and head.content else None
    body = {"body": {"objects": objects, "classifications": {}}, "base_revision_id": base, "active_seconds": seconds}
    r = api.post(f"{V1}/tasks/{task['id']}/submit", json=body)
    assert r.status_code == 201, r.text
    return int(task["id"])


def test_every_category_counted_exactly(users: dict[str, Api], platform: Any) -> None:
    m = users["manager"]
    pid = m.post(f"{V1}/projects", json={"name": "AI", "ontology": ONTOLOGY}).json()["id"]
    for name in ("labeler", "labeler2"):
        m.put(f"{V1}/projects/{pid}/members", json={"username": name, "role": "labeler"})
    for i in range(4):
        r = m.post(
            f"{V1}/projects/{pid}/assets", files={"file": (f"{i}.png", png_bytes(200, 200, seed=i), "image/png")}
        )
        assert r.status_code == 201, r.text
    a, b, c, d = (t["id"] for t in m.get(f"{V1}/projects/{pid}/tasks").json()["items"])
    m1, m2 = "det@1", "det@2"
    _prelabel(
        platform,
        pid,
        a,
        [
            _box("s1", "car", [10, 10, 60, 60], m1),
            _box("s2", "car", [10, 100, 110, 200], m1),
            _box("s3", "car", [100, 10, 150, 60], m1),
            _box("s4", "car", [150, 150, 190, 190], m1),
            _box("s5", "car", [120, 120, 140, 140], m1),
            _box("s6", "car", [0, 0, 5, 5], m1),
        ],
    )
    _prelabel(platform, pid, b, [_box("t1", "car", [20, 20, 80, 60], m2), _box("t2", "car", [100, 100, 150, 150], m2)])
    # task d: pre-labeled but never labeled -> not compared
    _prelabel(platform, pid, d, [_box("u1", "car", [20, 20, 80, 60], m2)])

    # labeler on task a: keep s1, nudge s2 (IoU 0.98), move s3, retype s4, retype and move s5,
    # delete s6, add one object of their own
    got_a = _label(
        users["labeler"],
        pid,
        [
            _box("s1", "car", [10, 10, 60, 60], m1),
            _box("s2", "car", [11, 100, 111, 200]),
            _box("s3", "car", [100, 30, 150, 80]),
            _box("s4", "truck", [150, 150, 190, 190]),
            _box("s5", "truck", [100, 100, 130, 130]),
            _box("h1", "car", [60, 150, 90, 190]),
        ],
        30,
    )
    # labeler2 on task b: t1 converted to a road polygon (new id, derived_from), t2 deleted, an
    # interactive suggestion accepted as is, and an edit of an interactive suggestion never stored
    road = {
        "id": "p1",
        "class_id": "road",
        "derived_from": "t1",
        "geometry": {"type": "polygon", "points_xy": [[20, 20], [80, 20], [80, 60], [20, 60]]},
    }
    got_b = _label(
        users["labeler2"],
        pid,
        [
            road,
            _box("sg-live", "car", [150, 10, 190, 40], m2),
            _box("e1", "truck", [5, 150, 40, 190], derived_from="sg-gone"),
        ],
        50,
    )
    # labeler on task c: no suggestions at all, two objects
    got_c = _label(
        users["labeler"], pid, [_box("n1", "car", [1, 1, 20, 20]), _box("n2", "truck", [30, 30, 60, 60])], 100
    )
    assert (got_a, got_b, got_c) == (a, b, c)

    r = m.get(f"{V1}/projects/{pid}/reports/ai")
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["iou_threshold"] == 0.9 and rep["tasks_compared"] == 3 and rep["tasks_with_suggestions"] == 2
    assert rep["total"] == {
        "suggestions": 9,
        "unchanged": 3,
        "location_changed": 1,
        "class_changed": 2,
        "class_and_location_changed": 1,
        "deleted": 2,
        "new": 3,
        "edited_untracked": 1,
        "unchanged_rate": round(3 / 9, 4),
    }
    by_model = {x["model"]: x for x in rep["by_model_version"]}
    assert set(by_model) == {"det@1", "det@2"}
    assert [by_model["det@1"][k] for k in ("suggestions", *rep["chart"]["labels"])] == [6, 2, 1, 1, 1, 1]
    assert [by_model["det@2"][k] for k in ("suggestions", *rep["chart"]["labels"])] == [3, 1, 0, 1, 0, 1]
    by_labeler = {x["labeler"]: x for x in rep["by_labeler"]}
    assert (by_labeler["labeler"]["suggestions"], by_labeler["labeler"]["new"]) == (6, 3)
    assert (by_labeler["labeler2"]["suggestions"], by_labeler["labeler2"]["edited_untracked"]) == (3, 1)
    assert rep["chart"]["series"] == [
        {"name": "det@1", "values": [2, 1, 1, 1, 1]},
        {"name": "det@2", "values": [1, 0, 1, 0, 1]},
    ]
    t = rep["time_per_asset"]
    assert t["with_suggestions"]["tasks"] == 2 and t["with_suggestions"]["median_seconds"] == 40.0
    assert t["without_suggestions"]["tasks"] == 1 and t["without_suggestions"]["median_seconds"] == 100.0
    assert sum(b["tasks"] for b in t["with_suggestions"]["histogram"]) == 2

    # a stricter location threshold turns the nudged s2 (IoU 0.98) into a location change
    strict = m.get(f"{V1}/projects/{pid}/reports/ai", params={"iou_threshold": 0.99}).json()["total"]
    assert (strict["unchanged"], strict["location_changed"]) == (2, 2)
    # only managers read it
    assert users["labeler"].get(f"{V1}/projects/{pid}/reports/ai").status_code == 403


def test_auto_detect_suggestions_accepted_or_dropped_in_the_editor(
    users: dict[str, Api], admin: Api, tmp_path: Any
) -> None:
    """Interactive suggestions are kept when served: one accepted as the editor does it (human,
    same id, derived_from), one dropped -> unchanged 1, deleted 1; asking twice counts once."""
    from tests.models.graphs import box_model

    m = users["manager"]
    pid = m.post(f"{V1}/projects", json={"name": "Live", "ontology": ONTOLOGY}).json()["id"]
    m.put(f"{V1}/projects/{pid}/members", json={"username": "labeler", "role": "labeler"})
    m.post(f"{V1}/projects/{pid}/assets", files={"file": ("a.png", png_bytes(64, 64, seed=3), "image/png")})
    model = admin.post(f"{V1}/models", json={"name": "tiny", "kind": "onnx", "uri": str(box_model(tmp_path))}).json()
    body = {"class_map": {"vehicle": "car", "person": "truck"}, "threshold": 0.0}
    assert m.put(f"{V1}/projects/{pid}/models/{model['id']}", json=body).status_code == 200
    lab = users["labeler"]
    task = lab.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]
    first = lab.post(f"{V1}/tasks/{task}/assist/detect", json={}).json()["objects"]
    again = lab.post(f"{V1}/tasks/{task}/assist/detect", json={}).json()["objects"]
    assert [o["id"] for o in first] == [o["id"] for o in again]  # stable ids
    car = next(o for o in first if o["class_id"] == "car")
    accepted = {**car, "source": {"kind": "human"}, "confidence": None, "derived_from": car["id"]}
    r = lab.post(f"{V1}/tasks/{task}/submit", json={"body": {"objects": [accepted], "classifications": {}}})
    assert r.status_code == 201, r.text
    rep = m.get(f"{V1}/projects/{pid}/reports/ai").json()
    total = rep["total"]
    assert (total["suggestions"], total["unchanged"], total["deleted"], total["new"]) == (2, 1, 1, 0)
    assert total["edited_untracked"] == 0 and rep["tasks_with_suggestions"] == 1
    assert [x["model"] for x in rep["by_model_version"]] == ["tiny@tiny-1"]
