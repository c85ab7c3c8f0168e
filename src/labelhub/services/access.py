"""Authorization on every object.

A user who is not a member of a project gets ``NotFound`` for everything in it (never a hint
that it exists); a member whose role is too low gets ``Forbidden`` naming the role needed.
Organization admins may do everything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from labelhub.core.errors import Forbidden, NotFound
from labelhub.core.workflow import Role
from labelhub.db.tables import Project, ProjectMember, Task
from labelhub.services.context import Actor


def project_role(s: Session, actor: Actor, project_id: int) -> Role | None:
    role = s.scalar(
        select(ProjectMember.role).where(ProjectMember.project_id == project_id, ProjectMember.user_id == actor.user_id)
    )
    return Role(role) if role else None


def _member(actor: Actor) -> Any:
    return (ProjectMember.project_id == Project.id) & (ProjectMember.user_id == actor.user_id)


def _effective(actor: Actor, stored: str | None, needed: Role, project_id: int) -> Role | None:
    role = Role.MANAGER if actor.is_admin else (Role(stored) if stored else None)
    if role is not None and not role.includes(needed):
        raise Forbidden(f"This needs the {needed.value} role in project {project_id}; you are {role.value}.")
    return role


def require_project(s: Session, actor: Actor, project_id: int, needed: Role) -> tuple[Project, Role]:
    """The project and the actor's effective role (admins count as managers).  One query."""
    row = s.execute(
        select(Project, ProjectMember.role).outerjoin(ProjectMember, _member(actor)).where(Project.id == project_id)
    ).one_or_none()
    role = None if row is None else _effective(actor, row[1], needed, project_id)
    if row is None or role is None:
        raise NotFound(f"Project {project_id} not found.")
    return row[0], role


def require_task(s: Session, actor: Actor, task_id: int, needed: Role) -> tuple[Task, Project, Role]:
    """The task, its project and the actor's role there; ``NotFound`` also for non-members.  One query."""
    row = s.execute(
        select(Task, Project, ProjectMember.role)
        .join(Project, Project.id == Task.project_id)
        .outerjoin(ProjectMember, _member(actor))
        .where(Task.id == task_id)
    ).one_or_none()
    role = None if row is None else _effective(actor, row[2], needed, row[1].id)
    if row is None or role is None:
        raise NotFound(f"Task {task_id} not found.")
    return row[0], row[1], role


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("This needs an organization admin.")


__all__ = ["project_role", "require_admin", "require_project", "require_task"]
