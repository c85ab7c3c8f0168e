"""One exception tree, mirroring the server's RFC 9457 problem details.

    LabelhubError            status, title, detail, body (the whole problem document)
    ├── BadRequest           400, 415, 422 and any other 4xx not listed below
    ├── Unauthorized         401  no token, or a bad, expired or revoked one
    ├── Forbidden            403  authenticated, but the role does not allow it
    ├── NotFound             404  absent, or invisible to you (the server never leaks existence)
    ├── Conflict             409  stale revision (``current_revision``), duplicate upload (``asset_id``), ...
    ├── TooLarge             413  the upload exceeds a server limit
    ├── RateLimited          429  ``retry_after`` seconds
    ├── ServerError          5xx
    ├── ConnectionFailed     no HTTP answer at all (refused, DNS, timeout); ``status`` is 0
    └── JobFailed            ``jobs.wait`` saw the job fail or be cancelled (``job``)
        └── JobTimeout       ``jobs.wait`` gave up before the job finished

``str(error)`` is the server's ``detail``: a sentence saying what is wrong and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from labelhub_sdk.models import Job


class LabelhubError(Exception):
    """Base class of every error the SDK raises for a failed call."""

    def __init__(self, status: int, title: str, detail: str, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.body: Mapping[str, Any] = body if body is not None else {}

    def __str__(self) -> str:
        return self.detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, title={self.title!r}, detail={self.detail!r})"


class BadRequest(LabelhubError):
    """The request is malformed or breaks a rule (400), unsupported media (415), or invalid fields (422)."""

    @property
    def errors(self) -> list[Mapping[str, Any]]:
        """Field-level validation errors (``loc``, ``msg``, ``type``) of a 422, else empty."""
        raw = self.body.get("errors")
        return [e for e in raw if isinstance(e, Mapping)] if isinstance(raw, list) else []


class Unauthorized(LabelhubError):
    pass


class Forbidden(LabelhubError):
    pass


class NotFound(LabelhubError):
    pass


class Conflict(LabelhubError):
    """409.  For a stale submission ``current_revision`` is the task's head revision now
    (``{"id", "author_id", "kind", "body"}``); for a duplicate upload ``asset_id`` names the asset
    that already holds the same content."""

    @property
    def current_revision(self) -> Mapping[str, Any] | None:
        value = self.body.get("current_revision")
        return value if isinstance(value, Mapping) else None

    @property
    def asset_id(self) -> int | None:
        value = self.body.get("asset_id")
        return value if isinstance(value, int) else None

    @property
    def duplicate(self) -> bool:
        return bool(self.body.get("duplicate")) or self.asset_id is not None


class TooLarge(LabelhubError):
    pass


class RateLimited(LabelhubError):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        body: Mapping[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status, title, detail, body)
        self.retry_after = retry_after


class ServerError(LabelhubError):
    pass


class ConnectionFailed(LabelhubError):
    """No HTTP answer: the server is down, the address is wrong, or it did not answer in time."""

    def __init__(self, detail: str) -> None:
        super().__init__(0, "Connection failed", detail)


class JobFailed(LabelhubError):
    """The job ended as ``failed`` or ``cancelled``; ``job`` is its last state."""

    def __init__(self, job: Job, detail: str) -> None:
        super().__init__(0, "Job failed", detail, {"job_id": job.id, "state": job.state, "error": job.error})
        self.job = job


class JobTimeout(JobFailed):
    pass


_BY_STATUS: dict[int, type[LabelhubError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: TooLarge,
    415: BadRequest,
    422: BadRequest,
    429: RateLimited,
}


def retry_after_seconds(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return None  # an HTTP date: rare enough to ignore


def error_from_response(response: httpx.Response) -> LabelhubError:
    """The exception for a 4xx/5xx answer; the body must have been read."""
    status = response.status_code
    body: Mapping[str, Any] = {}
    try:
        parsed = response.json()
        if isinstance(parsed, Mapping):
            body = parsed
    except ValueError:
        pass
    title = str(body.get("title") or response.reason_phrase or "Error")
    detail = body.get("detail")
    if not isinstance(detail, str) or not detail:
        text = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
        detail = f"HTTP {status} {response.reason_phrase}" + (f": {text}" if text else "")
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else BadRequest)
    if cls is RateLimited:
        return RateLimited(status, title, detail, body, retry_after_seconds(response))
    return cls(status, title, detail, body)


__all__ = [
    "BadRequest",
    "Conflict",
    "ConnectionFailed",
    "Forbidden",
    "JobFailed",
    "JobTimeout",
    "LabelhubError",
    "NotFound",
    "RateLimited",
    "ServerError",
    "TooLarge",
    "Unauthorized",
    "error_from_response",
]
