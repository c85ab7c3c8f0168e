from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from labelhub.core.workflow import Role, TaskState

T = TypeVar("T")
Json = dict[str, Any]


class Out(BaseModel):
    """A response body: fields with defaults are still always present, so the OpenAPI document
    (and the generated web client) lists them as required."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class Orm(Out):
    model_config = ConfigDict(from_attributes=True, json_schema_serialization_defaults_required=True)


class Page(Out, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= to get the next page; null on the last page.")


# -- auth ------------------------------------------------------------------------------------------
class LoginRequest(BaseModel):
    username: str
    password: str


class UserCreate(BaseModel):
    username: str
    password: str
    display_name: str = ""
    is_admin: bool = False


class UserPublic(Orm):
    id: int
    username: str
    display_name: str
    is_admin: bool
    is_active: bool


class SessionPublic(Out):
    user: UserPublic
    csrf_token: str


class TokenCreate(BaseModel):
    name: str
    days: int | None = Field(None, ge=1, le=3650, description="Expiry in days; none by default.")


class TokenPublic(Orm):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="Shown once; store it now.")


# -- projects --------------------------------------------------------------------------------------
class ProjectCreate(BaseModel):
    name: str
    description: str = ""
    ontology: Json
    consensus: int = Field(1, ge=1, le=10, description="Annotations per task from different labelers.")
    lease_seconds: int | None = Field(None, ge=60, le=604800)
    settings: Json = Field(default_factory=dict)


class ProjectUpdate(BaseModel):
    name: str | None = None
    description: str | None = None
    consensus: int | None = Field(None, ge=1, le=10)
    lease_seconds: int | None = Field(None, ge=60, le=604800)
    settings: Json | None = None


class ProjectPublic(Out):
    id: int
    name: str
    description: str
    role: Role
    consensus: int
    lease_seconds: int
    ontology_version: int
    ontology: Json | None = None
    settings: Json = Field(default_factory=dict)
    task_counts: dict[str, int] = Field(default_factory=dict)
    created_at: datetime


class OntologyUpdate(BaseModel):
    ontology: Json
    migration: Json | None = Field(None, description="{'class_map': {old: new|null}, 'drop_answers': bool}")
    note: str = ""


class OntologyUpdateResult(Out):
    version: int
    migrated_annotations: int


class OntologyVersionPublic(Out):
    version: int
    ontology: Json
    note: str
    created_at: datetime


class MemberSet(BaseModel):
    username: str
    role: Role


class MemberPublic(Out):
    user_id: int
    username: str
    display_name: str
    role: Role


# -- assets ----------------------------------------------------------------------------------------
class AssetPublic(Orm):
    id: int
    project_id: int
    kind: str
    status: str
    filename: str
    sha256: str | None
    size_bytes: int | None
    mime_type: str | None
    width: int | None
    height: int | None
    channels: int | None
    pages: int
    depth: int | None
    text_length: int | None
    has_thumbnail: bool = False
    error: str | None
    created_at: datetime


class ReferenceIn(BaseModel):
    uri: str
    filename: str | None = None
    kind: str = "image"
    width: int | None = Field(None, ge=1)
    height: int | None = Field(None, ge=1)
    pages: int = Field(1, ge=1)
    priority: int = 0
    meta: Json | None = None


class BulkRegister(BaseModel):
    items: list[ReferenceIn]


class StorageScan(BaseModel):
    uri: str = Field(description="file:///folder inside an import folder, or blob://prefix/")


class BulkRegisterResult(Out):
    created: int
    first_task_id: int | None
    last_task_id: int | None
    pending_probe: int
    errors: list[Json]


# -- tasks and annotations -------------------------------------------------------------------------
class TaskPublic(Orm):
    id: int
    project_id: int
    asset_id: int
    state: TaskState
    priority: int
    required: int
    head_revision_id: int | None
    assignee_id: int | None
    reviewer_id: int | None
    skip_reason: str | None
    updated_at: datetime


class ReviewEventPublic(Out):
    id: int
    reviewer_id: int | None
    decision: Literal["accepted", "rejected"] = Field(description="The outcome: the task's new state.")
    comment: str
    object_comments: dict[str, str]
    revision_id: int | None
    created_at: datetime


class TaskDetail(Out):
    task: TaskPublic
    asset: AssetPublic
    reviews: list[ReviewEventPublic]
    lease_expires_at: datetime | None = None
    active_seconds: float = 0.0


class SkipRequest(BaseModel):
    reason: str


class TimeReport(BaseModel):
    active_seconds: float = Field(ge=0, le=3600)


class DraftSave(BaseModel):
    body: Json
    base_revision_id: int | None = None


class DraftPatch(BaseModel):
    """The changes since the draft the client last saved (``draft_updated_at``); the server applies
    them to the stored draft. The result must be exactly the client's draft: ``order`` lists every
    object id of the result in z-order."""

    draft_updated_at: datetime = Field(description="`updated_at` of the stored draft these changes apply to")
    base_revision_id: int | None = None
    upsert: list[Json] = Field(default_factory=list, description="new or changed objects, whole")
    delete: list[str] = Field(default_factory=list, description="ids of removed objects")
    order: list[str] = Field(description="every object id of the resulting draft, in z-order")
    classifications: Json = Field(default_factory=dict, description="the whole per-asset answers")


class DraftPatched(Out):
    task_id: int
    base_revision_id: int | None
    updated_at: datetime
    object_count: int


class DraftPublic(Out):
    task_id: int
    base_revision_id: int | None
    updated_at: datetime
    body: Json


class SubmitRequest(BaseModel):
    body: Json
    base_revision_id: int | None = Field(None, description="The head revision id the labeler started from.")
    active_seconds: float = Field(0.0, ge=0, le=3600)


class RevisionPublic(Out):
    id: int
    task_id: int
    author_id: int | None
    kind: str
    parent_id: int | None
    ontology_version: int
    object_count: int
    created_at: datetime
    body: Json


class ReviewDecision(BaseModel):
    decision: Literal["accept", "reject"] = Field(description="The command; the event records 'accepted'/'rejected'.")
    comment: str = ""
    object_comments: dict[str, str] = Field(default_factory=dict)
    body: Json | None = Field(None, description="A corrected annotation; becomes a 'review' revision.")
    base_revision_id: int | None = None


# -- jobs and exports ------------------------------------------------------------------------------
class JobPublic(Orm):
    id: str
    project_id: int | None
    kind: str
    state: str
    progress_done: int
    progress_total: int | None
    error: str | None
    attempts: int
    result: Json | None = None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ExportCreate(BaseModel):
    format: str = "native"
    states: list[TaskState] | None = None
    include_media: bool = True
    options: Json = Field(default_factory=dict)
    classes: list[str] | None = Field(None, description="Class ids to export; images are kept either way.")
    labelers: list[str] | None = Field(None, description="Usernames: only tasks whose current revision they wrote.")
    split: dict[str, float] | None = Field(
        None, description='Ratios summing to 1, e.g. {"train": 0.8, "val": 0.1, "test": 0.1}.'
    )
    seed: int = Field(0, description="The split's seed: the same seed and filter give the same split.")


class DatasetVersionPublic(Orm):
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


class ImportResult(BaseModel):
    format: str
    dry_run: bool
    items: int = Field(description="Images in the file(s) that matched an asset of the project.")
    objects: int
    revisions: int = Field(description="Revisions of kind 'import' written (0 on a dry run).")
    unmatched_files: list[str] = Field(description="File names in the upload with no asset of that name.")
    classes: dict[str, Json] = Field(description="Every label of the file: its object count and where it goes.")
    unknown_classes: list[str] = Field(description="Labels that are not class ids and have no mapping yet.")
    created_classes: list[str]
    dropped_objects: int
    skipped: list[str] = Field(default_factory=list, description="What the file holds that the importer does not read.")
    warnings: list[str] = Field(default_factory=list)


class LabelerStats(Out):
    user_id: int
    username: str
    assignments: int
    active_seconds: float
    submitted: int
    mean_seconds_per_submitted: float | None


class HistogramBin(Out):
    lower: float = Field(alias="from")
    upper: float | None = Field(alias="to")
    count: int


class TimeSummary(Out):
    count: int
    median: float | None
    p90: float | None
    histogram: list[HistogramBin]


class DayCount(Out):
    day: str = Field(description="UTC date, YYYY-MM-DD")
    submitted: int


class ProjectStats(Out):
    tasks_by_state: dict[str, int]
    tasks_total: int
    labelers: list[LabelerStats]
    time_per_submitted_task: TimeSummary
    submitted_per_day: list[DayCount]
