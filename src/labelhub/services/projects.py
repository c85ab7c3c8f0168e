"""Projects, their members and their versioned ontologies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from labelhub.core.errors import Conflict, InvalidInput, NotFound
from labelhub.core.ontology import Ontology
from labelhub.core.ontology_changes import Migration, breaking_changes, check_migration, migrate_body, usages
from labelhub.core.workflow import Role, TaskState
from labelhub.db.tables import AnnotationRevision, Draft, OntologyVersion, Project, ProjectMember, Task, User, utcnow
from labelhub.services import audit
from labelhub.services.access import require_admin, require_project
from labelhub.services.context import Actor, Deps
from labelhub.services.pagination import Page, check_limit, decode_cursor, page_of
from labelhub.services.revisions import add_revision

SETTINGS_KEYS = {"min_confidence", "instructions", "contains_phi"}


@dataclass(frozen=True, slots=True)
class ProjectView:
    project: Project
    role: Role
    ontology: dict[str, Any]
    counts: dict[str, int]


_ONTOLOGIES: dict[tuple[int, int, Any], Ontology] = {}


def load_ontology(s: Session, project: Project) -> Ontology:
    """The project's current ontology, parsed.  Versions are immutable, so parsed ones are cached
    per process (the project's creation time is in the key: SQLite may reuse a deleted project's id)."""
    key = (project.id, project.ontology_version, project.created_at)
    cached = _ONTOLOGIES.get(key)
    if cached is not None:
        return cached
    body = s.scalar(
        select(OntologyVersion.body_json).where(
            OntologyVersion.project_id == project.id, OntologyVersion.version == project.ontology_version
        )
    )
    if body is None:
        raise NotFound(f"Project {project.id} has no ontology version {project.ontology_version}.")
    if len(_ONTOLOGIES) > 1024:
        _ONTOLOGIES.clear()
    parsed = _ONTOLOGIES[key] = Ontology.parse(orjson.loads(body))
    return parsed


def _check_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    settings = dict(settings or {})
    unknown = set(settings) - SETTINGS_KEYS
    if unknown:
        raise InvalidInput(f"Unknown project settings {sorted(unknown)}; known: {sorted(SETTINGS_KEYS)}.")
    return settings


class ProjectService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def create(
        self,
        actor: Actor,
        name: str,
        ontology: Any,
        *,
        description: str = "",
        consensus: int = 1,
        lease_seconds: int | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> ProjectView:
        if not name.strip() or len(name) > 200:
            raise InvalidInput("A project needs a name of 1-200 characters.")
        if not 1 <= consensus <= 10:
            raise InvalidInput("consensus (annotations per task) must be between 1 and 10.")
        parsed = Ontology.parse(ontology)
        with self.deps.db.write() as s:
            project = Project(
                name=name.strip(),
                description=description,
                consensus=consensus,
                lease_seconds=lease_seconds or self.deps.limits.lease_seconds,
                settings_json=orjson.dumps(_check_settings(settings)).decode(),
                created_by=actor.user_id,
            )
            s.add(project)
            s.flush()
            s.add(
                OntologyVersion(
                    project_id=project.id,
                    version=1,
                    body_json=orjson.dumps(parsed.to_json()).decode(),
                    created_by=actor.user_id,
                    note="initial",
                )
            )
            s.add(ProjectMember(project_id=project.id, user_id=actor.user_id, role=Role.MANAGER.value))
            audit.record(s, actor.user_id, "project.create", f"project:{project.id}")
            return ProjectView(project, Role.MANAGER, parsed.to_json(), {})

    def page(
        self, actor: Actor, *, cursor: str | None = None, limit: int = 50
    ) -> Page[tuple[Project, Role, dict[str, int]]]:
        """The caller's projects with their task counts by state (one grouped query for the page)."""
        check_limit(limit)
        after = decode_cursor(cursor)
        with self.deps.db.read() as s:
            if actor.is_admin:
                q = select(Project, func.coalesce(ProjectMember.role, Role.MANAGER.value)).outerjoin(
                    ProjectMember, (ProjectMember.project_id == Project.id) & (ProjectMember.user_id == actor.user_id)
                )
            else:
                q = select(Project, ProjectMember.role).join(
                    ProjectMember, (ProjectMember.project_id == Project.id) & (ProjectMember.user_id == actor.user_id)
                )
            if after is not None:
                q = q.where(Project.id > after)
            found = [(p, Role(r)) for p, r in s.execute(q.order_by(Project.id).limit(limit + 1))]
            counts: dict[int, dict[str, int]] = {p.id: {} for p, _ in found}
            if counts:
                q2 = (
                    select(Task.project_id, Task.state, func.count())
                    .where(Task.project_id.in_(counts))
                    .group_by(Task.project_id, Task.state)
                )
                for pid, state, n in s.execute(q2):
                    counts[pid][state] = n
        return page_of([(p, r, counts[p.id]) for p, r in found], limit, lambda row: row[0].id)

    def get(self, actor: Actor, project_id: int) -> ProjectView:
        with self.deps.db.read() as s:
            project, role = require_project(s, actor, project_id, Role.LABELER)
            counts = dict(
                s.execute(
                    select(Task.state, func.count()).where(Task.project_id == project_id).group_by(Task.state)
                ).all()
            )
            return ProjectView(project, role, load_ontology(s, project).to_json(), counts)

    def update(self, actor: Actor, project_id: int, changes: Mapping[str, Any]) -> ProjectView:
        with self.deps.db.write() as s:
            project, _ = require_project(s, actor, project_id, Role.MANAGER)
            if "name" in changes:
                if not str(changes["name"]).strip():
                    raise InvalidInput("A project needs a non-empty name.")
                project.name = str(changes["name"]).strip()
            if "description" in changes:
                project.description = str(changes["description"])
            if "lease_seconds" in changes:
                if not 60 <= int(changes["lease_seconds"]) <= 7 * 86400:
                    raise InvalidInput("lease_seconds must be between 60 and 604800.")
                project.lease_seconds = int(changes["lease_seconds"])
            if "settings" in changes:
                project.settings_json = orjson.dumps(_check_settings(changes["settings"])).decode()
            if "consensus" in changes and changes["consensus"] != project.consensus:
                started = s.scalar(
                    select(func.count()).where(Task.project_id == project_id, Task.state != TaskState.QUEUED.value)
                )
                if started:
                    raise Conflict("consensus can only change before labeling starts; this project has started tasks.")
                n = int(changes["consensus"])
                if not 1 <= n <= 10:
                    raise InvalidInput("consensus must be between 1 and 10.")
                project.consensus = n
                s.execute(update(Task).where(Task.project_id == project_id).values(required=n, open_slots=n))
            audit.record(s, actor.user_id, "project.update", f"project:{project_id}", fields=sorted(changes))
        return self.get(actor, project_id)

    def delete(self, actor: Actor, project_id: int) -> None:
        with self.deps.db.write() as s:
            project, _ = require_project(s, actor, project_id, Role.MANAGER)
            s.delete(project)
            audit.record(s, actor.user_id, "project.delete", f"project:{project_id}")

    # -- members -------------------------------------------------------------------------------
    def members(self, actor: Actor, project_id: int) -> list[tuple[User, Role]]:
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.LABELER)
            q = (
                select(User, ProjectMember.role)
                .join(ProjectMember, ProjectMember.user_id == User.id)
                .where(ProjectMember.project_id == project_id)
                .order_by(User.id)
            )
            return [(u, Role(r)) for u, r in s.execute(q)]

    def set_member(self, actor: Actor, project_id: int, username: str, role: str) -> None:
        try:
            new_role = Role(role)
        except ValueError:
            raise InvalidInput(f"role must be one of {[r.value for r in Role]}, got {role!r}.") from None
        with self.deps.db.write() as s:
            require_project(s, actor, project_id, Role.MANAGER)
            user = s.scalar(select(User).where(User.username == username.lower()))
            if user is None:
                raise NotFound(f"No user named '{username}'; an admin must create the account first.")
            member = s.get(ProjectMember, (project_id, user.id))
            if member is None:
                s.add(ProjectMember(project_id=project_id, user_id=user.id, role=new_role.value))
            else:
                member.role = new_role.value
            audit.record(s, actor.user_id, "member.set", f"project:{project_id}", user=user.id, role=new_role.value)

    def remove_member(self, actor: Actor, project_id: int, user_id: int) -> None:
        with self.deps.db.write() as s:
            require_project(s, actor, project_id, Role.MANAGER)
            member = s.get(ProjectMember, (project_id, user_id))
            if member is None:
                raise NotFound(f"User {user_id} is not a member of project {project_id}.")
            managers = s.scalar(
                select(func.count()).where(
                    ProjectMember.project_id == project_id, ProjectMember.role == Role.MANAGER.value
                )
            )
            if member.role == Role.MANAGER.value and managers == 1:
                raise Conflict("This is the project's last manager; make someone else manager first.")
            s.delete(member)
            audit.record(s, actor.user_id, "member.remove", f"project:{project_id}", user=user_id)

    # -- ontology --------------------------------------------------------------------------------
    def ontology_versions(self, actor: Actor, project_id: int) -> list[OntologyVersion]:
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.LABELER)
            q = (
                select(OntologyVersion)
                .where(OntologyVersion.project_id == project_id)
                .order_by(OntologyVersion.version)
            )
            return list(s.scalars(q))

    def update_ontology(
        self, actor: Actor, project_id: int, ontology: Any, *, migration: Any = None, note: str = ""
    ) -> tuple[int, int]:
        """Save a new ontology version; return (version, migrated annotation count).

        Refuses (``Conflict``) when stored heads or drafts use what the new version drops, unless
        ``migration`` says what to do with each dropped piece.  Migrated heads get a new revision.
        """
        new = Ontology.parse(ontology)
        plan = Migration.parse(migration)
        with self.deps.db.write() as s:
            project, _ = require_project(s, actor, project_id, Role.MANAGER)
            old = load_ontology(s, project)
            changes = breaking_changes(old, new)
            migrated = 0
            if not changes.empty:
                migrated = self._migrate(s, actor, project, changes, plan, new)
            project.ontology_version += 1
            s.add(
                OntologyVersion(
                    project_id=project_id,
                    version=project.ontology_version,
                    body_json=orjson.dumps(new.to_json()).decode(),
                    created_by=actor.user_id,
                    note=note,
                )
            )
            audit.record(
                s,
                actor.user_id,
                "ontology.update",
                f"project:{project_id}",
                version=project.ontology_version,
                migrated=migrated,
            )
            return project.ontology_version, migrated

    def _migrate(self, s: Session, actor: Actor, project: Project, changes: Any, plan: Migration, new: Ontology) -> int:
        heads = s.execute(
            select(Task.id, AnnotationRevision.id, AnnotationRevision.body_json)
            .join(AnnotationRevision, AnnotationRevision.id == Task.head_revision_id)
            .where(Task.project_id == project.id)
        ).all()
        drafts = s.scalars(
            select(Draft).join(Task, Task.id == Draft.task_id).where(Task.project_id == project.id)
        ).all()
        used: set[str] = set()
        for _, _, body in heads:
            used |= usages(orjson.loads(body), changes)
        for d in drafts:
            used |= usages(orjson.loads(d.body_json), changes)
        if not used:
            return 0
        if plan == Migration():
            raise Conflict(
                "The new ontology drops what stored annotations use: "
                + ", ".join(sorted(used))
                + ". Keep them, or send a 'migration' saying what becomes of each.",
                details={"used": sorted(used)},
            )
        check_migration(changes, plan, new, used)
        version = project.ontology_version + 1
        count = 0
        for task_id, rev_id, body in heads:
            parsed = orjson.loads(body)
            if not usages(parsed, changes):
                continue
            out = migrate_body(parsed, plan, changes, new)
            rev = add_revision(
                s,
                task_id=task_id,
                project_id=project.id,
                author_id=actor.user_id,
                kind="migration",
                parent_id=rev_id,
                ontology_version=version,
                body=out,
            )
            s.execute(update(Task).where(Task.id == task_id).values(head_revision_id=rev.id, updated_at=utcnow()))
            count += 1
        for d in drafts:
            parsed = orjson.loads(d.body_json)
            if usages(parsed, changes):
                d.body_json = orjson.dumps(migrate_body(parsed, plan, changes, new)).decode()
                d.ontology_version = version
        return count


__all__ = ["ProjectService", "ProjectView", "load_ontology", "require_admin"]
