"""A small demo project with real photographs, so a first run has something to label."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import BinaryIO, cast

from sqlalchemy import select

from labelhub.db.tables import Project, User
from labelhub.services.context import Actor
from labelhub.wiring import Platform

DEMO_NAME = "Demo: everyday objects"
IMAGES = ("astronaut.jpg", "coffee.jpg", "chelsea.jpg", "rocket.jpg")
ONTOLOGY = {
    "classes": [
        {"id": "person", "name": "Person", "tool": "bbox", "color": "#e6194b", "hotkey": "1"},
        {
            "id": "cat",
            "name": "Cat",
            "tool": "polygon",
            "color": "#3cb44b",
            "hotkey": "2",
            "attributes": [
                {
                    "id": "pose",
                    "name": "Pose",
                    "kind": "radio",
                    "options": [{"id": "sitting", "name": "Sitting"}, {"id": "lying", "name": "Lying"}],
                }
            ],
        },
        {"id": "cup", "name": "Cup", "tool": "ellipse", "color": "#4363d8", "hotkey": "3"},
        {"id": "rocket", "name": "Rocket", "tool": "rotated_bbox", "color": "#f58231", "hotkey": "4"},
        {"id": "landmark", "name": "Landmark", "tool": "point", "color": "#911eb4", "hotkey": "5"},
    ],
    "classifications": [
        {
            "id": "quality",
            "name": "Image quality",
            "kind": "radio",
            "required": True,
            "options": [
                {"id": "good", "name": "Good"},
                {
                    "id": "poor",
                    "name": "Poor",
                    "questions": [
                        {
                            "id": "why",
                            "name": "What is wrong?",
                            "kind": "checklist",
                            "options": [{"id": "blur", "name": "Blurred"}, {"id": "dark", "name": "Too dark"}],
                        }
                    ],
                },
            ],
        },
        {"id": "notes", "name": "Notes", "kind": "text"},
    ],
}


PENDING = ".demo-pending"


def create_pending_demo(platform: Platform, data_dir: Path) -> str | None:
    """After the first admin is created: make the demo that ``serve --demo`` could not make yet."""
    marker = data_dir / PENDING
    if not marker.exists():
        return None
    line = ensure_demo(platform, data_dir)
    marker.unlink(missing_ok=True)
    return line


def ensure_demo(platform: Platform, data_dir: Path | None = None) -> str:
    """Create the demo project once, owned by the first admin.  Returns a line to print."""
    with platform.deps.db.read() as s:
        if s.scalar(select(Project.id).where(Project.name == DEMO_NAME)) is not None:
            return f"demo project '{DEMO_NAME}' exists"
        admin = s.scalar(select(User).where(User.is_admin.is_(True)).order_by(User.id).limit(1))
    if admin is None:
        if data_dir is not None:
            (data_dir / PENDING).touch()
        return "the demo project will be created together with the first admin account"
    actor = Actor(admin.id, admin.username, True)
    view = platform.projects.create(actor, DEMO_NAME, ONTOLOGY, description="Four real photographs to try the tools.")
    folder = files("labelhub.demo")
    for name in IMAGES:
        with folder.joinpath(name).open("rb") as f:
            platform.assets.upload(actor, view.project.id, cast(BinaryIO, f), name)
    return f"demo project '{DEMO_NAME}' created (id {view.project.id}) with {len(IMAGES)} images"


__all__ = ["DEMO_NAME", "create_pending_demo", "ensure_demo"]
