"""De-identification reports and quarantined assets (managers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.routes.assets import asset_public
from labelhub.api.schemas import AssetPublic
from labelhub.api.schemas.documents import QuarantineDecision, QuarantineDecisionResult

router = APIRouter(tags=["de-identification"])


@router.get("/deid-reports/{report_id}", response_model=dict[str, Any])
def report(report_id: str, platform: PlatformDep, actor: CurrentActor) -> dict[str, Any]:
    """A DICOM import's de-identification report (JSON: summary, and per file what was removed,
    replaced and kept, by attribute keyword; never a value).  Managers of the project."""
    return platform.quarantine.report(actor, report_id)


@router.get("/assets/{asset_id}/deid-report", response_model=dict[str, Any])
def asset_report(asset_id: int, platform: PlatformDep, actor: CurrentActor) -> dict[str, Any]:
    """The de-identification report of the import that created this asset (managers)."""
    return platform.quarantine.asset_report(actor, asset_id)


@router.get("/projects/{project_id}/quarantine", response_model=list[AssetPublic])
def quarantined(
    project_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    after: int = Query(0, ge=0, description="list assets with ids above this (paging)"),
    limit: int = Query(100, ge=1, le=500),
) -> list[AssetPublic]:
    """Assets held for a manager's decision (suspected burned-in PHI), oldest first."""
    return [asset_public(a) for a in platform.quarantine.list(actor, project_id, limit=limit, after=after)]


@router.post("/assets/{asset_id}/quarantine-decision", response_model=QuarantineDecisionResult)
def decide(
    asset_id: int, body: QuarantineDecision, platform: PlatformDep, actor: CurrentActor
) -> QuarantineDecisionResult:
    """Release (the asset becomes a normal asset with a task) or delete (row and blob removed).
    Both are audited.  409 when the asset is not quarantined."""
    asset, task = platform.quarantine.decide(actor, asset_id, body.decision, body.note)
    return QuarantineDecisionResult(
        decision=body.decision,
        asset=asset_public(asset) if asset is not None else None,
        task_id=task.id if task is not None else None,
    )
