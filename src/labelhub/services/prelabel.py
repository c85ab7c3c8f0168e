"""Pre-labeling a dataset with an attached model, as a background job with progress.

Each pre-labeled task gets an immutable revision of kind ``prelabel`` (author: none, the model;
the job row records who asked) whose objects carry ``source: {"kind": "model", "name",
"version"}`` and ``confidence``; the task's head moves to it, so whoever opens the task starts
from the suggestions.  A revision rather than a draft because drafts belong to one labeler and
a pre-label belongs to the task, and because the AI report needs the original suggestions
kept unchanged next to the final human annotation (drafts are overwritten and deleted).

Skipped: tasks a human has labeled (any ``submission`` or ``review`` revision), tasks someone
holds a lease on (their submit would otherwise be refused as stale), and, unless ``overwrite``,
tasks that already have a head revision (an earlier pre-label or import).  The head moves by
compare-and-set, so a task labeled while the model ran is left alone.

An asset the model cannot read (a volume or text, a file that no longer decodes, one too large, a
model error on that image) is skipped and listed in the result (``skipped``, the first
``MAX_REPORTED``, by task and asset id and the reason) while the rest are pre-labeled; when the first
``ABORT_AFTER`` assets all fail, the job stops with the last error (a model that fails on everything,
or a dataset of the wrong kind).
A model server that does not answer fails the job at once (``ServiceUnavailable``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson
from sqlalchemy import exists, select, update

from labelhub.core.errors import InvalidInput, PayloadTooLarge
from labelhub.core.workflow import AssignmentState, Role, TaskState
from labelhub.db.engine import rowcount
from labelhub.db.tables import AnnotationRevision, Asset, Assignment, Job, Project, Task
from labelhub.services import audit
from labelhub.services.access import require_project
from labelhub.services.context import Actor, Deps
from labelhub.services.jobs import JobContext, JobService
from labelhub.services.models import ModelService, Suggestions, spec_of
from labelhub.services.projects import load_ontology
from labelhub.services.revisions import add_revision

HUMAN_KINDS = ("submission", "review")
MAX_PAGES = 500  # pages of one document pre-labeled
ABORT_AFTER = 5  # the first this many assets all failing stops the job
MAX_REPORTED = 50  # skipped assets listed in the result
DEFAULT_STATES = (TaskState.QUEUED.value,)
ALLOWED_STATES = (TaskState.QUEUED.value, TaskState.IN_PROGRESS.value, TaskState.SKIPPED.value)


class PrelabelService:
    def __init__(self, deps: Deps, jobs: JobService, models: ModelService) -> None:
        self.deps, self.jobs, self.models = deps, jobs, models
        jobs.register("prelabel", self._run)

    def start(
        self, actor: Actor, project_id: int, model_id: int, states: list[str] | None = None, overwrite: bool = False
    ) -> Job:
        chosen = list(states or DEFAULT_STATES)
        bad = [st for st in chosen if st not in ALLOWED_STATES]
        if bad:
            raise InvalidInput(
                f"states may name {', '.join(ALLOWED_STATES)} (tasks not yet labeled); got {', '.join(bad)}."
            )
        with self.deps.db.read() as s:
            project, _ = require_project(s, actor, project_id, Role.MANAGER)
            attached = ModelService.link(s, project, model_id)
        # fail now, before the job, when the model cannot even be loaded (file gone, server down)
        self.models.loader.load(spec_of(attached.model))
        job_id = self.jobs.submit(
            "prelabel",
            {"model_id": model_id, "states": chosen, "overwrite": bool(overwrite)},
            project_id=project_id,
            created_by=actor.user_id,
        )
        with self.deps.db.write() as s:
            audit.record(s, actor.user_id, "prelabel.start", f"project:{project_id}", model_id=model_id, job=job_id)
        with self.deps.db.read() as s:
            job = s.get(Job, job_id)
            assert job is not None
            return job

    def _candidates(self, project: Project, states: list[str], overwrite: bool) -> list[tuple[int, int | None]]:
        human = exists().where(AnnotationRevision.task_id == Task.id, AnnotationRevision.kind.in_(HUMAN_KINDS))
        leased = exists().where(Assignment.task_id == Task.id, Assignment.state == AssignmentState.ACTIVE.value)
        q = select(Task.id, Task.head_revision_id).where(
            Task.project_id == project.id, Task.state.in_(states), ~human, ~leased
        )
        if not overwrite:
            q = q.where(Task.head_revision_id.is_(None))
        with self.deps.db.read() as s:
            return [(int(t), h) for t, h in s.execute(q.order_by(Task.id))]

    @staticmethod
    def _write(s: Any, project: Project, task_id: int, head: int | None, objects: list[dict[str, Any]]) -> None:
        labeled = s.scalar(
            select(AnnotationRevision.id)
            .where(AnnotationRevision.task_id == task_id, AnnotationRevision.kind.in_(HUMAN_KINDS))
            .limit(1)
        )
        leased = s.scalar(
            select(Assignment.id)
            .where(Assignment.task_id == task_id, Assignment.state == AssignmentState.ACTIVE.value)
            .limit(1)
        )
        if labeled is not None or leased is not None:
            raise _Raced(task_id)
        rev = add_revision(
            s,
            task_id=task_id,
            project_id=project.id,
            author_id=None,
            kind="prelabel",
            parent_id=head,
            ontology_version=project.ontology_version,
            body={"objects": objects, "classifications": {}},
        )
        guard = Task.head_revision_id.is_(None) if head is None else Task.head_revision_id == head
        if not rowcount(s.execute(update(Task).where(Task.id == task_id, guard).values(head_revision_id=rev.id))):
            raise _Raced(task_id)

    def _run(self, ctx: JobContext) -> dict[str, Any]:
        p = ctx.payload
        with self.deps.db.read() as s:
            project = s.get(Project, ctx.project_id)
            if project is None:
                raise InvalidInput("The project of this pre-label job no longer exists.")
            attached = ModelService.link(s, project, int(p["model_id"]))
            ontology = load_ontology(s, project)
        todo = self._candidates(project, list(p["states"]), bool(p.get("overwrite")))
        ctx.progress(0, len(todo), force=True)
        written = objects = hidden = unmapped = dropped = raced = empty = 0
        skipped: list[dict[str, Any]] = []
        version = attached.model.version
        for n, (task_id, head) in enumerate(todo, 1):
            with self.deps.db.read() as s:
                asset = s.scalar(select(Asset).join(Task, Task.asset_id == Asset.id).where(Task.id == task_id))
            assert asset is not None
            try:
                found = self._suggest_pages(project, ontology, attached, asset)
            except (InvalidInput, PayloadTooLarge) as e:
                # one asset the model cannot read (a volume, a broken file, a model error on it) is skipped;
                # a model that fails on everything stops the job instead of skipping the whole dataset
                skipped.append({"task_id": task_id, "asset_id": asset.id, "reason": e.message})
                if len(skipped) >= ABORT_AFTER and written + empty == 0 and len(skipped) == n:
                    raise InvalidInput(
                        f"Pre-labeling stopped: none of the first {n} assets could be pre-labeled; "
                        f"the last error: {e.message}"
                    ) from None
                ctx.progress(n, len(todo))
                continue
            version = found.version
            hidden, unmapped, dropped = hidden + found.hidden, unmapped + found.unmapped, dropped + found.dropped
            if not found.objects:  # nothing above the threshold: leave the task as it is
                empty += 1
                ctx.progress(n, len(todo))
                continue
            try:
                with self.deps.db.write() as s:
                    self._write(s, project, task_id, head, found.objects)
                written += 1
                objects += len(found.objects)
            except _Raced:
                raced += 1
            ctx.progress(n, len(todo))
        return {
            "model": attached.model.name,
            "model_version": version,
            "tasks_considered": len(todo),
            "tasks_prelabeled": written,
            "objects": objects,
            "below_threshold": hidden,
            "unmapped_classes": unmapped,
            "dropped_geometry": dropped,
            "tasks_without_suggestions": empty,
            "skipped_changed_meanwhile": raced,
            "skipped_unreadable": len(skipped),
            "skipped": skipped[:MAX_REPORTED],
            "revision_kind": "prelabel",
        }

    def _suggest_pages(self, project: Project, ontology: Any, attached: Any, asset: Asset) -> Suggestions:
        """The model's suggestions on every page of the asset (documents: up to ``MAX_PAGES``)."""
        found = self.models.suggest(project, ontology, attached, asset)
        for page in range(1, min(asset.pages or 1, MAX_PAGES)):
            more = self.models.suggest(project, ontology, attached, asset, page)
            found = replace(
                found,
                objects=found.objects + more.objects,
                hidden=found.hidden + more.hidden,
                unmapped=found.unmapped + more.unmapped,
                dropped=found.dropped + more.dropped,
            )
        return found


class _Raced(Exception):
    """The task was labeled or pre-labeled while the model ran: roll this task's write back."""


def suggestion_objects(body_json: str) -> list[dict[str, Any]]:
    return [o for o in orjson.loads(body_json).get("objects", []) if o.get("source", {}).get("kind") == "model"]


__all__ = ["HUMAN_KINDS", "PrelabelService", "suggestion_objects"]
