"""Media background jobs: thumbnails, probing referenced files, extracting uploaded archives."""

from __future__ import annotations

import zipfile
from functools import partial
from typing import Any, BinaryIO, cast

import orjson
from sqlalchemy import select, update

from labelhub.core.errors import InvalidInput, LabelhubError
from labelhub.db.tables import Asset
from labelhub.services.assets import check_zip, is_hidden, open_source
from labelhub.services.context import Deps
from labelhub.services.ingest import describe_error, ingest, spool
from labelhub.services.jobs import JobContext, JobService
from labelhub.services.medical_ingest import MedicalImport, import_dicom, split_dicom
from labelhub.services.tiles import needs_tiles

THUMB_SIDE = 256


class MediaJobs:
    def __init__(self, deps: Deps, jobs: JobService) -> None:
        self.deps, self.jobs = deps, jobs
        jobs.register("thumbnail", self.thumbnail)
        jobs.register("probe_pending", self.probe_pending)
        jobs.register("import_archive", self.import_archive)

    def thumbnail(self, ctx: JobContext) -> dict[str, Any]:
        asset_ids = ctx.payload["asset_ids"] if "asset_ids" in ctx.payload else [ctx.payload["asset_id"]]
        made = 0
        for n, asset_id in enumerate(asset_ids):
            with self.deps.db.read() as s:
                asset = s.get(Asset, asset_id)
            if asset is None or asset.storage_key is None:
                continue
            reader = self.deps.media.get(orjson.loads(asset.meta_json).get("reader", asset.kind))
            with self.deps.blobs.open(asset.storage_key) as stream:
                data, mime = reader.thumbnail(stream, THUMB_SIDE)
            key = f"thumbs/{asset.id}"
            self.deps.blobs.put_bytes(key, data, content_type=mime)
            with self.deps.db.write() as s:
                s.execute(update(Asset).where(Asset.id == asset_id).values(thumbnail_key=key))
            made += 1
            if needs_tiles(asset, self.deps.limits.tile_min_side):  # large images: a pyramid for the editor
                self.jobs.submit("tiles", {"asset_id": asset_id}, project_id=ctx.project_id, created_by=ctx.created_by)
            ctx.progress(n + 1, len(asset_ids))
        return {"thumbnails": made}

    def probe_pending(self, ctx: JobContext) -> dict[str, Any]:
        """Fill width/height of assets registered by reference without them."""
        ok = failed = 0
        while True:
            with self.deps.db.read() as s:
                batch = list(
                    s.scalars(
                        select(Asset)
                        .where(Asset.project_id == ctx.project_id, Asset.status == "pending")
                        .order_by(Asset.id)
                        .limit(100)
                    )
                )
            if not batch:
                break
            for asset in batch:
                values = self._probe_one(asset)
                ok += values["status"] == "ready"
                failed += values["status"] == "failed"
                with self.deps.db.write() as s:
                    s.execute(update(Asset).where(Asset.id == asset.id).values(**values))
            ctx.progress(ok + failed)
        return {"probed": ok, "failed": failed}

    def _probe_one(self, asset: Asset) -> dict[str, Any]:
        try:
            src = open_source(self.deps, asset)
            if isinstance(src, str):
                raise InvalidInput("http(s) references cannot be read by the server; give width and height.")
            with src:
                sp = spool(src, self.deps.limits.max_upload_bytes)
            with sp.file:
                reader = self.deps.media.for_file(sp.head, asset.filename)
                info = reader.probe(sp.file, asset.filename)
            return {
                "status": "ready",
                "width": info.width,
                "height": info.height,
                "channels": info.channels,
                "pages": info.pages,
                "mime_type": info.mime_type,
                "sha256": None,
                "size_bytes": sp.size,
                "meta_json": orjson.dumps(info.extra).decode(),
                "error": None,
            }
        except LabelhubError as e:
            return {"status": "failed", "error": e.message}

    def import_archive(self, ctx: JobContext) -> dict[str, Any]:
        key, project_id = ctx.payload["key"], ctx.project_id
        assert project_id is not None
        imported: list[int] = []
        errors: list[dict[str, Any]] = []
        duplicates = 0
        with self.deps.blobs.open(key) as raw, spool(raw, self.deps.limits.max_upload_bytes).file as f:
            limits = self.deps.limits
            members = check_zip(
                f,
                limits.max_zip_members,
                limits.max_zip_ratio,
                limits.max_upload_bytes * 4,
            )
            files = [m for m in members if not is_hidden(m.filename)]
            with zipfile.ZipFile(f) as zf:
                files, dicom = split_dicom(self.deps, zf, files)
                if dicom:
                    medical = self._import_dicom(ctx, zf, dicom)
                    imported += [a.id for a in medical.assets if a.status == "ready"]
                    errors += medical.errors
                    duplicates += medical.duplicates
                for n, member in enumerate(files):
                    try:
                        with zf.open(member) as stream:
                            asset, _ = ingest(
                                self.deps, project_id, ctx.created_by, cast(BinaryIO, stream), member.filename
                            )
                        imported.append(asset.id)
                    except Exception as e:
                        info = describe_error(e)
                        if info.get("duplicate"):
                            duplicates += 1
                        else:
                            errors.append({"file": member.filename, **info})
                    ctx.progress(n + 1, len(files))
        self.deps.blobs.delete(key)
        if imported:
            self.jobs.submit("thumbnail", {"asset_ids": imported}, project_id=project_id, created_by=ctx.created_by)
        result = {"imported": len(imported), "duplicates": duplicates, "failed": len(errors), "errors": errors[:1000]}
        if dicom:
            result |= {
                "deid_report": medical.report_id,
                "quarantined": medical.quarantined,
                "warnings": medical.warnings,
            }
        return result

    def _import_dicom(self, ctx: JobContext, zf: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> MedicalImport:
        assert ctx.project_id is not None
        return import_dicom(
            self.deps,
            ctx.project_id,
            ctx.created_by,
            [(m.filename, partial(zf.open, m)) for m in members],
            progress=lambda n: ctx.progress(n, len(members)),
        )


__all__ = ["MediaJobs"]
