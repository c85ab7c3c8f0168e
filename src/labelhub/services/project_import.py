"""Importing a whole project from a project archive (the native format) into this server.

Ids are remapped; authors are matched by username (unknown ones become ``None`` and are named
in the report).  Everything is written in one transaction: a bad archive leaves nothing behind.
(So the job reports no progress while it writes: a progress update is a write of its own, which
SQLite would queue behind this very transaction.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, BinaryIO, cast

import orjson
from sqlalchemy import Table, bindparam, insert, select, update

from labelhub.core.errors import InvalidInput
from labelhub.core.ontology import Ontology
from labelhub.core.workflow import Role, TaskState
from labelhub.db.tables import (
    AnnotationRevision,
    Asset,
    OntologyVersion,
    Project,
    ProjectMember,
    ReviewEvent,
    Task,
    User,
    utcnow,
)
from labelhub.services import audit
from labelhub.services.context import Actor, Deps
from labelhub.services.ingest import media_key, spool
from labelhub.services.jobs import JobContext, JobService

BATCH = 5000


def _dt(v: Any) -> datetime:
    """An exported timestamp; naive ones are UTC (as labelhub stores them)."""
    try:
        parsed = datetime.fromisoformat(v) if isinstance(v, str) else utcnow()
    except ValueError:
        return utcnow()
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class ProjectImportService:
    def __init__(self, deps: Deps, jobs: JobService) -> None:
        self.deps, self.jobs = deps, jobs
        jobs.register("import_project", self.run)

    def start(self, actor: Actor, stream: BinaryIO, filename: str, fmt: str = "native") -> str:
        importer = self.deps.formats.project_importer(fmt)
        sp = spool(stream, self.deps.limits.max_upload_bytes * 4)
        try:
            if not importer.detect(sp.head, filename):
                raise InvalidInput(f"'{filename}' is not a {fmt} project archive.")
            importer.open(sp.file).close()  # manifest checked now: a clear 4xx
            sp.file.seek(0)
            key = f"uploads/{sp.sha256}.project.zip"
            self.deps.blobs.put(key, sp.file)
        finally:
            sp.file.close()
        return self.jobs.submit(
            "import_project", {"key": key, "format": fmt}, project_id=None, created_by=actor.user_id
        )

    def run(self, ctx: JobContext) -> dict[str, Any]:
        importer = self.deps.formats.project_importer(ctx.payload.get("format", "native"))
        with self.deps.blobs.open(ctx.payload["key"]) as raw, spool(raw, 1 << 40).file as f:
            bundle = importer.open(f)
            try:
                result = self._write(ctx, bundle)
            finally:
                bundle.close()
        self.deps.blobs.delete(ctx.payload["key"])
        return result

    def _write(self, ctx: JobContext, bundle: Any) -> dict[str, Any]:
        for v in bundle.ontology_versions:
            Ontology.parse(v["ontology"])
        with self.deps.db.write() as s:
            users = dict(s.execute(select(User.username, User.id)).all())
            author = {old: users.get(name) for old, name in bundle.users.items()}
            missing = sorted({name for old, name in bundle.users.items() if author[old] is None})
            p = bundle.project
            project = Project(
                name=p["name"],
                description=p.get("description", ""),
                ontology_version=p["ontology_version"],
                consensus=p.get("consensus", 1),
                lease_seconds=p.get("lease_seconds", 1800),
                settings_json=orjson.dumps(p.get("settings", {})).decode(),
                created_by=ctx.created_by,
            )
            s.add(project)
            s.flush()
            if ctx.created_by is not None:
                s.add(ProjectMember(project_id=project.id, user_id=ctx.created_by, role=Role.MANAGER.value))
            for v in bundle.ontology_versions:
                s.add(
                    OntologyVersion(
                        project_id=project.id,
                        version=v["version"],
                        note=v.get("note", ""),
                        body_json=orjson.dumps(v["ontology"]).decode(),
                        created_at=_dt(v.get("created_at")),
                    )
                )
            asset_ids = self._assets(s, project.id, bundle, ctx)
            task_ids, heads = self._tasks(s, project.id, bundle, asset_ids, author)
            rev_ids = self._revisions(s, project.id, bundle, task_ids, author, ctx)
            for old_task, old_head in heads.items():
                if old_head is not None:
                    s.execute(
                        update(Task).where(Task.id == task_ids[old_task]).values(head_revision_id=rev_ids.get(old_head))
                    )
            reviews = [
                {
                    "task_id": task_ids[r["task_id"]],
                    "reviewer_id": author.get(r.get("reviewer_id") or -1),
                    "decision": r["decision"],
                    "comment": r.get("comment", ""),
                    "object_comments_json": orjson.dumps(r.get("object_comments", {})).decode(),
                    "revision_id": rev_ids.get(r.get("revision_id") or -1),
                    "created_at": _dt(r.get("created_at")),
                }
                for r in bundle.iter_reviews()
            ]
            if reviews:
                s.execute(insert(ReviewEvent), reviews)
            audit.record(s, ctx.created_by, "project.import", f"project:{project.id}")
            return {
                "project_id": project.id,
                "assets": len(asset_ids),
                "tasks": len(task_ids),
                "revisions": len(rev_ids),
                "reviews": len(reviews),
                "unknown_users": missing,
            }

    def _assets(self, s: Any, project_id: int, bundle: Any, ctx: JobContext) -> dict[int, int]:
        ids: dict[int, int] = {}
        for a in bundle.iter_assets():
            key = None
            media = bundle.open_media(a)
            if media is not None:
                key = media_key(a["sha256"])
                with media:
                    if not self.deps.blobs.exists(key):
                        self.deps.blobs.put(key, media)
            row = Asset(
                project_id=project_id,
                kind=a["kind"],
                status=a.get("status", "ready"),
                filename=a["filename"],
                sha256=a.get("sha256"),
                size_bytes=a.get("size_bytes"),
                storage_key=key,
                uri=a.get("uri"),
                mime_type=a.get("mime_type"),
                width=a.get("width"),
                height=a.get("height"),
                channels=a.get("channels"),
                pages=a.get("pages") or 1,
                depth=a.get("depth"),
                text_length=a.get("text_length"),
                meta_json=orjson.dumps(a.get("meta", {})).decode(),
                created_by=ctx.created_by,
                created_at=_dt(a.get("created_at")),
            )
            s.add(row)
            s.flush()
            ids[a["id"]] = row.id
        return ids

    def _tasks(
        self, s: Any, project_id: int, bundle: Any, asset_ids: dict[int, int], author: dict[int, int | None]
    ) -> tuple[dict[int, int], dict[int, int | None]]:
        olds, rows, heads = [], [], {}
        for t in bundle.iter_tasks():
            if t["asset_id"] not in asset_ids:
                raise InvalidInput(
                    f"tasks.jsonl: task {t['id']} names asset {t['asset_id']}, which is not in assets.jsonl."
                )
            state = TaskState(t["state"])
            # Leases do not travel: work in progress goes back to the queue, its revisions are kept.
            if state is TaskState.IN_PROGRESS:
                state = TaskState.QUEUED
            open_ = state is TaskState.QUEUED
            olds.append(t["id"])
            heads[t["id"]] = t.get("head_revision_id")
            rows.append(
                {
                    "project_id": project_id,
                    "asset_id": asset_ids[t["asset_id"]],
                    "state": state.value,
                    "priority": t.get("priority", 0),
                    "required": t.get("required", 1),
                    "open_slots": t.get("required", 1) if open_ else 0,
                    "available": int(open_),
                    "assignee_id": author.get(t.get("assignee_id") or -1),
                    "reviewer_id": author.get(t.get("reviewer_id") or -1),
                    "skip_reason": t.get("skip_reason"),
                    "created_at": _dt(t.get("created_at")),
                    "updated_at": _dt(t.get("updated_at")),
                }
            )
        new = list(s.scalars(insert(Task).returning(Task.id, sort_by_parameter_order=True), rows)) if rows else []
        return dict(zip(olds, new, strict=True)), heads

    def _revisions(
        self,
        s: Any,
        project_id: int,
        bundle: Any,
        task_ids: dict[int, int],
        author: dict[int, int | None],
        ctx: JobContext,
    ) -> dict[int, int]:
        ids: dict[int, int] = {}
        olds: list[int] = []
        rows: list[dict[str, Any]] = []
        late_parents: list[tuple[int, int]] = []  # (old child id, old parent id) in the same batch

        def flush() -> None:
            new = s.scalars(
                insert(AnnotationRevision).returning(AnnotationRevision.id, sort_by_parameter_order=True), rows
            )
            ids.update(zip(olds, new, strict=True))
            if late_parents:
                table = cast(Table, AnnotationRevision.__table__)
                s.execute(
                    table.update().where(table.c.id == bindparam("rid")).values(parent_id=bindparam("pid")),
                    [{"rid": ids[c], "pid": ids[p]} for c, p in late_parents if p in ids],
                )
                late_parents.clear()
            olds.clear()
            rows.clear()

        for r in bundle.iter_revisions():
            if r["task_id"] not in task_ids:
                raise InvalidInput(f"revisions.jsonl: revision {r['id']} names unknown task {r['task_id']}.")
            olds.append(r["id"])
            if r.get("parent_id") is not None and r["parent_id"] not in ids:
                late_parents.append((r["id"], r["parent_id"]))
            rows.append(
                {
                    "task_id": task_ids[r["task_id"]],
                    "project_id": project_id,
                    "author_id": author.get(r.get("author_id") or -1),
                    "kind": r["kind"],
                    "parent_id": ids.get(r.get("parent_id") or -1),
                    "ontology_version": r["ontology_version"],
                    "object_count": len(r["body"].get("objects", [])),
                    "body_json": orjson.dumps(r["body"]).decode(),
                    "created_at": _dt(r.get("created_at")),
                }
            )
            if len(rows) >= BATCH:
                flush()
        if rows:
            flush()
        return ids


__all__ = ["ProjectImportService"]
