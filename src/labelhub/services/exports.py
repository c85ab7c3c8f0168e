"""Exports as background jobs: a format module writes from a streamed view of the project.

The view (``DbExportSource``) reads in id order with server-side batches, so memory does not grow
with the number of annotations.  The file goes to blob storage under ``exports/<job id>.<ext>``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labelhub.core.errors import InvalidInput, NotFound
from labelhub.core.formats import ExportOptions
from labelhub.core.workflow import JobState, Role, TaskState
from labelhub.db.tables import AnnotationRevision, Asset, OntologyVersion, Project, ReviewEvent, Task, User
from labelhub.services.access import require_project
from labelhub.services.assets import open_source
from labelhub.services.context import Actor, Deps
from labelhub.services.jobs import JobContext, JobService

BATCH = 2000


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


class DbExportSource:
    def __init__(self, deps: Deps, s: Session, project: Project, states: tuple[str, ...] | None) -> None:
        self.deps, self.s, self.project_row, self.states = deps, s, project, states
        self.project = {
            "id": project.id,
            "name": project.name,
            "description": project.description,
            "ontology_version": project.ontology_version,
            "consensus": project.consensus,
            "lease_seconds": project.lease_seconds,
            "settings": orjson.loads(project.settings_json),
            "created_at": _iso(project.created_at),
        }
        self.ontology_versions = [
            {
                "version": v.version,
                "ontology": orjson.loads(v.body_json),
                "note": v.note,
                "created_at": _iso(v.created_at),
            }
            for v in s.scalars(
                select(OntologyVersion)
                .where(OntologyVersion.project_id == project.id)
                .order_by(OntologyVersion.version)
            )
        ]
        self.users = self._people(s, project.id)

    @staticmethod
    def _people(s: Session, project_id: int) -> dict[int, str]:
        """Only the accounts that appear in this project's history (no directory of the whole server)."""
        ids: set[int] = set()
        for q in (
            select(AnnotationRevision.author_id).where(AnnotationRevision.project_id == project_id).distinct(),
            select(Task.assignee_id).where(Task.project_id == project_id).distinct(),
            select(Task.reviewer_id).where(Task.project_id == project_id).distinct(),
            select(ReviewEvent.reviewer_id)
            .join(Task, Task.id == ReviewEvent.task_id)
            .where(Task.project_id == project_id)
            .distinct(),
        ):
            ids.update(i for i in s.scalars(q) if i is not None)
        return dict(s.execute(select(User.id, User.username).where(User.id.in_(ids))).tuples().all()) if ids else {}

    def _task_filter(self) -> Any:
        q = select(Task.id).where(Task.project_id == self.project_row.id)
        return q.where(Task.state.in_(self.states)) if self.states else q

    def count_revisions(self) -> int:
        q = (
            select(func.count())
            .select_from(AnnotationRevision)
            .where(AnnotationRevision.project_id == self.project_row.id)
        )
        if self.states:
            q = q.where(AnnotationRevision.task_id.in_(self._task_filter()))
        return int(self.s.scalar(q) or 0)

    def _stream(self, q: Any) -> Iterator[Any]:
        yield from self.s.execute(q.execution_options(yield_per=BATCH))

    def iter_assets(self) -> Iterator[dict[str, Any]]:
        cols = [
            Asset.id,
            Asset.kind,
            Asset.status,
            Asset.filename,
            Asset.sha256,
            Asset.size_bytes,
            Asset.uri,
            Asset.mime_type,
            Asset.width,
            Asset.height,
            Asset.channels,
            Asset.pages,
            Asset.depth,
            Asset.text_length,
            Asset.meta_json,
            Asset.storage_key,
            Asset.created_at,
        ]
        q = select(*cols).where(Asset.project_id == self.project_row.id)
        if self.states:
            q = q.where(Asset.id.in_(select(Task.asset_id).where(Task.id.in_(self._task_filter()))))
        for r in self._stream(q.order_by(Asset.id)):
            d = r._asdict()
            d["meta"] = orjson.loads(d.pop("meta_json"))
            d["created_at"] = _iso(d["created_at"])
            yield d

    def iter_tasks(self) -> Iterator[dict[str, Any]]:
        cols = [
            Task.id,
            Task.asset_id,
            Task.state,
            Task.priority,
            Task.required,
            Task.head_revision_id,
            Task.assignee_id,
            Task.reviewer_id,
            Task.skip_reason,
            Task.created_at,
            Task.updated_at,
        ]
        q = select(*cols).where(Task.project_id == self.project_row.id)
        if self.states:
            q = q.where(Task.state.in_(self.states))
        for r in self._stream(q.order_by(Task.id)):
            d = r._asdict()
            d["created_at"], d["updated_at"] = _iso(d["created_at"]), _iso(d["updated_at"])
            yield d

    def iter_revisions(self) -> Iterator[tuple[dict[str, Any], str]]:
        R = AnnotationRevision
        q = select(
            R.id,
            R.task_id,
            R.author_id,
            R.kind,
            R.parent_id,
            R.ontology_version,
            R.object_count,
            R.created_at,
            R.body_json,
        ).where(R.project_id == self.project_row.id)
        if self.states:
            q = q.where(R.task_id.in_(self._task_filter()))
        for r in self._stream(q.order_by(R.id)):
            yield (
                {
                    "id": r.id,
                    "task_id": r.task_id,
                    "author_id": r.author_id,
                    "kind": r.kind,
                    "parent_id": r.parent_id,
                    "ontology_version": r.ontology_version,
                    "object_count": r.object_count,
                    "created_at": r.created_at.isoformat(),
                },
                r.body_json,
            )

    def iter_reviews(self) -> Iterator[dict[str, Any]]:
        E = ReviewEvent
        q = (
            select(
                E.id,
                E.task_id,
                E.reviewer_id,
                E.decision,
                E.comment,
                E.object_comments_json,
                E.revision_id,
                E.created_at,
            )
            .join(Task, Task.id == E.task_id)
            .where(Task.project_id == self.project_row.id)
        )
        if self.states:
            q = q.where(Task.state.in_(self.states))
        for r in self._stream(q.order_by(E.id)):
            d = r._asdict()
            d["object_comments"] = orjson.loads(d.pop("object_comments_json"))
            d["created_at"] = _iso(d["created_at"])
            yield d

    def open_media(self, asset: dict[str, Any]) -> BinaryIO | None:
        if not asset.get("storage_key"):
            return None
        row = self.s.get(Asset, asset["id"])
        assert row is not None
        src = open_source(self.deps, row)
        return None if isinstance(src, str) else src


