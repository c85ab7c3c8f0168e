"""Media kinds and the reader port.  Readers live in ``labelhub.media``; the core only knows this shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, BinaryIO, Protocol, runtime_checkable


class MediaKind(StrEnum):
    IMAGE = "image"
    MULTIPAGE_IMAGE = "multipage_image"
    VOLUME = "volume"
    DOCUMENT = "document"
    TEXT = "text"


DICOM_HEADERS = "dicom-headers.zip"
"""Companion of a DICOM series' volume, stored beside its blob: the de-identified instances
without pixel data (``NNNNN.dcm``), which a DICOM SEG export references (SOP instance UIDs,
geometry, patient and study modules)."""
COMPANIONS = (DICOM_HEADERS,)  # every companion name, so deleting an asset's blob deletes them too


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What a reader learns from a file at import.  ``extra`` holds kind-specific metadata (JSON-safe)."""

    kind: MediaKind
    mime_type: str
    width: int | None = None
    height: int | None = None
    channels: int | None = None
    pages: int = 1
    depth: int | None = None
    text_length: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class MediaReader(Protocol):
    """A pluggable reader.  ``probe`` reads just enough to validate and describe the file.

    ``probe`` raises ``InvalidInput`` for a corrupt or truncated file, ``PayloadTooLarge`` for a
    decompression bomb, and never decodes more than it must.  ``thumbnail`` returns PNG or JPEG bytes.
    """

    name: str
    kind: MediaKind
    extensions: tuple[str, ...]
    mime_types: tuple[str, ...]
    requires: tuple[str, ...]

    def is_available(self) -> bool: ...

    def sniff(self, head: bytes, filename: str) -> bool: ...

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo: ...

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]: ...


__all__ = ["COMPANIONS", "DICOM_HEADERS", "MediaInfo", "MediaKind", "MediaReader"]
