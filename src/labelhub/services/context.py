"""The caller of a use case, and the bundle of collaborators every service is built from."""

from __future__ import annotations

from dataclasses import dataclass, field

from labelhub.core.formats import FormatRegistry
from labelhub.core.ports import BlobStore, JobQueue, MediaRegistry
from labelhub.db.engine import Database


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking.  ``via_token`` is True for API-token requests (no CSRF needed)."""

    user_id: int
    username: str
    is_admin: bool = False
    via_token: bool = False


@dataclass(frozen=True, slots=True)
class Limits:
    max_upload_bytes: int = 2 * 1024**3
    max_image_pixels: int = 200_000_000
    lease_seconds: int = 1800
    session_days: int = 14
    login_max_failures: int = 5
    login_window_seconds: int = 300
    job_stale_seconds: int = 120
    job_max_attempts: int = 3
    import_roots: tuple[str, ...] = ()
    max_zip_members: int = 100_000
    max_zip_ratio: int = 200
    deid_dicom: bool = True
    deid_shift_dates: bool = False
    deid_retain_originals: bool = False
    deid_safe_private: tuple[str, ...] = ()
    volume_compression: str = "zstd"
    deid_workers: int = 1
    tile_min_side: int = 8000


@dataclass(slots=True)
class Deps:
    """Concrete adapters behind core ports, built once by ``labelhub.wiring``."""

    db: Database
    blobs: BlobStore
    media: MediaRegistry
    queue: JobQueue
    formats: FormatRegistry
    limits: Limits = field(default_factory=Limits)


__all__ = ["Actor", "Deps", "Limits"]
