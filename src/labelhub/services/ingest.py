"""Getting files in: hashing, format checks, duplicate detection, storage, then an asset and its task.

One file is ingested in one transaction: a corrupt, oversized or unknown file raises before
anything is written, and a batch (a zip, a folder) reports such files and goes on.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Any, BinaryIO, cast

import orjson
from sqlalchemy import select

from labelhub.core.errors import Conflict, InvalidInput, PayloadTooLarge
from labelhub.core.media import MediaInfo
from labelhub.db.tables import Asset, Project, Task
from labelhub.services.context import Deps
from labelhub.services.documents import DOCUMENT_READERS, ingest_document
from labelhub.services.medical_ingest import ConvertsOnImport

CHUNK = 1 << 20
# Keys labelhub writes itself.  A blob:// reference may never point there: that would let one
# project read another's media, thumbnails or exports.
INTERNAL_PREFIXES = ("media/", "thumbs/", "exports/", "uploads/", "reports/", "secrets/", "originals/", "tiles/")
DICOM_READER = "dicom"
VOLUME_READER = "volume"
QUARANTINED = "quarantined"  # an asset held for a manager's decision: stored, no task


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


def companion_key(storage_key: str, name: str) -> str:
    """Where a file derived at import lives beside its asset's blob (e.g. a series' DICOM headers)."""
    return f"{storage_key}.{name}"


def probe(deps: Deps, sp: Spooled, filename: str) -> MediaInfo:
    """Validate and describe the file; ``extra["reader"]`` records which reader accepted it."""
    reader = deps.media.for_file(sp.head, filename)
    sp.file.seek(0)
    info = reader.probe(sp.file, filename)
    sp.file.seek(0)
    return replace(info, extra={**info.extra, "reader": reader.name})


def ingest(
    deps: Deps, project_id: int, user_id: int | None, stream: BinaryIO, filename: str, *, priority: int = 0
) -> tuple[Asset, Task | None]:
    """Store one file as an asset with its task.  Raises (and stores nothing) on bad input.

    DICOM goes through ``medical_ingest`` (de-identified before anything is stored); the task is
    ``None`` when the file was quarantined for a manager's decision.
    """
    name = safe_filename(filename)
    sp = spool(stream, deps.limits.max_upload_bytes)
    try:
        reader = deps.media.for_file(sp.head, name)
        if reader.name == DICOM_READER:
            return _ingest_dicom(deps, project_id, user_id, sp, name, priority)
        if reader.name in DOCUMENT_READERS:  # PDFs (metadata scrub, text layer) and text (stored as UTF-8)
            return ingest_document(deps, project_id, user_id, sp.file, name, reader.name, priority=priority)
        if isinstance(reader, ConvertsOnImport):  # e.g. NIfTI, stored as a volume blob
            data, info = reader.convert(sp.file, name, compression=deps.limits.volume_compression)
            info = replace(info, extra={**info.extra, "reader": VOLUME_READER})
            digest = hashlib.sha256(data).hexdigest()
            return record_asset(deps, project_id, user_id, name, data, digest, info, priority=priority)
        info = probe(deps, sp, name)
        return record_asset(deps, project_id, user_id, name, sp.file, sp.sha256, info, priority=priority)
    finally:
        sp.file.close()


def record_asset(
    deps: Deps,
    project_id: int,
    user_id: int | None,
    name: str,
    content: BinaryIO | bytes,
    sha256: str,
    info: MediaInfo,
    *,
    priority: int = 0,
    status: str = "ready",
    meta: dict[str, Any] | None = None,
) -> tuple[Asset, Task | None]:
    """Store validated ``content`` under its digest and record the asset (and, unless
    ``status`` is ``quarantined``, its task).  A duplicate in the project is a ``Conflict``."""
    with deps.db.read() as s:
        existing = s.scalar(select(Asset.id).where(Asset.project_id == project_id, Asset.sha256 == sha256))
    if existing is not None:
        raise Conflict(
            f"'{name}' is already in this project as asset {existing} (same content).",
            details={"asset_id": existing, "duplicate": True},
        )
    key = media_key(sha256)
    if not deps.blobs.exists(key):
        if isinstance(content, bytes):
            deps.blobs.put_bytes(key, content, content_type=info.mime_type)
        else:
            deps.blobs.put(key, content, content_type=info.mime_type)
    with deps.db.write() as s:
        project = s.get(Project, project_id)
        if project is None:
            raise InvalidInput(f"Project {project_id} no longer exists.")
        dup = s.scalar(select(Asset.id).where(Asset.project_id == project_id, Asset.sha256 == sha256))
        if dup is not None:
            raise Conflict(
                f"'{name}' is already in this project as asset {dup} (same content).",
                details={"asset_id": dup, "duplicate": True},
            )
        asset = Asset(
            project_id=project_id,
            kind=info.kind.value,
            status=status,
            filename=name,
            sha256=sha256,
            size_bytes=len(content) if isinstance(content, bytes) else deps.blobs.size(key),
            storage_key=key,
            mime_type=info.mime_type,
            width=info.width,
            height=info.height,
            channels=info.channels,
            pages=info.pages,
            depth=info.depth,
            text_length=info.text_length,
            meta_json=orjson.dumps({**info.extra, **(meta or {})}).decode(),
            created_by=user_id,
        )
        s.add(asset)
        s.flush()
        if status == QUARANTINED:
            return asset, None
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


def _ingest_dicom(
    deps: Deps, project_id: int, user_id: int | None, sp: Spooled, name: str, priority: int
) -> tuple[Asset, Task | None]:
    from labelhub.services.medical_ingest import import_dicom

    sp.file.seek(0)
    done = import_dicom(deps, project_id, user_id, [(name, lambda: nullcontext(sp.file))], priority=priority)
    if done.errors:
        raise InvalidInput(f"{done.errors[0]['error']} (report {done.report_id})", details={"report": done.report_id})
    if done.duplicates and not done.assets:
        raise Conflict(
            f"'{name}' is already in this project (same de-identified content).", details={"duplicate": True}
        )
    if not done.assets:
        raise InvalidInput(
            f"'{name}' was quarantined and not stored: identifying values survived de-identification; "
            f"see de-identification report {done.report_id}",
            details={"report": done.report_id, "quarantined": True},
        )
    return done.assets[0], (done.tasks[0] if done.tasks else None)


def describe_error(e: Exception) -> dict[str, Any]:
    from labelhub.core.errors import LabelhubError

    if isinstance(e, LabelhubError):
        return {"error": e.message, "status": e.status, **({"duplicate": True} if e.details.get("duplicate") else {})}
    return {"error": f"unexpected {type(e).__name__}; see the server log", "status": 500}


def copy_stream(src: BinaryIO, dst: BinaryIO) -> None:
    shutil.copyfileobj(src, dst, CHUNK)


__all__ = [
    "QUARANTINED",
    "Spooled",
    "describe_error",
    "ingest",
    "media_key",
    "probe",
    "record_asset",
    "safe_filename",
    "spool",
]
