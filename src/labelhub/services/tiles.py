"""Tiled pyramids of large images: the background job that builds them and reading them back.

Blobs: ``tiles/<asset id>/<level>/<x>/<y>`` (one encoded tile each) and
``tiles/<asset id>/pyramid.json`` (the descriptor, see ``media.tiles``).  The descriptor is
written last, so its presence means every tile is there; a failed or interrupted job leaves no
descriptor and its partial tiles are removed.  ``tiles/`` is an internal prefix
(``services.ingest.INTERNAL_PREFIXES``): references cannot point into it.

Reads are authorized exactly as ``GET /assets/{id}/content`` (``AssetService.get``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO

import orjson

from labelhub.core.errors import NotFound
from labelhub.db.tables import Asset
from labelhub.services.assets import AssetService, open_source
from labelhub.services.context import Actor, Deps
from labelhub.services.jobs import JobContext, JobService

TileSink = Callable[[int, int, int, bytes], None]


Tiler = Callable[[BinaryIO, TileSink, Callable[[int, int], None]], dict[str, Any]]
"""``tiler(stream, sink, progress) -> descriptor``: ``media.tiles.pyramid_tiler``, passed in by wiring."""


def tile_prefix(asset_id: int) -> str:
    return f"tiles/{asset_id}/"


def descriptor_key(asset_id: int) -> str:
    return f"tiles/{asset_id}/pyramid.json"


def tile_key(asset_id: int, level: int, x: int, y: int) -> str:
    return f"tiles/{asset_id}/{level}/{x}/{y}"


def needs_tiles(asset: Asset, min_side: int) -> bool:
    """True for stored images whose longer side is above ``min_side`` pixels."""
    return asset.kind == "image" and max(asset.width or 0, asset.height or 0) > min_side


class TileService:
    def __init__(self, deps: Deps, jobs: JobService, assets: AssetService, tiler: Tiler) -> None:
        self.deps, self.jobs, self.assets, self.tiler = deps, jobs, assets, tiler
        jobs.register("tiles", self._job)

    # -- reading ---------------------------------------------------------------------------------

    def descriptor(self, actor: Actor, asset_id: int) -> dict[str, Any]:
        """The pyramid's descriptor; 404 (``NotFound``) while it does not exist (small image, job pending)."""
        self.assets.get(actor, asset_id)
        key = descriptor_key(asset_id)
        if not self.deps.blobs.exists(key):
            raise NotFound(
                f"Asset {asset_id} has no tiles: it is small enough to load whole, or its tiles are still being made."
            )
        data: dict[str, Any] = orjson.loads(self.deps.blobs.read_bytes(key))
        return data

    def tile(self, actor: Actor, asset_id: int, level: int, x: int, y: int) -> tuple[Asset, bytes]:
        asset = self.assets.get(actor, asset_id)
        key = tile_key(asset_id, level, x, y)
        if not self.deps.blobs.exists(key):
            raise NotFound(f"Asset {asset_id} has no tile at level {level}, column {x}, row {y}.")
        return asset, self.deps.blobs.read_bytes(key)

    # -- building --------------------------------------------------------------------------------

    def build(self, asset_id: int, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
        """Build (or rebuild) the pyramid of one asset; returns the descriptor."""
        with self.deps.db.read() as s:
            asset = s.get(Asset, asset_id)
            if asset is None:
                raise NotFound(f"Asset {asset_id} not found.")
        src = open_source(self.deps, asset)
        if isinstance(src, str):
            raise NotFound(f"Asset {asset_id} is an http(s) reference: the server cannot read it to make tiles.")
        blobs = self.deps.blobs
        blobs.delete(descriptor_key(asset_id))

        def sink(level: int, x: int, y: int, data: bytes) -> None:
            blobs.put_bytes(tile_key(asset_id, level, x, y), data)

        try:
            with src:
                descriptor = self.tiler(src, sink, progress or (lambda done, total: None))
        except BaseException:
            self.remove(asset_id)
            raise
        blobs.put_bytes(descriptor_key(asset_id), orjson.dumps(descriptor), content_type="application/json")
        return descriptor

    def remove(self, asset_id: int) -> int:
        """Delete every blob of the asset's pyramid; returns how many."""
        keys = list(self.deps.blobs.iter_keys(tile_prefix(asset_id)))
        for key in keys:
            self.deps.blobs.delete(key)
        return len(keys)

    def _job(self, ctx: JobContext) -> dict[str, Any]:
        d = self.build(int(ctx.payload["asset_id"]), progress=ctx.progress)
        return {"levels": len(d["levels"]), "tiles": sum(lv["columns"] * lv["rows"] for lv in d["levels"])}


__all__ = ["TileService", "Tiler", "descriptor_key", "needs_tiles", "tile_key", "tile_prefix"]
