"""Delta saves of drafts (PATCH /tasks/{id}/draft): only what changed travels; the result equals
the client's draft; a draft stored meanwhile, a wrong order or a bad object is refused and the
stored draft stays as it was."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, ProjectEnv

V1 = "/api/v1"


def box(oid: str, x: float, attrs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": oid,
        "class_id": "car",
        "geometry": {"type": "bbox", "xyxy": [x, 5, x + 10, 20]},
        "attributes": attrs or {"occluded": "no"},
    }


def start(lab: Api, pid: int) -> tuple[int, str]:
    """A leased task with a stored draft of boxes a, b, c; (task id, the draft's updated_at)."""
    tid = lab.post(f"{V1}/projects/{pid}/next-task").json()["task"]["id"]
    body = {"objects": [box("a", 2), box("b", 14), box("c", 26)], "classifications": {}}
    r = lab.put(f"{V1}/tasks/{tid}/draft", json={"body": body})
    assert r.status_code == 200, r.text
    return tid, r.json()["updated_at"]


def test_patch_applies_changes_in_the_given_order(project: ProjectEnv) -> None:
    lab = project.labeler
    tid, stamp = start(lab, project.id)
    patch = {
        "draft_updated_at": stamp,
        "upsert": [box("b", 16), box("d", 40)],  # b moved, d new
        "delete": ["a"],
        "order": ["d", "c", "b"],
        "classifications": {"weather": "rain"},
    }
    r = lab.patch(f"{V1}/tasks/{tid}/draft", json=patch)
    assert r.status_code == 200, r.text
    assert r.json()["object_count"] == 3 and r.json()["updated_at"] != stamp and "body" not in r.json()
    got = lab.get(f"{V1}/tasks/{tid}/draft").json()
    assert [o["id"] for o in got["body"]["objects"]] == ["d", "c", "b"]
    assert got["body"]["objects"][2]["geometry"]["xyxy"] == [16, 5, 26, 20]
    assert got["body"]["classifications"] == {"weather": "rain"}
    assert got["updated_at"] == r.json()["updated_at"]
    # the next patch builds on the new stamp
    again = {"draft_updated_at": r.json()["updated_at"], "delete": ["d"], "order": ["c", "b"]}
    assert lab.patch(f"{V1}/tasks/{tid}/draft", json=again).status_code == 200
    assert [o["id"] for o in lab.get(f"{V1}/tasks/{tid}/draft").json()["body"]["objects"]] == ["c", "b"]


def test_a_stale_or_missing_draft_is_a_409_and_nothing_changes(project: ProjectEnv) -> None:
    lab = project.labeler
    tid, stamp = start(lab, project.id)
    newer = lab.put(f"{V1}/tasks/{tid}/draft", json={"body": {"objects": [box("z", 30)], "classifications": {}}})
    patch = {"draft_updated_at": stamp, "delete": ["z"], "order": []}
    r = lab.patch(f"{V1}/tasks/{tid}/draft", json=patch)
    assert r.status_code == 409 and "save the whole draft (PUT)" in r.json()["detail"]
    assert lab.get(f"{V1}/tasks/{tid}/draft").json()["updated_at"] == newer.json()["updated_at"]
    assert lab.delete(f"{V1}/tasks/{tid}/draft").status_code == 204
    assert lab.patch(f"{V1}/tasks/{tid}/draft", json=patch).status_code == 409


def test_a_wrong_order_or_a_bad_object_is_a_400_and_the_draft_is_kept(project: ProjectEnv) -> None:
    lab = project.labeler
    tid, stamp = start(lab, project.id)
    before = lab.get(f"{V1}/tasks/{tid}/draft").json()
    r = lab.patch(f"{V1}/tasks/{tid}/draft", json={"draft_updated_at": stamp, "order": ["a", "b"]})
    assert r.status_code == 400 and "missing ['c']" in r.json()["detail"]
    r = lab.patch(f"{V1}/tasks/{tid}/draft", json={"draft_updated_at": stamp, "order": ["a", "b", "c", "x"]})
    assert r.status_code == 400 and "unknown ['x']" in r.json()["detail"]
    bad = {**box("b", 40), "geometry": {"type": "bbox", "xyxy": [5, 5, 5, 9]}}  # zero width
    r = lab.patch(
        f"{V1}/tasks/{tid}/draft", json={"draft_updated_at": stamp, "upsert": [bad], "order": ["a", "b", "c"]}
    )
    assert r.status_code == 400 and "objects[1].geometry" in r.json()["detail"], r.text  # b, second in order
    r = lab.patch(
        f"{V1}/tasks/{tid}/draft", json={"draft_updated_at": stamp, "upsert": [{"class_id": "car"}], "order": []}
    )
    assert r.status_code in (400, 422)
    assert lab.get(f"{V1}/tasks/{tid}/draft").json() == before


def test_someone_without_the_lease_cannot_patch(project: ProjectEnv) -> None:
    tid, stamp = start(project.labeler, project.id)
    r = project.labeler2.patch(f"{V1}/tasks/{tid}/draft", json={"draft_updated_at": stamp, "order": ["a", "b", "c"]})
    assert r.status_code in (404, 409)


def test_the_parsed_draft_cache_answers_only_for_the_stored_draft() -> None:
    from datetime import UTC, datetime, timedelta

    from labelhub.services.draft_cache import DraftCache

    cache = DraftCache(size=2)
    t = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
    body = {"objects": [], "classifications": {}}
    cache.put(1, 7, t, 3, body)
    assert cache.get(1, 7, t, 3) is body
    assert cache.get(1, 7, t.replace(tzinfo=None), 3) is body  # naive UTC from SQLite matches
    assert cache.get(1, 7, t + timedelta(microseconds=1), 3) is None  # saved since (another process, a tab)
    assert cache.get(1, 7, t, 4) is None  # the ontology changed: validate again
    assert cache.get(1, 8, t, 3) is None
    cache.put(2, 7, t, 3, body)
    cache.get(1, 7, t, 3)  # (1, 7) used last: (2, 7) goes first
    cache.put(3, 7, t, 3, body)
    assert cache.get(2, 7, t, 3) is None and cache.get(1, 7, t, 3) is body
