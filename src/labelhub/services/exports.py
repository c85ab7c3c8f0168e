"""Exports as background jobs: a format module writes from a streamed view of the project.

The view (``DbExportSource``) reads in id order with server-side batches, so memory does not grow
with the number of annotations.  The file goes to blob storage under ``exports/<job id>.<ext>``.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson
from sqlalchemy import String, delete, func, select, type_coerce
from sqlalchemy.orm import Session

from labelhub.core.errors import InvalidInput, NotFound
from labelhub.core.formats import ExportItem, ExportOptions
from labelhub.core.workflow import JobState, Role, TaskState
from labelhub.db.tables import (
    AnnotationRevision,
    Asset,
    DatasetVersion,
    OntologyVersion,
    Project,
    ReviewEvent,
    Task,
    User,
    UTCDateTime,
)
from labelhub.services.access import require_project
from labelhub.services.assets import open_source
from labelhub.services.context import Actor, Deps
from labelhub.services.ingest import companion_key
from labelhub.services.jobs import JobContext, JobService
from labelhub.services.projects import load_ontology

BATCH = 2000
_SPLIT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _utc(v: Any) -> str | None:
    """A raw stored timestamp (SQLite: 'YYYY-MM-DD HH:MM:SS.ffffff'; PostgreSQL: a naive datetime) as
    ISO 8601 UTC with an explicit offset."""
    if v is None:
        return None
    if isinstance(v, str):
        return v.replace(" ", "T", 1) + "+00:00"
    return str(v.isoformat()) + "+00:00"


class DbExportSource:
    def __init__(
        self,
        deps: Deps,
        s: Session,
        project: Project,
        states: tuple[str, ...] | None,
        labelers: tuple[int, ...] | None = None,
    ) -> None:
        self.deps, self.s, self.project_row, self.states, self.labelers = deps, s, project, states, labelers
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
        return dict(s.execute(select(User.id, User.username).where(User.id.in_(ids))).all()) if ids else {}

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

    def _rows(self, cols: list[Any], where: Any, order: Any, join: Any = None) -> Iterator[dict[str, Any]]:
        """Stream rows as dicts.  Timestamps skip SQLAlchemy's per-value conversion (the biggest cost
        of a large export) and become ISO 8601 UTC strings here."""
        keys = [c.key for c in cols]
        stamps = [i for i, c in enumerate(cols) if isinstance(c.type, UTCDateTime)]
        q = select(*[type_coerce(c, String) if i in stamps else c for i, c in enumerate(cols)])
        if join is not None:
            q = q.join(*join)
        q = q.where(*where).order_by(order).execution_options(yield_per=BATCH)
        for row in self.s.connection().execute(q):  # Core, not ORM: no per-row entity loading
            d = dict(zip(keys, row, strict=True))
            for i in stamps:
                d[keys[i]] = _utc(row[i])
            yield d

    def _scope(self, column: Any) -> list[Any]:
        return [column.in_(self._task_filter())] if self.states else []

    def iter_assets(self) -> Iterator[dict[str, Any]]:
        A = Asset
        cols = [
            A.id,
            A.kind,
            A.status,
            A.filename,
            A.sha256,
            A.size_bytes,
            A.uri,
            A.mime_type,
            A.width,
            A.height,
            A.channels,
            A.pages,
            A.depth,
            A.text_length,
            A.meta_json,
            A.storage_key,
            A.created_at,
        ]
        where = [A.project_id == self.project_row.id]
        if self.states:
            where.append(A.id.in_(select(Task.asset_id).where(Task.id.in_(self._task_filter()))))
        for d in self._rows(cols, where, A.id):
            d["meta"] = orjson.loads(d.pop("meta_json"))
            yield d

    def iter_tasks(self) -> Iterator[dict[str, Any]]:
        T = Task
        cols = [
            T.id,
            T.asset_id,
            T.state,
            T.priority,
            T.required,
            T.head_revision_id,
            T.assignee_id,
            T.reviewer_id,
            T.skip_reason,
            T.created_at,
            T.updated_at,
        ]
        return self._rows(cols, [T.project_id == self.project_row.id, *self._scope(T.id)], T.id)

    def iter_revisions(self) -> Iterator[tuple[dict[str, Any], str]]:
        R = AnnotationRevision
        cols = [
            R.id,
            R.task_id,
            R.author_id,
            R.kind,
            R.parent_id,
            R.ontology_version,
            R.object_count,
            R.created_at,
            R.body_json,
        ]
        for d in self._rows(cols, [R.project_id == self.project_row.id, *self._scope(R.task_id)], R.id):
            yield d, d.pop("body_json")

    def iter_reviews(self) -> Iterator[dict[str, Any]]:
        E = ReviewEvent
        cols = [
            E.id,
            E.task_id,
            E.reviewer_id,
            E.decision,
            E.comment,
            E.object_comments_json,
            E.revision_id,
            E.created_at,
        ]
        where = [Task.project_id == self.project_row.id, *self._scope(Task.id)]
        for d in self._rows(cols, where, E.id, join=(Task, Task.id == E.task_id)):
            d["object_comments"] = orjson.loads(d.pop("object_comments_json"))
            yield d

    def _item_where(self) -> list[Any]:
        where = [Task.project_id == self.project_row.id]
        if self.states:
            where.append(Task.state.in_(self.states))
        if self.labelers:
            where.append(AnnotationRevision.author_id.in_(self.labelers))
        return where

    def count_items(self) -> int:
        q = select(func.count()).select_from(Task)
        if self.labelers:
            q = q.join(AnnotationRevision, AnnotationRevision.id == Task.head_revision_id)
        return int(self.s.scalar(q.where(*self._item_where())) or 0)

    def iter_items(self) -> Iterator[ExportItem]:
        """Tasks joined to their asset and head revision, in task id order, streamed in batches."""
        T, A, R = Task, Asset, AnnotationRevision
        q = (
            select(
                T.id, T.state, T.head_revision_id, R.author_id, R.body_json,
                A.id, A.filename, A.kind, A.width, A.height, A.pages, A.sha256, A.storage_key, A.uri,
            )
            .join(A, A.id == T.asset_id)
            .join(R, R.id == T.head_revision_id, isouter=not self.labelers)
            .where(*self._item_where())
            .order_by(T.id)
            .execution_options(yield_per=BATCH)
        )  # fmt: skip
        keys = ("id", "filename", "kind", "width", "height", "pages", "sha256", "storage_key", "uri")
        for row in self.s.connection().execute(q):
            yield ExportItem(row[0], row[1], dict(zip(keys, row[5:], strict=True)), row[2], row[3], row[4])

    def open_media(self, asset: dict[str, Any]) -> BinaryIO | None:
        if not asset.get("storage_key"):
            return None
        row = self.s.get(Asset, asset["id"])
        assert row is not None
        src = open_source(self.deps, row)
        return None if isinstance(src, str) else src

    def open_companion(self, asset: dict[str, Any], name: str) -> BinaryIO | None:
        key = asset.get("storage_key")
        if not key or not self.deps.blobs.exists(companion_key(key, name)):
            return None
        return self.deps.blobs.open(companion_key(key, name))


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
        classes: list[str] | None = None,
        labelers: list[str] | None = None,
        split: dict[str, float] | None = None,
        seed: int = 0,
    ) -> str:
        self.deps.formats.exporter(fmt)  # unknown format -> NotFound listing the known ones, before any job
        for st in states or []:
            try:
                TaskState(st)
            except ValueError:
                raise InvalidInput(f"Unknown task state '{st}'; use {[t.value for t in TaskState]}.") from None
        with self.deps.db.read() as s:
            project, _ = require_project(s, actor, project_id, Role.MANAGER)
            if classes:
                onto = load_ontology(s, project)
                unknown = [c for c in classes if not onto.has_class(c)]
                if unknown:
                    known = ", ".join(c.id for c in onto.classes)
                    raise InvalidInput(f"Unknown class(es) {unknown} in the class filter; the ontology has: {known}.")
            labeler_ids = _user_ids(s, labelers) if labelers else None
        payload = {
            "format": fmt,
            "states": states,
            "include_media": include_media,
            "options": options or {},
            "classes": classes or None,
            "labelers": labeler_ids,
            "labeler_names": labelers or None,
            "split": _check_split(split),
            "seed": seed,
        }
        return self.jobs.submit("export", payload, project_id=project_id, created_by=actor.user_id)

    def run_export(self, ctx: JobContext) -> dict[str, Any]:
        p = ctx.payload
        exporter = self.deps.formats.exporter(p["format"])
        opts = ExportOptions(
            tuple(p["states"]) if p.get("states") else None,
            bool(p.get("include_media", True)),
            p.get("options") or {},
            tuple(p["classes"]) if p.get("classes") else None,
            tuple(p["labelers"]) if p.get("labelers") else None,
            tuple((k, float(v)) for k, v in p["split"]) if p.get("split") else None,
            int(p.get("seed") or 0),
        )
        key = f"exports/{ctx.job_id}.{exporter.extension}"
        with tempfile.TemporaryFile() as tmp:
            with self.deps.db.read() as s:
                project = s.get(Project, ctx.project_id)
                if project is None:
                    raise NotFound(f"Project {ctx.project_id} was deleted.")
                source = DbExportSource(self.deps, s, project, opts.states, opts.labelers)
                report = exporter.export(source, tmp, opts, lambda done, total: ctx.progress(done, total))
            size = tmp.tell()
            tmp.seek(0)
            sha = hashlib.sha256()
            while chunk := tmp.read(1 << 20):
                sha.update(chunk)
            tmp.seek(0)
            self.deps.blobs.put(key, tmp, content_type=exporter.media_type)
        result = {
            "key": key,
            "format": exporter.name,
            "bytes": size,
            "sha256": sha.hexdigest(),
            "media_type": exporter.media_type,
            "filename": f"project-{ctx.project_id}-{exporter.name}.{exporter.extension}",
            "report": report,
        }
        flt = {k: p.get(k) for k in ("states", "classes", "labeler_names", "split", "seed", "include_media", "options")}
        with self.deps.db.write() as s:
            # a job re-run after its worker died replaces the version the first run may have recorded
            s.execute(delete(DatasetVersion).where(DatasetVersion.job_id == ctx.job_id))
            row = DatasetVersion(
                project_id=ctx.project_id,
                job_id=ctx.job_id,
                format=exporter.name,
                filter_json=orjson.dumps(flt).decode(),
                content_sha256=result["sha256"],
                size_bytes=size,
                blob_key=key,
                filename=result["filename"],
                media_type=exporter.media_type,
                report_json=orjson.dumps(report).decode(),
                created_by=ctx.created_by,
            )
            s.add(row)
            s.flush()
            result["dataset_version"] = row.id
        return result

    def versions(self, actor: Actor, project_id: int, *, limit: int = 100) -> list[DatasetVersion]:
        """The project's dataset versions, newest first."""
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)
            q = (
                select(DatasetVersion)
                .where(DatasetVersion.project_id == project_id)
                .order_by(DatasetVersion.id.desc())
                .limit(limit)
            )
            return list(s.scalars(q))

    def download_version(self, actor: Actor, version_id: int) -> tuple[BinaryIO, DatasetVersion]:
        with self.deps.db.read() as s:
            row = s.get(DatasetVersion, version_id)
            if row is None:
                raise NotFound(f"Dataset version {version_id} does not exist.")
            try:
                require_project(s, actor, row.project_id, Role.MANAGER)
            except NotFound:
                raise NotFound(f"Dataset version {version_id} does not exist.") from None
        return self.deps.blobs.open(row.blob_key), row

    def download(self, actor: Actor, job_id: str) -> tuple[BinaryIO, dict[str, Any]]:
        job = self.jobs.get(actor, job_id)
        if job.kind != "export" or job.state != JobState.SUCCEEDED.value or not job.result_json:
            raise NotFound(f"Job {job_id} has no finished export to download (it is {job.state}).")
        if job.project_id is not None:
            with self.deps.db.read() as s:
                require_project(s, actor, job.project_id, Role.MANAGER)
        result = orjson.loads(job.result_json)
        return self.deps.blobs.open(result["key"]), result


def _user_ids(s: Session, usernames: list[str]) -> list[int]:
    found = dict(s.execute(select(User.username, User.id).where(User.username.in_(usernames))).all())
    missing = sorted(set(usernames) - set(found))
    if missing:
        raise InvalidInput(f"Unknown labeler(s) {missing} in the labeler filter; give usernames.")
    return [found[u] for u in usernames]


def _check_split(split: dict[str, float] | None) -> list[list[Any]] | None:
    """``{"train": 0.8, "val": 0.2}`` -> ``[["train", 0.8], ["val", 0.2]]`` (order kept); ratios sum to 1."""
    if not split:
        return None
    for name, ratio in split.items():
        if not _SPLIT_NAME.match(name):
            raise InvalidInput(f"Split name '{name}' must be 1-32 lower-case letters, digits, '_' or '-'.")
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 < ratio <= 1:
            raise InvalidInput(f"Split '{name}' needs a ratio in (0, 1], got {ratio!r}.")
    total = sum(split.values())
    if abs(total - 1) > 1e-6:
        raise InvalidInput(f"Split ratios must sum to 1, they sum to {total:g}.")
    return [[k, float(v)] for k, v in split.items()]


__all__ = ["DbExportSource", "ExportService"]
