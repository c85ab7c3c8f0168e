"""The SDK against a real server process: resources, pagination, the labeling workflow, jobs."""

from __future__ import annotations

import io
import json
import time
import uuid
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from labelhub_sdk import (
    Asset,
    Client,
    Job,
    JobFailed,
    Page,
    Project,
    TaskDetail,
)

from .conftest import BOX_ONTOLOGY, Server

BOX: dict[str, Any] = {"id": "o1", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [10, 20, 110, 90]}}


def body(*boxes: Mapping[str, Any]) -> dict[str, Any]:
    return {"objects": list(boxes), "classifications": {}}


def references(n: int) -> list[dict[str, object]]:
    return [
        {"uri": f"https://images.example/{uuid.uuid4().hex}.jpg", "width": 640, "height": 480, "priority": i}
        for i in range(n)
    ]


# -- pagination ---------------------------------------------------------------------------------
def test_projects_iter_follows_cursors(client: Client) -> None:
    made = [client.projects.create(f"page-{i}-{uuid.uuid4().hex[:6]}", BOX_ONTOLOGY).id for i in range(5)]
    first = client.projects.list(limit=2)
    assert isinstance(first, Page) and len(first.items) == 2 and first.next_cursor
    seen = [p.id for p in client.projects.iter(page_size=2)]
    assert len(seen) == len(set(seen))
    assert seen == sorted(seen)
    assert set(made) <= set(seen)
    assert all(isinstance(p, Project) and p.role == "manager" for p in client.projects.iter(page_size=3))


