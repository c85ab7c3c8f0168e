"""Wire schemas for the model registry, Auto Detect, pre-labeling and the AI report."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from labelhub.api.schemas.core import Out

Json = dict[str, Any]


class ModelCreate(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    kind: Literal["onnx", "ls_backend", "builtin", "trained"] = Field(
        description="onnx: a model file with a manifest next to it; ls_backend: a Label Studio ML-backend URL; "
        "builtin: a model shipped in an installed package (see GET /models/builtins); trained: reserved."
    )
    uri: str = Field(min_length=1, max_length=2048, description="File path, server URL or built-in name.")
    classes: list[str] | None = Field(None, description="The labels a model server predicts (ls_backend only).")
    config: Json = Field(default_factory=dict, description="e.g. {'timeout_seconds': 30, 'headers': {...}}")
    version: str | None = Field(None, max_length=128, description="Overrides the version the model reports.")


class ModelPublic(Out):
    id: int
    name: str
    kind: str
    uri: str
    version: str
    task: str
    classes: list[str]
    config: Json
    created_by: int | None
    created_at: datetime


class BuiltinModelPublic(Out):
    name: str
    version: str
    classes: list[str]


class ProjectModelSet(BaseModel):
    class_map: dict[str, str] = Field(description="Model class -> ontology class id; unmapped classes are ignored.")
    threshold: float = Field(0.5, ge=0, le=1, description="Suggestions below this confidence are hidden.")


class ProjectModelPublic(Out):
    project_id: int
    model_id: int
    name: str
    kind: str
    version: str
    classes: list[str]
    class_map: dict[str, str]
    threshold: float


class DetectRequest(BaseModel):
    model_id: int | None = Field(None, description="An attached model; the first attached one when omitted.")
    page: int = Field(0, ge=0, description="0-based page of a document (PDF, multi-page TIFF).")


class DetectResult(Out):
    model_id: int
    model: str
    model_version: str
    threshold: float
    objects: list[Json] = Field(description="Suggestions: objects with source {kind: model, name, version}.")
    below_threshold: int
    unmapped: int
    dropped: int


class PrelabelRequest(BaseModel):
    model_id: int
    states: list[str] | None = Field(None, description="Task states to pre-label; default ['queued'].")
    overwrite: bool = Field(False, description="Replace an earlier pre-label or import (never human labels).")


class AIReport(Out):
    project_id: int
    iou_threshold: float
    tasks_compared: int
    tasks_with_suggestions: int
    categories: list[str]
    total: Json
    by_model_version: list[Json]
    by_labeler: list[Json]
    chart: Json
    time_per_asset: Json
