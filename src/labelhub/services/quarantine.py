"""De-identification reports and the manager's decision on quarantined assets.

A quarantined asset (suspected burned-in PHI, ``medical_ingest``) is stored de-identified, with no
task and no thumbnail, readable by managers only.  A manager either **releases** it (status
``ready``, a task is created, a thumbnail job is queued) or **deletes** it (the row goes; the blob
goes too unless another asset, e.g. in another project, has the same content).  Both are audited
(``asset.quarantine_release`` / ``asset.quarantine_delete``, ids only).

Reports live at ``reports/deid/<id>.json``; they name files and attribute keywords, never values.
They are readable by managers of the project that imported them.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from sqlalchemy import func, select

from labelhub.core.errors import Conflict, InvalidInput, LabelhubError, NotFound
from labelhub.core.media import COMPANIONS
from labelhub.core.workflow import Role
from labelhub.db.tables import Asset, Task
from labelhub.services import audit
from labelhub.services.access import require_project
from labelhub.services.context import Actor, Deps
from labelhub.services.ingest import companion_key
from labelhub.services.jobs import JobService
from labelhub.services.medical_ingest import REPORTS

QUARANTINED = "quarantined"
_REPORT_ID = re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DECISIONS = ("release", "delete")


class QuarantineService:
    def __init__(self, deps: Deps, jobs: JobService) -> None:
        self.deps = deps
        self.jobs = jobs

    def report(self, actor: Actor, report_id: str) -> dict[str, Any]:
        """The stored report; ``NotFound`` for unknown ids and for callers who are not managers of
        the project that imported it (no existence leak)."""
        if not _REPORT_ID.fullmatch(report_id):
            raise NotFound("De-identification report not found.")
        key = f"{REPORTS}{report_id}.json"
        if not self.deps.blobs.exists(key):
            raise NotFound("De-identification report not found.")
        report: dict[str, Any] = orjson.loads(self.deps.blobs.read_bytes(key))
        with self.deps.db.read() as s:
            try:
                require_project(s, actor, int(report.get("project_id", -1)), Role.MANAGER)
            except LabelhubError:
                raise NotFound("De-identification report not found.") from None
        return report

    def asset_report(self, actor: Actor, asset_id: int) -> dict[str, Any]:
        """The report of the import that created ``asset_id`` (managers)."""
        asset = self._managed(actor, asset_id)
        report_id = orjson.loads(asset.meta_json or "{}").get("deid_report")
        if not report_id:
            raise NotFound(f"Asset {asset_id} has no de-identification report (it is not a DICOM import).")
        return self.report(actor, str(report_id))

    def list(self, actor: Actor, project_id: int, *, limit: int = 100, after: int = 0) -> list[Asset]:
        """Quarantined assets of a project, oldest first (managers)."""
        if not 1 <= limit <= 500:
            raise InvalidInput(f"limit must be between 1 and 500, got {limit}")
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)
            q = select(Asset).where(Asset.project_id == project_id, Asset.status == QUARANTINED, Asset.id > after)
            return list(s.scalars(q.order_by(Asset.id).limit(limit)))

    def decide(self, actor: Actor, asset_id: int, decision: str, note: str = "") -> tuple[Asset | None, Task | None]:
        """Release (-> ``(asset, task)``) or delete (-> ``(None, None)``) a quarantined asset."""
        if decision not in DECISIONS:
            raise InvalidInput(f"decision must be one of {', '.join(DECISIONS)}, got '{decision}'")
        blob_to_delete: str | None = None
        with self.deps.db.write() as s:
            asset = s.get(Asset, asset_id)
            if asset is None:
                raise NotFound(f"Asset {asset_id} not found.")
            try:
                project, _ = require_project(s, actor, asset.project_id, Role.MANAGER)
            except LabelhubError:  # quarantined assets and their reports are invisible to non-managers
                raise NotFound(f"Asset {asset_id} not found.") from None
            if asset.status != QUARANTINED:
                raise Conflict(f"Asset {asset_id} is not quarantined (status '{asset.status}'): nothing to decide.")
            details = {"project_id": asset.project_id, "note": note[:500]} if note else {"project_id": asset.project_id}
            if decision == "release":
                asset.status = "ready"
                task = Task(
                    project_id=asset.project_id,
                    asset_id=asset.id,
                    required=project.consensus,
                    open_slots=project.consensus,
                    available=1,
                )
                s.add(task)
                s.flush()
                audit.record(s, actor.user_id, "asset.quarantine_release", f"asset:{asset.id}", **details)
                released: tuple[Asset | None, Task | None] = (asset, task)
            else:
                key = asset.storage_key
                if key is not None:
                    others = s.scalar(
                        select(func.count(Asset.id)).where(Asset.storage_key == key, Asset.id != asset.id)
                    )
                    blob_to_delete = key if not others else None
                s.delete(asset)
                audit.record(s, actor.user_id, "asset.quarantine_delete", f"asset:{asset_id}", **details)
                released = (None, None)
        if blob_to_delete is not None:
            self.deps.blobs.delete(blob_to_delete)
            for name in COMPANIONS:
                self.deps.blobs.delete(companion_key(blob_to_delete, name))
        if released[0] is not None:
            self.jobs.submit(
                "thumbnail", {"asset_id": asset_id}, project_id=released[0].project_id, created_by=actor.user_id
            )
        return released

    def _managed(self, actor: Actor, asset_id: int) -> Asset:
        with self.deps.db.read() as s:
            asset = s.get(Asset, asset_id)
            if asset is None:
                raise NotFound(f"Asset {asset_id} not found.")
            try:
                require_project(s, actor, asset.project_id, Role.MANAGER)
            except LabelhubError:  # quarantined assets and their reports are invisible to non-managers
                raise NotFound(f"Asset {asset_id} not found.") from None
            return asset


__all__ = ["DECISIONS", "QuarantineService"]
