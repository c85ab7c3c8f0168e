"""Uploads, bulk registration, archives, and serving asset bytes and thumbnails."""

from __future__ import annotations

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.routes.jobs import job_public
from labelhub.api.schemas import AssetPublic, BulkRegister, BulkRegisterResult, JobPublic, Page
from labelhub.api.schemas.core import StorageScan
from labelhub.api.streaming import chunks
from labelhub.db.tables import Asset
from labelhub.services.assets import Reference

router = APIRouter(tags=["assets"])


def asset_public(a: Asset) -> AssetPublic:
    data = AssetPublic.model_validate(a)
    data.has_thumbnail = a.thumbnail_key is not None
    return data


@router.post("/projects/{project_id}/assets", response_model=AssetPublic, status_code=201)
def upload(
    project_id: int, platform: PlatformDep, actor: CurrentActor, file: UploadFile = File(...), priority: int = 0
) -> AssetPublic:
    """Upload one file; it becomes an asset with a task.  A duplicate (same content) is a 409 naming it."""
    return asset_public(
        platform.assets.upload(actor, project_id, file.file, file.filename or "upload", priority=priority)
    )


@router.post("/projects/{project_id}/assets/bulk", response_model=BulkRegisterResult, status_code=201)
def register(project_id: int, body: BulkRegister, platform: PlatformDep, actor: CurrentActor) -> BulkRegisterResult:
    """Register data that already lives in storage (blob://, file:// in an import folder, http(s)://)."""
    refs = [Reference(i.uri, i.filename, i.kind, i.width, i.height, i.pages, i.priority, i.meta) for i in body.items]
    r = platform.assets.register(actor, project_id, refs)
    return BulkRegisterResult(
        created=r.created,
        first_task_id=r.first_task_id,
        last_task_id=r.last_task_id,
        pending_probe=r.pending,
        errors=r.errors,
    )


@router.post("/projects/{project_id}/assets/scan", response_model=JobPublic, status_code=202)
def scan_storage(project_id: int, body: StorageScan, platform: PlatformDep, actor: CurrentActor) -> JobPublic:
    """Register every supported file under a server folder (file:// in an import folder) or a blob:// prefix."""
    job_id = platform.storage_scan.start(actor, project_id, body.uri)
    return job_public(platform.jobs.get(actor, job_id))


@router.post("/projects/{project_id}/imports", response_model=JobPublic, status_code=202)
def import_archive(
    project_id: int, platform: PlatformDep, actor: CurrentActor, file: UploadFile = File(...)
) -> JobPublic:
    """Upload a zip of files; unsafe archives are refused now, the files are imported by a job."""
    job_id = platform.assets.import_archive(actor, project_id, file.file, file.filename or "archive.zip")
    return job_public(platform.jobs.get(actor, job_id))


@router.get("/projects/{project_id}/assets", response_model=Page[AssetPublic])
def list_assets(
    project_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=500),
) -> Page[AssetPublic]:
    page = platform.assets.page(actor, project_id, cursor=cursor, limit=limit)
    return Page(items=[asset_public(a) for a in page.items], next_cursor=page.next_cursor)


@router.get("/assets/{asset_id}", response_model=AssetPublic)
def get_asset(asset_id: int, platform: PlatformDep, actor: CurrentActor) -> AssetPublic:
    return asset_public(platform.assets.get(actor, asset_id))


@router.get("/assets/{asset_id}/content", response_model=None)
def content(asset_id: int, platform: PlatformDep, actor: CurrentActor) -> Response:
    asset, src = platform.assets.open_content(actor, asset_id)
    if isinstance(src, str):
        return RedirectResponse(src)
    headers = {"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"}
    if asset.sha256:
        headers["ETag"] = f'"{asset.sha256}"'
    return StreamingResponse(chunks(src), media_type=asset.mime_type or "application/octet-stream", headers=headers)


@router.get("/assets/{asset_id}/thumbnail", response_model=None)
def thumbnail(asset_id: int, platform: PlatformDep, actor: CurrentActor) -> Response:
    data = platform.assets.thumbnail(actor, asset_id)
    if data is None:
        return Response(status_code=204)
    media = "image/webp" if data[:4] == b"RIFF" else "image/jpeg" if data[:2] == b"\xff\xd8" else "image/png"
    return Response(data, media_type=media, headers={"Cache-Control": "private, max-age=86400"})
