"""Drafts, submissions and the immutable revision history of annotations.

A submission names the revision it was based on (``base_revision_id``).  If the task's head has
moved since, the submission is refused with ``Conflict`` carrying the current head, and the
refused body is kept as the caller's draft, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from labelhub.core.annotations import EMPTY_BODY, validate_body
from labelhub.core.errors import Conflict, InvalidInput, NotFound
from labelhub.core.geometry import AssetExtent
from labelhub.core.ports import BlobStore
from labelhub.core.workflow import AssignmentState, Role, TaskState
from labelhub.db.engine import rowcount
from labelhub.db.tables import AnnotationRevision, Asset, Assignment, Draft, Project, Task, utcnow
from labelhub.services.access import require_task
from labelhub.services.context import Actor, Deps
from labelhub.services.documents import page_text_lengths
from labelhub.services.draft_cache import DraftCache
from labelhub.services.pagination import Page, check_limit, decode_cursor, page_of
from labelhub.services.projects import load_ontology
from labelhub.services.revisions import add_revision
from labelhub.services.tasks import active_assignment, set_available


@dataclass(frozen=True, slots=True)
class RevisionView:
    id: int
    task_id: int
    author_id: int | None
    kind: str
    parent_id: int | None
    ontology_version: int
    object_count: int
    created_at: Any
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DraftView:
    task_id: int
    base_revision_id: int | None
    updated_at: Any
    body: dict[str, Any]


def extent_of(asset: Asset, blobs: BlobStore | None = None) -> AssetExtent:
    """What ``asset``'s geometry is checked against; for PDFs each page's text length (spans on a
    page index its text layer), read from the stored layers with ``blobs`` when not recorded."""
    lengths = page_text_lengths(asset, blobs)
    return AssetExtent(asset.width, asset.height, asset.pages or 1, asset.text_length, asset.depth, lengths)


def revision_view(r: AnnotationRevision) -> RevisionView:
    return RevisionView(
        r.id,
        r.task_id,
        r.author_id,
        r.kind,
        r.parent_id,
        r.ontology_version,
        r.object_count,
        r.created_at,
        orjson.loads(r.body_json),
    )


def _validated(
    s: Session,
    project: Project,
    task: Task,
    body: Any,
    *,
    complete: bool,
    blobs: BlobStore | None = None,
    known: dict[str, Any] | None = None,
) -> dict[str, Any]:
    asset = s.get(Asset, task.asset_id)
    assert asset is not None
    if asset.status == "pending":
        raise Conflict(f"Asset {asset.id} is still being processed; try again in a moment.")
    ontology = load_ontology(s, project)
    return validate_body(body, ontology, extent_of(asset, blobs), require_complete=complete, known=known)


def _objects_by_id(body: dict[str, Any]) -> dict[str, Any] | None:
    objects = body.get("objects")
    return {o["id"]: o for o in objects if isinstance(o, dict)} if isinstance(objects, list) else None


@dataclass(frozen=True)
class DraftChanges:
    """What a delta save sends: objects added or changed (whole), ids removed, every id in z-order,
    and the per-asset answers."""

    draft_updated_at: datetime
    base_revision_id: int | None
    upsert: list[dict[str, Any]]
    delete: list[str]
    order: list[str]
    classifications: dict[str, Any]


def apply_changes(stored: dict[str, Any], patch: DraftChanges) -> dict[str, Any]:
    """The stored draft body with ``patch`` applied; ``order`` must name exactly the resulting objects."""
    objects = {o["id"]: o for o in stored.get("objects") or [] if isinstance(o, dict) and "id" in o}
    for oid in patch.delete:
        objects.pop(oid, None)
    for n, o in enumerate(patch.upsert):
        if not isinstance(o, dict) or not isinstance(o.get("id"), str):
            raise InvalidInput(f"upsert[{n}] must be an object with a string id.")
        objects[o["id"]] = o
    if len(patch.order) != len(objects) or set(patch.order) != set(objects):
        missing = sorted(set(objects) - set(patch.order))[:5]
        extra = sorted(set(patch.order) - set(objects))[:5]
        raise InvalidInput(
            f"order must list every object of the resulting draft exactly once (missing {missing}, "
            f"unknown {extra}); save the whole draft (PUT) instead."
        )
    return {**stored, "objects": [objects[oid] for oid in patch.order], "classifications": patch.classifications}


def _as_utc(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


class AnnotationService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.drafts = DraftCache()

    # -- drafts ---------------------------------------------------------------------------------
    def get_draft(self, actor: Actor, task_id: int) -> DraftView | None:
        with self.deps.db.read() as s:
            require_task(s, actor, task_id, Role.LABELER)
            d = s.get(Draft, (task_id, actor.user_id))
            return (
                None if d is None else DraftView(task_id, d.base_revision_id, d.updated_at, orjson.loads(d.body_json))
            )

    def save_draft(self, actor: Actor, task_id: int, body: Any, base_revision_id: int | None) -> DraftView:
        with self.deps.db.write() as s:
            task, project, role = require_task(s, actor, task_id, Role.LABELER)
            if not role.includes(Role.REVIEWER) and active_assignment(s, task_id, actor.user_id) is None:
                raise Conflict(f"You hold no lease on task {task_id}; open it with next-task to edit it.")
            stored = self._stored(s.get(Draft, (task_id, actor.user_id)), project.ontology_version)
            known = _objects_by_id(stored) if stored is not None else None
            clean = _validated(s, project, task, body, complete=False, blobs=self.deps.blobs, known=known)
            return self._upsert_draft(s, task_id, actor.user_id, clean, base_revision_id, project.ontology_version)

    def patch_draft(self, actor: Actor, task_id: int, patch: DraftChanges) -> DraftView:
        """Apply the changes since the draft stored at ``patch.draft_updated_at`` (a delta save: a
        draft of thousands of objects need not travel whole after each edit). A draft stored since
        by another tab or a full save is a 409: the client then sends its whole draft."""
        with self.deps.db.write() as s:
            task, project, role = require_task(s, actor, task_id, Role.LABELER)
            if not role.includes(Role.REVIEWER) and active_assignment(s, task_id, actor.user_id) is None:
                raise Conflict(f"You hold no lease on task {task_id}; open it with next-task to edit it.")
            d = s.get(Draft, (task_id, actor.user_id))
            if d is None or _as_utc(d.updated_at) != _as_utc(patch.draft_updated_at):
                raise Conflict(
                    f"The draft of task {task_id} changed since {patch.draft_updated_at.isoformat()}: "
                    "save the whole draft (PUT) instead."
                )
            stored = self._stored(d, project.ontology_version)  # None: saved under another ontology version
            known = _objects_by_id(stored) if stored is not None else None
            body = apply_changes(stored if stored is not None else orjson.loads(d.body_json), patch)
            clean = _validated(s, project, task, body, complete=False, blobs=self.deps.blobs, known=known)
            return self._upsert_draft(
                s, task_id, actor.user_id, clean, patch.base_revision_id, project.ontology_version
            )

    def _stored(self, d: Draft | None, ontology_version: int) -> dict[str, Any] | None:
        """The stored draft's body when it was validated under this ontology version (a save then
        validates only the objects that differ from its objects), from the cache when it is fresh."""
        if d is None or d.ontology_version != ontology_version:
            return None
        hit = self.drafts.get(d.task_id, d.user_id, d.updated_at, ontology_version)
        if hit is not None:
            return hit
        body = orjson.loads(d.body_json)
        return body if isinstance(body, dict) else None

    def _upsert_draft(
        self, s: Session, task_id: int, user_id: int, body: dict[str, Any], base: int | None, version: int
    ) -> DraftView:
        now = utcnow()
        d = s.get(Draft, (task_id, user_id))
        text = orjson.dumps(body).decode()
        if d is None:
            d = Draft(
                task_id=task_id,
                user_id=user_id,
                base_revision_id=base,
                ontology_version=version,
                body_json=text,
                updated_at=now,
            )
            s.add(d)
        else:
            d.body_json, d.base_revision_id, d.ontology_version, d.updated_at = text, base, version, now
        self.drafts.put(task_id, user_id, now, version, body)
        return DraftView(task_id, base, now, body)

    def discard_draft(self, actor: Actor, task_id: int) -> None:
        with self.deps.db.write() as s:
            require_task(s, actor, task_id, Role.LABELER)
            d = s.get(Draft, (task_id, actor.user_id))
            if d is not None:
                s.delete(d)

    # -- submissions ---------------------------------------------------------------------------
    def submit(
        self, actor: Actor, task_id: int, body: Any, base_revision_id: int | None, active_seconds: float = 0.0
    ) -> RevisionView:
        try:
            with self.deps.db.write() as s:
                return self._submit(s, actor, task_id, body, base_revision_id, active_seconds)
        except Conflict as e:
            if "current_revision" in e.details:
                self._keep_refused(actor, task_id, body, e.details["current_revision"])
            raise

    def _submit(
        self, s: Session, actor: Actor, task_id: int, body: Any, base: int | None, active_seconds: float
    ) -> RevisionView:
        task, project, _ = require_task(s, actor, task_id, Role.LABELER)
        a = active_assignment(s, task_id, actor.user_id)
        amend = a is None and task.state == TaskState.SUBMITTED.value and task.assignee_id == actor.user_id
        if a is None and not amend:
            raise Conflict(f"You hold no lease on task {task_id} (state {task.state}); open it with next-task first.")
        clean = _validated(s, project, task, body, complete=True, blobs=self.deps.blobs)
        head = self._head_for(s, project, task, actor.user_id)
        if head != base:
            self._raise_stale(s, task_id, head, base)
        rev = add_revision(
            s,
            task_id=task_id,
            project_id=project.id,
            author_id=actor.user_id,
            kind="submission",
            parent_id=head,
            ontology_version=project.ontology_version,
            body=clean,
        )
        now = utcnow()
        guard = Task.id == task_id
        values: dict[str, Any] = {"head_revision_id": rev.id, "updated_at": now}
        if project.consensus == 1:
            # compare-and-set: a concurrent submit on PostgreSQL matches no row; and with one labeler
            # per task this submission completes the task, in the same statement
            guard = guard & (Task.head_revision_id.is_(None) if head is None else Task.head_revision_id == head)
            values.update(state=TaskState.SUBMITTED.value, open_slots=0, available=0)
        if not rowcount(s.execute(update(Task).where(guard).values(**values))):
            self._raise_stale(s, task_id, s.scalar(select(Task.head_revision_id).where(Task.id == task_id)), base)
        if a is not None:
            a.state, a.submitted_at = AssignmentState.SUBMITTED.value, now
            a.active_seconds += max(0.0, min(active_seconds, 3600.0))
            if project.consensus > 1:
                s.flush()
                done = s.scalar(
                    select(func.count()).where(
                        Assignment.task_id == task_id, Assignment.state == AssignmentState.SUBMITTED.value
                    )
                )
                if (done or 0) >= task.required:
                    s.execute(
                        update(Task).where(Task.id == task_id).values(state=TaskState.SUBMITTED.value, open_slots=0)
                    )
                set_available(s, task_id)
        s.execute(delete(Draft).where(Draft.task_id == task_id, Draft.user_id == actor.user_id))
        return RevisionView(
            rev.id,
            task_id,
            actor.user_id,
            rev.kind,
            head,
            project.ontology_version,
            len(clean["objects"]),
            rev.created_at,
            clean,
        )

    def _head_for(self, s: Session, project: Project, task: Task, user_id: int) -> int | None:
        if project.consensus == 1:
            return task.head_revision_id
        return s.scalar(
            select(func.max(AnnotationRevision.id)).where(
                AnnotationRevision.task_id == task.id, AnnotationRevision.author_id == user_id
            )
        )

    def _raise_stale(self, s: Session, task_id: int, head: int | None, base: int | None) -> None:
        current = s.get(AnnotationRevision, head) if head is not None else None
        raise Conflict(
            f"Task {task_id} changed since you loaded it (you had revision {base}, it is now at {head}). "
            "Your version is kept as your draft; merge it with the current revision and submit again.",
            details={
                "current_revision": None
                if current is None
                else {
                    "id": current.id,
                    "author_id": current.author_id,
                    "kind": current.kind,
                    "body": orjson.loads(current.body_json),
                }
            },
        )

    def _keep_refused(self, actor: Actor, task_id: int, body: Any, current: dict[str, Any] | None) -> None:
        """After a stale submit, store the refused body as the caller's draft (best effort)."""
        try:
            with self.deps.db.write() as s:
                task, project, _ = require_task(s, actor, task_id, Role.LABELER)
                clean = _validated(s, project, task, body, complete=False, blobs=self.deps.blobs)
                base = current["id"] if current else None
                self._upsert_draft(s, task_id, actor.user_id, clean, base, project.ontology_version)
        except Exception:
            pass

    # -- history -------------------------------------------------------------------------------
    def head(self, actor: Actor, task_id: int) -> RevisionView | None:
        with self.deps.db.read() as s:
            task, _, role = require_task(s, actor, task_id, Role.LABELER)
            self._may_read(s, actor, task, role)
            if task.head_revision_id is None:
                return None
            rev = s.get(AnnotationRevision, task.head_revision_id)
            return None if rev is None else revision_view(rev)

    def revisions(
        self, actor: Actor, task_id: int, *, cursor: str | None = None, limit: int = 50
    ) -> Page[RevisionView]:
        check_limit(limit)
        after = decode_cursor(cursor)
        with self.deps.db.read() as s:
            task, _, role = require_task(s, actor, task_id, Role.LABELER)
            self._may_read(s, actor, task, role)
            q = select(AnnotationRevision).where(AnnotationRevision.task_id == task_id)
            if after is not None:
                q = q.where(AnnotationRevision.id > after)
            rows = [revision_view(r) for r in s.scalars(q.order_by(AnnotationRevision.id).limit(limit + 1))]
        return page_of(rows, limit, lambda r: r.id)

    def _may_read(self, s: Session, actor: Actor, task: Task, role: Role) -> None:
        if role.includes(Role.REVIEWER):
            return
        worked = s.scalar(
            select(Assignment.id).where(Assignment.task_id == task.id, Assignment.user_id == actor.user_id).limit(1)
        )
        if worked is None:
            raise NotFound(f"Task {task.id} not found.")


__all__ = ["EMPTY_BODY", "AnnotationService", "DraftView", "RevisionView", "extent_of", "revision_view"]
