"""Projects, members, ontology versions and progress statistics."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Query

from labelhub.api.deps import CurrentActor, PlatformDep
from labelhub.api.schemas import (
    MemberPublic,
    MemberSet,
    OntologyUpdate,
    OntologyUpdateResult,
    OntologyVersionPublic,
    Page,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
)
from labelhub.api.schemas.core import ProjectStats
from labelhub.core.workflow import Role
from labelhub.db.tables import Project
from labelhub.services.projects import ProjectView

router = APIRouter(tags=["projects"])


def project_public(
    p: Project, role: Role, ontology: dict[str, Any] | None = None, counts: dict[str, int] | None = None
) -> ProjectPublic:
    return ProjectPublic(
        id=p.id,
        name=p.name,
        description=p.description,
        role=role,
        consensus=p.consensus,
        lease_seconds=p.lease_seconds,
        ontology_version=p.ontology_version,
        ontology=ontology,
        settings=orjson.loads(p.settings_json),
        task_counts=counts or {},
        created_at=p.created_at,
    )


def _view(v: ProjectView) -> ProjectPublic:
    return project_public(v.project, v.role, v.ontology, v.counts)


@router.post("/projects", response_model=ProjectPublic, status_code=201)
def create_project(body: ProjectCreate, platform: PlatformDep, actor: CurrentActor) -> ProjectPublic:
    return _view(
        platform.projects.create(
            actor,
            body.name,
            body.ontology,
            description=body.description,
            consensus=body.consensus,
            lease_seconds=body.lease_seconds,
            settings=body.settings,
        )
    )


@router.get("/projects", response_model=Page[ProjectPublic])
def list_projects(
    platform: PlatformDep, actor: CurrentActor, cursor: str | None = None, limit: int = Query(50, ge=1, le=500)
) -> Page[ProjectPublic]:
    page = platform.projects.page(actor, cursor=cursor, limit=limit)
    return Page(items=[project_public(p, r, counts=c) for p, r, c in page.items], next_cursor=page.next_cursor)


@router.get("/projects/{project_id}", response_model=ProjectPublic)
def get_project(project_id: int, platform: PlatformDep, actor: CurrentActor) -> ProjectPublic:
    return _view(platform.projects.get(actor, project_id))


@router.patch("/projects/{project_id}", response_model=ProjectPublic)
def update_project(project_id: int, body: ProjectUpdate, platform: PlatformDep, actor: CurrentActor) -> ProjectPublic:
    return _view(platform.projects.update(actor, project_id, body.model_dump(exclude_unset=True)))


@router.delete("/projects/{project_id}", status_code=204)
def delete_project(project_id: int, platform: PlatformDep, actor: CurrentActor) -> None:
    platform.projects.delete(actor, project_id)


@router.get("/projects/{project_id}/ontology/versions", response_model=list[OntologyVersionPublic])
def ontology_versions(project_id: int, platform: PlatformDep, actor: CurrentActor) -> list[OntologyVersionPublic]:
    return [
        OntologyVersionPublic(
            version=v.version, ontology=orjson.loads(v.body_json), note=v.note, created_at=v.created_at
        )
        for v in platform.projects.ontology_versions(actor, project_id)
    ]


@router.put("/projects/{project_id}/ontology", response_model=OntologyUpdateResult)
def update_ontology(
    project_id: int, body: OntologyUpdate, platform: PlatformDep, actor: CurrentActor
) -> OntologyUpdateResult:
    version, migrated = platform.projects.update_ontology(
        actor, project_id, body.ontology, migration=body.migration, note=body.note
    )
    return OntologyUpdateResult(version=version, migrated_annotations=migrated)


@router.get("/projects/{project_id}/members", response_model=list[MemberPublic])
def members(project_id: int, platform: PlatformDep, actor: CurrentActor) -> list[MemberPublic]:
    return [
        MemberPublic(user_id=u.id, username=u.username, display_name=u.display_name, role=r)
        for u, r in platform.projects.members(actor, project_id)
    ]


@router.put("/projects/{project_id}/members", status_code=204)
def set_member(project_id: int, body: MemberSet, platform: PlatformDep, actor: CurrentActor) -> None:
    platform.projects.set_member(actor, project_id, body.username, body.role.value)


@router.delete("/projects/{project_id}/members/{user_id}", status_code=204)
def remove_member(project_id: int, user_id: int, platform: PlatformDep, actor: CurrentActor) -> None:
    platform.projects.remove_member(actor, project_id, user_id)


@router.get("/projects/{project_id}/stats", response_model=ProjectStats)
def stats(project_id: int, platform: PlatformDep, actor: CurrentActor) -> ProjectStats:
    """Counts by state, per-labeler time and throughput, the label-time histogram, submissions per day (30 days)."""
    return ProjectStats.model_validate(platform.stats.project(actor, project_id))
