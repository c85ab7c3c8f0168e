"""The one error tree of labelhub, translated to HTTP exactly once (``api/problems.py``).

    LabelhubError
    ├── InvalidInput          400  the request is malformed or violates a rule (geometry, ontology, file)
    │   └── UnsupportedMedia  415  the file is of a kind no available reader accepts
    ├── Unauthenticated       401  no or bad credentials
    ├── Forbidden             403  authenticated, but the role does not allow it
    ├── NotFound              404  absent, or present but invisible to the caller (no existence leak)
    ├── Conflict              409  stale revision, duplicate, or a change that would orphan stored data
    ├── PayloadTooLarge       413  the upload or image exceeds a configured limit
    ├── RateLimited           429  too many attempts; ``retry_after`` seconds
    └── ServiceUnavailable    503  a dependency (database, queue, storage) is not reachable

Every message says what is wrong and what to do next.  ``details`` carries
machine-readable context (for example the current revision on a 409).
"""

from __future__ import annotations

from typing import Any


class LabelhubError(Exception):
    """Base class. ``status`` is the HTTP status the API maps this class to."""

    status = 500
    title = "Internal error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInput(LabelhubError):
    status = 400
    title = "Invalid input"


class UnsupportedMedia(InvalidInput):
    status = 415
    title = "Unsupported media"


class Unauthenticated(LabelhubError):
    status = 401
    title = "Not authenticated"


class Forbidden(LabelhubError):
    status = 403
    title = "Forbidden"


class NotFound(LabelhubError):
    status = 404
    title = "Not found"


class Conflict(LabelhubError):
    status = 409
    title = "Conflict"


class PayloadTooLarge(LabelhubError):
    status = 413
    title = "Payload too large"


class RateLimited(LabelhubError):
    status = 429
    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: int, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after


class ServiceUnavailable(LabelhubError):
    status = 503
    title = "Service unavailable"


__all__ = [
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "LabelhubError",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "ServiceUnavailable",
    "Unauthenticated",
    "UnsupportedMedia",
]