class ExportService:
    def __init__(self, deps: Deps, jobs: JobService) -> None:
        self.deps = deps
        self.jobs = jobs
        jobs.register("export", self.run_export)

    def start(
        self,
        actor: Actor,
        project_id: int,
        fmt: str,
        *,
        states: list[str] | None = None,
        include_media: bool = True,
        options: dict[str, Any] | None = None,
    ) -> str:
        self.deps.formats.exporter(fmt)  # unknown format -> NotFound listing the known ones, before any job
        for st in states or []:
            try:
                TaskState(st)
            except ValueError:
                raise InvalidInput(f"Unknown task state '{st}'; use {[t.value for t in TaskState]}.") from None
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)
        payload = {"format": fmt, "states": states, "include_media": include_media, "options": options or {}}
        return self.jobs.submit("export", payload, project_id=project_id, created_by=actor.user_id)

    def run_export(self, ctx: JobContext) -> dict[str, Any]:
        p = ctx.payload
        exporter = self.deps.formats.exporter(p["format"])
        opts = ExportOptions(
            tuple(p["states"]) if p.get("states") else None, bool(p.get("include_media", True)), p.get("options") or {}
        )
        key = f"exports/{ctx.job_id}.{exporter.extension}"
        with tempfile.TemporaryFile() as tmp:
            with self.deps.db.read() as s:
                project = s.get(Project, ctx.project_id)
                if project is None:
                    raise NotFound(f"Project {ctx.project_id} was deleted.")
                source = DbExportSource(self.deps, s, project, opts.states)
                report = exporter.export(source, tmp, opts, lambda done, total: ctx.progress(done, total))
            size = tmp.tell()
            tmp.seek(0)
            self.deps.blobs.put(key, tmp, content_type=exporter.media_type)
        return {
            "key": key,
            "format": exporter.name,
            "bytes": size,
            "media_type": exporter.media_type,
            "filename": f"project-{ctx.project_id}-{exporter.name}.{exporter.extension}",
            "report": report,
        }

    def download(self, actor: Actor, job_id: str) -> tuple[BinaryIO, dict[str, Any]]:
        job = self.jobs.get(actor, job_id)
        if job.kind != "export" or job.state != JobState.SUCCEEDED.value or not job.result_json:
            raise NotFound(f"Job {job_id} has no finished export to download (it is {job.state}).")
        if job.project_id is not None:
            with self.deps.db.read() as s:
                require_project(s, actor, job.project_id, Role.MANAGER)
        result = orjson.loads(job.result_json)
        return self.deps.blobs.open(result["key"]), result


__all__ = ["DbExportSource", "ExportService"]