def test_tasks_and_assets_iter_across_pages(client: Client, project_id: int) -> None:
    result = client.assets.register(project_id, references(7))
    assert result.created == 7 and result.errors == () and result.pending_probe == 0
    assert result.first_task_id is not None and result.last_task_id == result.first_task_id + 6

    pages = []
    cursor: str | None = None
    while True:
        page = client.tasks.list(project_id, cursor=cursor, limit=3)
        pages.append(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert [len(p.items) for p in pages] == [3, 3, 1]

    tasks = list(client.tasks.iter(project_id, page_size=3))
    assert [t.id for t in tasks] == list(range(result.first_task_id, result.last_task_id + 1))
    assert {t.state for t in tasks} == {"queued"}
    assets = list(client.assets.iter(project_id, page_size=2))
    assert len(assets) == 7 and all(isinstance(a, Asset) and a.width == 640 for a in assets)

    leased = client.tasks.next(project_id)
    assert leased is not None and leased.task.priority == 6  # highest priority first
    assert [t.id for t in client.tasks.iter(project_id, state="in_progress", page_size=1)] == [leased.id]
    assert len(list(client.tasks.iter(project_id, state="queued", page_size=4))) == 6
    assert [t.asset_id for t in client.tasks.iter(project_id, asset_id=leased.asset.id)] == [leased.asset.id]


def test_register_reports_bad_items_by_index(client: Client, project_id: int) -> None:
    result = client.assets.register(project_id, [*references(1), {"uri": "ftp://nope/x.jpg"}])
    assert result.created == 1
    assert len(result.errors) == 1 and result.errors[0]["index"] == 1 and "ftp://" in result.errors[0]["error"]


# -- the labeling workflow ----------------------------------------------------------------------
def test_upload_next_draft_submit_review(
    server: Server, client: Client, project_id: int, images: dict[str, Path]
) -> None:
    uploaded = client.assets.upload(project_id, images["astronaut.png"])
    assert (uploaded.kind, uploaded.status, uploaded.width, uploaded.height) == ("image", "ready", 512, 512)
    assert uploaded.mime_type == "image/png"
    from_bytes = client.assets.upload(project_id, images["camera.jpg"].read_bytes(), "camera.jpg", priority=5)
    assert from_bytes.filename == "camera.jpg" and from_bytes.mime_type == "image/jpeg"
    fetched = client.assets.get(uploaded.id)
    assert (fetched.id, fetched.sha256, fetched.filename) == (uploaded.id, uploaded.sha256, "astronaut.png")
    assert client.assets.download(uploaded.id) == images["astronaut.png"].read_bytes()

    detail = client.tasks.next(project_id)
    assert isinstance(detail, TaskDetail)
    assert detail.asset.id == from_bytes.id  # priority 5 goes first
    assert detail.task.state == "in_progress" and detail.lease_expires_at is not None
    again = client.tasks.next(project_id)  # asking again returns the task you hold
    assert again is not None and again.id == detail.id

    assert client.tasks.get_draft(detail.id) is None
    draft = client.tasks.save_draft(detail.id, body(BOX))
    assert draft.task_id == detail.id and draft.body["objects"][0]["id"] == "o1"
    got = client.tasks.get_draft(detail.id)
    assert got is not None and got.body == draft.body
    client.tasks.report_time(detail.id, 12.5)
    assert client.tasks.get(detail.id).active_seconds == pytest.approx(12.5)

    revision = client.tasks.submit(detail.id, body(BOX), active_seconds=3)
    assert revision.kind == "submission" and revision.object_count == 1 and revision.parent_id is None
    assert client.tasks.get_draft(detail.id) is None  # a submission clears the draft
    head = client.tasks.annotation(detail.id)
    assert head is not None and head.id == revision.id
    assert [r.id for r in client.tasks.revisions(detail.id)] == [revision.id]

    assert client.review.next(project_id) is None  # nobody reviews their own work from the queue
    name = f"reviewer-{uuid.uuid4().hex[:8]}"
    token = server.make_user(name)
    client.projects.set_member(project_id, name, "reviewer")
    with server.client(token) as reviewer:
        review = reviewer.review.next(project_id)
        assert review is not None and review.id == detail.id and review.task.state == "in_review"
        event = reviewer.review.decide(review.id, "accept", comment="looks right")
        assert event.decision == "accepted" and event.revision_id == revision.id
        assert reviewer.review.next(project_id) is None
    final = client.tasks.get(detail.id)
    assert final.task.state == "accepted" and [r.comment for r in final.reviews] == ["looks right"]
    assert client.projects.get(project_id).task_counts == {"accepted": 1, "queued": 1}


def test_reject_with_correction_and_rework(client: Client, project_id: int, images: dict[str, Path]) -> None:
    client.assets.upload(project_id, images["coffee.png"])
    task = client.tasks.next(project_id)
    assert task is not None
    first = client.tasks.submit(task.id, body(BOX))
    opened = client.review.open(task.id)
    assert opened.state == "in_review"
    corrected = body({**BOX, "geometry": {"type": "bbox", "xyxy": [12, 22, 100, 80]}})
    event = client.review.decide(
        task.id,
        "reject",
        comment="box too wide",
        object_comments={"o1": "tighter"},
        body=corrected,
        base_revision_id=first.id,
    )
    assert event.decision == "rejected" and event.object_comments == {"o1": "tighter"}
    again = client.tasks.next(project_id)  # a rejected task comes back to its labeler
    assert again is not None and again.id == task.id and again.reviews[-1].comment == "box too wide"
    head = client.tasks.annotation(task.id)
    assert head is not None and head.kind == "review"
    second = client.tasks.submit(task.id, corrected, base_revision_id=head.id)
    assert second.parent_id == head.id
    assert [r.kind for r in client.tasks.revisions(task.id)] == ["submission", "review", "submission"]


def test_skip_release_requeue_priority(client: Client, project_id: int, make_image: Callable[[str], Path]) -> None:
    for i in range(2):
        client.assets.upload(project_id, make_image(f"s{i}"))
    task = client.tasks.next(project_id)
    assert task is not None
    client.tasks.release(task.id)
    assert client.tasks.get(task.id).task.state == "queued"
    task = client.tasks.next(project_id)
    assert task is not None
    skipped = client.tasks.skip(task.id, "image unreadable")
    assert skipped.state == "skipped" and skipped.skip_reason == "image unreadable"
    assert client.tasks.requeue(task.id).state == "queued"
    assert client.tasks.set_priority(task.id, 9).priority == 9
    nxt = client.tasks.next(project_id)
    assert nxt is not None and nxt.id == task.id


def test_project_update_members_ontology(server: Server, client: Client, project_id: int) -> None:
    updated = client.projects.update(project_id, description="street scenes", settings={"instructions": "tight"})
    assert updated.description == "street scenes" and updated.settings == {"instructions": "tight"}
    name = f"lab{uuid.uuid4().hex[:6]}"
    server.make_user(name)
    client.projects.set_member(project_id, name, "labeler")
    members = {m.username: m for m in client.projects.members(project_id)}
    assert members[name].role == "labeler" and members["admin"].role == "manager"
    client.projects.remove_member(project_id, members[name].user_id)
    assert name not in {m.username for m in client.projects.members(project_id)}

    onto = {"classes": [*BOX_ONTOLOGY["classes"], {"id": "bike", "tool": "polygon"}]}
    change = client.projects.update_ontology(project_id, onto, note="bikes too")
    assert change.version == 2
    versions = client.projects.ontology_versions(project_id)
    assert [v.version for v in versions] == [1, 2] and versions[1].note == "bikes too"
    assert isinstance(client.projects.stats(project_id), dict)

    client.projects.delete(project_id)
    assert project_id not in {p.id for p in client.projects.iter()}


def test_tokens_and_users(server: Server, client: Client) -> None:
    me = client.me()
    assert me.username == "admin" and me.is_admin
    name = f"u{uuid.uuid4().hex[:6]}"
    user = client.users.create(name, "a long enough password", display_name="U")
    assert user.username == name and not user.is_admin
    assert name in {u.username for u in client.users.list()}

    new = client.tokens.create("script", days=7)
    assert new.token.startswith("lh_") and new.info.expires_at is not None
    with server.client(new.token) as other:
        assert other.me().username == "admin"
        assert new.info.id in {t.id for t in client.tokens.list()}
        client.tokens.revoke(new.info.id)
        from labelhub_sdk import Unauthorized

        with pytest.raises(Unauthorized):
            other.me()
    assert client.health()["status"] == "ok"
    assert "native" in client.formats()["exporters"]


# -- jobs: export, archive import, project import -----------------------------------------------
def _labelled_project(client: Client, project_id: int, images: dict[str, Path]) -> None:
    for name in ("astronaut.jpg", "rocket.png"):
        client.assets.upload(project_id, images[name])
    task = client.tasks.next(project_id)
    assert task is not None
    client.tasks.submit(task.id, body(BOX))
    client.review.decide(task.id, "accept")


def test_export_job_waited_and_downloaded(
    client: Client, project_id: int, images: dict[str, Path], tmp_path: Path
) -> None:
    _labelled_project(client, project_id, images)
    job = client.exports.start(project_id, "native", states=["accepted"], include_media=True)
    assert isinstance(job, Job) and job.kind == "export" and job.state in ("queued", "running", "succeeded")
    polls: list[Job] = []
    done = client.jobs.wait(job.id, timeout=120, poll=0.2, on_progress=polls.append)
    assert done.succeeded and done.finished and polls[-1] == done
    assert done.result is not None and done.result["format"] == "native"

    out = client.exports.download(job.id, tmp_path / "export.zip")
    assert out == tmp_path / "export.zip"
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert {"manifest.json", "assets.jsonl", "tasks.jsonl", "revisions.jsonl"} <= names
    assert manifest["format"] == "labelhub-native" and manifest["project"]["id"] == project_id
    assert (
        manifest["counts"]["tasks"] == 1 and manifest["counts"]["revisions"] == 1 and manifest["counts"]["media"] == 1
    )
    assert not list(tmp_path.glob("*.part"))

    folder = tmp_path / "dir"
    folder.mkdir()
    named = client.exports.download(job.id, folder)
    assert named == folder / f"project-{project_id}-native.zip" and named.read_bytes() == out.read_bytes()
    assert job.id in {j.id for j in client.jobs.list(project_id)}

    imported = client.jobs.wait(client.imports.project(out).id, timeout=120, poll=0.2)
    assert imported.result is not None
    new_id = int(imported.result["project_id"])
    assert new_id != project_id and client.projects.get(new_id).task_counts == {"accepted": 1}


def test_archive_import_job(client: Client, project_id: int, images: dict[str, Path]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.write(images["chelsea.png"], "cats/chelsea.png")
        zf.write(images["camera.png"], "camera.png")
        zf.writestr("broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg")
        zf.writestr(".hidden/x.png", b"ignored")
    job = client.imports.archive(project_id, buf.getvalue())
    done = client.jobs.wait(job.id, timeout=120, poll=0.2)
    assert done.result is not None
    assert (done.result["imported"], done.result["duplicates"], done.result["failed"]) == (2, 0, 1)
    assert done.result["errors"][0]["file"] == "broken.jpg"
    assert sorted(a.filename for a in client.assets.iter(project_id)) == ["camera.png", "chelsea.png"]


def test_wait_raises_job_failed(client: Client, project_id: int) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "manifest.json",
            json.dumps(
                {"format": "labelhub-native", "version": 1, "project": {}, "ontology_versions": [], "users": {}}
            ),
        )
    job = client.imports.project(buf.getvalue())
    with pytest.raises(JobFailed) as err:
        client.jobs.wait(job.id, timeout=120, poll=0.2)
    assert err.value.job.state == "failed" and job.id in str(err.value)
    assert client.jobs.wait(job.id, check=False).state == "failed"


def test_thumbnail_appears(client: Client, project_id: int, images: dict[str, Path]) -> None:
    asset = client.assets.upload(project_id, images["rocket.jpg"])
    deadline = time.monotonic() + 60
    thumb = client.assets.thumbnail(asset.id)
    while thumb is None and time.monotonic() < deadline:
        time.sleep(0.2)
        thumb = client.assets.thumbnail(asset.id)
    assert thumb is not None and len(thumb) > 100
    assert client.assets.get(asset.id).has_thumbnail
