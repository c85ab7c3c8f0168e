"""The labeling queue, drafts, submissions, history and review."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from fastapi import APIRouter, Query, Request, Response
from fastapi.routing import APIRoute

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.routes.assets import asset_public
from labelhub.api.schemas import (
    DraftPatch,
    DraftPatched,
    DraftPublic,
    DraftSave,
    Page,
    ReviewDecision,
    ReviewEventPublic,
    RevisionPublic,
    SkipRequest,
    SubmitRequest,
    TaskDetail,
    TaskPublic,
    TimeReport,
)
from labelhub.core.workflow import TaskState
from labelhub.db.tables import ReviewEvent, Task
from labelhub.services.annotations import DraftChanges, DraftView, RevisionView
from labelhub.services.tasks import TaskBundle, TaskFilter

_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def _paused_gc() -> Iterator[None]:
    """Pauses the cyclic garbage collector while a large annotation body is parsed, validated and
    encoded. Those build hundreds of thousands of lists and dicts (no cycles: reference counting
    frees them), and each allocation burst otherwise triggers full collections that scan the whole
    heap: parsing a 5,000-polygon draft took ~150 ms with the collector, ~17 ms without.
    Process-wide, so nested and concurrent pauses are counted; the last one restores it."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


class _FastJsonRequest(Request):
    """Parses JSON bodies with orjson (annotation bodies run to megabytes); what orjson refuses
    (NaN, Infinity, huge integers, or not JSON at all) goes to the standard library as before, so
    bad input gets the same answers."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            with _paused_gc():
                try:
                    self._json = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    self._json = json.loads(raw)
        return self._json


class _FastJsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def fast(request: Request) -> Response:
            return await handler(_FastJsonRequest(request.scope, request.receive))

        return fast


router = APIRouter(tags=["tasks"], route_class=_FastJsonRoute)


def review_public(e: ReviewEvent) -> ReviewEventPublic:
    return ReviewEventPublic(
        id=e.id,
        reviewer_id=e.reviewer_id,
        decision=e.decision,
        comment=e.comment,
        object_comments=orjson.loads(e.object_comments_json),
        revision_id=e.revision_id,
        created_at=e.created_at,
    )


def revision_public(r: RevisionView) -> RevisionPublic:
    return RevisionPublic(
        id=r.id,
        task_id=r.task_id,
        author_id=r.author_id,
        kind=r.kind,
        parent_id=r.parent_id,
        ontology_version=r.ontology_version,
        object_count=r.object_count,
        created_at=r.created_at,
        body=r.body,
    )


def draft_response(d: DraftView) -> Response:
    """``DraftPublic`` as JSON, encoded by orjson straight from the service's view. A draft can hold
    thousands of objects: validating it again against the response model and encoding it with the
    standard library took most of a save's time. Same fields and formats (UTC as ``Z``)."""
    content = orjson.dumps(
        {"task_id": d.task_id, "base_revision_id": d.base_revision_id, "updated_at": d.updated_at, "body": d.body},
        option=orjson.OPT_UTC_Z,
    )
    return Response(content, media_type="application/json")


def detail_public(b: TaskBundle) -> TaskDetail:
    mine = b.assignment
    return TaskDetail(
        task=TaskPublic.model_validate(b.task),
        asset=asset_public(b.asset),
        reviews=[review_public(r) for r in b.reviews],
        lease_expires_at=mine.lease_expires_at if mine and mine.state == "active" else None,
        active_seconds=mine.active_seconds if mine else 0.0,
    )


def _detail(platform: PlatformDep, actor: CurrentActor, task_id: int) -> TaskDetail:
    return detail_public(platform.tasks.get(actor, task_id))


def _maybe(platform: PlatformDep, actor: CurrentActor, task: Task | None) -> TaskDetail | Response:
    return Response(status_code=204) if task is None else _detail(platform, actor, task.id)


@router.post(
    "/projects/{project_id}/next-task", response_model=TaskDetail, responses={204: {"description": "Queue empty"}}
)
def next_task(project_id: int, platform: PlatformDep, actor: CurrentActor) -> TaskDetail | Response:
    """Lease the next task (or return the one you hold, or one sent back to you).  204 when none is left."""
    bundle = platform.tasks.next_task(actor, project_id)
    return Response(status_code=204) if bundle is None else detail_public(bundle)


@router.get("/projects/{project_id}/tasks", response_model=Page[TaskPublic])
def list_tasks(
    project_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=500),
    state: TaskState | None = None,
    assignee_id: int | None = None,
    asset_id: int | None = None,
) -> Page[TaskPublic]:
    flt = TaskFilter(state.value if state else None, assignee_id, asset_id)
    page = platform.tasks.page(actor, project_id, flt, cursor=cursor, limit=limit)
    return Page(items=[TaskPublic.model_validate(t) for t in page.items], next_cursor=page.next_cursor)


@router.get("/tasks/{task_id}", response_model=TaskDetail)
def get_task(task_id: int, platform: PlatformDep, actor: CurrentActor) -> TaskDetail:
    return _detail(platform, actor, task_id)


@router.post("/tasks/{task_id}/skip", response_model=TaskPublic)
def skip(task_id: int, body: SkipRequest, platform: PlatformDep, actor: CurrentActor) -> TaskPublic:
    return TaskPublic.model_validate(platform.tasks.skip(actor, task_id, body.reason))


