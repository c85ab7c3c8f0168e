"""Assets: uploads, references registered in bulk, archives, and serving their bytes."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, cast
from urllib.parse import unquote, urlparse

import orjson
from sqlalchemy import Table, select

from labelhub.core.errors import InvalidInput, LabelhubError, NotFound
from labelhub.core.media import MediaKind
from labelhub.core.workflow import Role
from labelhub.db.bulk import insert_rows
from labelhub.db.ids import reserve_ids
from labelhub.db.tables import Asset, Task, utcnow
from labelhub.services.access import require_project
from labelhub.services.context import Actor, Deps
from labelhub.services.ingest import INTERNAL_PREFIXES, QUARANTINED, ingest, safe_filename, spool
from labelhub.services.jobs import JobService
from labelhub.services.pagination import Page, check_limit, decode_cursor, page_of

MAX_REFERENCES = 100_000
ANALYZE_AFTER_ROWS = 5_000  # bulk loads this large get fresh planner statistics (db/statistics.py)
ASSET_COLUMNS = (
    "id",
    "project_id",
    "kind",
    "status",
    "filename",
    "uri",
    "width",
    "height",
    "pages",
    "meta_json",
    "created_by",
    "created_at",
)
TASK_COLUMNS = (
    "id",
    "project_id",
    "asset_id",
    "priority",
    "required",
    "open_slots",
    "available",
    "state",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True, slots=True)
class Reference:
    uri: str
    filename: str | None = None
    kind: str = "image"
    width: int | None = None
    height: int | None = None
    pages: int = 1
    priority: int = 0
    meta: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class BulkResult:
    created: int
    first_task_id: int | None
    last_task_id: int | None
    errors: list[dict[str, Any]]
    pending: int


class AssetService:
    def __init__(self, deps: Deps, jobs: JobService) -> None:
        self.deps = deps
        self.jobs = jobs

    def upload(self, actor: Actor, project_id: int, stream: BinaryIO, filename: str, *, priority: int = 0) -> Asset:
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)
        asset, _task = ingest(self.deps, project_id, actor.user_id, stream, filename, priority=priority)
        if asset.status != QUARANTINED:  # no thumbnail of a file that may show burned-in PHI
            self.jobs.submit("thumbnail", {"asset_id": asset.id}, project_id=project_id, created_by=actor.user_id)
        return asset

    def register(self, actor: Actor, project_id: int, refs: Sequence[Reference]) -> BulkResult:
        """Create assets that point at existing data (no copy) and their tasks, in one transaction.

        Bad items are reported by index and skipped; items without width/height are probed by a job.
        Ids are reserved up front so both inserts go out as batches (see ``db.ids``).
        """
        if len(refs) > MAX_REFERENCES:
            raise InvalidInput(f"Register at most {MAX_REFERENCES:,} items per request; split the list.")
        errors: list[dict[str, Any]] = []
        assets: list[tuple[Any, ...]] = []
        priorities: list[int] = []
        pending = 0
        now = utcnow()
        roots = [Path(r).resolve() for r in self.deps.limits.import_roots]
        kinds = {k.value for k in MediaKind}
        for i, ref in enumerate(refs):
            try:
                uri = self._check_uri(ref.uri, roots)
            except InvalidInput as e:
                errors.append({"index": i, "error": e.message})
                continue
            if ref.kind not in kinds:
                errors.append({"index": i, "error": f"unknown kind {ref.kind!r}; use one of {sorted(kinds)}"})
                continue
            known = ref.width is not None and ref.height is not None
            pending += not known
            name = ref.filename or unquote(uri.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]) or uri
            meta = orjson.dumps(ref.meta).decode() if ref.meta else "{}"
            assets.append(
                (
                    project_id,
                    ref.kind,
                    "ready" if known else "pending",
                    safe_filename(name),
                    uri,
                    ref.width,
                    ref.height,
                    ref.pages,
                    meta,
                    actor.user_id,
                    now,
                )
            )
            priorities.append(ref.priority)
        with self.deps.db.write() as s:
            project, _ = require_project(s, actor, project_id, Role.MANAGER)
            if not assets:
                return BulkResult(0, None, None, errors, 0)
            ids = reserve_ids(s, cast(Table, Asset.__table__), len(assets))
            insert_rows(
                s,
                cast(Table, Asset.__table__),
                ASSET_COLUMNS,
                [(aid, *row) for aid, row in zip(ids, assets, strict=True)],
            )
            n = project.consensus
            task_ids = reserve_ids(s, cast(Table, Task.__table__), len(ids))
            insert_rows(
                s,
                cast(Table, Task.__table__),
                TASK_COLUMNS,
                [
                    (tid, project_id, aid, p, n, n, 1, "queued", now, now)
                    for tid, aid, p in zip(task_ids, ids, priorities, strict=True)
                ],
            )
        if pending:
            self.jobs.submit(
                "probe_pending", {"project_id": project_id}, project_id=project_id, created_by=actor.user_id
            )
        if len(ids) >= ANALYZE_AFTER_ROWS:
            self.jobs.submit_once("refresh_statistics", {"tables": ["assets", "tasks"]}, project_id=None)
        return BulkResult(len(ids), task_ids[0], task_ids[-1], errors, pending)

    def _check_uri(self, uri: str, roots: list[Path]) -> str:
        if uri.startswith(("https://", "http://")) and len(uri) <= 2048 and uri.split("/", 3)[2]:
            return uri  # the common bulk case, checked without a full parse
        parsed = urlparse(uri)
        if parsed.scheme == "blob":
            key = (parsed.netloc + parsed.path).lstrip("/")
            if not key or ".." in key.split("/"):
                raise InvalidInput(f"'{uri}' is not a valid blob reference (blob://<key>).")
            if key.startswith(INTERNAL_PREFIXES):
                raise InvalidInput(
                    f"'{uri}' points into labelhub's own storage ({', '.join(INTERNAL_PREFIXES)}); "
                    "reference your own keys outside those folders."
                )
            return f"blob://{key}"
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(r) for r in roots):
                raise InvalidInput(
                    f"'{uri}' is outside the server's import folders; an admin lists allowed folders in "
                    "LABELHUB_IMPORT_ROOTS."
                )
            return path.as_uri()
        raise InvalidInput(f"'{uri}': use a blob://, file:// (inside an import folder) or http(s):// URI.")

    def import_archive(self, actor: Actor, project_id: int, stream: BinaryIO, filename: str) -> str:
        """Check a zip's directory now (unsafe paths, bombs -> 4xx, nothing stored); extract in a job."""
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)
        sp = spool(stream, self.deps.limits.max_upload_bytes)
        try:
            check_zip(
                sp.file,
                self.deps.limits.max_zip_members,
                self.deps.limits.max_zip_ratio,
                self.deps.limits.max_upload_bytes * 4,
            )
            sp.file.seek(0)
            key = f"uploads/{sp.sha256}.zip"
            self.deps.blobs.put(key, sp.file)
        finally:
            sp.file.close()
        return self.jobs.submit(
            "import_archive",
            {"key": key, "filename": safe_filename(filename)},
            project_id=project_id,
            created_by=actor.user_id,
        )

    def page(self, actor: Actor, project_id: int, *, cursor: str | None = None, limit: int = 100) -> Page[Asset]:
        check_limit(limit)
        after = decode_cursor(cursor)
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.REVIEWER)
            q = select(Asset).where(Asset.project_id == project_id)
            if after is not None:
                q = q.where(Asset.id > after)
            rows = list(s.scalars(q.order_by(Asset.id).limit(limit + 1)))
        return page_of(rows, limit, lambda a: a.id)

    def get(self, actor: Actor, asset_id: int) -> Asset:
        with self.deps.db.read() as s:
            asset = s.get(Asset, asset_id)
            if asset is None:
                raise NotFound(f"Asset {asset_id} not found.")
            try:
                # Quarantined assets (suspected burned-in PHI) wait for a manager's decision.
                role = Role.MANAGER if asset.status == QUARANTINED else Role.LABELER
                require_project(s, actor, asset.project_id, role)
            except LabelhubError:
                raise NotFound(f"Asset {asset_id} not found.") from None
            return asset

    def open_content(self, actor: Actor, asset_id: int) -> tuple[Asset, BinaryIO | str]:
        """The asset and either an open binary stream or, for http(s) references, the URL to redirect to."""
        asset = self.get(actor, asset_id)
        return asset, open_source(self.deps, asset)

    def thumbnail(self, actor: Actor, asset_id: int) -> bytes | None:
        asset = self.get(actor, asset_id)
        if asset.thumbnail_key is None:
            return None
        return self.deps.blobs.read_bytes(asset.thumbnail_key)


