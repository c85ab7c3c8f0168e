"""Background jobs as data.

A job row holds its state (``core.workflow.JobState`` with an explicit transition table), typed
progress, error and result; the queue carries only the job id.  ``run`` is what a worker calls,
and tests call it inline.  A worker that dies mid-job leaves a stale heartbeat; ``recover``
re-queues such jobs until ``job_max_attempts`` and then marks them failed — never running forever.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import select, update

from labelhub.core.errors import Conflict, LabelhubError, NotFound
from labelhub.core.workflow import JobState, Role, check_job_transition
from labelhub.db import statistics
from labelhub.db.tables import Job, utcnow
from labelhub.services.access import require_project
from labelhub.services.context import Actor, Deps
from labelhub.services.pagination import check_limit

log = logging.getLogger("labelhub.jobs")


class JobCancelled(Exception):
    pass


@dataclass
class JobContext:
    """Handed to a job handler: its payload, and a progress callback that doubles as heartbeat."""

    job_id: str
    kind: str
    project_id: int | None
    created_by: int | None
    payload: dict[str, Any]
    deps: Deps
    _last_write: float = 0.0

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < 0.5:
            return
        self._last_write = now
        with self.deps.db.write() as s:
            state = s.scalar(select(Job.state).where(Job.id == self.job_id))
            if state == JobState.CANCELLED.value:
                raise JobCancelled(self.job_id)
            values: dict[str, Any] = {"progress_done": done, "heartbeat_at": utcnow()}
            if total is not None:
                values["progress_total"] = total
            s.execute(update(Job).where(Job.id == self.job_id).values(**values))


Handler = Callable[[JobContext], dict[str, Any] | None]


class JobService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.handlers: dict[str, Handler] = {}
        self.register("refresh_statistics", self._refresh_statistics)

    def _refresh_statistics(self, ctx: JobContext) -> dict[str, Any]:
        tables = [t for t in ctx.payload.get("tables", []) if t in ("assets", "tasks", "annotation_revisions")]
        statistics.refresh(self.deps.db.engine, tables)
        return {"analyzed": tables}

    def register(self, kind: str, handler: Handler) -> None:
        if kind in self.handlers:
            raise ValueError(f"job kind '{kind}' is registered twice")
        self.handlers[kind] = handler

    def submit(self, kind: str, payload: dict[str, Any], *, project_id: int | None, created_by: int | None) -> str:
        """Record the job, commit, then enqueue (a worker must never see an id before its row)."""
        if kind not in self.handlers:
            raise ValueError(f"unknown job kind '{kind}'; known: {sorted(self.handlers)}")
        job_id = str(uuid.uuid4())
        with self.deps.db.write() as s:
            s.add(
                Job(
                    id=job_id,
                    kind=kind,
                    project_id=project_id,
                    created_by=created_by,
                    payload_json=orjson.dumps(payload).decode(),
                )
            )
        self.deps.queue.enqueue(job_id)
        return job_id

    def submit_once(self, kind: str, payload: dict[str, Any], *, project_id: int | None) -> str | None:
        """Submit unless a job of this kind is already waiting (maintenance work that coalesces)."""
        with self.deps.db.read() as s:
            waiting = s.scalar(select(Job.id).where(Job.kind == kind, Job.state == JobState.QUEUED.value).limit(1))
        return None if waiting else self.submit(kind, payload, project_id=project_id, created_by=None)

    def run(self, job_id: str) -> None:
        with self.deps.db.write() as s:
            job = s.get(Job, job_id)
            if job is None or job.state != JobState.QUEUED.value:
                return  # already taken by another worker, finished or cancelled: deliveries may repeat
            check_job_transition(job.state, JobState.RUNNING)
            job.state, job.started_at, job.heartbeat_at = JobState.RUNNING.value, utcnow(), utcnow()
            job.attempts += 1
            job.error = None
            ctx = JobContext(
                job.id, job.kind, job.project_id, job.created_by, orjson.loads(job.payload_json), self.deps
            )
        handler = self.handlers.get(ctx.kind)
        try:
            if handler is None:
                raise NotFound(f"No handler for job kind '{ctx.kind}' in this version of labelhub.")
            result = handler(ctx) or {}
        except JobCancelled:
            return
        except LabelhubError as e:
            self._finish(job_id, JobState.FAILED, error=e.message)
            return
        except Exception as e:
            log.error("job %s (%s) failed:\n%s", job_id, ctx.kind, traceback.format_exc())
            self._finish(job_id, JobState.FAILED, error=f"Internal error ({type(e).__name__}); see the server log.")
            return
        self._finish(job_id, JobState.SUCCEEDED, result=result)

    def _finish(
        self, job_id: str, state: JobState, *, error: str | None = None, result: dict[str, Any] | None = None
    ) -> None:
        with self.deps.db.write() as s:
            job = s.get(Job, job_id)
            if job is None or job.state == JobState.CANCELLED.value:
                return
            check_job_transition(job.state, state)
            job.state, job.finished_at, job.error = state.value, utcnow(), error
            if result is not None:
                job.result_json = orjson.dumps(result).decode()
                if job.progress_total is not None:
                    job.progress_done = job.progress_total

    def recover(self) -> tuple[int, int]:
        """Re-queue jobs whose worker stopped heart-beating; fail those out of attempts. -> (requeued, failed)"""
        limits = self.deps.limits
        cutoff = utcnow() - timedelta(seconds=limits.job_stale_seconds)
        requeue: list[str] = []
        failed = 0
        with self.deps.db.write() as s:
            stale = s.scalars(select(Job).where(Job.state == JobState.RUNNING.value, Job.heartbeat_at < cutoff)).all()
            for job in stale:
                if job.attempts < limits.job_max_attempts:
                    job.state = check_job_transition(job.state, JobState.QUEUED).value
                    job.error = f"worker stopped during attempt {job.attempts}; retrying"
                    requeue.append(job.id)
                else:
                    job.state = JobState.FAILED.value
                    job.finished_at = utcnow()
                    job.error = f"worker stopped during attempt {job.attempts} of {limits.job_max_attempts}; giving up"
                    failed += 1
            lost = s.scalars(select(Job.id).where(Job.state == JobState.QUEUED.value, Job.created_at < cutoff)).all()
            requeue.extend(j for j in lost if j not in requeue)
        for job_id in requeue:
            self.deps.queue.enqueue(job_id)
        return len(requeue), failed

    def get(self, actor: Actor, job_id: str) -> Job:
        with self.deps.db.read() as s:
            job = s.get(Job, job_id)
            if job is None:
                raise NotFound(f"Job {job_id} not found.")
            self._may_see(s, actor, job)
            return job

    def cancel(self, actor: Actor, job_id: str) -> Job:
        with self.deps.db.write() as s:
            job = s.get(Job, job_id)
            if job is None:
                raise NotFound(f"Job {job_id} not found.")
            self._may_see(s, actor, job)
            if not actor.is_admin and job.created_by != actor.user_id and job.project_id is not None:
                require_project(s, actor, job.project_id, Role.MANAGER)  # reviewers may watch, not cancel
            if job.state not in (JobState.QUEUED.value, JobState.RUNNING.value):
                raise Conflict(f"Job {job_id} is {job.state} and can no longer be cancelled.")
            job.state, job.finished_at = JobState.CANCELLED.value, utcnow()
            return job

    def recent(self, actor: Actor, project_id: int, *, limit: int = 50) -> list[Job]:
        """The project's newest jobs first (job lists are short: no cursor)."""
        check_limit(limit)
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.REVIEWER)
            q = select(Job).where(Job.project_id == project_id)
            return list(s.scalars(q.order_by(Job.created_at.desc(), Job.id).limit(limit)))

    def _may_see(self, s: Any, actor: Actor, job: Job) -> None:
        if actor.is_admin or job.created_by == actor.user_id:
            return
        if job.project_id is None:
            raise NotFound(f"Job {job.id} not found.")
        try:
            require_project(s, actor, job.project_id, Role.REVIEWER)
        except LabelhubError:
            raise NotFound(f"Job {job.id} not found.") from None


def job_result(job: Job) -> dict[str, Any] | None:
    return None if job.result_json is None else dict(orjson.loads(job.result_json))


__all__ = ["Handler", "JobCancelled", "JobContext", "JobService", "job_result"]
