"""Authorization on every object.

A user who is not a member of a project gets ``NotFound`` for everything in it (never a hint
that it exists); a member whose role is too low gets ``Forbidden`` naming the role needed.
Organization admins may do everything.
"""

from __future__ import annotations

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


def require_project(s: Session, actor: Actor, project_id: int, needed: Role) -> tuple[Project, Role]:
    """The project and the actor's effective role (admins count as managers)."""
    project = s.get(Project, project_id)
    role = Role.MANAGER if actor.is_admin else project_role(s, actor, project_id)
    if project is None or role is None:
        raise NotFound(f"Project {project_id} not found.")
    if not role.includes(needed):
        raise Forbidden(f"This needs the {needed.value} role in project {project_id}; you are {role.value}.")
    return project, role


def require_task(s: Session, actor: Actor, task_id: int, needed: Role) -> tuple[Task, Project, Role]:
    task = s.get(Task, task_id)
    if task is None:
        raise NotFound(f"Task {task_id} not found.")
    try:
        project, role = require_project(s, actor, task.project_id, needed)
    except NotFound:
        raise NotFound(f"Task {task_id} not found.") from None
    return task, project, role


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("This needs an organization admin.")


__all__ = ["project_role", "require_admin", "require_project", "require_task"]
