"""Projects, members, ontology versioning and migrations, pagination."""

from __future__ import annotations

import copy

from sqlalchemy import func, select

from labelhub.db.tables import AnnotationRevision
from tests.conftest import ONTOLOGY, Api, ProjectEnv, box_body

V1 = "/api/v1"


def test_create_get_update_delete(users: dict[str, Api]) -> None:
    m = users["manager"]
    r = m.post(f"{V1}/projects", json={"name": "  Cells ", "ontology": ONTOLOGY, "settings": {"instructions": "Hi"}})
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["name"] == "Cells" and p["role"] == "manager" and p["ontology_version"] == 1
    got = m.get(f"{V1}/projects/{p['id']}").json()
    assert got["ontology"]["classes"][0]["id"] == "car" and got["settings"] == {"instructions": "Hi"}
    r = m.patch(f"{V1}/projects/{p['id']}", json={"name": "Nuclei", "lease_seconds": 600})
    assert r.json()["name"] == "Nuclei" and r.json()["lease_seconds"] == 600
    assert m.patch(f"{V1}/projects/{p['id']}", json={"settings": {"colour": 1}}).status_code == 400
    assert m.delete(f"{V1}/projects/{p['id']}").status_code == 204
    assert m.get(f"{V1}/projects/{p['id']}").status_code == 404


def test_members_and_last_manager_protection(project: ProjectEnv) -> None:
    m, pid = project.manager, project.id
    members = {x["username"]: x["role"] for x in m.get(f"{V1}/projects/{pid}/members").json()}
    assert members == {"manager": "manager", "reviewer": "reviewer", "labeler": "labeler", "labeler2": "labeler"}
    assert m.put(f"{V1}/projects/{pid}/members", json={"username": "nobody", "role": "labeler"}).status_code == 404
    assert m.put(f"{V1}/projects/{pid}/members", json={"username": "labeler", "role": "chief"}).status_code == 422
    r = m.delete(f"{V1}/projects/{pid}/members/{m.user_id}")
    assert r.status_code == 409 and "last manager" in r.json()["detail"]
    assert m.delete(f"{V1}/projects/{pid}/members/{project.labeler2.user_id}").status_code == 204
    assert project.labeler2.get(f"{V1}/projects/{pid}").status_code == 404


