"""Configuration from environment variables (prefix ``LABELHUB_``) with safe embedded defaults.

The defaults give the one-process set-up: SQLite in WAL mode and local files under the data
directory, the job queue embedded.  At scale the same code takes URLs::

    LABELHUB_DATABASE_URL=postgresql+psycopg://user@db/labelhub
    LABELHUB_QUEUE_URL=redis://queue:6379/0
    LABELHUB_STORAGE_URL=s3://bucket/prefix?endpoint_url=https://s3.example
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LABELHUB_", extra="ignore")

    data_dir: Path = Field(default=Path(".labelhub-data"), description="Where the SQLite database and files live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default sqlite in data_dir.")
    storage_url: str | None = Field(default=None, description="Blob store URL; default data_dir/blobs.")
    queue_url: str | None = Field(
        default=None, description="'redis://host:port/db' for a Redis-backed queue; default embedded SQLite queue."
    )
    embedded_worker: bool = Field(default=True, description="Run a job worker thread inside the server process.")
    worker_threads: int = 2
    max_upload_bytes: int = 2 * 1024**3
    max_image_pixels: int = Field(
        default=500_000_000,
        description="Largest image (width x height) accepted; decoding takes 3-4 bytes a pixel (docs/large-images.md).",
    )
    session_days: int = 14
    secure_cookies: bool = Field(default=False, description="Set for HTTPS deployments (Secure cookies).")
    lease_seconds: int = 30 * 60
    job_heartbeat_seconds: int = 10
    job_stale_seconds: int = 120
    job_max_attempts: int = 3
    login_max_failures: int = 5
    login_window_seconds: int = 300
    import_roots: list[Path] = Field(
        default_factory=list, description="Server folders that 'register from storage' may read from."
    )

    deid_dicom: bool = Field(
        default=True, description="De-identify DICOM on upload (PS3.15 E.1-1); turning it off stores PHI."
    )
    deid_shift_dates: bool = Field(
        default=False, description="Shift DICOM dates consistently per patient instead of removing them."
    )
    deid_retain_originals: bool = Field(
        default=False, description="Also keep the original (identified) DICOM files under originals/."
    )
    deid_safe_private: list[str] = Field(
        default_factory=list, description="Private DICOM attributes kept, as 'CREATOR/EE' (e.g. 'GEMS_PARM_01/10')."
    )
    deid_workers: int = Field(
        default=1, description="Processes de-identifying DICOM in one import (forked; 2+ for large series)."
    )
    volume_compression: str = Field(default="zstd", description="Volume blob compression: 'zstd' or 'gzip'.")
    tile_min_side: int = Field(
        default=8000, description="Images whose longer side is above this many pixels get a tiled pyramid at import."
    )
    tile_size: int = Field(default=512, description="Side of one pyramid tile in pixels.")
    sam_encoder: Path | None = Field(
        default=None, description="Frame Cut model: a SAM-family image encoder exported to ONNX (set with sam_decoder)."
    )
    sam_decoder: Path | None = Field(
        default=None, description="Frame Cut model: the matching prompt decoder (ONNX); docs/assist.md."
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'labelhub.db').resolve()}"

    def resolved_storage_url(self) -> str:
        return self.storage_url or str((self.data_dir / "blobs").resolve())

    def resolved_queue_url(self) -> str:
        return self.queue_url or f"sqlite:///{(self.data_dir / 'queue.db').resolve()}"


__all__ = ["Settings"]
