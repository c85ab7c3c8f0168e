"""Annotation imports (pre-labels, labels from other tools) and dataset versions (finished exports).

result = lh.annotation_imports.preview(project_id, "instances.json", "coco")   # nothing written
result = lh.annotation_imports.run(project_id, "instances.json", "coco", mapping={"truck": "car"})
for v in lh.dataset_versions.list(project_id):
    lh.dataset_versions.download(v.id, "out/")
"""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Literal

import httpx

from labelhub_sdk.errors import ConnectionFailed, LabelhubError
from labelhub_sdk.models import AnnotationImportResult, DatasetVersion, Job
from labelhub_sdk.resources import CHUNK, FileInput, Jobs, _attachment_name, _file_part, _Group

Mode = Literal["replace", "append"]
ANNOTATION_FORMATS = ("coco", "yolo", "voc", "labelstudio", "cvat")


class AnnotationImports(_Group):
    """Import annotations into a project's existing assets, matched by file name (YOLO: by stem).

    ``mapping`` says where labels that are not classes go: ``{"label": "<class id>" | "create" |
    "create:<tool>" | "drop"}``.  ``mode="replace"`` makes the import each task's new head;
    ``"append"`` adds its objects to the current head's.
    """

    def _form(
        self, file: FileInput, format: str, mapping: Mapping[str, str] | None, mode: Mode, filename: str | None
    ) -> tuple[dict[str, str], ExitStack, tuple[str, object, str]]:
        stack = ExitStack()
        part = _file_part(file, filename, stack)
        data = {"format": format, "mapping": json.dumps(dict(mapping or {})), "mode": mode}
        return data, stack, part

    def preview(
        self,
        project_id: int,
        file: FileInput,
        format: str,
        *,
        mapping: Mapping[str, str] | None = None,
        mode: Mode = "replace",
        filename: str | None = None,
    ) -> AnnotationImportResult:
        """The dry run (the mapping step): what matches, where each label goes, which labels are
        unknown.  Nothing is written.  A malformed file raises ``BadRequest`` naming the file and place."""
        data, stack, part = self._form(file, format, mapping, mode, filename)
        with stack:
            answer = self._http.json(
                "POST", f"/projects/{project_id}/annotation-imports/preview", files={"file": part}, data=data
            )
        return AnnotationImportResult.from_json(answer)

    def start(
        self,
        project_id: int,
        file: FileInput,
        format: str,
        *,
        mapping: Mapping[str, str] | None = None,
        mode: Mode = "replace",
        filename: str | None = None,
    ) -> Job:
        """Upload the file and start the import job (kind ``import_annotations``); see ``result``."""
        data, stack, part = self._form(file, format, mapping, mode, filename)
        with stack:
            answer = self._http.json(
                "POST", f"/projects/{project_id}/annotation-imports", files={"file": part}, data=data
            )
        return Job.from_json(answer)

    @staticmethod
    def result(job: Job) -> AnnotationImportResult:
        """The report of a finished, successful import job."""
        if not job.succeeded or job.result is None:
            raise LabelhubError(0, "Job not finished", f"job {job.id} is {job.state}; it has no import result")
        return AnnotationImportResult.from_json(job.result)

    def run(
        self,
        project_id: int,
        file: FileInput,
        format: str,
        *,
        mapping: Mapping[str, str] | None = None,
        mode: Mode = "replace",
        filename: str | None = None,
        timeout: float | None = 600.0,
        on_progress: Callable[[Job], None] | None = None,
    ) -> AnnotationImportResult:
        """``start`` and wait; raises ``JobFailed`` (with the server's reason) if the import fails."""
        job = self.start(project_id, file, format, mapping=mapping, mode=mode, filename=filename)
        return self.result(Jobs(self._http).wait(job.id, timeout=timeout, on_progress=on_progress))


class DatasetVersions(_Group):
    def list(self, project_id: int, *, limit: int = 100) -> builtins.list[DatasetVersion]:
        """The project's dataset versions (finished exports), newest first (managers)."""
        data = self._http.json("GET", f"/projects/{project_id}/dataset-versions", params={"limit": limit})
        return [DatasetVersion.from_json(v) for v in data]

    def download(self, version_id: int, path: str | Path) -> Path:
        """Stream the version's file to ``path`` (a folder gets its file name), checking its SHA-256
        against the server's ``X-Content-SHA256``.  Returns the file."""
        with self._http.stream(f"/dataset-versions/{version_id}/download") as response:
            out = Path(path)
            if out.is_dir():
                out = out / _attachment_name(response, f"dataset-version-{version_id}")
            expected = response.headers.get("x-content-sha256")
            digest = hashlib.sha256()
            tmp = out.with_name(out.name + ".part")
            try:
                with tmp.open("wb") as f:
                    for chunk in response.iter_bytes(CHUNK):
                        digest.update(chunk)
                        f.write(chunk)
                if expected and digest.hexdigest() != expected:
                    raise ConnectionFailed(
                        f"dataset version {version_id} arrived damaged (SHA-256 {digest.hexdigest()}, "
                        f"the server says {expected}); download it again"
                    )
                tmp.replace(out)
            except httpx.TransportError as e:
                raise ConnectionFailed(f"the connection to {self._http.url} broke during the download ({e})") from e
            finally:
                tmp.unlink(missing_ok=True)
        return out


__all__ = ["ANNOTATION_FORMATS", "AnnotationImports", "DatasetVersions"]