@router.post("/tasks/{task_id}/release", status_code=204)
def release(task_id: int, platform: PlatformDep, actor: CurrentActor) -> None:
    platform.tasks.release(actor, task_id)


@router.post("/tasks/{task_id}/requeue", response_model=TaskPublic)
def requeue(task_id: int, platform: PlatformDep, actor: CurrentActor) -> TaskPublic:
    return TaskPublic.model_validate(platform.tasks.requeue(actor, task_id))


@router.put("/tasks/{task_id}/priority", response_model=TaskPublic)
def set_priority(task_id: int, platform: PlatformDep, actor: CurrentActor, priority: int) -> TaskPublic:
    return TaskPublic.model_validate(platform.tasks.set_priority(actor, task_id, priority))


@router.post("/tasks/{task_id}/time", status_code=204)
def report_time(task_id: int, body: TimeReport, platform: PlatformDep, actor: CurrentActor) -> None:
    """Add active (not idle) seconds and renew the lease: the editor's heartbeat."""
    platform.tasks.report_time(actor, task_id, body.active_seconds)


@router.get("/tasks/{task_id}/draft", response_model=DraftPublic, responses={204: {"description": "No draft"}})
def get_draft(task_id: int, platform: PlatformDep, actor: CurrentActor) -> Response:
    with _paused_gc():
        d = platform.annotations.get_draft(actor, task_id)
        return Response(status_code=204) if d is None else draft_response(d)


@router.put("/tasks/{task_id}/draft", response_model=DraftPublic)
def save_draft(task_id: int, body: DraftSave, platform: PlatformDep, actor: CurrentActor) -> Response:
    with _paused_gc():
        return draft_response(platform.annotations.save_draft(actor, task_id, body.body, body.base_revision_id))


@router.patch("/tasks/{task_id}/draft", response_model=DraftPatched)
def patch_draft(task_id: int, body: DraftPatch, platform: PlatformDep, actor: CurrentActor) -> Response:
    """Save only what changed since the stored draft of `draft_updated_at` (objects added or changed,
    ids removed, the z-order, the answers). 409 when the stored draft is another one by now: send
    the whole draft with PUT. The answer carries the new `updated_at`, not the body."""
    changes = DraftChanges(
        body.draft_updated_at, body.base_revision_id, body.upsert, body.delete, body.order, body.classifications
    )
    with _paused_gc():
        d = platform.annotations.patch_draft(actor, task_id, changes)
    content = {
        "task_id": d.task_id,
        "base_revision_id": d.base_revision_id,
        "updated_at": d.updated_at,
        "object_count": len(d.body.get("objects") or []),
    }
    return Response(orjson.dumps(content, option=orjson.OPT_UTC_Z), media_type="application/json")


@router.delete("/tasks/{task_id}/draft", status_code=204)
def discard_draft(task_id: int, platform: PlatformDep, actor: CurrentActor) -> None:
    platform.annotations.discard_draft(actor, task_id)


@router.post("/tasks/{task_id}/submit", response_model=RevisionPublic, status_code=201)
def submit(task_id: int, body: SubmitRequest, platform: PlatformDep, actor: CurrentActor) -> RevisionPublic:
    """Submit; a stale ``base_revision_id`` gets 409 with ``current_revision`` (your body is kept as a draft)."""
    return revision_public(
        platform.annotations.submit(actor, task_id, body.body, body.base_revision_id, body.active_seconds)
    )


@router.get("/tasks/{task_id}/annotation", response_model=RevisionPublic, responses={204: {"description": "None yet"}})
def head(task_id: int, platform: PlatformDep, actor: CurrentActor) -> RevisionPublic | Response:
    r = platform.annotations.head(actor, task_id)
    return Response(status_code=204) if r is None else revision_public(r)


@router.get("/tasks/{task_id}/revisions", response_model=Page[RevisionPublic])
def revisions(
    task_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=500),
) -> Page[RevisionPublic]:
    page = platform.annotations.revisions(actor, task_id, cursor=cursor, limit=limit)
    return Page(items=[revision_public(r) for r in page.items], next_cursor=page.next_cursor)


@router.post(
    "/projects/{project_id}/review/next",
    response_model=TaskDetail,
    responses={204: {"description": "Nothing to review"}},
)
def next_review(project_id: int, platform: PlatformDep, actor: CurrentActor) -> TaskDetail | Response:
    return _maybe(platform, actor, platform.review.next_for_review(actor, project_id))


@router.post("/tasks/{task_id}/review/open", response_model=TaskPublic)
def open_review(task_id: int, platform: PlatformDep, actor: CurrentActor) -> TaskPublic:
    return TaskPublic.model_validate(platform.review.open_review(actor, task_id))


@router.post("/tasks/{task_id}/review", response_model=ReviewEventPublic, status_code=201)
def decide(task_id: int, body: ReviewDecision, platform: PlatformDep, actor: CurrentActor) -> ReviewEventPublic:
    return review_public(
        platform.review.decide(
            actor,
            task_id,
            body.decision,
            comment=body.comment,
            object_comments=body.object_comments,
            body=body.body,
            base_revision_id=body.base_revision_id,
        )
    )


@router.post("/tasks/{task_id}/reopen", response_model=TaskPublic)
def reopen(task_id: int, platform: PlatformDep, actor: CurrentActor) -> TaskPublic:
    return TaskPublic.model_validate(platform.review.reopen(actor, task_id))
