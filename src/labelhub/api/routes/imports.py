"""Annotation imports: pre-labels and labels from other tools, into a project's existing assets.

``.../annotation-imports/preview`` is the synchronous dry run (the mapping step: what matched,
where each label goes, which labels are unknown); ``.../annotation-imports`` stores the upload and
answers 202 with a job that parses, prepares (with progress) and writes it all or nothing.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, File, Form, UploadFile

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.routes.jobs import job_public
from labelhub.api.schemas.core import ImportResult, JobPublic
from labelhub.core.errors import InvalidInput
from labelhub.services.annotation_import import check_mapping

router = APIRouter(tags=["imports"])

FORMAT = Form("coco", description="coco, yolo, voc, labelstudio or cvat")
MAPPING = Form("{}", description='JSON: {"label": "class id" | "create" | "create:<tool>" | "drop"}')
MODE = Form("replace", description="replace: the import is the new head; append: added to the head")


def _mapping(text: str) -> dict[str, str]:
    try:
        parsed: Any = orjson.loads(text or "{}")
    except orjson.JSONDecodeError:
        raise InvalidInput("mapping must be a JSON object of label -> class id, 'create' or 'drop'.") from None
    return check_mapping(parsed)


@router.post("/projects/{project_id}/annotation-imports/preview", response_model=ImportResult)
def preview_annotation_import(
    project_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    file: UploadFile = File(...),
    format: str = FORMAT,
    mapping: str = MAPPING,
    mode: str = MODE,
) -> ImportResult:
    """The dry run: parse, match and map, report; nothing is written.  Unknown labels are listed."""
    result = platform.annotation_import.preview(
        actor, project_id, format, file.file, file.filename or "upload", mapping=_mapping(mapping), mode=mode
    )
    return ImportResult(**result)


@router.post("/projects/{project_id}/annotation-imports", response_model=JobPublic, status_code=202)
def start_annotation_import(
    project_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    file: UploadFile = File(...),
    format: str = FORMAT,
    mapping: str = MAPPING,
    mode: str = MODE,
) -> JobPublic:
    """Start the import job (kind ``import_annotations``); its ``result`` is an ``ImportResult``."""
    job_id = platform.annotation_import.start(
        actor, project_id, format, file.file, file.filename or "upload", mapping=_mapping(mapping), mode=mode
    )
    return job_public(platform.jobs.get(actor, job_id))
