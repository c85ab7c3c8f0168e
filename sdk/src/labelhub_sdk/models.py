"""Typed, immutable views of the server's JSON answers.

Each model is a frozen dataclass with ``from_json(data)``; unknown keys are ignored so a newer
server does not break an older SDK.  Times are timezone-aware ``datetime`` objects (UTC when the
server sends none).  Free-form JSON (ontologies, annotation bodies, job results) stays a dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Self, TypeVar

T = TypeVar("T")
Json = dict[str, Any]

TASK_STATES = ("queued", "in_progress", "submitted", "in_review", "accepted", "rejected", "skipped")
JOB_FINISHED = ("succeeded", "failed", "cancelled")


def _dt(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _req_dt(value: Any) -> datetime:
    parsed = _dt(value)
    if parsed is None:
        raise ValueError("a required timestamp is missing")
    return parsed


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _dict(value: Any) -> Json:
    return dict(value) if isinstance(value, Mapping) else {}


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list; pass ``next_cursor`` back to get the next (``None`` on the last page)."""

    items: tuple[T, ...]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], item: Callable[[Mapping[str, Any]], T]) -> Page[T]:
        return cls(tuple(item(x) for x in data.get("items", [])), data.get("next_cursor") or None)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    is_admin: bool
    is_active: bool

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["id"]),
            d["username"],
            d.get("display_name", ""),
            bool(d.get("is_admin")),
            bool(d.get("is_active", True)),
        )


@dataclass(frozen=True, slots=True)
class Token:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["id"]),
            d["name"],
            d.get("prefix", ""),
            _req_dt(d["created_at"]),
            _dt(d.get("last_used_at")),
            _dt(d.get("expires_at")),
            _dt(d.get("revoked_at")),
        )


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just created: ``token`` is the secret, shown this once."""

    token: str
    info: Token

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(d["token"], Token.from_json(d))


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    name: str
    description: str
    role: str
    consensus: int
    lease_seconds: int
    ontology_version: int
    created_at: datetime
    ontology: Json | None = None
    """The current ontology (``get``/``create``/``update``; ``None`` in lists)."""
    settings: Json = field(default_factory=dict)
    task_counts: dict[str, int] = field(default_factory=dict)
    """Tasks per state (``get``/``update``; empty in lists)."""

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        onto = d.get("ontology")
        return cls(
            int(d["id"]),
            d["name"],
            d.get("description", ""),
            d["role"],
            int(d["consensus"]),
            int(d["lease_seconds"]),
            int(d["ontology_version"]),
            _req_dt(d["created_at"]),
            dict(onto) if isinstance(onto, Mapping) else None,
            _dict(d.get("settings")),
            {str(k): int(v) for k, v in _dict(d.get("task_counts")).items()},
        )


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    username: str
    display_name: str
    role: str

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(int(d["user_id"]), d["username"], d.get("display_name", ""), d["role"])


@dataclass(frozen=True, slots=True)
class OntologyVersion:
    version: int
    ontology: Json
    note: str
    created_at: datetime

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(int(d["version"]), _dict(d.get("ontology")), d.get("note", ""), _req_dt(d["created_at"]))


@dataclass(frozen=True, slots=True)
class OntologyUpdate:
    version: int
    migrated_annotations: int

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(int(d["version"]), int(d.get("migrated_annotations", 0)))


@dataclass(frozen=True, slots=True)
class Asset:
    id: int
    project_id: int
    kind: str
    status: str
    filename: str
    created_at: datetime
    sha256: str | None = None
    size_bytes: int | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    channels: int | None = None
    pages: int = 1
    depth: int | None = None
    text_length: int | None = None
    has_thumbnail: bool = False
    error: str | None = None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["id"]),
            int(d["project_id"]),
            d["kind"],
            d["status"],
            d["filename"],
            _req_dt(d["created_at"]),
            d.get("sha256"),
            _opt_int(d.get("size_bytes")),
            d.get("mime_type"),
            _opt_int(d.get("width")),
            _opt_int(d.get("height")),
            _opt_int(d.get("channels")),
            int(d.get("pages") or 1),
            _opt_int(d.get("depth")),
            _opt_int(d.get("text_length")),
            bool(d.get("has_thumbnail")),
            d.get("error"),
        )


@dataclass(frozen=True, slots=True)
class BulkRegisterResult:
    created: int
    first_task_id: int | None
    last_task_id: int | None
    pending_probe: int
    errors: tuple[Json, ...]
    """``{"index": i, "error": "..."}`` for each refused item."""

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["created"]),
            _opt_int(d.get("first_task_id")),
            _opt_int(d.get("last_task_id")),
            int(d.get("pending_probe", 0)),
            tuple(_dict(e) for e in d.get("errors", [])),
        )


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    project_id: int
    asset_id: int
    state: str
    priority: int
    required: int
    head_revision_id: int | None
    assignee_id: int | None
    reviewer_id: int | None
    skip_reason: str | None
    updated_at: datetime

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["id"]),
            int(d["project_id"]),
            int(d["asset_id"]),
            d["state"],
            int(d.get("priority", 0)),
            int(d.get("required", 1)),
            _opt_int(d.get("head_revision_id")),
            _opt_int(d.get("assignee_id")),
            _opt_int(d.get("reviewer_id")),
            d.get("skip_reason"),
            _req_dt(d["updated_at"]),
        )


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    id: int
    reviewer_id: int | None
    decision: str
    """``accepted`` or ``rejected``."""
    comment: str
    object_comments: dict[str, str]
    revision_id: int | None
    created_at: datetime

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["id"]),
            _opt_int(d.get("reviewer_id")),
            d["decision"],
            d.get("comment", ""),
            {str(k): str(v) for k, v in _dict(d.get("object_comments")).items()},
            _opt_int(d.get("revision_id")),
            _req_dt(d["created_at"]),
        )


@dataclass(frozen=True, slots=True)
class TaskDetail:
    """A task with its asset and review history, as handed out by ``next``/``get``."""

    task: Task
    asset: Asset
    reviews: tuple[ReviewEvent, ...]
    lease_expires_at: datetime | None
    active_seconds: float

    @property
    def id(self) -> int:
        return self.task.id

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            Task.from_json(d["task"]),
            Asset.from_json(d["asset"]),
            tuple(ReviewEvent.from_json(r) for r in d.get("reviews", [])),
            _dt(d.get("lease_expires_at")),
            float(d.get("active_seconds") or 0.0),
        )


@dataclass(frozen=True, slots=True)
class Draft:
    task_id: int
    base_revision_id: int | None
    updated_at: datetime
    body: Json

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["task_id"]),
            _opt_int(d.get("base_revision_id")),
            _req_dt(d["updated_at"]),
            _dict(d.get("body")),
        )


@dataclass(frozen=True, slots=True)
class Revision:
    """One immutable version of a task's annotation (``kind`` is ``submission``, ``review`` or ``import``)."""

    id: int
    task_id: int
    author_id: int | None
    kind: str
    parent_id: int | None
    ontology_version: int
    object_count: int
    created_at: datetime
    body: Json

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["id"]),
            int(d["task_id"]),
            _opt_int(d.get("author_id")),
            d["kind"],
            _opt_int(d.get("parent_id")),
            int(d["ontology_version"]),
            int(d.get("object_count", 0)),
            _req_dt(d["created_at"]),
            _dict(d.get("body")),
        )


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    project_id: int | None
    kind: str
    state: str
    """``queued``, ``running``, ``succeeded``, ``failed`` or ``cancelled``."""
    progress_done: int
    progress_total: int | None
    error: str | None
    attempts: int
    result: Json | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.state in JOB_FINISHED

    @property
    def succeeded(self) -> bool:
        return self.state == "succeeded"

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        result = d.get("result")
        return cls(
            str(d["id"]),
            _opt_int(d.get("project_id")),
            d["kind"],
            d["state"],
            int(d.get("progress_done", 0)),
            _opt_int(d.get("progress_total")),
            d.get("error"),
            int(d.get("attempts", 0)),
            dict(result) if isinstance(result, Mapping) else None,
            _req_dt(d["created_at"]),
            _dt(d.get("started_at")),
            _dt(d.get("finished_at")),
        )


