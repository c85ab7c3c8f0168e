"""The model registry (admins), models attached to projects (managers), Auto Detect and pre-labeling."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Response

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.routes.jobs import job_public
from labelhub.api.schemas import JobPublic
from labelhub.api.schemas.models import (
    BuiltinModelPublic,
    DetectRequest,
    DetectResult,
    ModelCreate,
    ModelPublic,
    PrelabelRequest,
    ProjectModelPublic,
    ProjectModelSet,
)
from labelhub.db.tables import MLModel
from labelhub.services.models import Attached

router = APIRouter(tags=["models"])


def model_public(m: MLModel) -> ModelPublic:
    return ModelPublic(
        id=m.id,
        name=m.name,
        kind=m.kind,
        uri=m.uri,
        version=m.version,
        task=m.task,
        classes=orjson.loads(m.classes_json),
        config=orjson.loads(m.config_json),
        created_by=m.created_by,
        created_at=m.created_at,
    )


def attached_public(a: Attached) -> ProjectModelPublic:
    return ProjectModelPublic(
        project_id=a.link.project_id,
        model_id=a.model.id,
        name=a.model.name,
        kind=a.model.kind,
        version=a.model.version,
        classes=orjson.loads(a.model.classes_json),
        class_map=orjson.loads(a.link.class_map_json),
        threshold=a.link.threshold,
    )


@router.post("/models", response_model=ModelPublic, status_code=201)
def register_model(body: ModelCreate, platform: PlatformDep, actor: CurrentActor) -> ModelPublic:
    return model_public(
        platform.models.register(
            actor,
            name=body.name,
            kind=body.kind,
            uri=body.uri,
            classes=body.classes,
            config=body.config,
            version=body.version,
        )
    )


@router.get("/models", response_model=list[ModelPublic])
def list_models(platform: PlatformDep, actor: CurrentActor) -> list[ModelPublic]:
    return [model_public(m) for m in platform.models.registered(actor)]


@router.get("/models/builtins", response_model=list[BuiltinModelPublic])
def builtin_models(platform: PlatformDep, actor: CurrentActor) -> list[BuiltinModelPublic]:
    return [
        BuiltinModelPublic(name=name, version=info.version, classes=list(info.classes))
        for name, info in platform.models.builtins(actor).items()
    ]


@router.get("/models/{model_id}", response_model=ModelPublic)
def get_model(model_id: int, platform: PlatformDep, actor: CurrentActor) -> ModelPublic:
    return model_public(platform.models.get(actor, model_id))


@router.delete("/models/{model_id}", status_code=204)
def delete_model(model_id: int, platform: PlatformDep, actor: CurrentActor) -> Response:
    platform.models.delete(actor, model_id)
    return Response(status_code=204)


@router.get("/projects/{project_id}/models", response_model=list[ProjectModelPublic])
def project_models(project_id: int, platform: PlatformDep, actor: CurrentActor) -> list[ProjectModelPublic]:
    return [attached_public(a) for a in platform.models.attached(actor, project_id)]


@router.put("/projects/{project_id}/models/{model_id}", response_model=ProjectModelPublic)
def attach_model(
    project_id: int, model_id: int, body: ProjectModelSet, platform: PlatformDep, actor: CurrentActor
) -> ProjectModelPublic:
    return attached_public(platform.models.attach(actor, project_id, model_id, body.class_map, body.threshold))


@router.delete("/projects/{project_id}/models/{model_id}", status_code=204)
def detach_model(project_id: int, model_id: int, platform: PlatformDep, actor: CurrentActor) -> Response:
    platform.models.detach(actor, project_id, model_id)
    return Response(status_code=204)


@router.post("/tasks/{task_id}/assist/detect", response_model=DetectResult)
def detect(task_id: int, body: DetectRequest, platform: PlatformDep, actor: CurrentActor) -> DetectResult:
    found = platform.models.detect(actor, task_id, body.model_id, body.page)
    return DetectResult(
        model_id=found.model.id,
        model=found.model.name,
        model_version=found.version,
        threshold=found.threshold,
        objects=found.objects,
        below_threshold=found.hidden,
        unmapped=found.unmapped,
        dropped=found.dropped,
    )


@router.post("/projects/{project_id}/prelabel", response_model=JobPublic, status_code=202)
def prelabel(project_id: int, body: PrelabelRequest, platform: PlatformDep, actor: CurrentActor) -> JobPublic:
    job = platform.prelabel.start(actor, project_id, body.model_id, body.states, body.overwrite)
    return job_public(platform.jobs.get(actor, job.id))
