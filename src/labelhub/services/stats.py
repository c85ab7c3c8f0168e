"""Project progress and labeling time: counts by state, per-labeler throughput and time."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from labelhub.core.workflow import AssignmentState, Role
from labelhub.db.tables import Assignment, Task, User, utcnow
from labelhub.services.access import require_project
from labelhub.services.context import Actor, Deps

DAYS = 30  # the throughput chart's window


class StatsService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def project(self, actor: Actor, project_id: int) -> dict[str, Any]:
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.REVIEWER)
            by_state = dict(
                s.execute(
                    select(Task.state, func.count()).where(Task.project_id == project_id).group_by(Task.state)
                ).all()
            )
            A = Assignment
            rows = s.execute(
                select(
                    User.id,
                    User.username,
                    func.count(A.id),
                    func.sum(A.active_seconds),
                    func.sum(func.coalesce(A.active_seconds, 0)).filter(A.state == AssignmentState.SUBMITTED.value),
                    func.count(A.id).filter(A.state == AssignmentState.SUBMITTED.value),
                )
                .join(A, A.user_id == User.id)
                .where(A.project_id == project_id)
                .group_by(User.id, User.username)
                .order_by(User.username)
            ).all()
            submitted_times = [
                float(t)
                for (t,) in s.execute(
                    select(A.active_seconds)
                    .where(A.project_id == project_id, A.state == AssignmentState.SUBMITTED.value)
                    .order_by(A.active_seconds)
                )
            ]
            since = utcnow() - timedelta(days=DAYS)
            day = func.date(A.submitted_at)
            per_day = [
                {"day": str(d), "submitted": int(n)}
                for d, n in s.execute(
                    select(day, func.count())
                    .where(
                        A.project_id == project_id, A.state == AssignmentState.SUBMITTED.value, A.submitted_at >= since
                    )
                    .group_by(day)
                    .order_by(day)
                )
            ]
        labelers = [
            {
                "user_id": uid,
                "username": name,
                "assignments": n,
                "active_seconds": float(total or 0),
                "submitted": int(done or 0),
                "mean_seconds_per_submitted": float(sub_total or 0) / done if done else None,
            }
            for uid, name, n, total, sub_total, done in rows
        ]
        return {
            "tasks_by_state": by_state,
            "tasks_total": sum(by_state.values()),
            "labelers": labelers,
            "time_per_submitted_task": _summary(submitted_times),
            "submitted_per_day": per_day,
        }


def _summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "median": None, "p90": None, "histogram": []}
    n = len(values)
    edges = [0, 15, 30, 60, 120, 300, 600, 1800, float("inf")]
    hist = [
        {"from": lo, "to": None if hi == float("inf") else hi, "count": sum(1 for v in values if lo <= v < hi)}
        for lo, hi in itertools.pairwise(edges)
    ]
    return {"count": n, "median": values[n // 2], "p90": values[min(n - 1, int(n * 0.9))], "histogram": hist}


__all__ = ["StatsService"]
