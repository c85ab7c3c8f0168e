"""The one place that builds concrete adapters and hands them to services.

``build(settings)`` returns a ``Platform``: every service, sharing one ``Deps``.  The API, the
CLI's admin commands, the worker process and the tests all start here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from labelhub.assist import default_tools
from labelhub.assist.models import ModelLoader
from labelhub.db.engine import Database
from labelhub.db.migrate import upgrade
from labelhub.formats.registry import default_formats
from labelhub.jobs.queue import HueyQueue
from labelhub.media.registry import default_registry
from labelhub.media.tiles import pyramid_tiler
from labelhub.services.ai_report import AIReportService
from labelhub.services.annotation_import import AnnotationImportService
from labelhub.services.annotations import AnnotationService
from labelhub.services.assets import AssetService
from labelhub.services.assist import AssistService
from labelhub.services.auth import AuthService
from labelhub.services.context import Deps, Limits
from labelhub.services.documents import DocumentService
from labelhub.services.exports import ExportService
from labelhub.services.jobs import JobService
from labelhub.services.media_jobs import MediaJobs
from labelhub.services.models import ModelService
from labelhub.services.prelabel import PrelabelService
from labelhub.services.project_import import ProjectImportService
from labelhub.services.projects import ProjectService
from labelhub.services.quarantine import QuarantineService
from labelhub.services.review import ReviewService
from labelhub.services.stats import StatsService
from labelhub.services.storage_scan import StorageScanService
from labelhub.services.tasks import TaskService
from labelhub.services.tiles import TileService
from labelhub.settings import Settings
from labelhub.storage import open_store

log = logging.getLogger("labelhub")


class _LateQueue:
    """Breaks the cycle queue -> JobService.run -> Deps -> queue: the real queue is set after."""

    def __init__(self) -> None:
        self.target: HueyQueue | None = None

    def enqueue(self, job_id: str) -> None:
        assert self.target is not None, "queue used before wiring finished"
        self.target.enqueue(job_id)

    def describe(self) -> str:
        return self.target.describe() if self.target else "unset"


@dataclass
class Platform:
    settings: Settings
    deps: Deps
    queue: HueyQueue
    auth: AuthService
    projects: ProjectService
    assets: AssetService
    tasks: TaskService
    annotations: AnnotationService
    review: ReviewService
    jobs: JobService
    exports: ExportService
    project_import: ProjectImportService
    stats: StatsService
    storage_scan: StorageScanService
    annotation_import: AnnotationImportService
    tiles: TileService
    documents: DocumentService
    quarantine: QuarantineService
    assist: AssistService
    models: ModelService
    prelabel: PrelabelService
    ai_report: AIReportService

    def maintenance(self) -> None:
        """Periodic upkeep: expire leases, recover jobs whose worker died."""
        expired = self.tasks.expire_leases()
        requeued, failed = self.jobs.recover()
        self.auth.purge_expired_sessions()
        if expired or requeued or failed:
            log.info("maintenance: %d leases expired, %d jobs requeued, %d failed", expired, requeued, failed)

    def close(self) -> None:
        self.queue.stop_consumer()
        self.deps.db.dispose()


def limits_from(settings: Settings) -> Limits:
    return Limits(
        max_upload_bytes=settings.max_upload_bytes,
        max_image_pixels=settings.max_image_pixels,
        lease_seconds=settings.lease_seconds,
        session_days=settings.session_days,
        login_max_failures=settings.login_max_failures,
        login_window_seconds=settings.login_window_seconds,
        job_stale_seconds=settings.job_stale_seconds,
        job_max_attempts=settings.job_max_attempts,
        import_roots=tuple(str(Path(p).resolve()) for p in settings.import_roots),
        deid_dicom=settings.deid_dicom,
        deid_shift_dates=settings.deid_shift_dates,
        deid_retain_originals=settings.deid_retain_originals,
        deid_safe_private=tuple(settings.deid_safe_private),
        volume_compression=settings.volume_compression,
        deid_workers=settings.deid_workers,
        tile_min_side=settings.tile_min_side,
    )


def build(settings: Settings, *, migrate: bool = True, immediate_jobs: bool = False) -> Platform:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_url(settings.resolved_database_url())
    if migrate:
        upgrade(db.engine)
    late = _LateQueue()
    deps = Deps(
        db=db,
        blobs=open_store(settings.resolved_storage_url()),
        media=default_registry(max_image_pixels=settings.max_image_pixels),
        queue=late,
        formats=default_formats(),
        limits=limits_from(settings),
    )
    jobs = JobService(deps)
    tasks = TaskService(deps)
    platform_holder: list[Platform] = []
    queue = HueyQueue(
        settings.resolved_queue_url(), jobs.run, lambda: platform_holder[0].maintenance(), immediate=immediate_jobs
    )
    late.target = queue
    MediaJobs(deps, jobs)
    assets = AssetService(deps, jobs)
    models = ModelService(deps, ModelLoader())
    platform = Platform(
        settings=settings,
        deps=deps,
        queue=queue,
        auth=AuthService(deps),
        projects=ProjectService(deps),
        assets=assets,
        tasks=tasks,
        annotations=AnnotationService(deps),
        review=ReviewService(deps),
        jobs=jobs,
        exports=ExportService(deps, jobs),
        project_import=ProjectImportService(deps, jobs),
        stats=StatsService(deps),
        storage_scan=StorageScanService(deps, jobs, assets),
        annotation_import=AnnotationImportService(deps, jobs),
        tiles=TileService(deps, jobs, assets, pyramid_tiler(settings.tile_size, settings.max_image_pixels)),
        documents=DocumentService(deps),
        quarantine=QuarantineService(deps, jobs),
        assist=AssistService(
            deps,
            default_tools(
                max_pixels=settings.max_image_pixels, sam_encoder=settings.sam_encoder, sam_decoder=settings.sam_decoder
            ),
        ),
        models=models,
        prelabel=PrelabelService(deps, jobs, models),
        ai_report=AIReportService(deps),
    )
    platform_holder.append(platform)
    return platform


__all__ = ["Platform", "build", "limits_from"]
