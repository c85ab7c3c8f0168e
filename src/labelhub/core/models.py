"""Ports for detection models (Auto Detect, pre-labeling): what services ask of a model.

A model is described by a ``ModelSpec`` (what an admin registered: its kind, where it lives, its
class list and settings).  A ``DetectorLoader`` turns a spec into a runnable ``Detector``; the
concrete loader (``labelhub.assist.models``) arrives through ``labelhub.wiring``.  Detectors
answer in model classes and image pixels; mapping to ontology classes and the per-project
confidence threshold are the service's business.

Kinds: ``onnx`` (a file plus its manifest), ``ls_backend`` (a Label Studio ML-backend server),
``builtin`` (a model shipped inside an installed package, e.g. ``document-layout``) and
``trained`` (models trained inside labelhub; the loader accepts a factory for it through
``register_kind`` once the training issue lands).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class ModelKind(StrEnum):
    ONNX = "onnx"
    LS_BACKEND = "ls_backend"
    BUILTIN = "builtin"
    TRAINED = "trained"


@dataclass(frozen=True, slots=True)
class ModelSpec:
    kind: ModelKind
    uri: str  # file path (onnx), base URL (ls_backend), builtin name, trained-model reference
    classes: tuple[str, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    version: str = ""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What inspecting a spec found: the classes the model predicts, its version and task."""

    classes: tuple[str, ...]
    version: str
    task: str = "detect"  # "detect" (boxes) or "segment" (boxes and masks/polygons)


@dataclass(frozen=True, slots=True)
class Detection:
    """One predicted object.  ``geometry`` is a labelhub geometry in image pixels: a ``bbox``
    (``xyxy``), a ``polygon`` (``points_xy``) or a ``mask`` (COCO RLE of the image's size)."""

    label: str
    score: float
    geometry: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImageInput:
    """The image handed to a detector: the encoded file, its name and pixel size."""

    data: bytes
    filename: str
    width: int
    height: int
    mime_type: str = "application/octet-stream"
    page: int = 0  # 0-based page of a PDF or multi-page TIFF


class Detector(Protocol):
    @property
    def info(self) -> ModelInfo: ...

    def detect(self, image: ImageInput) -> list[Detection]: ...


class DetectorLoader(Protocol):
    def inspect(self, spec: ModelSpec) -> ModelInfo:
        """Check that the model can be used (file and manifest present, server answering) and say
        what it predicts; raise ``InvalidInput`` / ``ServiceUnavailable`` naming what to fix."""
        ...

    def load(self, spec: ModelSpec) -> Detector: ...

    def builtins(self) -> dict[str, ModelInfo]: ...


__all__ = ["Detection", "Detector", "DetectorLoader", "ImageInput", "ModelInfo", "ModelKind", "ModelSpec"]
