"""The labeling queue: handing out tasks, leases, skips and time tracking.

Next-task is one index range scan over ``(project_id, available, priority, id)`` and a
conditional ``UPDATE ... WHERE open_slots > 0``, so two labelers can never take the same slot:
on SQLite the write transaction is ``BEGIN IMMEDIATE``; on PostgreSQL the losing UPDATE matches
no row and the next candidate is tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session

from labelhub.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from labelhub.core.workflow import AssignmentState, Role, TaskState, check_task_transition
from labelhub.db.engine import rowcount
from labelhub.db.tables import Asset, Assignment, Project, ReviewEvent, Task, utcnow
from labelhub.services.access import require_project, require_task
from labelhub.services.context import Actor, Deps
from labelhub.services.pagination import Page, check_limit, decode_cursor, page_of

OPEN = (TaskState.QUEUED.value, TaskState.IN_PROGRESS.value)
MAX_ACTIVE_REPORT = 3600.0


@dataclass(frozen=True, slots=True)
class TaskFilter:
    state: str | None = None
    assignee_id: int | None = None
    asset_id: int | None = None


def set_available(s: Session, task_id: int) -> None:
    """Recompute ``available`` after ``state`` or ``open_slots`` changed."""
    s.execute(
        update(Task)
        .where(Task.id == task_id)
        .values(available=case((and_(Task.state.in_(OPEN), Task.open_slots > 0), 1), else_=0), updated_at=utcnow())
    )


def active_assignment(s: Session, task_id: int, user_id: int) -> Assignment | None:
    return s.scalar(
        select(Assignment).where(
            Assignment.task_id == task_id,
            Assignment.user_id == user_id,
            Assignment.state == AssignmentState.ACTIVE.value,
        )
    )


@dataclass(frozen=True, slots=True)
class TaskBundle:
    """What the editor needs to open a task: the task, its asset, review comments, the caller's lease."""

    task: Task
    asset: Asset
    reviews: list[ReviewEvent]
    assignment: Assignment | None


def _bundle(s: Session, task: Task, user_id: int) -> TaskBundle:
    mine = s.scalar(
        select(Assignment)
        .where(Assignment.task_id == task.id, Assignment.user_id == user_id)
        .order_by(Assignment.id.desc())
        .limit(1)
    )
    asset = s.get(Asset, task.asset_id)
    assert asset is not None
    reviews = list(s.scalars(select(ReviewEvent).where(ReviewEvent.task_id == task.id).order_by(ReviewEvent.id)))
    return TaskBundle(task, asset, reviews, mine)


def _new_lease(s: Session, project: Project, task_id: int, user_id: int, now: datetime) -> None:
    s.add(
        Assignment(
            task_id=task_id,
            project_id=project.id,
            user_id=user_id,
            leased_at=now,
            lease_expires_at=now + timedelta(seconds=project.lease_seconds),
        )
    )
    s.flush()