def test_project_list_is_per_member_and_paginated(users: dict[str, Api], admin: Api) -> None:
    m = users["manager"]
    ids = [m.post(f"{V1}/projects", json={"name": f"P{i}", "ontology": ONTOLOGY}).json()["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        page = m.get(f"{V1}/projects", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids
    assert users["labeler"].get(f"{V1}/projects").json()["items"] == []
    assert [p["id"] for p in admin.get(f"{V1}/projects").json()["items"]] == ids


def _submit_one(project: ProjectEnv, body: dict) -> int:  # type: ignore[type-arg]
    tid = project.labeler.post(f"{V1}/projects/{project.id}/next-task").json()["task"]["id"]
    r = project.labeler.post(f"{V1}/tasks/{tid}/submit", json={"body": body})
    assert r.status_code == 201, r.text
    return tid


def test_ontology_change_that_orphans_annotations_is_refused_then_migrated(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    m, pid = project.manager, project.id
    tid = _submit_one(project, box_body())
    new = copy.deepcopy(ONTOLOGY)
    new["classes"][0]["id"] = "vehicle"  # 'car' disappears
    r = m.put(f"{V1}/projects/{pid}/ontology", json={"ontology": new})
    assert r.status_code == 409 and "class 'car'" in r.json()["detail"] and r.json()["used"]
    assert m.get(f"{V1}/projects/{pid}").json()["ontology_version"] == 1  # nothing changed
    r = m.put(f"{V1}/projects/{pid}/ontology", json={"ontology": new, "migration": {"class_map": {"car": "road"}}})
    assert r.status_code == 400 and "tools differ" in r.json()["detail"]
    r = m.put(
        f"{V1}/projects/{pid}/ontology",
        json={"ontology": new, "note": "rename", "migration": {"class_map": {"car": "vehicle"}}},
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"version": 2, "migrated_annotations": 1}
    head = m.get(f"{V1}/tasks/{tid}/annotation").json()
    assert head["kind"] == "migration" and head["ontology_version"] == 2
    assert head["body"]["objects"][0]["class_id"] == "vehicle"
    with platform.deps.db.read() as s:  # the original revision is still there, unchanged
        assert s.scalar(select(func.count()).where(AnnotationRevision.task_id == tid)) == 2
    versions = m.get(f"{V1}/projects/{pid}/ontology/versions").json()
    assert [v["version"] for v in versions] == [1, 2] and versions[1]["note"] == "rename"


def test_unused_removals_and_additions_need_no_migration(project: ProjectEnv) -> None:
    new = copy.deepcopy(ONTOLOGY)
    new["classes"] = [c for c in new["classes"] if c["id"] != "sign"]
    new["classes"].append({"id": "bike", "tool": "polygon", "color": "#aabbcc"})
    r = project.manager.put(f"{V1}/projects/{project.id}/ontology", json={"ontology": new})
    assert r.status_code == 200 and r.json()["migrated_annotations"] == 0
    assert project.labeler.put(f"{V1}/projects/{project.id}/ontology", json={"ontology": new}).status_code == 403


def test_task_list_filters_and_cursor(project: ProjectEnv) -> None:
    m, pid = project.manager, project.id
    _submit_one(project, box_body())
    subs = m.get(f"{V1}/projects/{pid}/tasks", params={"state": "submitted"}).json()["items"]
    assert len(subs) == 1 and subs[0]["assignee_id"] == project.labeler.user_id
    assert len(m.get(f"{V1}/projects/{pid}/tasks", params={"state": "queued"}).json()["items"]) == 2
    first = m.get(f"{V1}/projects/{pid}/tasks", params={"limit": 2}).json()
    second = m.get(f"{V1}/projects/{pid}/tasks", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [t["id"] for t in first["items"] + second["items"]] == project.task_ids and second["next_cursor"] is None
    mine = project.labeler.get(f"{V1}/projects/{pid}/tasks").json()["items"]
    assert [t["assignee_id"] for t in mine] == [project.labeler.user_id]
    assert m.get(f"{V1}/projects/{pid}/tasks", params={"state": "nope"}).status_code == 422


def test_bulk_register_creates_assets_and_tasks_in_order(project: ProjectEnv) -> None:
    m, pid = project.manager, project.id
    items = [
        {"uri": f"https://images.example/{i}.jpg", "width": 640, "height": 480, "priority": i % 3} for i in range(1500)
    ]
    items.insert(7, {"uri": "ftp://nope/x.jpg", "width": 1, "height": 1})
    items.insert(9, {"uri": "https://images.example/odd.jpg", "kind": "hologram"})
    r = m.post(f"{V1}/projects/{pid}/assets/bulk", json={"items": items})
    assert r.status_code == 201, r.text
    res = r.json()
    assert res["created"] == 1500 and res["pending_probe"] == 0
    assert [e["index"] for e in res["errors"]] == [7, 9]
    assert "ftp://nope/x.jpg" in res["errors"][0]["error"] and "hologram" in res["errors"][1]["error"]
    tasks, cursor = [], None
    while True:
        page = m.get(f"{V1}/projects/{pid}/tasks", params={"limit": 500, **({"cursor": cursor} if cursor else {})})
        tasks += page.json()["items"]
        if not (cursor := page.json()["next_cursor"]):
            break
    new = [t for t in tasks if t["id"] >= res["first_task_id"]]
    assert len(new) == 1500 and new[-1]["id"] == res["last_task_id"]
    assert [t["priority"] for t in new[:4]] == [0, 1, 2, 0] and {t["state"] for t in new} == {"queued"}
    asset = m.get(f"{V1}/assets/{new[3]['asset_id']}").json()
    assert asset["filename"] == "3.jpg" and asset["width"] == 640 and asset["status"] == "ready"
    # the next lease honours priority across the bulk-registered tasks
    got = project.labeler.post(f"{V1}/projects/{pid}/next-task").json()["task"]
    assert got["priority"] == 2


def test_large_bulk_registration_refreshes_planner_statistics(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    """Stale statistics after a bulk load made PostgreSQL scan 1,000,000 tasks for next-task."""
    import time

    import orjson

    from labelhub.db.tables import Job

    items = [{"uri": f"https://images.example/{i}.jpg", "width": 8, "height": 8} for i in range(5000)]
    assert project.manager.post(f"{V1}/projects/{project.id}/assets/bulk", json={"items": items}).status_code == 201
    deadline = time.monotonic() + 30
    while True:
        with platform.deps.db.read() as s:
            jobs = s.scalars(select(Job).where(Job.kind == "refresh_statistics")).all()
        if (jobs and jobs[0].state in ("succeeded", "failed")) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(jobs) == 1 and jobs[0].state == "succeeded", jobs and jobs[0].error
    assert orjson.loads(jobs[0].result_json or "null") == {"analyzed": ["assets", "tasks"]}
