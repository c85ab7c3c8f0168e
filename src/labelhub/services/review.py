"""Review: reviewers take submitted tasks, may correct them, then accept or reject with comments.

A correction is a new revision of kind ``review`` on top of the labeler's head (same stale-base
rule as submissions).  A rejection sends the task back to its labeler, who sees the comments.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import select, update

from labelhub.core.errors import Conflict, Forbidden, InvalidInput
from labelhub.core.workflow import Role, TaskState, check_task_transition
from labelhub.db.engine import rowcount
from labelhub.db.tables import AnnotationRevision, ReviewEvent, Task, utcnow
from labelhub.services.access import require_project, require_task
from labelhub.services.annotations import _validated
from labelhub.services.context import Actor, Deps
from labelhub.services.revisions import add_revision
from labelhub.services.tasks import set_available


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


def _not_own_work(task: Task, actor: Actor, role: Role) -> None:
    """Reviewers do not review what they labeled themselves; managers and admins may."""
    if task.assignee_id == actor.user_id and not role.includes(Role.MANAGER):
        raise Forbidden(f"Task {task.id} is your own work; another reviewer or a manager reviews it.")


class ReviewService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def next_for_review(self, actor: Actor, project_id: int) -> Task | None:
        with self.deps.db.write() as s:
            require_project(s, actor, project_id, Role.REVIEWER)
            mine = s.scalar(
                select(Task)
                .where(
                    Task.project_id == project_id,
                    Task.state == TaskState.IN_REVIEW.value,
                    Task.reviewer_id == actor.user_id,
                )
                .order_by(Task.id)
                .limit(1)
            )
            if mine is not None:
                return mine
            for _ in range(20):
                tid = s.scalar(
                    select(Task.id)
                    .where(
                        Task.project_id == project_id,
                        Task.state == TaskState.SUBMITTED.value,
                        Task.assignee_id.is_distinct_from(actor.user_id),  # nobody reviews their own work
                    )
                    .order_by(Task.priority.desc(), Task.id)
                    .limit(1)
                )
                if tid is None:
                    return None
                won = rowcount(
                    s.execute(
                        update(Task)
                        .where(Task.id == tid, Task.state == TaskState.SUBMITTED.value)
                        .values(state=TaskState.IN_REVIEW.value, reviewer_id=actor.user_id, updated_at=utcnow())
                    )
                )
                if won:
                    return s.get(Task, tid)
            return None

    def open_review(self, actor: Actor, task_id: int) -> Task:
        with self.deps.db.write() as s:
            task, _, role = require_task(s, actor, task_id, Role.REVIEWER)
            _not_own_work(task, actor, role)
            if task.state == TaskState.IN_REVIEW.value and task.reviewer_id == actor.user_id:
                return task
            check_task_transition(task.state, TaskState.IN_REVIEW)
            task.state, task.reviewer_id, task.updated_at = TaskState.IN_REVIEW.value, actor.user_id, utcnow()
            return task

    def decide(
        self,
        actor: Actor,
        task_id: int,
        decision: str,
        *,
        comment: str = "",
        object_comments: dict[str, str] | None = None,
        body: Any = None,
        base_revision_id: int | None = None,
    ) -> ReviewEvent:
        try:
            dec = Decision(decision)
        except ValueError:
            raise InvalidInput("decision must be 'accept' or 'reject'.") from None
        if dec is Decision.REJECT and not comment.strip() and not object_comments:
            raise InvalidInput("Say what to fix: a rejection needs a comment or object comments.")
        with self.deps.db.write() as s:
            task, project, role = require_task(s, actor, task_id, Role.REVIEWER)
            _not_own_work(task, actor, role)
            if task.state == TaskState.SUBMITTED.value:
                check_task_transition(task.state, TaskState.IN_REVIEW)
            elif task.state != TaskState.IN_REVIEW.value:
                raise Conflict(f"Task {task_id} is {task.state}; only submitted tasks can be reviewed.")
            revision_id = task.head_revision_id
            if body is not None:
                if base_revision_id != task.head_revision_id:
                    head = s.get(AnnotationRevision, task.head_revision_id) if task.head_revision_id else None
                    raise Conflict(
                        f"Task {task_id} changed since you loaded it (you had revision {base_revision_id}, it is now "
                        f"at {task.head_revision_id}); reload and review again.",
                        details={
                            "current_revision": None
                            if head is None
                            else {
                                "id": head.id,
                                "author_id": head.author_id,
                                "kind": head.kind,
                                "body": orjson.loads(head.body_json),
                            }
                        },
                    )
                clean = _validated(s, project, task, body, complete=True, blobs=self.deps.blobs)
                rev = add_revision(
                    s,
                    task_id=task_id,
                    project_id=project.id,
                    author_id=actor.user_id,
                    kind="review",
                    parent_id=task.head_revision_id,
                    ontology_version=project.ontology_version,
                    body=clean,
                )
                task.head_revision_id = revision_id = rev.id
            target = TaskState.ACCEPTED if dec is Decision.ACCEPT else TaskState.REJECTED
            task.state, task.reviewer_id, task.updated_at = target.value, actor.user_id, utcnow()
            if target is TaskState.REJECTED:
                task.open_slots = 0
            event = ReviewEvent(
                task_id=task_id,
                reviewer_id=actor.user_id,
                decision=target.value,
                comment=comment,
                object_comments_json=orjson.dumps(object_comments or {}).decode(),
                revision_id=revision_id,
            )
            s.add(event)
            s.flush()
            set_available(s, task_id)
            return event

    def reopen(self, actor: Actor, task_id: int) -> Task:
        """A manager takes an accepted task back into review."""
        with self.deps.db.write() as s:
            task, _, _ = require_task(s, actor, task_id, Role.MANAGER)
            check_task_transition(task.state, TaskState.IN_REVIEW)
            task.state, task.reviewer_id = TaskState.IN_REVIEW.value, actor.user_id
            return task


__all__ = ["Decision", "ReviewService"]
