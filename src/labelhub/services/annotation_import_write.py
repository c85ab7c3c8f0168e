"""Writing a planned annotation import: one transaction, all or nothing.

The plan was made in a read transaction (so a large import can report progress while it is
prepared); here, under the write lock, it is checked against what changed since: a different
ontology version refuses the import (``Conflict``: run it again), a task whose head moved gets the
new head as parent (and, in ``append`` mode, a body rebuilt on it), a task deleted since is
skipped with a warning.  Revisions go in as one batch insert.
"""

from __future__ import annotations

from typing import Any, cast

import orjson
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session

from labelhub.core.errors import Conflict
from labelhub.db.tables import AnnotationRevision, OntologyVersion, Project, Task
from labelhub.services import audit
from labelhub.services.annotation_import_plan import Plan, build_body

CHUNK = 5000


def write_plan(s: Session, plan: Plan, user_id: int | None) -> int:
    """Store the plan's revisions; returns how many were written."""
    project = s.get(Project, plan.project_id, with_for_update=True)
    if project is None:
        raise Conflict(f"Project {plan.project_id} was deleted during the import.")
    if project.ontology_version != plan.base_version:
        raise Conflict(
            f"The ontology of project {project.id} changed (version {plan.base_version} -> "
            f"{project.ontology_version}) while the import was prepared; run the import again."
        )
    if plan.new_classes:
        project.ontology_version += 1
        s.add(
            OntologyVersion(
                project_id=project.id,
                version=project.ontology_version,
                body_json=orjson.dumps(plan.ontology.to_json()).decode(),
                created_by=user_id,
                note=f"classes created by a {plan.fmt} import",
            )
        )
    heads = _current_heads(s, [t.task_id for t in plan.tasks])
    rows: list[dict[str, Any]] = []
    kept = []
    for t in plan.tasks:
        if t.task_id not in heads:
            plan.warn(f"{t.asset.filename}: the task was deleted during the import; skipped")
            continue
        head = heads[t.task_id]
        if head != t.head_id:
            t.head_id = head
            if plan.mode == "append":
                t.body, t.kept = build_body(s, plan, t.asset, head, t.items)
        kept.append(t)
        rows.append(
            {
                "task_id": t.task_id,
                "project_id": project.id,
                "author_id": user_id,
                "kind": "import",
                "parent_id": head,
                "ontology_version": project.ontology_version,
                "object_count": len(t.body["objects"]),
                "body_json": orjson.dumps(t.body).decode(),
            }
        )
    plan.tasks = kept
    for start in range(0, len(rows), CHUNK):
        batch = rows[start : start + CHUNK]
        ids = list(
            s.scalars(insert(AnnotationRevision).returning(AnnotationRevision.id, sort_by_parameter_order=True), batch)
        )
        table = cast(Table, Task.__table__)
        s.execute(
            table.update().where(table.c.id == bindparam("tid")).values(head_revision_id=bindparam("rid")),
            [{"tid": r["task_id"], "rid": rid} for r, rid in zip(batch, ids, strict=True)],
        )
    audit.record(s, user_id, "annotations.import", f"project:{project.id}", format=plan.fmt, revisions=len(rows))
    return len(rows)


def _current_heads(s: Session, task_ids: list[int]) -> dict[int, int | None]:
    heads: dict[int, int | None] = {}
    for start in range(0, len(task_ids), CHUNK):
        chunk = task_ids[start : start + CHUNK]
        heads.update(
            {tid: head for tid, head in s.execute(select(Task.id, Task.head_revision_id).where(Task.id.in_(chunk)))}
        )
    return heads


__all__ = ["write_plan"]
