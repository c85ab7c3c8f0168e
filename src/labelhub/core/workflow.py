"""Task and job life cycles as data: each a status enum plus an explicit transition table.

Task states::

    queued --lease--> in_progress --submit--> submitted --open review--> in_review --accept--> accepted
      ^                 |    |                                              |
      +--lease expires--+    +--skip--> skipped --requeue--> queued         +--reject--> rejected
                                                                                  rejected --reopen--> in_progress

A task with consensus N stays ``queued``/``in_progress`` until N labelers have submitted.
"""

from __future__ import annotations

from enum import StrEnum

from labelhub.core.errors import Conflict


class TaskState(StrEnum):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SKIPPED = "skipped"


TASK_TRANSITIONS: dict[TaskState, frozenset[TaskState]] = {
    TaskState.QUEUED: frozenset({TaskState.IN_PROGRESS, TaskState.SKIPPED}),
    TaskState.IN_PROGRESS: frozenset({TaskState.QUEUED, TaskState.IN_PROGRESS, TaskState.SUBMITTED, TaskState.SKIPPED}),
    TaskState.SUBMITTED: frozenset({TaskState.IN_REVIEW, TaskState.ACCEPTED, TaskState.REJECTED}),
    TaskState.IN_REVIEW: frozenset({TaskState.ACCEPTED, TaskState.REJECTED, TaskState.SUBMITTED}),
    TaskState.ACCEPTED: frozenset({TaskState.IN_REVIEW}),
    TaskState.REJECTED: frozenset({TaskState.IN_PROGRESS, TaskState.SUBMITTED}),
    TaskState.SKIPPED: frozenset({TaskState.QUEUED}),
}


def check_task_transition(current: TaskState | str, target: TaskState | str) -> TaskState:
    cur, tgt = TaskState(current), TaskState(target)
    if tgt not in TASK_TRANSITIONS[cur]:
        allowed = ", ".join(sorted(TASK_TRANSITIONS[cur])) or "none"
        raise Conflict(
            f"A task that is {cur.value} cannot become {tgt.value}; from {cur.value} it may become: {allowed}.",
            details={"state": cur.value},
        )
    return tgt


class AssignmentState(StrEnum):
    """One labeler's hold on a task."""

    ACTIVE = "active"
    SUBMITTED = "submitted"
    SKIPPED = "skipped"
    EXPIRED = "expired"
    RELEASED = "released"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


JOB_TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.CANCELLED, JobState.FAILED}),
    # RUNNING -> QUEUED is the retry of a job whose worker died.
    JobState.RUNNING: frozenset({JobState.SUCCEEDED, JobState.FAILED, JobState.QUEUED, JobState.CANCELLED}),
    JobState.SUCCEEDED: frozenset(),
    JobState.FAILED: frozenset({JobState.QUEUED}),
    JobState.CANCELLED: frozenset(),
}


def check_job_transition(current: JobState | str, target: JobState | str) -> JobState:
    cur, tgt = JobState(current), JobState(target)
    if tgt not in JOB_TRANSITIONS[cur]:
        raise Conflict(f"A job that is {cur.value} cannot become {tgt.value}.")
    return tgt


class Role(StrEnum):
    """Project roles, ordered by what they may do (a manager may do what a reviewer may)."""

    LABELER = "labeler"
    REVIEWER = "reviewer"
    MANAGER = "manager"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def includes(self, other: Role) -> bool:
        return self.rank >= other.rank


_RANK = {Role.LABELER: 1, Role.REVIEWER: 2, Role.MANAGER: 3}

__all__ = [
    "JOB_TRANSITIONS",
    "TASK_TRANSITIONS",
    "AssignmentState",
    "JobState",
    "Role",
    "TaskState",
    "check_job_transition",
    "check_task_transition",
]
