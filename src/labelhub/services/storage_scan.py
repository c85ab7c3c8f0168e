"""Registering a whole storage folder: every supported file under a ``file://`` import folder or a
``blob://`` prefix becomes an asset by reference (no copy), probed for its size by a job.

Files already registered in the project (same URI) are skipped, so a scan can be repeated after
new files arrive.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from sqlalchemy import select

from labelhub.core.errors import InvalidInput, NotFound
from labelhub.core.workflow import Role
from labelhub.db.tables import Asset, User
from labelhub.services.access import require_project
from labelhub.services.assets import AssetService, Reference
from labelhub.services.context import Actor, Deps
from labelhub.services.ingest import INTERNAL_PREFIXES
from labelhub.services.jobs import JobContext, JobService

BATCH = 5_000


class StorageScanService:
    def __init__(self, deps: Deps, jobs: JobService, assets: AssetService) -> None:
        self.deps, self.jobs, self.assets = deps, jobs, assets
        jobs.register("scan_storage", self.run)

    def start(self, actor: Actor, project_id: int, uri: str) -> str:
        with self.deps.db.read() as s:
            require_project(s, actor, project_id, Role.MANAGER)
        self._source(uri)  # refuse a bad location now, with a 4xx
        return self.jobs.submit("scan_storage", {"uri": uri}, project_id=project_id, created_by=actor.user_id)

    def _source(self, uri: str) -> tuple[str, str]:
        parsed = urlparse(uri)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            roots = [Path(r).resolve() for r in self.deps.limits.import_roots]
            if not any(path.is_relative_to(r) for r in roots):
                raise InvalidInput(f"'{uri}' is outside the server's import folders (LABELHUB_IMPORT_ROOTS).")
            if not path.is_dir():
                raise InvalidInput(f"'{uri}' is not a folder on the server.")
            return "file", str(path)
        if parsed.scheme == "blob":
            prefix = (parsed.netloc + parsed.path).lstrip("/")
            if ".." in prefix.split("/") or prefix.startswith(INTERNAL_PREFIXES):
                raise InvalidInput(f"'{uri}' is not a prefix you may register from.")
            return "blob", prefix
        raise InvalidInput(f"'{uri}': scan a file:// folder inside an import folder, or a blob:// prefix.")

    def _files(self, kind: str, where: str) -> Iterator[str]:
        extensions = tuple(f".{e.lstrip('.').lower()}" for r in self.deps.media.available() for e in r.extensions)
        if kind == "file":
            for top, dirs, names in os.walk(where):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith(".") and name.lower().endswith(extensions):
                        yield Path(top, name).as_uri()
        else:
            for key in self.deps.blobs.iter_keys(where):
                if key.lower().endswith(extensions) and not key.rsplit("/", 1)[-1].startswith("."):
                    yield f"blob://{key}"

    def run(self, ctx: JobContext) -> dict[str, Any]:
        assert ctx.project_id is not None
        kind, where = self._source(ctx.payload["uri"])
        with self.deps.db.read() as s:
            user = s.get(User, ctx.created_by) if ctx.created_by else None
            if user is None:
                raise NotFound("The account that started this scan no longer exists.")
            known = set(s.scalars(select(Asset.uri).where(Asset.project_id == ctx.project_id, Asset.uri.is_not(None))))
        actor = Actor(user.id, user.username, user.is_admin)
        created = skipped = 0
        errors: list[dict[str, Any]] = []
        batch: list[Reference] = []
        for uri in self._files(kind, where):
            if uri in known:
                skipped += 1
                continue
            batch.append(Reference(uri))
            if len(batch) >= BATCH:
                created += self._register(actor, ctx, batch, errors)
        if batch:
            created += self._register(actor, ctx, batch, errors)
        return {"registered": created, "already_registered": skipped, "errors": errors[:1000]}

    def _register(self, actor: Actor, ctx: JobContext, batch: list[Reference], errors: list[dict[str, Any]]) -> int:
        assert ctx.project_id is not None
        result = self.assets.register(actor, ctx.project_id, batch)
        errors.extend({"uri": batch[e["index"]].uri, "error": e["error"]} for e in result.errors)
        batch.clear()
        ctx.progress(result.created)
        return result.created


__all__ = ["StorageScanService"]
