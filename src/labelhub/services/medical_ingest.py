"""Medical ingestion: DICOM is de-identified and verified before anything reaches storage or the
database, then stored as images (2-D instances) or volumes (series), with a report per import.

The DICOM toolkit lives in the media adapter; services reach it through ``DicomToolkit``
(a structural protocol: services never import adapters).  Order for each file: parse and fully
decode (corrupt -> that file is reported and skipped), collect identifying values, apply the
PS3.15 E.1-1 profile, scan for survivors (any -> quarantined, nothing kept), burned-in suspicion
(-> stored de-identified as a ``quarantined`` asset with no task).  Only then: blobs, rows.
The spooled upload is a temporary file of this process and is deleted when closed.

The report (JSON, under ``reports/deid/<id>.json``) lists per file what was removed, emptied,
replaced and kept, by attribute keyword, and never a value.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import IO, Any, Protocol, runtime_checkable

import orjson

from labelhub.core.errors import InvalidInput, LabelhubError
from labelhub.core.media import MediaInfo
from labelhub.db.tables import Asset, Task
from labelhub.services.context import Deps

HEAD_BYTES = 512
PARALLEL_FROM = 16  # files per import before de-identification is spread over processes
SECRET_KEY = "secrets/deid-uid-hmac.key"
REPORTS = "reports/deid/"
ORIGINALS = "originals/"


class DeidOutcome(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def data(self) -> bytes | None: ...
    @property
    def filename(self) -> str: ...
    @property
    def report(self) -> dict[str, Any]: ...
    @property
    def reason(self) -> str | None: ...


class DeidSession(Protocol):
    def run(self, data: bytes, filename: str) -> DeidOutcome: ...

    def run_many(
        self, items: Iterable[tuple[str, bytes]], workers: int = 1
    ) -> Iterator[DeidOutcome | LabelhubError]: ...


class BuiltAsset(Protocol):
    @property
    def data(self) -> bytes: ...
    @property
    def mime_type(self) -> str: ...
    @property
    def filename(self) -> str: ...
    @property
    def info(self) -> MediaInfo: ...
    @property
    def sources(self) -> list[str]: ...
    @property
    def warnings(self) -> list[str]: ...
    @property
    def companions(self) -> dict[str, bytes]: ...


@runtime_checkable
class DicomToolkit(Protocol):
    def deid_session(
        self, *, secret: bytes, shift_dates: bool = False, safe_private: Sequence[str] = ()
    ) -> DeidSession: ...

    def build_assets(self, files: Sequence[tuple[str, bytes]], *, compression: str = "zstd") -> list[BuiltAsset]: ...


@dataclass(slots=True)
class MedicalImport:
    """What one DICOM import did; ``report_id`` names the stored de-identification report."""

    report_id: str
    assets: list[Asset] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    quarantined: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    duplicates: int = 0


def toolkit(deps: Deps) -> DicomToolkit:
    reader = deps.media.get("dicom")  # UnsupportedMedia naming pydicom when it is missing
    if not isinstance(reader, DicomToolkit):
        raise InvalidInput("the configured DICOM reader cannot de-identify; DICOM uploads are refused")
    return reader


def deid_secret(deps: Deps) -> bytes:
    """The per-deployment HMAC key for UID replacement and date shifts, created on first use."""
    if not deps.blobs.exists(SECRET_KEY):
        deps.blobs.put_bytes(SECRET_KEY, secrets.token_bytes(32))
    return deps.blobs.read_bytes(SECRET_KEY)


def import_dicom(
    deps: Deps,
    project_id: int,
    user_id: int | None,
    files: Iterable[tuple[str, Callable[[], AbstractContextManager[IO[bytes]]]]],
    *,
    priority: int = 0,
    progress: Callable[[int], None] | None = None,
) -> MedicalImport:
    """De-identify, verify, group and store DICOM ``files`` (name, opener); one bad file is
    reported and skipped.  With de-identification turned off (``Limits.deid_dicom``) files are
    stored as uploaded, which an admin must choose explicitly."""
    # ingest imports this module for its hook
    from labelhub.services.ingest import companion_key, media_key, record_asset

    limits = deps.limits
    session = toolkit(deps).deid_session(
        secret=deid_secret(deps), shift_dates=limits.deid_shift_dates, safe_private=limits.deid_safe_private
    )
    result = MedicalImport(report_id=str(uuid.uuid4()))
    per_file: list[dict[str, Any]] = []
    clean: list[tuple[str, bytes]] = []
    held: list[tuple[str, bytes, dict[str, Any]]] = []
    loaded: list[tuple[int, str, bytes]] = []

    def reject(n: int, name: str, e: LabelhubError) -> None:
        per_file.append({"index": n, "file": name, "status": "rejected", "error": e.message})
        result.errors.append({"file": name, "error": e.message, "status": e.status})

    for n, (name, opener) in enumerate(files):
        try:
            with opener() as stream:
                data = stream.read(limits.max_upload_bytes + 1)
            if len(data) > limits.max_upload_bytes:
                raise InvalidInput(f"the file is larger than the upload limit of {limits.max_upload_bytes:,} bytes")
            loaded.append((n, name, data))
        except LabelhubError as e:
            reject(n, name, e)
    if not limits.deid_dicom:
        for n, name, data in loaded:
            per_file.append({"index": n, "file": name, "status": "stored_without_deidentification"})
            clean.append((name, data))
    workers = limits.deid_workers if len(loaded) >= PARALLEL_FROM else 1
    outcomes = session.run_many(((name, data) for _, name, data in loaded), workers) if limits.deid_dicom else []
    for done, ((n, name, data), outcome) in enumerate(zip(loaded, outcomes, strict=False)):
        if isinstance(outcome, LabelhubError):
            reject(n, name, outcome)
            continue
        entry: dict[str, Any] = {"index": n, "file": outcome.filename, "status": outcome.status}
        entry.update(reason=outcome.reason, **outcome.report)
        per_file.append(entry)
        if outcome.data is not None and limits.deid_retain_originals:
            deps.blobs.put_bytes(f"{ORIGINALS}{hashlib.sha256(data).hexdigest()}", data)
        if outcome.status == "ok" and outcome.data is not None:
            clean.append((outcome.filename, outcome.data))
        elif outcome.data is not None:
            held.append((outcome.filename, outcome.data, entry))
        else:
            result.quarantined += 1
        if progress:
            progress(done + 1)
    per_file.sort(key=lambda e: int(e["index"]))
    kit = toolkit(deps)
    for group, status in ((clean, "ready"), ([(f, d) for f, d, _ in held], "quarantined")):
        if not group:
            continue
        for built in kit.build_assets(group, compression=limits.volume_compression):
            result.warnings.extend(built.warnings)
            sha = hashlib.sha256(built.data).hexdigest()
            for companion, data in built.companions.items():  # before the asset row: an export may follow at once
                deps.blobs.put_bytes(companion_key(media_key(sha), companion), data)
            try:
                asset, task = record_asset(
                    deps,
                    project_id,
                    user_id,
                    built.filename,
                    built.data,
                    sha,
                    built.info,
                    priority=priority,
                    status=status,
                    meta={"reader": _reader_of(built), "deid_report": result.report_id, "sources": len(built.sources)},
                )
            except LabelhubError as e:
                if e.details.get("duplicate"):
                    result.duplicates += 1
                    continue
                raise
            result.assets.append(asset)
            result.quarantined += status == "quarantined"
            if task is not None:
                result.tasks.append(task)
    summary = {
        "files": len(per_file),
        "stored_assets": len(result.assets),
        "quarantined": result.quarantined,
        "rejected": len(result.errors),
        "warnings": result.warnings,
        "profile": "DICOM PS3.15 E.1-1 Basic Application Level Confidentiality Profile",
        "deidentified": limits.deid_dicom,
        "dates": "shifted per patient" if limits.deid_shift_dates else "removed",
    }
    report = {"id": result.report_id, "project_id": project_id, "summary": summary, "files": per_file}
    deps.blobs.put_bytes(f"{REPORTS}{result.report_id}.json", orjson.dumps(report), content_type="application/json")
    return result


def _reader_of(built: BuiltAsset) -> str:
    """Which reader thumbnails the stored bytes: DICOM images stay DICOM, volumes are blobs."""
    return "dicom" if built.mime_type == "application/dicom" else "volume"


@runtime_checkable
class ConvertsOnImport(Protocol):
    """A reader whose files are stored in another form (NIfTI -> volume blob)."""

    def convert(self, stream: IO[bytes], filename: str, *, compression: str = "zstd") -> tuple[bytes, MediaInfo]: ...


def split_dicom(
    deps: Deps, zf: zipfile.ZipFile, members: list[zipfile.ZipInfo]
) -> tuple[list[zipfile.ZipInfo], list[zipfile.ZipInfo]]:
    """``(others, dicom)``: DICOM members are recognised by content (``DICM`` at 128), since
    PACS exports often have no extension (``IM000001``)."""
    others: list[zipfile.ZipInfo] = []
    dicom: list[zipfile.ZipInfo] = []
    for member in members:
        with zf.open(member) as stream:
            head = stream.read(HEAD_BYTES)
        try:
            is_dicom = deps.media.for_file(head, member.filename).name == "dicom"
        except LabelhubError:
            is_dicom = False
        (dicom if is_dicom else others).append(member)
    return others, dicom


__all__ = ["ConvertsOnImport", "DicomToolkit", "MedicalImport", "deid_secret", "import_dicom", "split_dicom", "toolkit"]
