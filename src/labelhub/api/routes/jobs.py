"""Jobs, exports and whole-project imports."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import StreamingResponse

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.schemas import ExportCreate, JobPublic
from labelhub.api.streaming import chunks
from labelhub.db.tables import Job

router = APIRouter(tags=["jobs"])


def job_public(job: Job) -> JobPublic:
    data = JobPublic.model_validate(job)
    data.result = None if job.result_json is None else orjson.loads(job.result_json)
    return data


@router.get("/jobs/{job_id}", response_model=JobPublic)
def get_job(job_id: str, platform: PlatformDep, actor: CurrentActor) -> JobPublic:
    return job_public(platform.jobs.get(actor, job_id))


@router.post("/jobs/{job_id}/cancel", response_model=JobPublic)
def cancel_job(job_id: str, platform: PlatformDep, actor: CurrentActor) -> JobPublic:
    return job_public(platform.jobs.cancel(actor, job_id))


@router.get("/projects/{project_id}/jobs", response_model=list[JobPublic])
def project_jobs(
    project_id: int, platform: PlatformDep, actor: CurrentActor, limit: int = Query(50, ge=1, le=500)
) -> list[JobPublic]:
    return [job_public(j) for j in platform.jobs.recent(actor, project_id, limit=limit)]


@router.post("/projects/{project_id}/exports", response_model=JobPublic, status_code=202)
def start_export(project_id: int, body: ExportCreate, platform: PlatformDep, actor: CurrentActor) -> JobPublic:
    job_id = platform.exports.start(
        actor,
        project_id,
        body.format,
        states=[s.value for s in body.states] if body.states else None,
        include_media=body.include_media,
        options=body.options,
        classes=body.classes,
        labelers=body.labelers,
        split=body.split,
        seed=body.seed,
    )
    return job_public(platform.jobs.get(actor, job_id))


@router.get("/jobs/{job_id}/download", response_model=None)
def download(job_id: str, platform: PlatformDep, actor: CurrentActor) -> StreamingResponse:
    stream, result = platform.exports.download(actor, job_id)

    return StreamingResponse(
        chunks(stream),
        media_type=result["media_type"],
        headers={"Content-Disposition": f'attachment; filename="{result["filename"]}"'},
    )


@router.post("/projects/import", response_model=JobPublic, status_code=202)
def import_project(
    platform: PlatformDep, actor: CurrentActor, file: UploadFile = File(...), format: str = "native"
) -> JobPublic:
    job_id = platform.project_import.start(actor, file.file, file.filename or "project.zip", format)
    return job_public(platform.jobs.get(actor, job_id))


@router.get("/formats")
def formats(platform: PlatformDep, actor: CurrentActor) -> dict[str, list[str]]:
    return platform.deps.formats.names()
