"""Resource groups of the client: ``client.projects``, ``client.assets``, ``client.tasks`` ..."""

from __future__ import annotations

import builtins
import mimetypes
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, Literal, TypedDict, TypeVar, overload

import httpx

from labelhub_sdk._http import Http, Params
from labelhub_sdk.errors import ConnectionFailed, JobFailed, JobTimeout
from labelhub_sdk.models import (
    Asset,
    BulkRegisterResult,
    Draft,
    Job,
    Json,
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

T = TypeVar("T")
Role = Literal["labeler", "reviewer", "manager"]
Decision = Literal["accept", "reject"]
FileInput = str | os.PathLike[str] | bytes | IO[bytes]
CHUNK = 1 << 20


class AssetReference(TypedDict, total=False):
    """One item of ``assets.register``: data that already lives in storage (``uri`` is required)."""

    uri: str
    filename: str
    kind: str
    width: int
    height: int
    pages: int
    priority: int
    meta: Json


def paginate(fetch: Callable[[str | None], Page[T]]) -> Iterator[T]:
    """Every item of a cursor-paginated list, fetching pages lazily."""
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from page.items
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def _file_part(
    data: FileInput, filename: str | None, stack: ExitStack, default: str = "upload"
) -> tuple[str, IO[bytes] | bytes, str]:
    if isinstance(data, bytes):
        name = filename or default
        content: IO[bytes] | bytes = data
    elif isinstance(data, str | os.PathLike):
        path = Path(data)
        name = filename or path.name
        content = stack.enter_context(path.open("rb"))
    else:
        name = filename or Path(str(getattr(data, "name", default))).name
        content = data
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, content, mime


def _write_stream(response: httpx.Response, path: str | os.PathLike[str], url: str) -> Path:
    out = Path(path)
    tmp = out.with_name(out.name + ".part")
    try:
        with tmp.open("wb") as f:
            for chunk in response.iter_bytes(CHUNK):
                f.write(chunk)
        tmp.replace(out)
    except httpx.TransportError as e:
        raise ConnectionFailed(f"the connection to {url} broke during the download ({e})") from e
    finally:
        tmp.unlink(missing_ok=True)
    return out


class _Group:
    def __init__(self, http: Http) -> None:
        self._http = http


class Projects(_Group):
    def create(
        self,
        name: str,
        ontology: Mapping[str, Any],
        *,
        description: str = "",
        consensus: int = 1,
        lease_seconds: int | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> Project:
        """Create a project; you become its manager.  ``ontology`` is the JSON shape the server documents."""
        body = {
            "name": name,
            "description": description,
            "ontology": dict(ontology),
            "consensus": consensus,
            "lease_seconds": lease_seconds,
            "settings": dict(settings or {}),
        }
        return Project.from_json(self._http.json("POST", "/projects", json=body))

    def list(self, *, cursor: str | None = None, limit: int = 50) -> Page[Project]:
        """One page of the projects you are a member of (all of them for an admin)."""
        data = self._http.json("GET", "/projects", params={"cursor": cursor, "limit": limit})
        return Page.from_json(data, Project.from_json)

    def iter(self, *, page_size: int = 50) -> Iterator[Project]:
        return paginate(lambda c: self.list(cursor=c, limit=page_size))

    def get(self, project_id: int) -> Project:
        return Project.from_json(self._http.json("GET", f"/projects/{project_id}"))

    def update(
        self,
        project_id: int,
        *,
        name: str | None = None,
        description: str | None = None,
        consensus: int | None = None,
        lease_seconds: int | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> Project:
        """Change the given fields only."""
        given = {
            "name": name,
            "description": description,
            "consensus": consensus,
            "lease_seconds": lease_seconds,
            "settings": None if settings is None else dict(settings),
        }
        body = {k: v for k, v in given.items() if v is not None}
        return Project.from_json(self._http.json("PATCH", f"/projects/{project_id}", json=body))

    def delete(self, project_id: int) -> None:
        self._http.request("DELETE", f"/projects/{project_id}")

    def members(self, project_id: int) -> builtins.list[Member]:
        return [Member.from_json(m) for m in self._http.json("GET", f"/projects/{project_id}/members")]

    def set_member(self, project_id: int, username: str, role: Role) -> None:
        """Add a user to the project, or change their role."""
        self._http.request("PUT", f"/projects/{project_id}/members", json={"username": username, "role": role})

    def remove_member(self, project_id: int, user_id: int) -> None:
        self._http.request("DELETE", f"/projects/{project_id}/members/{user_id}")

    def update_ontology(
        self,
        project_id: int,
        ontology: Mapping[str, Any],
        *,
        migration: Mapping[str, Any] | None = None,
        note: str = "",
    ) -> OntologyUpdate:
        """A new ontology version; ``migration`` (``{"class_map": {old: new|None}, "drop_answers": bool}``)
        rewrites existing annotations when the change would orphan them."""
        body = {
            "ontology": dict(ontology),
            "migration": None if migration is None else dict(migration),
            "note": note,
        }
        return OntologyUpdate.from_json(self._http.json("PUT", f"/projects/{project_id}/ontology", json=body))

    def ontology_versions(self, project_id: int) -> builtins.list[OntologyVersion]:
        data = self._http.json("GET", f"/projects/{project_id}/ontology/versions")
        return [OntologyVersion.from_json(v) for v in data]

    def stats(self, project_id: int) -> Json:
        return dict(self._http.json("GET", f"/projects/{project_id}/stats"))


class Assets(_Group):
    def upload(
        self, project_id: int, path_or_bytes: FileInput, filename: str | None = None, *, priority: int = 0
    ) -> Asset:
        """Upload one file (a path, bytes or a binary file object); it becomes an asset with a task.

        Content already in the project raises ``Conflict`` whose ``asset_id`` names the existing asset.
        """
        with ExitStack() as stack:
            part = _file_part(path_or_bytes, filename, stack)
            data = self._http.json(
                "POST", f"/projects/{project_id}/assets", params={"priority": priority}, files={"file": part}
            )
        return Asset.from_json(data)

    def register(self, project_id: int, items: Iterable[AssetReference | Mapping[str, Any]]) -> BulkRegisterResult:
        """Register data that already lives in storage (``blob://``, ``file://`` in an import folder,
        ``http(s)://``) without copying it.  Refused items are listed in ``errors`` by index."""
        body = {"items": [dict(i) for i in items]}
        return BulkRegisterResult.from_json(self._http.json("POST", f"/projects/{project_id}/assets/bulk", json=body))

    def list(self, project_id: int, *, cursor: str | None = None, limit: int = 100) -> Page[Asset]:
        data = self._http.json("GET", f"/projects/{project_id}/assets", params={"cursor": cursor, "limit": limit})
        return Page.from_json(data, Asset.from_json)

    def iter(self, project_id: int, *, page_size: int = 100) -> Iterator[Asset]:
        return paginate(lambda c: self.list(project_id, cursor=c, limit=page_size))

    def get(self, asset_id: int) -> Asset:
        return Asset.from_json(self._http.json("GET", f"/assets/{asset_id}"))

    @overload
    def download(self, asset_id: int, path: None = None) -> bytes: ...

    @overload
    def download(self, asset_id: int, path: str | os.PathLike[str]) -> Path: ...

    def download(self, asset_id: int, path: str | os.PathLike[str] | None = None) -> bytes | Path:
        """The asset's bytes, or, with ``path``, streamed to that file (returned)."""
        with self._http.stream(f"/assets/{asset_id}/content") as response:
            if path is not None:
                return _write_stream(response, path, self._http.url)
            try:
                return response.read()
            except httpx.TransportError as e:
                raise ConnectionFailed(f"the connection to {self._http.url} broke during the download ({e})") from e

    def thumbnail(self, asset_id: int) -> bytes | None:
        """The thumbnail image, or ``None`` while it is not made yet."""
        response = self._http.request("GET", f"/assets/{asset_id}/thumbnail")
        return None if response.status_code == 204 else response.content


class Tasks(_Group):
    def next(self, project_id: int) -> TaskDetail | None:
        """Lease the next task to label (or get the one you hold, or one sent back to you); ``None`` when
        the queue is empty."""
        data = self._http.json("POST", f"/projects/{project_id}/next-task")
        return None if data is None else TaskDetail.from_json(data)

    def get(self, task_id: int) -> TaskDetail:
        return TaskDetail.from_json(self._http.json("GET", f"/tasks/{task_id}"))

    def list(
        self,
        project_id: int,
        *,
        state: str | None = None,
        assignee_id: int | None = None,
        asset_id: int | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> Page[Task]:
        params: Params = {
            "state": state,
            "assignee_id": assignee_id,
            "asset_id": asset_id,
            "cursor": cursor,
            "limit": limit,
        }
        return Page.from_json(self._http.json("GET", f"/projects/{project_id}/tasks", params=params), Task.from_json)

    def iter(
        self,
        project_id: int,
        *,
        state: str | None = None,
        assignee_id: int | None = None,
        asset_id: int | None = None,
        page_size: int = 100,
    ) -> Iterator[Task]:
        return paginate(
            lambda c: self.list(
                project_id, state=state, assignee_id=assignee_id, asset_id=asset_id, cursor=c, limit=page_size
            )
        )

    def skip(self, task_id: int, reason: str) -> Task:
        return Task.from_json(self._http.json("POST", f"/tasks/{task_id}/skip", json={"reason": reason}))

    def release(self, task_id: int) -> None:
        """Give the task back to the queue without submitting (your draft is kept)."""
        self._http.request("POST", f"/tasks/{task_id}/release")

    def requeue(self, task_id: int) -> Task:
        """Put a skipped task back in the queue (managers)."""
        return Task.from_json(self._http.json("POST", f"/tasks/{task_id}/requeue"))

    def set_priority(self, task_id: int, priority: int) -> Task:
        return Task.from_json(self._http.json("PUT", f"/tasks/{task_id}/priority", params={"priority": priority}))

    def report_time(self, task_id: int, active_seconds: float) -> None:
        """Add active seconds and renew the lease (a heartbeat)."""
        self._http.request("POST", f"/tasks/{task_id}/time", json={"active_seconds": active_seconds})

    def save_draft(self, task_id: int, body: Mapping[str, Any], base_revision_id: int | None = None) -> Draft:
        data = self._http.json(
            "PUT", f"/tasks/{task_id}/draft", json={"body": dict(body), "base_revision_id": base_revision_id}
        )
        return Draft.from_json(data)

    def get_draft(self, task_id: int) -> Draft | None:
        data = self._http.json("GET", f"/tasks/{task_id}/draft")
        return None if data is None else Draft.from_json(data)

    def discard_draft(self, task_id: int) -> None:
        self._http.request("DELETE", f"/tasks/{task_id}/draft")

    def submit(
        self,
        task_id: int,
        body: Mapping[str, Any],
        base_revision_id: int | None = None,
        *,
        active_seconds: float = 0.0,
    ) -> Revision:
        """Submit an annotation.  ``base_revision_id`` is the head revision you started from (``None`` for
        a first annotation); if the task moved on, ``Conflict.current_revision`` holds the new head and
        your body is kept as your draft."""
        data = self._http.json(
            "POST",
            f"/tasks/{task_id}/submit",
            json={"body": dict(body), "base_revision_id": base_revision_id, "active_seconds": active_seconds},
        )
        return Revision.from_json(data)

    def annotation(self, task_id: int) -> Revision | None:
        """The task's head revision, or ``None`` before the first submission."""
        data = self._http.json("GET", f"/tasks/{task_id}/annotation")
        return None if data is None else Revision.from_json(data)

    def revisions(self, task_id: int) -> builtins.list[Revision]:
        """Every revision of the task, oldest first."""

        def fetch(cursor: str | None) -> Page[Revision]:
            data = self._http.json("GET", f"/tasks/{task_id}/revisions", params={"cursor": cursor, "limit": 500})
            return Page.from_json(data, Revision.from_json)

        return list(paginate(fetch))


class Review(_Group):
    def next(self, project_id: int) -> TaskDetail | None:
        """Take the next submitted task to review; ``None`` when there is nothing to review."""
        data = self._http.json("POST", f"/projects/{project_id}/review/next")
        return None if data is None else TaskDetail.from_json(data)

    def open(self, task_id: int) -> Task:
        return Task.from_json(self._http.json("POST", f"/tasks/{task_id}/review/open"))

    def decide(
        self,
        task_id: int,
        decision: Decision,
        *,
        comment: str = "",
        object_comments: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        base_revision_id: int | None = None,
    ) -> ReviewEvent:
        """Accept or reject.  A rejection needs a comment; ``body`` (with the head's id as
        ``base_revision_id``) stores a corrected annotation as a ``review`` revision."""
        data = self._http.json(
            "POST",
            f"/tasks/{task_id}/review",
            json={
                "decision": decision,
                "comment": comment,
                "object_comments": dict(object_comments or {}),
                "body": None if body is None else dict(body),
                "base_revision_id": base_revision_id,
            },
        )
        return ReviewEvent.from_json(data)

    def reopen(self, task_id: int) -> Task:
        return Task.from_json(self._http.json("POST", f"/tasks/{task_id}/reopen"))


class Jobs(_Group):
    def get(self, job_id: str) -> Job:
        return Job.from_json(self._http.json("GET", f"/jobs/{job_id}"))

    def cancel(self, job_id: str) -> Job:
        return Job.from_json(self._http.json("POST", f"/jobs/{job_id}/cancel"))

    def list(self, project_id: int, *, limit: int = 50) -> builtins.list[Job]:
        """The project's newest jobs first."""
        return [
            Job.from_json(j) for j in self._http.json("GET", f"/projects/{project_id}/jobs", params={"limit": limit})
        ]

    def wait(
        self,
        job_id: str,
        timeout: float | None = 600.0,
        poll: float = 0.5,
        *,
        on_progress: Callable[[Job], None] | None = None,
        check: bool = True,
    ) -> Job:
        """Poll until the job finishes and return it.

        Raises ``JobFailed`` if it failed or was cancelled (unless ``check=False``) and ``JobTimeout``
        after ``timeout`` seconds (``None``: wait for ever).  ``on_progress`` sees every poll.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = min(poll, 0.1)
        while True:
            job = self.get(job_id)
            if on_progress is not None:
                on_progress(job)
            if job.finished:
                if check and not job.succeeded:
                    reason = job.error or "no reason given"
                    raise JobFailed(job, f"job {job.id} ({job.kind}) {job.state}: {reason}")
                return job
            if deadline is not None and time.monotonic() >= deadline:
                raise JobTimeout(job, f"job {job.id} ({job.kind}) is still {job.state} after {timeout:g} s")
            pause = delay if deadline is None else min(delay, max(0.0, deadline - time.monotonic()))
            time.sleep(pause)
            delay = min(poll, delay * 2)


class Exports(_Group):
    def start(
        self,
        project_id: int,
        format: str = "native",
        *,
        states: Sequence[str] | None = None,
        include_media: bool = True,
        options: Mapping[str, Any] | None = None,
        classes: Sequence[str] | None = None,
        labelers: Sequence[str] | None = None,
        split: Mapping[str, float] | None = None,
        seed: int = 0,
    ) -> Job:
        """Start an export job (managers); follow it with ``client.jobs.wait`` then ``download``.

        ``states``: task states to include; ``classes``: class ids to keep (images are kept);
        ``labelers``: usernames whose head revisions to include; ``split``: ratios summing to 1,
        e.g. ``{"train": 0.8, "val": 0.2}``, cut with ``seed``; ``include_media=False`` writes file
        references only.  The finished job's ``result["dataset_version"]`` names the dataset version.
        """
        body = {
            "format": format,
            "states": None if states is None else list(states),
            "include_media": include_media,
            "options": dict(options or {}),
            "classes": None if classes is None else list(classes),
            "labelers": None if labelers is None else list(labelers),
            "split": None if split is None else {str(k): float(v) for k, v in split.items()},
            "seed": seed,
        }
        return Job.from_json(self._http.json("POST", f"/projects/{project_id}/exports", json=body))

    def download(self, job_id: str, path: str | os.PathLike[str]) -> Path:
        """Stream a finished export to ``path``; a folder gets the server's file name.  Returns the file."""
        with self._http.stream(f"/jobs/{job_id}/download") as response:
            out = Path(path)
            if out.is_dir():
                out = out / _attachment_name(response, f"export-{job_id}")
            return _write_stream(response, out, self._http.url)


def _attachment_name(response: httpx.Response, default: str) -> str:
    disposition = response.headers.get("content-disposition", "")
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename" and value:
            name = Path(value.strip('"')).name
            if name and name not in (".", ".."):
                return name
    return default


class Imports(_Group):
    def archive(self, project_id: int, zip_path: FileInput, filename: str | None = None) -> Job:
        """Upload a zip of files into a project; a job imports them (``result`` has ``imported``,
        ``duplicates``, ``failed`` and ``errors``).  Unsafe archives are refused at once."""
        with ExitStack() as stack:
            part = _file_part(zip_path, filename, stack, "archive.zip")
            data = self._http.json(
                "POST",
                f"/projects/{project_id}/imports",
                files={"file": (part[0], part[1], "application/zip")},
            )
        return Job.from_json(data)

    def project(self, zip_path: FileInput, format: str = "native", *, filename: str | None = None) -> Job:
        """Import a whole project archive (for example a native export) as a new project; the job's
        ``result["project_id"]`` names it.  The file name must end in ``.zip``."""
        with ExitStack() as stack:
            part = _file_part(zip_path, filename, stack, "project.zip")
            data = self._http.json(
                "POST",
                "/projects/import",
                params={"format": format},
                files={"file": (part[0], part[1], "application/zip")},
            )
        return Job.from_json(data)


class Tokens(_Group):
    def list(self) -> builtins.list[Token]:
        return [Token.from_json(t) for t in self._http.json("GET", "/tokens")]

    def create(self, name: str, *, days: int | None = None) -> NewToken:
        """A new API token for you; ``.token`` is shown this once."""
        return NewToken.from_json(self._http.json("POST", "/tokens", json={"name": name, "days": days}))

    def revoke(self, token_id: int) -> None:
        self._http.request("DELETE", f"/tokens/{token_id}")


class Users(_Group):
    def list(self) -> builtins.list[User]:
        """Every account (admins)."""
        return [User.from_json(u) for u in self._http.json("GET", "/users")]

    def create(self, username: str, password: str, *, display_name: str = "", is_admin: bool = False) -> User:
        """Create an account (admins)."""
        body = {
            "username": username,
            "password": password,
            "display_name": display_name,
            "is_admin": is_admin,
        }
        return User.from_json(self._http.json("POST", "/users", json=body))


__all__ = [
    "AssetReference",
    "Assets",
    "Exports",
    "Imports",
    "Jobs",
    "Projects",
    "Review",
    "Tasks",
    "Tokens",
    "Users",
    "paginate",
]
