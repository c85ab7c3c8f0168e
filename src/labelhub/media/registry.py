"""``ReaderRegistry`` (a ``core.ports.MediaRegistry``): which reader handles an uploaded file.

Readers whose libraries are missing are kept aside rather than dropped, so an upload they would
have handled gets "install X" instead of a bare "unsupported".  Matching is by content first
(each reader's ``sniff``: magic bytes cannot lie about the format the way a file name can), then
by extension (for formats without reliable magic), longest extension first (``.nii.gz`` beats
``.gz``), and among equals in registration order.
"""

from __future__ import annotations

from collections.abc import Iterable

from labelhub.core.errors import NotFound, UnsupportedMedia
from labelhub.core.media import MediaReader
from labelhub.media.dicom import DicomReader
from labelhub.media.image import DEFAULT_MAX_PIXELS, ImageReader
from labelhub.media.magic import has_extension
from labelhub.media.nifti import NiftiReader
from labelhub.media.pdf import PdfReader
from labelhub.media.text import TextReader
from labelhub.media.tiff import TiffReader
from labelhub.media.volume import VolumeReader


class ReaderRegistry:
    """Holds readers by unique ``name``; availability is decided once, at ``register``."""

    def __init__(self, readers: Iterable[MediaReader] = ()) -> None:
        self._available: dict[str, MediaReader] = {}
        self._unavailable: dict[str, MediaReader] = {}
        for reader in readers:
            self.register(reader)

    def register(self, reader: MediaReader) -> None:
        """Add ``reader``; a second reader with the same ``name`` is a ``ValueError``."""
        existing = self._available.get(reader.name) or self._unavailable.get(reader.name)
        if existing is not None:
            raise ValueError(
                f"a media reader named '{reader.name}' is already registered "
                f"({type(existing).__qualname__}); cannot also register {type(reader).__qualname__}: "
                "give one of them another name"
            )
        target = self._available if reader.is_available() else self._unavailable
        target[reader.name] = reader

    def available(self) -> list[MediaReader]:
        return list(self._available.values())

    def unavailable(self) -> dict[str, str]:
        """``{name: what to install}``, e.g. ``{"nifti": "install nibabel>=5 (pip install ...) ..."}``."""
        return {name: install_hint(reader) for name, reader in self._unavailable.items()}

    def get(self, name: str) -> MediaReader:
        """The available reader called ``name``; ``UnsupportedMedia`` if it lacks a library."""
        if name in self._available:
            return self._available[name]
        if name in self._unavailable:
            raise UnsupportedMedia(
                f"the '{name}' media reader is not available: {install_hint(self._unavailable[name])}"
            )
        known = ", ".join(sorted([*self._available, *self._unavailable])) or "none"
        raise NotFound(f"no media reader named '{name}': known readers are {known}")

    def for_file(self, head: bytes, filename: str) -> MediaReader:
        """Pick the reader for a file from its first bytes (``magic.HEAD_BYTES``) and its name."""
        reader = _match(self._available.values(), head, filename)
        if reader is not None:
            return reader
        missing = _match(self._unavailable.values(), head, filename)
        if missing is not None:
            raise UnsupportedMedia(
                f"'{filename}' looks like a {missing.name} file, but that reader is not available: "
                f"{install_hint(missing)}"
            )
        extensions = sorted({f".{ext.lstrip('.')}" for r in self._available.values() for ext in r.extensions})
        raise UnsupportedMedia(
            f"'{filename}' is not a supported media file (neither its content nor its extension "
            f"matches a known format): convert it to one of {', '.join(extensions) or 'nothing yet'}",
            details={"supported_extensions": extensions},
        )


def _match(readers: Iterable[MediaReader], head: bytes, filename: str) -> MediaReader | None:
    candidates = list(readers)
    for reader in candidates:
        if reader.sniff(head, filename):
            return reader
    best: tuple[int, MediaReader] | None = None
    for reader in candidates:
        ext = has_extension(filename, reader.extensions)
        if ext is not None and (best is None or len(ext) > best[0]):
            best = (len(ext), reader)
    return best[1] if best else None


def install_hint(reader: MediaReader) -> str:
    """What to install for ``reader``, built from ``reader.requires``."""
    extensions = ", ".join(f".{ext.lstrip('.')}" for ext in reader.extensions)
    if not reader.requires:
        return f"the {reader.name} reader reports itself unavailable for {extensions} files"
    packages = " ".join(reader.requires)
    quoted = " ".join(f"'{req}'" for req in reader.requires)
    return f"install {packages} (pip install {quoted}) to read {reader.name} files ({extensions})"


def default_registry(*, max_image_pixels: int = DEFAULT_MAX_PIXELS) -> ReaderRegistry:
    """The built-in readers.  Adding a format is one module plus one line in this list."""
    return ReaderRegistry(
        [
            DicomReader(),  # first: a DICOM preamble may hold a TIFF header (dual-personality files)
            TiffReader(max_pixels=max_image_pixels),  # before ImageReader: multi-page TIFF -> multipage_image
            ImageReader(max_pixels=max_image_pixels),
            VolumeReader(),
            NiftiReader(),
            PdfReader(),
            TextReader(),
        ]
    )


__all__ = ["ReaderRegistry", "default_registry", "install_hint"]
