"""Wire schemas (``XCreate`` / ``XUpdate`` / ``XPublic``), kept apart from tables and core types."""

from labelhub.api.schemas.common import Problem
from labelhub.api.schemas.core import (
    AssetPublic,
    BulkRegister,
    BulkRegisterResult,
    DraftPublic,
    DraftSave,
    JobPublic,
    LoginRequest,
    MemberPublic,
    MemberSet,
    OntologyUpdate,
    OntologyUpdateResult,
    OntologyVersionPublic,
    Page,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
    ReviewDecision,
    ReviewEventPublic,
    RevisionPublic,
    SessionPublic,
    SkipRequest,
    SubmitRequest,
    TaskDetail,
    TaskPublic,
    TimeReport,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
    ExportCreate,
)

__all__ = [
    "AssetPublic", "BulkRegister", "BulkRegisterResult", "DraftPublic", "DraftSave", "ExportCreate", "JobPublic",
    "LoginRequest", "MemberPublic", "MemberSet", "OntologyUpdate", "OntologyUpdateResult", "OntologyVersionPublic",
    "Page", "Problem", "ProjectCreate", "ProjectPublic", "ProjectUpdate", "ReviewDecision", "ReviewEventPublic",
    "RevisionPublic", "SessionPublic", "SkipRequest", "SubmitRequest", "TaskDetail", "TaskPublic", "TimeReport",
    "TokenCreate", "TokenCreated", "TokenPublic", "UserCreate", "UserPublic",
]
