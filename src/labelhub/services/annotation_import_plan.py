"""Planning an annotation import: labels to classes, files to assets, each task's new body.

Planning reads only (a dry run is a plan that is never written).  ``prepare`` maps every label
(class id, then class name case-insensitively, then ``mapping``), matches the upload's images to
the project's assets by base name (YOLO: by stem), converts geometry to each class's tool and
validates every body.  Objects the geometry rules refuse are dropped with a warning, as exports
do; anything else wrong is an ``InvalidInput`` naming the file and place.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelhub.core.annotations import validate_body
from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ImportedItem, ImportedObject
from labelhub.core.ontology import Ontology, validate_answers
from labelhub.db.tables import AnnotationRevision, Asset, Project, Task
from labelhub.services.annotation_import_geometry import convert, scaled
from labelhub.services.annotations import extent_of

_COLORS = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6"]
MAX_WARNINGS = 50
MODES = ("replace", "append")


@dataclass
class PlannedTask:
    """One matched task: what it held when planned (``head_id``) and the body to write."""

    task_id: int
    asset: Asset
    head_id: int | None
    items: list[ImportedItem]
    body: dict[str, Any]
    kept: int = 0  # objects carried over from the head (``append``); the rest are imported


@dataclass
class Plan:
    fmt: str
    mode: str
    project_id: int
    base_version: int  # the ontology version the plan was made against
    ontology: Ontology  # with the classes to create
    new_classes: list[dict[str, Any]]
    targets: dict[str, str]  # label -> class id or "drop"
    labels: Counter[str]
    unknown: list[str]
    tasks: list[PlannedTask]
    unmatched: list[str]
    skipped: list[str]
    warnings: list[str] = field(default_factory=list)
    dropped: int = 0

    def warn(self, text: str, *, dropped: bool = False) -> None:
        self.dropped += int(dropped)
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(text)

    def result(self, *, dry_run: bool, revisions: int) -> dict[str, Any]:
        """The report (``ImportResult`` on the wire)."""
        return {
            "format": self.fmt,
            "dry_run": dry_run,
            "items": len(self.tasks),
            "objects": sum(len(t.body["objects"]) - t.kept for t in self.tasks),
            "revisions": revisions,
            "unmatched_files": self.unmatched,
            "classes": {
                lb: {"objects": n, "target": self.targets.get(lb, "?")} for lb, n in sorted(self.labels.items())
            },
            "unknown_classes": self.unknown,
            "created_classes": [c["id"] for c in self.new_classes],
            "dropped_objects": self.dropped,
            "skipped": self.skipped[:MAX_WARNINGS],
            "warnings": self.warnings,
        }


def unknown_labels_error(unknown: list[str]) -> InvalidInput:
    return InvalidInput(
        f"Labels {unknown} are not classes of this project. Map each (API: 'mapping'; CLI: --map LABEL=TARGET) "
        "to an existing class id, 'create' (or 'create:<tool>') or 'drop'; a dry run lists them all.",
        details={"unknown_classes": unknown},
    )


def prepare(
    s: Session,
    project: Project,
    ontology: Ontology,
    fmt: str,
    items: list[ImportedItem],
    mapping: dict[str, str],
    mode: str,
    *,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """The whole import, computed and validated, nothing written."""
    labels = Counter(o.label for it in items for o in it.objects)
    targets, new, unknown, onto = _classes(ontology, items, labels, mapping)
    if unknown and not dry_run:
        raise unknown_labels_error(unknown)
    plan = Plan(fmt, mode, project.id, project.ontology_version, onto, new, targets, labels, unknown, [], [], [], [])
    matched, plan.unmatched = _match(s, project.id, items)
    plan.skipped = [x for it in items for x in it.skipped]
    for i, ((asset, task), its) in enumerate(matched.items()):
        body, kept = build_body(s, plan, asset, task.head_revision_id, its)
        plan.tasks.append(PlannedTask(task.id, asset, task.head_revision_id, its, body, kept))
        if progress is not None:
            progress(i + 1, len(matched))
    return plan


def _classes(
    ontology: Ontology, items: list[ImportedItem], labels: Counter[str], mapping: dict[str, str]
) -> tuple[dict[str, str], list[dict[str, Any]], list[str], Ontology]:
    """label -> class id or "drop"; the classes to create; the labels still unmapped; the ontology
    with the new classes."""
    by_name = {c.name.lower(): c.id for c in ontology.classes} | {c.id.lower(): c.id for c in ontology.classes}
    targets: dict[str, str] = {}
    new: list[dict[str, Any]] = []
    unknown: list[str] = []
    for label in sorted(labels):
        choice = mapping.get(label)
        if choice is None:
            hit = label if ontology.has_class(label) else by_name.get(label.lower())
            if hit is None:
                unknown.append(label)
            else:
                targets[label] = hit
        elif choice == "drop":
            targets[label] = "drop"
        elif choice == "create" or choice.startswith("create:"):
            tool = choice.split(":", 1)[1] if ":" in choice else _tool_of(items, label)
            cid = re.sub(r"[^A-Za-z0-9_.\-]+", "_", label).strip("_")[:64] or "class"
            new.append({"id": cid, "name": label, "tool": tool, "color": _COLORS[len(new) % len(_COLORS)]})
            targets[label] = cid
        elif ontology.has_class(choice):
            targets[label] = choice
        else:
            raise InvalidInput(f"mapping['{label}'] = {choice!r} is neither a class id, 'create' nor 'drop'.")
    if new:
        body = ontology.to_json()
        ontology = Ontology.parse({**body, "classes": [*body["classes"], *new]})
    return targets, new, unknown, ontology


def _tool_of(items: list[ImportedItem], label: str) -> str:
    kinds = {o.geometry.get("type") for it in items for o in it.objects if o.label == label}
    if len(kinds) != 1:
        raise InvalidInput(
            f"Label '{label}' has shapes of kinds {sorted(map(str, kinds))}; map it with 'create:<tool>'."
        )
    return str(kinds.pop())


def _match(
    s: Session, project_id: int, items: list[ImportedItem]
) -> tuple[dict[tuple[Asset, Task], list[ImportedItem]], list[str]]:
    rows = s.execute(
        select(Asset, Task)
        .join(Task, Task.asset_id == Asset.id)
        .where(Asset.project_id == project_id)
        .order_by(Task.id)
    ).all()
    by_name: dict[str, tuple[Asset, Task]] = {}
    by_stem: dict[str, tuple[Asset, Task]] = {}
    for asset, task in rows:
        name = posixpath.basename(asset.filename.replace("\\", "/"))
        by_name.setdefault(name, (asset, task))
        by_stem.setdefault(posixpath.splitext(name)[0], (asset, task))
    matched: dict[tuple[Asset, Task], list[ImportedItem]] = {}
    unmatched: list[str] = []
    for it in items:
        hit = (by_stem if it.match_stem else by_name).get(it.file_name)
        if hit is None:
            unmatched.append(it.file_name)
        else:
            matched.setdefault(hit, []).append(it)
    return matched, unmatched


def build_body(
    s: Session, plan: Plan, asset: Asset, head_id: int | None, items: list[ImportedItem]
) -> tuple[dict[str, Any], int]:
    """The task's new body: the imported objects (after the head's, in ``append`` mode), validated;
    and how many objects came from the head."""
    extent = extent_of(asset)
    objects: list[dict[str, Any]] = []
    if plan.mode == "append" and head_id is not None:
        head = s.get(AnnotationRevision, head_id)
        objects = list(orjson.loads(head.body_json)["objects"]) if head else []
    taken = {o["id"] for o in objects}
    kept = len(objects)
    classifications: dict[str, Any] = {}
    n = 0
    for it in items:
        classifications.update(it.classifications)
        for o in it.objects:
            target = plan.targets.get(o.label, "drop")
            if target == "drop":
                continue
            n += 1
            while f"import-{n}" in taken:
                n += 1
            obj = _object(plan, f"import-{n}", target, o, it, asset, extent)
            if obj is not None:
                objects.append(obj)
    questions = plan.ontology.asset_classifications  # slice-scope answers are not imported
    try:
        answers = validate_answers(
            questions,
            {k: v for k, v in classifications.items() if k in {q.id for q in questions}},
            path="classifications",
            require_complete=False,
        )
    except InvalidInput as e:
        plan.warn(f"{asset.filename}: classifications not imported: {e.message}")
        answers = {}
    body = validate_body(
        {"objects": objects, "classifications": answers}, plan.ontology, extent, require_complete=False
    )
    return body, kept


def _object(
    plan: Plan, oid: str, target: str, o: ImportedObject, it: ImportedItem, asset: Asset, extent: Any
) -> dict[str, Any] | None:
    cls = plan.ontology.get_class(target)
    where = f"{it.source_file} ({o.where or it.file_name})"
    try:
        g = scaled(o.geometry, asset.width or 0, asset.height or 0) if it.normalized else o.geometry
        g = convert(g, cls.tool)
    except (ValueError, KeyError, TypeError) as e:
        raise InvalidInput(f"{where}: label '{o.label}' -> class '{target}': {e}.") from None
    known = {q.id for q in cls.attributes}
    obj = {
        "id": oid,
        "class_id": target,
        "geometry": g,
        "attributes": {k: v for k, v in o.attributes.items() if k in known},
        "confidence": o.confidence,
        "source": {"kind": "import", "name": plan.fmt, "file": it.source_file},
    }
    try:
        return _valid(plan, obj, extent)
    except InvalidInput as e:
        if "attributes" not in e.message:
            plan.warn(f"{where}: dropped: {e.message}", dropped=True)
            return None
        obj["attributes"] = {}
        plan.warn(f"{where}: answers not imported: {e.message}")
    try:
        return _valid(plan, obj, extent)
    except InvalidInput as e:
        plan.warn(f"{where}: dropped: {e.message}", dropped=True)
        return None


def _valid(plan: Plan, obj: dict[str, Any], extent: Any) -> dict[str, Any]:
    return dict(validate_body({"objects": [obj]}, plan.ontology, extent, require_complete=False)["objects"][0])


__all__ = ["MAX_WARNINGS", "MODES", "Plan", "PlannedTask", "build_body", "prepare", "unknown_labels_error"]