def open_source(deps: Deps, asset: Asset) -> BinaryIO | str:
    if asset.storage_key:
        return deps.blobs.open(asset.storage_key)
    uri = asset.uri or ""
    parsed = urlparse(uri)
    if parsed.scheme == "blob":
        key = uri[len("blob://") :]
        if key.startswith(INTERNAL_PREFIXES):
            raise NotFound(f"The data behind asset {asset.id} is not readable through a reference.")
        return deps.blobs.open(key)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
        roots = [Path(r).resolve() for r in deps.limits.import_roots]
        if not any(path.resolve().is_relative_to(r) for r in roots) or not path.is_file():
            raise NotFound(f"The file behind asset {asset.id} is missing or outside the import folders.")
        return path.open("rb")
    return uri


def check_zip(stream: BinaryIO, max_members: int, max_ratio: int, max_total: int) -> list[zipfile.ZipInfo]:
    try:
        zf = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        raise InvalidInput("The archive is not a valid zip file (or it is truncated); nothing was imported.") from None
    members = [m for m in zf.infolist() if not m.is_dir()]
    if len(members) > max_members:
        raise InvalidInput(f"The archive has {len(members):,} files; at most {max_members:,} per archive.")
    total = 0
    for m in members:
        name = m.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":") or "\x00" in name:
            raise InvalidInput(f"The archive contains an unsafe path '{name}'; nothing was imported.")
        if (m.external_attr >> 16) & 0o170000 == 0o120000:
            raise InvalidInput(f"The archive contains a symbolic link '{name}'; nothing was imported.")
        if m.compress_size and m.file_size / max(m.compress_size, 1) > max_ratio:
            raise InvalidInput(f"'{name}' expands {m.file_size // max(m.compress_size, 1)}x; refusing a zip bomb.")
        total += m.file_size
    if total > max_total:
        raise InvalidInput(f"The archive expands to {total:,} bytes, above the limit of {max_total:,}.")
    return members


def is_hidden(name: str) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in PurePosixPath(name).parts) or os.path.basename(name) in (
        "Thumbs.db",
        "desktop.ini",
    )


__all__ = ["AssetService", "BulkResult", "Reference", "check_zip", "is_hidden", "open_source"]
