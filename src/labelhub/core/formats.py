"""The format port: exporters turn a project into files, importers turn files into records.

Format modules live in ``labelhub.formats`` (one module per format) and see only these shapes,
never the database: a service hands an exporter an ``ExportSource`` and writes what an importer
reads.  Annotation bodies travel as JSON text (``body_json``) so lossless formats can copy them
without decoding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class ExportOptions:
    states: tuple[str, ...] | None = None  # task states to include; None = all
    include_media: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    classes: tuple[str, ...] | None = None  # class ids to keep; None = all (images are kept either way)
    labelers: tuple[int, ...] | None = None  # user ids: only tasks whose head revision one of them wrote
    split: tuple[tuple[str, float], ...] | None = None  # e.g. (("train", .8), ("val", .2)); None = one split
    seed: int = 0  # the split's permutation seed: the same seed and filter give the same split


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One task of the export with its asset and its head (current) revision.

    ``asset``: ``{"id", "filename", "kind", "width", "height", "pages", "sha256", "storage_key", ...}``;
    ``body_json``: the head revision's stored JSON text, or ``None`` when the task has none yet.
    """

    task_id: int
    state: str
    asset: dict[str, Any]
    revision_id: int | None
    author_id: int | None
    body_json: str | None


class ExportSource(Protocol):
    """A read-only view of one project, streamed in id order."""

    project: dict[str, Any]
    ontology_versions: list[dict[str, Any]]
    users: dict[int, str]

    def count_revisions(self) -> int: ...

    def iter_assets(self) -> Iterator[dict[str, Any]]: ...

    def iter_tasks(self) -> Iterator[dict[str, Any]]: ...

    def iter_revisions(self) -> Iterator[tuple[dict[str, Any], str]]:
        """(metadata, body_json) per revision, oldest first."""
        ...

    def iter_reviews(self) -> Iterator[dict[str, Any]]: ...

    def open_media(self, asset: dict[str, Any]) -> BinaryIO | None: ...

    def open_companion(self, asset: dict[str, Any], name: str) -> BinaryIO | None:
        """A file stored beside the asset's blob at import (``core.media.COMPANIONS``), or None."""
        ...

    def count_items(self) -> int:
        """How many rows ``iter_items`` yields (after the state and labeler filters)."""
        ...

    def iter_items(self) -> Iterator[ExportItem]:
        """One row per task, in task id order, with its asset and head revision (streamed)."""
        ...


@runtime_checkable
class Exporter(Protocol):
    name: str
    version: str
    extension: str
    media_type: str
    description: str
    shapes: tuple[str, ...]  # geometry types written; others are skipped and counted in the report

    def export(
        self, source: ExportSource, out: BinaryIO, options: ExportOptions, progress: Callable[[int, int | None], None]
    ) -> dict[str, Any]:
        """Write the export to ``out``; return a report (counts, warnings)."""
        ...


class ImportBundle(Protocol):
    project: dict[str, Any]
    ontology_versions: list[dict[str, Any]]
    users: dict[int, str]

    def iter_assets(self) -> Iterator[dict[str, Any]]: ...

    def open_media(self, asset: dict[str, Any]) -> BinaryIO | None: ...

    def iter_tasks(self) -> Iterator[dict[str, Any]]: ...

    def iter_revisions(self) -> Iterator[dict[str, Any]]: ...

    def iter_reviews(self) -> Iterator[dict[str, Any]]: ...

    def close(self) -> None: ...


@runtime_checkable
class ProjectImporter(Protocol):
    """Reads a whole-project archive (the native format)."""

    name: str
    version: str
    extension: str

    def detect(self, head: bytes, filename: str) -> bool: ...

    def open(self, stream: BinaryIO) -> ImportBundle: ...


@dataclass(frozen=True, slots=True)
class ImportedObject:
    """One shape read from a foreign file, in labelhub's geometry (pixels, ``docs/annotations.md``).

    ``label``: the class name as the file spells it (mapped to a class id by the import service);
    ``where``: the place in the file (``"line 3"``, ``"annotations[7]"``) for error messages.
    """

    label: str
    geometry: dict[str, Any]
    attributes: dict[str, Any] = field(default_factory=dict)
    confidence: float | None = None
    where: str = ""


@dataclass(frozen=True, slots=True)
class ImportedItem:
    """The annotations of one image of a foreign file, matched to an asset by ``file_name``."""

    file_name: str
    source_file: str  # the file inside the upload that held these annotations
    objects: list[ImportedObject]
    width: int | None = None
    height: int | None = None
    classifications: dict[str, Any] = field(default_factory=dict)
    normalized: bool = False  # coordinates are fractions of the width and height (YOLO)
    match_stem: bool = False  # match ``file_name`` to an asset by stem, any extension (YOLO label files)
    skipped: tuple[str, ...] = ()  # what the file holds that the importer does not read, e.g. "skeleton"


@runtime_checkable
class AnnotationImporter(Protocol):
    """Reads pre-labels (or labels from another tool) for assets a project already has.

    ``read`` parses the whole upload (one file, or a zip) and raises ``InvalidInput`` naming the
    file and the line or key of the first malformed thing; nothing is written before it returns.
    """

    name: str
    version: str
    extensions: tuple[str, ...]
    shapes: tuple[str, ...]

    def detect(self, head: bytes, filename: str) -> bool: ...

    def read(self, stream: BinaryIO, filename: str) -> list[ImportedItem]: ...


class FormatRegistry(Protocol):
    def exporter(self, name: str) -> Exporter: ...

    def project_importer(self, name: str) -> ProjectImporter: ...

    def annotation_importer(self, name: str) -> AnnotationImporter: ...

    def names(self) -> dict[str, list[str]]: ...


__all__ = [
    "AnnotationImporter",
    "ExportItem",
    "ExportOptions",
    "ExportSource",
    "Exporter",
    "FormatRegistry",
    "ImportBundle",
    "ImportedItem",
    "ImportedObject",
    "ProjectImporter",
]
