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


@runtime_checkable
class Exporter(Protocol):
    name: str
    version: str
    extension: str
    media_type: str
    description: str

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


class FormatRegistry(Protocol):
    def exporter(self, name: str) -> Exporter: ...

    def project_importer(self, name: str) -> ProjectImporter: ...

    def names(self) -> dict[str, list[str]]: ...


__all__ = ["ExportOptions", "ExportSource", "Exporter", "FormatRegistry", "ImportBundle", "ProjectImporter"]
