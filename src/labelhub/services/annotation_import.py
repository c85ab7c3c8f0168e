"""Importing pre-labels (or labels from another tool) into a project's existing assets.

The upload is parsed completely first (a malformed file is a 400 naming the file and the line or
key); then, in one transaction, labels are mapped to classes, geometry is converted to each
class's tool, and every matched task gets one revision of kind ``import`` whose objects carry
``source: {"kind": "import", "name": <format>, "file": <file>}``.  Any error rolls everything back.

Labels that are neither a class id nor a class name must be mapped (``mapping``: label -> class
id, ``"create"``, ``"create:<tool>"`` or ``"drop"``); without a mapping the import is refused and
the answer lists them.  Objects the geometry rules refuse (wholly outside the image, degenerate)
are dropped and counted, as exports do.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections import Counter
from typing import Any, BinaryIO

import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from labelhub.core import rle as rle_codec
from labelhub.core.annotations import validate_body
from labelhub.core.errors import InvalidInput
from labelhub.core.formats import ImportedItem, ImportedObject
from labelhub.core.ontology import Ontology, ToolKind, validate_answers
from labelhub.core.workflow import Role
from labelhub.db.tables import AnnotationRevision, Asset, OntologyVersion, Task
from labelhub.services import audit
from labelhub.services.access import require_project
from labelhub.services.annotations import extent_of
from labelhub.services.context import Actor, Deps
from labelhub.services.ingest import spool
from labelhub.services.projects import load_ontology

_COLORS = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6"]
MAX_WARNINGS = 50


def _corners(g: dict[str, Any]) -> list[list[float]]:
    cx, cy, w, h, a = g["cxcywha"]
    c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
    return [
        [cx + dx * c - dy * s, cy + dx * s + dy * c]
        for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2))
    ]


def _points_of(g: dict[str, Any]) -> list[list[float]]:
    t = g["type"]
    if t == "bbox":
        x1, y1, x2, y2 = g["xyxy"]
        return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]]
    if t == "rotated_bbox":
        return _corners(g)
    if t in ("polygon", "polyline"):
        return [list(p) for p in g["points_xy"]]
    if t == "keypoints":
        return [[x, y] for x, y, v in g["points"] if v]
    if t == "mask":
        ys, xs = rle_codec.decode(g["rle"]).nonzero()
        return [[float(xs.min()), float(ys.min())], [float(xs.max()) + 1, float(ys.max()) + 1]] if len(xs) else []
    raise ValueError(t)


def convert(g: dict[str, Any], tool: ToolKind) -> dict[str, Any]:
    """The geometry as ``tool`` draws it; ``ValueError`` when it cannot be converted faithfully."""
    t = g.get("type")
    if t == tool.value:
        return g
    if tool is ToolKind.BBOX and t in ("rotated_bbox", "polygon", "polyline", "keypoints", "mask"):
        pts = _points_of(g)
        if not pts:
            raise ValueError("empty")
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return {"type": "bbox", "xyxy": [min(xs), min(ys), max(xs), max(ys)]}
    if tool is ToolKind.POLYGON and t in ("bbox", "rotated_bbox"):
        return {"type": "polygon", "points_xy": _points_of(g)}
    if tool is ToolKind.ROTATED_BBOX and t == "bbox":
        x1, y1, x2, y2 = g["xyxy"]
        return {"type": "rotated_bbox", "cxcywha": [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1, 0.0]}
    if tool is ToolKind.ROTATED_BBOX and t == "polygon" and len(g["points_xy"]) == 4:
        p = g["points_xy"]
        w, h = math.dist(p[0], p[1]), math.dist(p[1], p[2])
        angle = math.degrees(math.atan2(p[1][1] - p[0][1], p[1][0] - p[0][0]))
        cx, cy = sum(q[0] for q in p) / 4, sum(q[1] for q in p) / 4
        return {"type": "rotated_bbox", "cxcywha": [cx, cy, w, h, angle]}
    raise ValueError(f"a {t} cannot be drawn as a {tool.value}")


def _scaled(g: dict[str, Any], w: float, h: float) -> dict[str, Any]:
    t = g["type"]
    if t == "bbox":
        x1, y1, x2, y2 = g["xyxy"]
        return {"type": t, "xyxy": [x1 * w, y1 * h, x2 * w, y2 * h]}
    if t in ("polygon", "polyline"):
        return {"type": t, "points_xy": [[x * w, y * h] for x, y in g["points_xy"]]}
    if t == "keypoints":
        return {"type": t, "points": [[x * w, y * h, v] for x, y, v in g["points"]]}
    return g


class AnnotationImportService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def run(
        self,
        actor: Actor,
        project_id: int,
        fmt: str,
        stream: BinaryIO,
        filename: str,
        *,
        mapping: dict[str, str] | None = None,
        dry_run: bool = False,
        mode: str = "replace",
    ) -> dict[str, Any]:
        importer = self.deps.formats.annotation_importer(fmt)
        if mode not in ("replace", "append"):
            raise InvalidInput(f"mode must be 'replace' or 'append', got {mode!r}.")
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)
        sp = spool(stream, self.deps.limits.max_upload_bytes)
        try:
            items = importer.read(sp.file, filename)
        finally:
            sp.file.close()
        scope = self.deps.db.read() if dry_run else self.deps.db.write()
        with scope as s:
            return _Import(s, actor, project_id, fmt, mapping or {}, dry_run, mode).run(items)


class _Import:
    """One import inside one transaction."""

    def __init__(
        self, s: Session, actor: Actor, project_id: int, fmt: str, mapping: dict[str, str], dry: bool, mode: str
    ) -> None:
        self.s, self.actor, self.fmt, self.mapping, self.dry, self.mode = s, actor, fmt, mapping, dry, mode
        self.project, _ = require_project(s, actor, project_id, Role.MANAGER)
        self.ontology = load_ontology(s, self.project)
        self.warnings: list[str] = []
        self.dropped = 0

    def warn(self, text: str) -> None:
        self.dropped += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(text)

    def run(self, items: list[ImportedItem]) -> dict[str, Any]:
        labels = Counter(o.label for it in items for o in it.objects)
        targets, created, unknown = self._classes(items, labels)
        if unknown and not self.dry:
            raise InvalidInput(
                f"Labels {unknown} are not classes of this project. Send 'mapping' with, for each, an existing "
                "class id, 'create' (or 'create:<tool>') or 'drop'; a dry run lists them all.",
                details={"unknown_classes": unknown},
            )
        matched, unmatched = self._match(items)
        revisions = objects = 0
        for (asset, task), its in matched.items():
            body = self._body(asset, task, its, targets)
            objects += len(body["objects"])
            if not self.dry:
                self._write(task, body)
                revisions += 1
        if not self.dry:
            audit.record(
                self.s,
                self.actor.user_id,
                "annotations.import",
                f"project:{self.project.id}",
                format=self.fmt,
                revisions=revisions,
            )
        skipped = [x for it in items for x in it.skipped]
        return {
            "format": self.fmt,
            "dry_run": self.dry,
            "items": len(matched),
            "objects": objects,
            "revisions": revisions,
            "unmatched_files": unmatched,
            "classes": {lb: {"objects": n, "target": targets.get(lb, "?")} for lb, n in sorted(labels.items())},
            "unknown_classes": unknown,
            "created_classes": created,
            "dropped_objects": self.dropped,
            "skipped": skipped[:MAX_WARNINGS],
            "warnings": self.warnings,
        }

    def _classes(self, items: list[ImportedItem], labels: Counter[str]) -> tuple[dict[str, str], list[str], list[str]]:
        """label -> class id or "drop"; the classes created; the labels still unmapped."""
        by_name = {c.name.lower(): c.id for c in self.ontology.classes} | {
            c.id.lower(): c.id for c in self.ontology.classes
        }
        targets: dict[str, str] = {}
        new: list[dict[str, Any]] = []
        unknown: list[str] = []
        for label in sorted(labels):
            choice = self.mapping.get(label)
            if choice is None:
                hit = label if self.ontology.has_class(label) else by_name.get(label.lower())
                if hit is None:
                    unknown.append(label)
                else:
                    targets[label] = hit
            elif choice == "drop":
                targets[label] = "drop"
            elif choice == "create" or choice.startswith("create:"):
                tool = choice.split(":", 1)[1] if ":" in choice else self._tool_of(items, label)
                cid = re.sub(r"[^A-Za-z0-9_.\-]+", "_", label).strip("_")[:64] or "class"
                new.append({"id": cid, "name": label, "tool": tool, "color": _COLORS[len(new) % len(_COLORS)]})
                targets[label] = cid
            elif self.ontology.has_class(choice):
                targets[label] = choice
            else:
                raise InvalidInput(f"mapping['{label}'] = {choice!r} is neither a class id, 'create' nor 'drop'.")
        if new:
            self.ontology = Ontology.parse(
                {**self.ontology.to_json(), "classes": [*self.ontology.to_json()["classes"], *new]}
            )
            if not self.dry:
                self.project.ontology_version += 1
                self.s.add(
                    OntologyVersion(
                        project_id=self.project.id,
                        version=self.project.ontology_version,
                        body_json=orjson.dumps(self.ontology.to_json()).decode(),
                        created_by=self.actor.user_id,
                        note=f"classes created by a {self.fmt} import",
                    )
                )
        return targets, [c["id"] for c in new], unknown

    @staticmethod
    def _tool_of(items: list[ImportedItem], label: str) -> str:
        kinds = {o.geometry.get("type") for it in items for o in it.objects if o.label == label}
        if len(kinds) != 1:
            raise InvalidInput(
                f"Label '{label}' has shapes of kinds {sorted(map(str, kinds))}; map it with 'create:<tool>'."
            )
        return str(kinds.pop())

    def _match(self, items: list[ImportedItem]) -> tuple[dict[tuple[Asset, Task], list[ImportedItem]], list[str]]:
        rows = self.s.execute(
            select(Asset, Task)
            .join(Task, Task.asset_id == Asset.id)
            .where(Asset.project_id == self.project.id)
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

    def _body(self, asset: Asset, task: Task, items: list[ImportedItem], targets: dict[str, str]) -> dict[str, Any]:
        extent = extent_of(asset)
        objects: list[dict[str, Any]] = []
        if self.mode == "append" and task.head_revision_id is not None:
            head = self.s.get(AnnotationRevision, task.head_revision_id)
            objects = list(orjson.loads(head.body_json)["objects"]) if head else []
        taken = {o["id"] for o in objects}
        classifications: dict[str, Any] = {}
        n = 0
        for it in items:
            classifications.update(it.classifications)
            for o in it.objects:
                target = targets.get(o.label, "drop")
                if target == "drop":
                    continue
                n += 1
                while f"import-{n}" in taken:
                    n += 1
                obj = self._object(f"import-{n}", target, o, it, asset, extent)
                if obj is not None:
                    objects.append(obj)
        try:
            answers = validate_answers(
                self.ontology.classifications,
                {k: v for k, v in classifications.items() if k in {q.id for q in self.ontology.classifications}},
                path="classifications",
                require_complete=False,
            )
        except InvalidInput as e:
            self.warnings.append(f"{asset.filename}: classifications not imported: {e.message}")
            answers = {}
        return validate_body(
            {"objects": objects, "classifications": answers}, self.ontology, extent, require_complete=False
        )

    def _object(
        self, oid: str, target: str, o: ImportedObject, it: ImportedItem, asset: Asset, extent: Any
    ) -> dict[str, Any] | None:
        cls = self.ontology.get_class(target)
        where = f"{it.source_file} ({o.where or it.file_name})"
        try:
            g = _scaled(o.geometry, asset.width or 0, asset.height or 0) if it.normalized else o.geometry
            g = convert(g, cls.tool)
        except (ValueError, KeyError, TypeError) as e:
            raise InvalidInput(f"{where}: label '{o.label}' -> class '{target}': {e}.") from None
        known = {q.id for q in cls.attributes}
        attrs = {k: v for k, v in o.attributes.items() if k in known}
        obj = {
            "id": oid,
            "class_id": target,
            "geometry": g,
            "attributes": attrs,
            "confidence": o.confidence,
            "source": {"kind": "import", "name": self.fmt, "file": it.source_file},
        }
        try:
            return dict(validate_body({"objects": [obj]}, self.ontology, extent, require_complete=False)["objects"][0])
        except InvalidInput as e:
            if "attributes" in e.message:
                obj["attributes"] = {}
                self.warnings.append(f"{where}: answers not imported: {e.message}")
                return self._object_plain(obj, where, extent)
            self.warn(f"{where}: dropped: {e.message}")
            return None

    def _object_plain(self, obj: dict[str, Any], where: str, extent: Any) -> dict[str, Any] | None:
        try:
            return dict(validate_body({"objects": [obj]}, self.ontology, extent, require_complete=False)["objects"][0])
        except InvalidInput as e:
            self.warn(f"{where}: dropped: {e.message}")
            return None

    def _write(self, task: Task, body: dict[str, Any]) -> None:
        rev = AnnotationRevision(
            task_id=task.id,
            project_id=self.project.id,
            author_id=self.actor.user_id,
            kind="import",
            parent_id=task.head_revision_id,
            ontology_version=self.project.ontology_version,
            object_count=len(body["objects"]),
            body_json=orjson.dumps(body).decode(),
        )
        self.s.add(rev)
        self.s.flush()
        self.s.execute(update(Task).where(Task.id == task.id).values(head_revision_id=rev.id))


__all__ = ["AnnotationImportService", "convert"]
