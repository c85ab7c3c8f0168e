"""Getting files in: hashing, format checks, duplicate detection, storage, then an asset and its task.

One file is ingested in one transaction: a corrupt, oversized or unknown file raises before
anything is written, and a batch (a zip, a folder) reports such files and goes on.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, replace
from typing import Any, BinaryIO, cast

import orjson
from sqlalchemy import select

from labelhub.core.errors import Conflict, InvalidInput, PayloadTooLarge
from labelhub.core.media import MediaInfo
from labelhub.db.tables import Asset, Project, Task
from labelhub.services.context import Deps

CHUNK = 1 << 20
# Keys labelhub writes itself.  A blob:// reference may never point there: that would let one
# project read another's media, thumbnails or exports.
INTERNAL_PREFIXES = ("media/", "thumbs/", "exports/", "uploads/")


@dataclass(frozen=True, slots=True)
class Spooled:
    """A local copy of an upload with its digest: read as often as needed, then closed."""

    file: BinaryIO
    sha256: str
    size: int
    head: bytes


def spool(stream: BinaryIO, max_bytes: int) -> Spooled:
    digest = hashlib.sha256()
    out = cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=8 * CHUNK))  # noqa: SIM115 - closed by the caller
    size = 0
    head = b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            out.close()
            raise PayloadTooLarge(
                f"The file is larger than the upload limit of {max_bytes:,} bytes; "
                "raise LABELHUB_MAX_UPLOAD_BYTES or register it from storage instead."
            )
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
        out.write(chunk)
    if size == 0:
        out.close()
        raise InvalidInput("The file is empty.")
    out.seek(0)
    return Spooled(out, digest.hexdigest(), size, head)


def safe_filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")
    return base[:255] if base not in ("", ".", "..") else "unnamed"


def media_key(sha256: str) -> str:
    return f"media/{sha256[:2]}/{sha256}"


def probe(deps: Deps, sp: Spooled, filename: str) -> MediaInfo:
    """Validate and describe the file; ``extra["reader"]`` records which reader accepted it."""
    reader = deps.media.for_file(sp.head, filename)
    sp.file.seek(0)
    info = reader.probe(sp.file, filename)
    sp.file.seek(0)
    return replace(info, extra={**info.extra, "reader": reader.name})


def ingest(
    deps: Deps, project_id: int, user_id: int | None, stream: BinaryIO, filename: str, *, priority: int = 0
) -> tuple[Asset, Task]:
    """Store one file as an asset with its task.  Raises (and stores nothing) on bad input."""
    name = safe_filename(filename)
    sp = spool(stream, deps.limits.max_upload_bytes)
    try:
        info = probe(deps, sp, name)
        with deps.db.read() as s:
            existing = s.scalar(select(Asset.id).where(Asset.project_id == project_id, Asset.sha256 == sp.sha256))
        if existing is not None:
            raise Conflict(
                f"'{name}' is already in this project as asset {existing} (same content).",
                details={"asset_id": existing, "duplicate": True},
            )
        key = media_key(sp.sha256)
        if not deps.blobs.exists(key):
            deps.blobs.put(key, sp.file, content_type=info.mime_type)
    finally:
        sp.file.close()
    with deps.db.write() as s:
        project = s.get(Project, project_id)
        if project is None:
            raise InvalidInput(f"Project {project_id} no longer exists.")
        dup = s.scalar(select(Asset.id).where(Asset.project_id == project_id, Asset.sha256 == sp.sha256))
        if dup is not None:
            raise Conflict(
                f"'{name}' is already in this project as asset {dup} (same content).",
                details={"asset_id": dup, "duplicate": True},
            )
        asset = Asset(
            project_id=project_id,
            kind=info.kind.value,
            status="ready",
            filename=name,
            sha256=sp.sha256,
            size_bytes=sp.size,
            storage_key=key,
            mime_type=info.mime_type,
            width=info.width,
            height=info.height,
            channels=info.channels,
            pages=info.pages,
            depth=info.depth,
            text_length=info.text_length,
            meta_json=orjson.dumps(info.extra).decode(),
            created_by=user_id,
        )
        s.add(asset)
        s.flush()
        task = Task(
            project_id=project_id,
            asset_id=asset.id,
            priority=priority,
            required=project.consensus,
            open_slots=project.consensus,
            available=1,
        )
        s.add(task)
        s.flush()
        return asset, task


def describe_error(e: Exception) -> dict[str, Any]:
    from labelhub.core.errors import LabelhubError

    if isinstance(e, LabelhubError):
        return {"error": e.message, "status": e.status, **({"duplicate": True} if e.details.get("duplicate") else {})}
    return {"error": f"unexpected {type(e).__name__}; see the server log", "status": 500}


def copy_stream(src: BinaryIO, dst: BinaryIO) -> None:
    shutil.copyfileobj(src, dst, CHUNK)


__all__ = ["Spooled", "describe_error", "ingest", "media_key", "probe", "safe_filename", "spool"]
