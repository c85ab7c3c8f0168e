"""labelhub-sdk: a typed Python client for the labelhub data-labeling server.

    from labelhub_sdk import Client

    with Client("http://localhost:8080", "lh_...") as lh:
        project = lh.projects.create("cars", {"classes": [{"id": "car", "tool": "bbox"}]})
        lh.assets.upload(project.id, "street.jpg")
        task = lh.tasks.next(project.id)

Errors are raised as one tree rooted at ``LabelhubError`` (see ``labelhub_sdk.errors``).
"""

from labelhub_sdk._version import __version__
from labelhub_sdk.client import Client
from labelhub_sdk.datasets import AnnotationImports, DatasetVersions
from labelhub_sdk.errors import (
    BadRequest,
    Conflict,
    ConnectionFailed,
    Forbidden,
    JobFailed,
    JobTimeout,
    LabelhubError,
    NotFound,
    RateLimited,
    ServerError,
    TooLarge,
    Unauthorized,
)
from labelhub_sdk.models import (
    AnnotationImportResult,
    Asset,
    BulkRegisterResult,
    DatasetVersion,
    Draft,
    Job,
    LabelTarget,
    Member,
    NewToken,
    OntologyUpdate,
    OntologyVersion,
    Page,
    Project,
    ReviewEvent,
    Revision,
    Task,
    TaskDetail,
    Token,
    User,
)
from labelhub_sdk.resources import AssetReference, paginate

__all__ = [
    "AnnotationImportResult",
    "AnnotationImports",
    "Asset",
    "AssetReference",
    "BadRequest",
    "BulkRegisterResult",
    "Client",
    "Conflict",
    "ConnectionFailed",
    "DatasetVersion",
    "DatasetVersions",
    "Draft",
    "Forbidden",
    "Job",
    "JobFailed",
    "JobTimeout",
    "LabelTarget",
    "LabelhubError",
    "Member",
    "NewToken",
    "NotFound",
    "OntologyUpdate",
    "OntologyVersion",
    "Page",
    "Project",
    "RateLimited",
    "ReviewEvent",
    "Revision",
    "ServerError",
    "Task",
    "TaskDetail",
    "Token",
    "TooLarge",
    "Unauthorized",
    "User",
    "__version__",
    "paginate",
]
