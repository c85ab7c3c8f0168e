"""The labeling workflow through the API: leases, drafts, submissions, conflicts, review, time."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select, update

from labelhub.db.tables import AnnotationRevision, Assignment, Draft, utcnow
from tests.conftest import ProjectEnv, box_body

V1 = "/api/v1"


def _next(api, pid):  # type: ignore[no-untyped-def]
    r = api.post(f"{V1}/projects/{pid}/next-task")
    assert r.status_code in (200, 204), r.text
    return None if r.status_code == 204 else r.json()


def test_next_task_hands_out_each_task_once_in_priority_order(project: ProjectEnv) -> None:
    m, pid = project.manager, project.id
    assert m.put(f"{V1}/tasks/{project.task_ids[2]}/priority", params={"priority": 5}).status_code == 200
    a = _next(project.labeler, pid)
    b = _next(project.labeler2, pid)
    assert a["task"]["id"] == project.task_ids[2]  # highest priority first
    assert b["task"]["id"] == project.task_ids[0]
    assert _next(project.labeler, pid)["task"]["id"] == a["task"]["id"]  # resumes the held task
    assert a["lease_expires_at"] is not None and a["task"]["state"] == "in_progress"
    assert a["asset"]["width"] == 64 and a["asset"]["height"] == 48


def test_queue_empty_gives_204(project: ProjectEnv) -> None:
    seen = set()
    for api in (project.labeler, project.labeler2, project.reviewer):
        t = _next(api, project.id)
        seen.add(t["task"]["id"])
    assert seen == set(project.task_ids)
    assert project.manager.post(f"{V1}/projects/{project.id}/next-task").status_code == 204


def test_concurrent_next_task_never_gives_one_task_twice(project: ProjectEnv, platform, client) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_api

    apis = []
    for i in range(6):
        api = make_api(platform, client, f"worker{i}")
        project.manager.put(f"{V1}/projects/{project.id}/members", json={"username": f"worker{i}", "role": "labeler"})
        apis.append(api)
    got: list[int | None] = []
    lock = threading.Lock()

    def take(api):  # type: ignore[no-untyped-def]
        r = api.post(f"{V1}/projects/{project.id}/next-task")
        with lock:
            got.append(r.json()["task"]["id"] if r.status_code == 200 else None)

    threads = [threading.Thread(target=take, args=(a,)) for a in apis]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [g for g in got if g is not None]
    assert sorted(ids) == sorted(project.task_ids) and got.count(None) == 3


def test_draft_autosave_submit_and_history(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    lab, pid = project.labeler, project.id
    tid = _next(lab, pid)["task"]["id"]
    assert lab.get(f"{V1}/tasks/{tid}/draft").status_code == 204
    partial = {"objects": box_body()["objects"], "classifications": {}}  # required weather missing: fine in a draft
    r = lab.put(f"{V1}/tasks/{tid}/draft", json={"body": partial})
    assert r.status_code == 200, r.text
    assert lab.get(f"{V1}/tasks/{tid}/draft").json()["body"]["objects"][0]["geometry"]["xyxy"] == [10, 10, 50, 40]
    r = lab.post(f"{V1}/tasks/{tid}/submit", json={"body": partial})
    assert r.status_code == 400 and "required question 'Weather'" in r.json()["detail"]
    r = lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body(), "active_seconds": 42.5})
    assert r.status_code == 201, r.text
    rev = r.json()
    assert rev["kind"] == "submission" and rev["object_count"] == 1 and rev["parent_id"] is None
    assert lab.get(f"{V1}/tasks/{tid}/draft").status_code == 204  # the draft is gone once submitted
    task = lab.get(f"{V1}/tasks/{tid}").json()
    assert task["task"]["state"] == "submitted" and task["task"]["head_revision_id"] == rev["id"]
    assert task["active_seconds"] == 42.5
    # amend before review, based on the head
    r = lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body(x2=60), "base_revision_id": rev["id"]})
    assert r.status_code == 201 and r.json()["parent_id"] == rev["id"]
    revs = lab.get(f"{V1}/tasks/{tid}/revisions").json()["items"]
    assert [x["id"] for x in revs] == [rev["id"], r.json()["id"]]
    assert revs[0]["body"]["objects"][0]["geometry"]["xyxy"] == [10, 10, 50, 40]  # history is immutable


def test_stale_submit_gets_409_with_current_and_loses_nothing(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    lab, pid = project.labeler, project.id
    tid = _next(lab, pid)["task"]["id"]
    results: list[int] = []
    bodies = [box_body(x2=30), box_body(x2=35)]
    barrier = threading.Barrier(2)

    def submit(body):  # type: ignore[no-untyped-def]
        barrier.wait()
        results.append(lab.post(f"{V1}/tasks/{tid}/submit", json={"body": body, "base_revision_id": None}).status_code)

    threads = [threading.Thread(target=submit, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 409]
    with platform.deps.db.read() as s:
        revs = s.scalars(select(AnnotationRevision).where(AnnotationRevision.task_id == tid)).all()
        drafts = s.scalars(select(Draft).where(Draft.task_id == tid)).all()
    assert len(revs) == 1
    assert len(drafts) == 1  # the refused body is kept as the labeler's draft
    kept = {int(r.body_json.count("30.0")) for r in revs} | {int(d.body_json.count("30.0")) for d in drafts}
    assert kept == {0, 1}  # one x2=30 and one x2=35 survive, one in each place
    r = lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body(), "base_revision_id": None})
    assert r.status_code == 409
    assert r.json()["current_revision"]["id"] == revs[0].id
    assert r.headers["content-type"].startswith("application/problem+json")


def test_review_reject_comment_reaches_labeler_then_accept(project: ProjectEnv) -> None:
    lab, rev, pid = project.labeler, project.reviewer, project.id
    tid = _next(lab, pid)["task"]["id"]
    head = lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body()}).json()["id"]
    assert lab.post(f"{V1}/projects/{pid}/review/next").status_code == 403
    t = rev.post(f"{V1}/projects/{pid}/review/next").json()
    assert t["task"]["id"] == tid and t["task"]["state"] == "in_review"
    r = rev.post(f"{V1}/tasks/{tid}/review", json={"decision": "reject"})
    assert r.status_code == 400  # a rejection must say what to fix
    r = rev.post(
        f"{V1}/tasks/{tid}/review",
        json={"decision": "reject", "comment": "The car is bigger", "object_comments": {"c1": "extend right"}},
    )
    assert r.status_code == 201, r.text
    back = _next(lab, pid)
    assert back["task"]["id"] == tid and back["task"]["state"] == "in_progress"
    assert back["reviews"][0]["comment"] == "The car is bigger"
    assert back["reviews"][0]["object_comments"] == {"c1": "extend right"}
    fixed = lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body(x2=63), "base_revision_id": head})
    assert fixed.status_code == 201, fixed.text
    rev.post(f"{V1}/projects/{pid}/review/next")
    corrected = box_body(x2=62)
    r = rev.post(
        f"{V1}/tasks/{tid}/review",
        json={"decision": "accept", "body": corrected, "base_revision_id": fixed.json()["id"]},
    )
    assert r.status_code == 201
    final = rev.get(f"{V1}/tasks/{tid}/annotation").json()
    assert final["kind"] == "review" and final["body"]["objects"][0]["geometry"]["xyxy"][2] == 62
    assert rev.get(f"{V1}/tasks/{tid}").json()["task"]["state"] == "accepted"
    assert rev.post(f"{V1}/tasks/{tid}/review", json={"decision": "accept"}).status_code == 409


def test_skip_with_reason_and_requeue(project: ProjectEnv) -> None:
    lab, pid = project.labeler, project.id
    tid = _next(lab, pid)["task"]["id"]
    assert lab.post(f"{V1}/tasks/{tid}/skip", json={"reason": " "}).status_code == 400
    r = lab.post(f"{V1}/tasks/{tid}/skip", json={"reason": "image unreadable"})
    assert r.status_code == 200 and r.json()["state"] == "skipped" and r.json()["skip_reason"] == "image unreadable"
    assert _next(lab, pid)["task"]["id"] != tid
    assert lab.post(f"{V1}/tasks/{tid}/requeue").status_code == 403
    assert project.manager.post(f"{V1}/tasks/{tid}/requeue").json()["state"] == "queued"


def test_expired_lease_returns_the_task_to_the_queue(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    lab, other, pid = project.labeler, project.labeler2, project.id
    tid = _next(lab, pid)["task"]["id"]
    assert lab.post(f"{V1}/tasks/{tid}/time", json={"active_seconds": 12}).status_code == 204
    with platform.deps.db.write() as s:
        s.execute(
            update(Assignment).where(Assignment.task_id == tid).values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    got = []
    for _ in range(3):
        t = _next(other, pid)
        got.append(t["task"]["id"])
        other.post(f"{V1}/tasks/{t['task']['id']}/skip", json={"reason": "test"})
    assert tid in got
    r = lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body()})
    assert r.status_code == 409 and "no lease" in r.json()["detail"]
    assert lab.post(f"{V1}/tasks/{tid}/time", json={"active_seconds": 1}).status_code == 409


def test_consensus_gives_each_task_to_n_different_labelers(project: ProjectEnv, platform, client) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import ONTOLOGY, png_bytes

    m = project.manager
    pid = m.post(f"{V1}/projects", json={"name": "Double", "ontology": ONTOLOGY, "consensus": 2}).json()["id"]
    for name in ("labeler", "labeler2"):
        m.put(f"{V1}/projects/{pid}/members", json={"username": name, "role": "labeler"})
    m.post(f"{V1}/projects/{pid}/assets", files={"file": ("a.png", png_bytes(), "image/png")})
    a = _next(project.labeler, pid)
    b = _next(project.labeler2, pid)
    assert a["task"]["id"] == b["task"]["id"]
    tid = a["task"]["id"]
    assert project.labeler.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body()}).status_code == 201
    assert project.labeler.get(f"{V1}/tasks/{tid}").json()["task"]["state"] == "in_progress"
    assert _next(project.labeler, pid) is None  # never the same task twice to one labeler
    assert project.labeler2.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body(x2=44)}).status_code == 201
    assert project.labeler.get(f"{V1}/tasks/{tid}").json()["task"]["state"] == "submitted"
    with platform.deps.db.read() as s:
        assert s.scalar(select(func.count()).where(AnnotationRevision.task_id == tid)) == 2


def test_stats_report_time_and_counts(project: ProjectEnv) -> None:
    lab, pid = project.labeler, project.id
    tid = _next(lab, pid)["task"]["id"]
    lab.post(f"{V1}/tasks/{tid}/time", json={"active_seconds": 30})
    lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body(), "active_seconds": 15})
    stats = project.manager.get(f"{V1}/projects/{pid}/stats").json()
    assert stats["tasks_by_state"] == {"submitted": 1, "queued": 2}
    row = next(r for r in stats["labelers"] if r["username"] == "labeler")
    assert row["active_seconds"] == 45 and row["submitted"] == 1
    assert stats["time_per_submitted_task"]["median"] == 45
    assert [d["submitted"] for d in stats["submitted_per_day"]] == [1] and len(
        stats["submitted_per_day"][0]["day"]
    ) == 10
    assert stats["time_per_submitted_task"]["histogram"][2] == {"from": 30, "to": 60, "count": 1}
    listed = project.manager.get(f"{V1}/projects").json()["items"]
    assert listed[0]["task_counts"] == {"submitted": 1, "queued": 2}
    assert lab.get(f"{V1}/projects/{pid}/stats").status_code == 403


def test_rejected_task_whose_lease_expires_goes_back_to_its_labeler(project: ProjectEnv, platform) -> None:  # type: ignore[no-untyped-def]
    lab, pid = project.labeler, project.id
    tid = _next(lab, pid)["task"]["id"]
    lab.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body()})
    project.reviewer.post(f"{V1}/projects/{pid}/review/next")
    project.reviewer.post(f"{V1}/tasks/{tid}/review", json={"decision": "reject", "comment": "redo"})
    assert _next(lab, pid)["task"]["id"] == tid  # reopened
    with platform.deps.db.write() as s:
        s.execute(
            update(Assignment)
            .where(Assignment.task_id == tid, Assignment.state == "active")
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    others = {_next(project.labeler2, pid)["task"]["id"]}
    assert tid not in others
    assert project.manager.get(f"{V1}/tasks/{tid}").json()["task"]["state"] == "rejected"
    again = _next(lab, pid)
    assert again["task"]["id"] == tid and again["reviews"][0]["comment"] == "redo"


def test_a_reviewer_never_reviews_their_own_work(project: ProjectEnv) -> None:
    rev, pid = project.reviewer, project.id
    tid = _next(rev, pid)["task"]["id"]  # reviewers may label too
    assert rev.post(f"{V1}/tasks/{tid}/submit", json={"body": box_body()}).status_code == 201
    assert rev.post(f"{V1}/projects/{pid}/review/next").status_code == 204
    r = rev.post(f"{V1}/tasks/{tid}/review", json={"decision": "accept"})
    assert r.status_code == 403 and "your own work" in r.json()["detail"]
    assert rev.post(f"{V1}/tasks/{tid}/review/open").status_code == 403
    assert project.manager.post(f"{V1}/tasks/{tid}/review", json={"decision": "accept"}).status_code == 201


def test_draft_answers_keep_the_response_model(project: ProjectEnv) -> None:
    """The draft routes encode their answers with orjson, bypassing the response model: same shape."""
    from labelhub.api.schemas import DraftPublic

    lab = project.labeler
    tid = _next(lab, project.id)["task"]["id"]
    body = {"objects": box_body()["objects"], "classifications": {}}
    put = lab.put(f"{V1}/tasks/{tid}/draft", json={"body": body, "base_revision_id": None})
    got = lab.get(f"{V1}/tasks/{tid}/draft")
    for r in (put, got):
        assert r.status_code == 200 and r.headers["content-type"] == "application/json", r.text
        assert set(r.json()) == {"task_id", "base_revision_id", "updated_at", "body"}
        DraftPublic.model_validate(r.json())
    assert put.json()["updated_at"].endswith("Z") and put.json()["task_id"] == tid
    assert put.json()["body"] == got.json()["body"] and got.json()["body"]["objects"][0]["geometry"]["xyxy"] == [
        10.0,
        10.0,
        50.0,
        40.0,
    ]
