"""Writing one immutable annotation revision: the single place that builds the row."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.orm import Session

from labelhub.db.tables import AnnotationRevision


def add_revision(
    s: Session,
    *,
    task_id: int,
    project_id: int,
    author_id: int | None,
    kind: str,
    parent_id: int | None,
    ontology_version: int,
    body: dict[str, Any],
) -> AnnotationRevision:
    """Insert a revision of an already validated ``body`` and flush, so ``.id`` is set."""
    rev = AnnotationRevision(
        task_id=task_id,
        project_id=project_id,
        author_id=author_id,
        kind=kind,
        parent_id=parent_id,
        ontology_version=ontology_version,
        object_count=len(body.get("objects", [])),
        body_json=orjson.dumps(body).decode(),
    )
    s.add(rev)
    s.flush()
    return rev


__all__ = ["add_revision"]
