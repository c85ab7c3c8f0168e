"""The format registry: one module per format, registered by its declared name; duplicates refused."""

from __future__ import annotations

from labelhub.core.errors import NotFound
from labelhub.core.formats import Exporter, ProjectImporter


class FormatRegistry:
    def __init__(self) -> None:
        self._exporters: dict[str, Exporter] = {}
        self._project_importers: dict[str, ProjectImporter] = {}

    def add_exporter(self, exporter: Exporter) -> None:
        if exporter.name in self._exporters:
            raise ValueError(f"exporter '{exporter.name}' is registered twice")
        self._exporters[exporter.name] = exporter

    def add_project_importer(self, importer: ProjectImporter) -> None:
        if importer.name in self._project_importers:
            raise ValueError(f"project importer '{importer.name}' is registered twice")
        self._project_importers[importer.name] = importer

    def exporter(self, name: str) -> Exporter:
        try:
            return self._exporters[name]
        except KeyError:
            raise NotFound(f"No export format '{name}'; available: {', '.join(sorted(self._exporters))}.") from None

    def project_importer(self, name: str) -> ProjectImporter:
        try:
            return self._project_importers[name]
        except KeyError:
            known = ", ".join(sorted(self._project_importers))
            raise NotFound(f"No project import format '{name}'; available: {known}.") from None

    def names(self) -> dict[str, list[str]]:
        return {"exporters": sorted(self._exporters), "project_importers": sorted(self._project_importers)}


def default_formats() -> FormatRegistry:
    from labelhub.formats.native import NativeExporter, NativeImporter

    reg = FormatRegistry()
    reg.add_exporter(NativeExporter())
    reg.add_project_importer(NativeImporter())
    return reg


__all__ = ["FormatRegistry", "default_formats"]