@dataclass(frozen=True, slots=True)
class LabelTarget:
    """Where one label of an imported file goes: a class id, ``"drop"``, or ``"?"`` (unknown)."""

    objects: int
    target: str


@dataclass(frozen=True, slots=True)
class AnnotationImportResult:
    """The report of an annotation import (a preview, or the finished job's ``result``)."""

    format: str
    dry_run: bool
    items: int
    """Images of the upload that matched an asset of the project."""
    objects: int
    revisions: int
    """Revisions of kind ``import`` written (0 for a preview)."""
    unmatched_files: tuple[str, ...]
    classes: dict[str, LabelTarget]
    unknown_classes: tuple[str, ...]
    """Labels that are neither a class id nor a class name and have no mapping yet."""
    created_classes: tuple[str, ...]
    dropped_objects: int
    skipped: tuple[str, ...]
    warnings: tuple[str, ...]

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            str(d["format"]),
            bool(d.get("dry_run")),
            int(d.get("items", 0)),
            int(d.get("objects", 0)),
            int(d.get("revisions", 0)),
            tuple(str(x) for x in d.get("unmatched_files", [])),
            {
                str(k): LabelTarget(int(v.get("objects", 0)), str(v.get("target", "?")))
                for k, v in _dict(d.get("classes")).items()
            },
            tuple(str(x) for x in d.get("unknown_classes", [])),
            tuple(str(x) for x in d.get("created_classes", [])),
            int(d.get("dropped_objects", 0)),
            tuple(str(x) for x in d.get("skipped", [])),
            tuple(str(x) for x in d.get("warnings", [])),
        )


@dataclass(frozen=True, slots=True)
class DatasetVersion:
    """A finished export, kept with its filter and content hash; downloadable again."""

    id: int
    project_id: int
    job_id: str
    format: str
    filter: Json
    content_sha256: str
    size_bytes: int
    filename: str
    media_type: str
    report: Json
    created_by: int | None
    created_at: datetime

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Self:
        return cls(
            int(d["id"]),
            int(d["project_id"]),
            str(d["job_id"]),
            str(d["format"]),
            _dict(d.get("filter")),
            str(d["content_sha256"]),
            int(d["size_bytes"]),
            str(d["filename"]),
            str(d.get("media_type", "application/octet-stream")),
            _dict(d.get("report")),
            _opt_int(d.get("created_by")),
            _req_dt(d["created_at"]),
        )


__all__ = [
    "JOB_FINISHED",
    "TASK_STATES",
    "AnnotationImportResult",
    "Asset",
    "BulkRegisterResult",
    "DatasetVersion",
    "Draft",
    "Job",
    "Json",
    "LabelTarget",
    "Member",
    "NewToken",
    "OntologyUpdate",
    "OntologyVersion",
    "Page",
    "Project",
    "ReviewEvent",
    "Revision",
    "Task",
    "TaskDetail",
    "Token",
    "User",
]
