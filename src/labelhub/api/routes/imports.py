"""Annotation imports: pre-labels and labels from other tools, into a project's existing assets."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, File, Form, UploadFile

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.schemas.core import ImportResult
from labelhub.core.errors import InvalidInput
from labelhub.services.annotation_import import AnnotationImportService

router = APIRouter(tags=["imports"])


@router.post("/projects/{project_id}/annotation-imports", response_model=ImportResult)
def import_annotations(
    project_id: int,
    platform: PlatformDep,
    actor: CurrentActor,
    file: UploadFile = File(...),
    format: str = Form("coco", description="coco, yolo, voc, labelstudio or cvat"),
    mapping: str = Form("{}", description='JSON: {"label": "class id" | "create" | "create:<tool>" | "drop"}'),
    dry_run: bool = Form(False, description="Parse, match and map, report, write nothing."),
    mode: str = Form("replace", description="replace: the import is the new head; append: added to the head"),
) -> ImportResult:
    try:
        parsed: Any = orjson.loads(mapping or "{}")
    except orjson.JSONDecodeError:
        raise InvalidInput("mapping must be a JSON object of label -> class id, 'create' or 'drop'.") from None
    if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
        raise InvalidInput("mapping must be a JSON object of label -> class id, 'create' or 'drop'.")
    result = AnnotationImportService(platform.deps).run(
        actor, project_id, format, file.file, file.filename or "upload", mapping=parsed, dry_run=dry_run, mode=mode
    )
    return ImportResult(**result)
