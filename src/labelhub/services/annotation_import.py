"""Importing pre-labels (or labels from another tool) into a project's existing assets.

Two ways in, one code path:

- ``preview`` (a dry run) parses the upload inside the request and answers with the report: what
  matched, each label and where it goes, the labels still unknown.  Nothing is written.  This is
  the mapping step.
- ``start`` stores the upload and returns a job (kind ``import_annotations``).  The job parses it
  (a malformed file fails the job with the file and the line or key), prepares every task's body
  in a read transaction while reporting progress (tasks prepared / tasks matched), then writes all
  revisions in one transaction: all or nothing.  The report is the job's ``result``.

Modules: ``annotation_import_plan`` (labels -> classes, files -> assets, bodies),
``annotation_import_geometry`` (conversion to a class's tool), ``annotation_import_write``
(the transaction).  Every matched task gets one revision of kind ``import`` whose objects carry
``source: {"kind": "import", "name": <format>, "file": <file>}``.
"""

from __future__ import annotations

import uuid
from typing import Any, BinaryIO

import orjson
from sqlalchemy import update
from sqlalchemy.orm import Session

from labelhub.core.errors import InvalidInput, NotFound
from labelhub.core.formats import ImportedItem
from labelhub.core.workflow import Role
from labelhub.db.tables import Job, Project
from labelhub.services.access import require_project
from labelhub.services.annotation_import_geometry import convert
from labelhub.services.annotation_import_plan import MODES, prepare
from labelhub.services.annotation_import_write import write_plan
from labelhub.services.context import Actor, Deps
from labelhub.services.ingest import spool
from labelhub.services.jobs import JobContext, JobService
from labelhub.services.projects import load_ontology

JOB_KIND = "import_annotations"


def check_mapping(mapping: Any) -> dict[str, str]:
    if mapping is None:
        return {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise InvalidInput("mapping must be a JSON object of label -> class id, 'create', 'create:<tool>' or 'drop'.")
    return mapping


class AnnotationImportService:
    def __init__(self, deps: Deps, jobs: JobService) -> None:
        self.deps, self.jobs = deps, jobs
        jobs.register(JOB_KIND, self.run_job)

    def _check(self, actor: Actor, project_id: int, fmt: str, mode: str) -> None:
        self.deps.formats.annotation_importer(fmt)  # unknown -> NotFound listing the known ones
        if mode not in MODES:
            raise InvalidInput(f"mode must be 'replace' or 'append', got {mode!r}.")
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)

    def _parse(self, fmt: str, stream: BinaryIO, filename: str) -> list[ImportedItem]:
        sp = spool(stream, self.deps.limits.max_upload_bytes)
        try:
            return self.deps.formats.annotation_importer(fmt).read(sp.file, filename)
        finally:
            sp.file.close()

    def preview(
        self,
        actor: Actor,
        project_id: int,
        fmt: str,
        stream: BinaryIO,
        filename: str,
        *,
        mapping: dict[str, str] | None = None,
        mode: str = "replace",
    ) -> dict[str, Any]:
        """The dry run: the full report, nothing written (unknown labels are listed, not refused)."""
        self._check(actor, project_id, fmt, mode)
        items = self._parse(fmt, stream, filename)
        with self.deps.db.read() as s:
            project, _ = require_project(s, actor, project_id, Role.MANAGER)
            plan = prepare(
                s, project, load_ontology(s, project), fmt, items, check_mapping(mapping), mode, dry_run=True
            )
        return plan.result(dry_run=True, revisions=0)

    def start(
        self,
        actor: Actor,
        project_id: int,
        fmt: str,
        stream: BinaryIO,
        filename: str,
        *,
        mapping: dict[str, str] | None = None,
        mode: str = "replace",
    ) -> str:
        """Store the upload and start the import job; returns its id."""
        self._check(actor, project_id, fmt, mode)
        mapping = check_mapping(mapping)
        key = f"uploads/annotation-imports/{uuid.uuid4().hex}"
        sp = spool(stream, self.deps.limits.max_upload_bytes)
        try:
            self.deps.blobs.put(key, sp.file)
        finally:
            sp.file.close()
        payload = {"key": key, "format": fmt, "filename": filename, "mapping": mapping, "mode": mode}
        try:
            return self.jobs.submit(JOB_KIND, payload, project_id=project_id, created_by=actor.user_id)
        except BaseException:
            self.deps.blobs.delete(key)
            raise

    def run_job(self, ctx: JobContext) -> dict[str, Any]:
        p = ctx.payload
        with self.deps.db.read() as s:
            done = s.get(Job, ctx.job_id)
            if done is not None and done.result_json:  # written by an attempt whose worker died after commit
                return dict(orjson.loads(done.result_json))
        try:
            ctx.progress(0, None, force=True)
            with self.deps.blobs.open(p["key"]) as raw:
                items = self._parse(p["format"], raw, p["filename"])
            with self.deps.db.read() as s:
                project = _project_row(s, ctx)
                plan = prepare(
                    s,
                    project,
                    load_ontology(s, project),
                    p["format"],
                    items,
                    p.get("mapping") or {},
                    p.get("mode", "replace"),
                    dry_run=False,
                    progress=lambda done, total: ctx.progress(done, total),
                )
            ctx.progress(len(plan.tasks), len(plan.tasks), force=True)
            with self.deps.db.write() as s:
                revisions = write_plan(s, plan, ctx.created_by)
                result = plan.result(dry_run=False, revisions=revisions)
                # the result commits with the revisions: a retried attempt returns it, writes nothing
                s.execute(update(Job).where(Job.id == ctx.job_id).values(result_json=orjson.dumps(result).decode()))
            return result
        finally:
            self.deps.blobs.delete(p["key"])


def _project_row(s: Session, ctx: JobContext) -> Project:
    project = s.get(Project, ctx.project_id)
    if project is None:
        raise NotFound(f"Project {ctx.project_id} was deleted.")
    return project


__all__ = ["JOB_KIND", "AnnotationImportService", "check_mapping", "convert"]
