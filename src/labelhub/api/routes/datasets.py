"""Dataset versions: every finished export, listed with its filter and content hash, downloadable again."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.schemas.core import DatasetVersionPublic
from labelhub.api.streaming import chunks
from labelhub.db.tables import DatasetVersion

router = APIRouter(tags=["datasets"])


def version_public(row: DatasetVersion) -> DatasetVersionPublic:
    return DatasetVersionPublic(
        id=row.id,
        project_id=row.project_id,
        job_id=row.job_id,
        format=row.format,
        filter=orjson.loads(row.filter_json),
        content_sha256=row.content_sha256,
        size_bytes=row.size_bytes,
        filename=row.filename,
        media_type=row.media_type,
        report=orjson.loads(row.report_json),
        created_by=row.created_by,
        created_at=row.created_at,
    )


@router.get("/projects/{project_id}/dataset-versions", response_model=list[DatasetVersionPublic])
def list_versions(
    project_id: int, platform: PlatformDep, actor: CurrentActor, limit: int = Query(100, ge=1, le=500)
) -> list[DatasetVersionPublic]:
    return [version_public(v) for v in platform.exports.versions(actor, project_id, limit=limit)]


@router.get("/dataset-versions/{version_id}/download", response_model=None)
def download_version(version_id: int, platform: PlatformDep, actor: CurrentActor) -> StreamingResponse:
    stream, row = platform.exports.download_version(actor, version_id)

    return StreamingResponse(
        chunks(stream),
        media_type=row.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{row.filename}"',
            "X-Content-SHA256": row.content_sha256,
        },
    )