class TaskService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def next_task(self, actor: Actor, project_id: int) -> TaskBundle | None:
        """The caller's current task, a task returned to them, or a new lease; None when the queue is empty."""
        with self.deps.db.write() as s:
            task = self._next(s, actor, project_id)
            return None if task is None else _bundle(s, task, actor.user_id)

    def _next(self, s: Session, actor: Actor, project_id: int) -> Task | None:
        now = utcnow()
        project, _ = require_project(s, actor, project_id, Role.LABELER)
        self._expire_leases(s, now)
        mine = s.scalar(
            select(Task)
            .join(Assignment, Assignment.task_id == Task.id)
            .where(
                Assignment.user_id == actor.user_id,
                Assignment.state == AssignmentState.ACTIVE.value,
                Assignment.project_id == project_id,
            )
            .order_by(Assignment.id)
            .limit(1)
        )
        if mine is not None:
            return mine
        rejected = s.scalar(
            select(Task)
            .where(
                Task.project_id == project_id,
                Task.state == TaskState.REJECTED.value,
                Task.assignee_id == actor.user_id,
            )
            .order_by(Task.id)
            .limit(1)
        )
        if rejected is not None:
            self._reopen(s, project, rejected, actor, now)
            return rejected
        return self._lease_new(s, project, actor, now)

    def _lease_new(self, s: Session, project: Project, actor: Actor, now: datetime) -> Task | None:
        after: tuple[int, int] | None = None
        for _ in range(50):
            q = select(Task.id, Task.priority).where(Task.project_id == project.id, Task.available == 1)
            if after is not None:
                q = q.where((Task.priority < after[0]) | ((Task.priority == after[0]) & (Task.id > after[1])))
            candidates = s.execute(q.order_by(Task.priority.desc(), Task.id).limit(20)).all()
            if not candidates:
                return None
            if project.consensus > 1:
                ids = [c.id for c in candidates]
                taken = set(
                    s.scalars(
                        select(Assignment.task_id).where(
                            Assignment.task_id.in_(ids),
                            Assignment.user_id == actor.user_id,
                            Assignment.state.notin_([AssignmentState.EXPIRED.value, AssignmentState.RELEASED.value]),
                        )
                    )
                )
            else:
                taken = set()
            for c in candidates:
                if c.id in taken:
                    continue
                won = rowcount(
                    s.execute(
                        update(Task)
                        .where(Task.id == c.id, Task.available == 1, Task.open_slots > 0)
                        .values(
                            open_slots=Task.open_slots - 1,
                            available=case((Task.open_slots > 1, 1), else_=0),  # old value: slots left after
                            state=TaskState.IN_PROGRESS.value,
                            assignee_id=actor.user_id,
                            updated_at=now,
                        )
                    )
                )
                if won:
                    _new_lease(s, project, c.id, actor.user_id, now)
                    task = s.get(Task, c.id, populate_existing=True)
                    assert task is not None
                    return task
            last = candidates[-1]
            after = (last.priority, last.id)
        return None

    def _reopen(self, s: Session, project: Project, task: Task, actor: Actor, now: datetime) -> None:
        check_task_transition(task.state, TaskState.IN_PROGRESS)
        task.state = TaskState.IN_PROGRESS.value
        task.updated_at = now
        _new_lease(s, project, task.id, actor.user_id, now)

    def _expire_leases(self, s: Session, now: datetime) -> int:
        expired = s.execute(
            select(Assignment.id, Assignment.task_id)
            .where(Assignment.state == AssignmentState.ACTIVE.value, Assignment.lease_expires_at < now)
            .limit(500)
        ).all()
        for a in expired:
            self._return_slot(s, a.id, a.task_id, AssignmentState.EXPIRED)
        return len(expired)

    def _return_slot(self, s: Session, assignment_id: int, task_id: int, new_state: AssignmentState) -> None:
        s.execute(update(Assignment).where(Assignment.id == assignment_id).values(state=new_state.value))
        task = s.get(Task, task_id)
        if task is None:
            return
        if task.state == TaskState.IN_PROGRESS.value and self._reopened_rejection(s, task):
            task.state = TaskState.REJECTED.value  # back to its labeler with the comments, not to the queue
            s.flush()
            return
        if task.state == TaskState.IN_PROGRESS.value and task.open_slots < task.required:
            task.open_slots += 1
            still_active = s.scalar(
                select(func.count()).where(
                    Assignment.task_id == task_id, Assignment.state == AssignmentState.ACTIVE.value
                )
            )
            submitted = s.scalar(
                select(func.count()).where(
                    Assignment.task_id == task_id, Assignment.state == AssignmentState.SUBMITTED.value
                )
            )
            if not still_active and not submitted:
                task.state = TaskState.QUEUED.value
                task.assignee_id = None
            s.flush()
            set_available(s, task_id)

    @staticmethod
    def _reopened_rejection(s: Session, task: Task) -> bool:
        last = s.scalar(
            select(ReviewEvent.decision).where(ReviewEvent.task_id == task.id).order_by(ReviewEvent.id.desc()).limit(1)
        )
        return last == TaskState.REJECTED.value

    def expire_leases(self) -> int:
        with self.deps.db.write() as s:
            return self._expire_leases(s, utcnow())

    def release(self, actor: Actor, task_id: int) -> None:
        """Give a task back to the queue without submitting (the draft is kept)."""
        with self.deps.db.write() as s:
            require_task(s, actor, task_id, Role.LABELER)
            a = active_assignment(s, task_id, actor.user_id)
            if a is None:
                raise Conflict(f"You hold no lease on task {task_id}.")
            self._return_slot(s, a.id, task_id, AssignmentState.RELEASED)

    def skip(self, actor: Actor, task_id: int, reason: str) -> Task:
        if not reason.strip():
            raise InvalidInput("Say why you skip the task (for example 'image unreadable').")
        with self.deps.db.write() as s:
            task, _, _ = require_task(s, actor, task_id, Role.LABELER)
            a = active_assignment(s, task_id, actor.user_id)
            if a is None:
                raise Conflict(f"You hold no lease on task {task_id}; open it with next-task first.")
            check_task_transition(task.state, TaskState.SKIPPED)
            a.state, a.skip_reason = AssignmentState.SKIPPED.value, reason.strip()
            task.state, task.skip_reason, task.open_slots = TaskState.SKIPPED.value, reason.strip(), 0
            s.flush()
            set_available(s, task_id)
            s.refresh(task)
            return task

    def requeue(self, actor: Actor, task_id: int) -> Task:
        """A manager puts a skipped task back in the queue."""
        with self.deps.db.write() as s:
            task, _, _ = require_task(s, actor, task_id, Role.MANAGER)
            check_task_transition(task.state, TaskState.QUEUED)
            task.state, task.open_slots, task.skip_reason, task.assignee_id = (
                TaskState.QUEUED.value,
                task.required,
                None,
                None,
            )
            s.flush()
            set_available(s, task_id)
            s.refresh(task)
            return task

    def set_priority(self, actor: Actor, task_id: int, priority: int) -> Task:
        with self.deps.db.write() as s:
            task, _, _ = require_task(s, actor, task_id, Role.MANAGER)
            task.priority = priority
            return task

    def report_time(self, actor: Actor, task_id: int, active_seconds: float) -> Assignment:
        """Add the client's active (not idle) seconds and extend the lease: a heartbeat."""
        if not 0 <= active_seconds <= MAX_ACTIVE_REPORT:
            raise InvalidInput(f"active_seconds must be between 0 and {MAX_ACTIVE_REPORT:g} per report.")
        with self.deps.db.write() as s:
            _, project, _ = require_task(s, actor, task_id, Role.LABELER)
            a = active_assignment(s, task_id, actor.user_id)
            if a is None:
                raise Conflict(f"You hold no lease on task {task_id}; the lease may have expired — open it again.")
            a.active_seconds += active_seconds
            a.lease_expires_at = utcnow() + timedelta(seconds=project.lease_seconds)
            return a

    def get(self, actor: Actor, task_id: int) -> TaskBundle:
        with self.deps.db.read() as s:
            task, _, role = require_task(s, actor, task_id, Role.LABELER)
            bundle = _bundle(s, task, actor.user_id)
            if not role.includes(Role.REVIEWER) and bundle.assignment is None:
                raise NotFound(f"Task {task_id} not found.")
            return bundle

    def page(
        self, actor: Actor, project_id: int, flt: TaskFilter, *, cursor: str | None = None, limit: int = 100
    ) -> Page[Task]:
        check_limit(limit)
        after = decode_cursor(cursor)
        with self.deps.db.read() as s:
            _, role = require_project(s, actor, project_id, Role.LABELER)
            q = select(Task).where(Task.project_id == project_id)
            if not role.includes(Role.REVIEWER):
                if flt.assignee_id not in (None, actor.user_id):
                    raise Forbidden("Labelers can list only their own tasks.")
                q = q.where(Task.assignee_id == actor.user_id)
            elif flt.assignee_id is not None:
                q = q.where(Task.assignee_id == flt.assignee_id)
            if flt.state is not None:
                q = q.where(Task.state == TaskState(flt.state).value)
            if flt.asset_id is not None:
                q = q.where(Task.asset_id == flt.asset_id)
            if after is not None:
                q = q.where(Task.id > after)
            rows = list(s.scalars(q.order_by(Task.id).limit(limit + 1)))
        return page_of(rows, limit, lambda t: t.id)

    def assignment_for(self, s: Session, task_id: int, user_id: int) -> Assignment:
        a = active_assignment(s, task_id, user_id)
        if a is None:
            raise NotFound(f"No active assignment on task {task_id}.")
        return a


__all__ = ["OPEN", "TaskBundle", "TaskFilter", "TaskService", "active_assignment", "set_available"]
