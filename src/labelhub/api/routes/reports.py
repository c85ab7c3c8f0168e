"""Reports: what AI assistance was worth (suggestions against final annotations, time per asset)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.schemas.models import AIReport
from labelhub.services.ai_report import IOU_THRESHOLD

router = APIRouter(tags=["reports"])


@router.get("/projects/{project_id}/reports/ai", response_model=AIReport)
def ai_report(
    project_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    iou_threshold: float = Query(
        IOU_THRESHOLD, gt=0, le=1, description="IoU at or above which a location is unchanged."
    ),
) -> AIReport:
    return AIReport.model_validate(platform.ai_report.report(actor, project_id, iou_threshold=iou_threshold))
