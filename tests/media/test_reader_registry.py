"""``ReaderRegistry``: choosing a reader by content, then extension; unavailable readers' hints.

Classes named ``...Double`` are test doubles standing in for readers that do not exist yet."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from labelhub.core.errors import InvalidInput, NotFound, UnsupportedMedia
from labelhub.core.media import MediaInfo, MediaKind
from labelhub.media import HEAD_BYTES, ImageReader, ReaderRegistry, default_registry


class ReaderDouble:
    """A minimal MediaReader test double; subclasses set the class attributes."""

    name = "double"
    kind = MediaKind.TEXT
    extensions: tuple[str, ...] = ()
    mime_types: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    available = True

    def is_available(self) -> bool:
        return self.available

    def sniff(self, head: bytes, filename: str) -> bool:
        return False

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo:
        raise AssertionError("a test double is never asked to probe")

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]:
        raise AssertionError("a test double is never asked for a thumbnail")


class UnavailableNiftiReaderDouble(ReaderDouble):
    name = "nifti"
    kind = MediaKind.VOLUME
    extensions = ("nii", "nii.gz")
    requires = ("nibabel>=5",)
    available = False

    def sniff(self, head: bytes, filename: str) -> bool:
        return head[344:348] in (b"n+1\x00", b"ni1\x00")


class TextReaderDouble(ReaderDouble):
    name = "text"
    extensions = ("txt", "gz")


class ImageNameClashReaderDouble(ReaderDouble):
    name = "image"


def head_of(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES)


def test_default_registry_has_the_built_in_readers() -> None:
    registry = default_registry()
    assert [reader.name for reader in registry.available()] == [
        "dicom",
        "tiff",
        "image",
        "volume",
        "nifti",
        "pdf",
        "text",
    ]
    assert registry.unavailable() == {}
    assert isinstance(registry.get("image"), ImageReader)


def test_default_registry_passes_the_pixel_limit() -> None:
    reader = default_registry(max_image_pixels=1234).get("image")
    assert isinstance(reader, ImageReader) and reader.max_pixels == 1234


@pytest.mark.parametrize(
    "name", ["astronaut.png", "coffee.jpg", "astronaut.gif", "astronaut.bmp", "astronaut.webp", "stack.tif"]
)
def test_content_wins_over_a_misleading_name(samples: dict[str, Path], name: str) -> None:
    registry = ReaderRegistry([TextReaderDouble(), ImageReader()])
    assert registry.for_file(head_of(samples[name]), "notes.txt").name == "image"


def test_extension_is_the_fallback(samples: dict[str, Path]) -> None:
    registry = ReaderRegistry([ImageReader(), TextReaderDouble()])
    assert registry.for_file(b"plain words", "README.TXT").name == "text"
    # Unrecognised content named .png goes to the image reader, whose probe then rejects it.
    reader = registry.for_file(head_of(samples["noise.bin"]), "photo.png")
    assert reader.name == "image"
    with samples["noise.bin"].open("rb") as fh, pytest.raises(InvalidInput, match="truncated or corrupt"):
        reader.probe(fh, "photo.png")


def test_longest_extension_wins() -> None:
    class NiftiReaderDouble(UnavailableNiftiReaderDouble):
        available = True

    registry = ReaderRegistry([TextReaderDouble(), NiftiReaderDouble()])
    assert registry.for_file(b"", "brain.nii.gz").name == "nifti"
    assert registry.for_file(b"", "logs.gz").name == "text"


def test_random_bytes_are_unsupported_media(samples: dict[str, Path]) -> None:
    with pytest.raises(UnsupportedMedia) as info:
        default_registry().for_file(head_of(samples["noise.bin"]), "noise.bin")
    message = info.value.message
    assert "'noise.bin' is not a supported media file" in message
    for ext in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".gif", ".bmp"):
        assert ext in message
    assert info.value.details["supported_extensions"][0] == ".bmp"


def test_duplicate_name_is_refused_naming_both() -> None:
    registry = ReaderRegistry([ImageReader()])
    with pytest.raises(ValueError, match="'image' is already registered") as info:
        registry.register(ImageNameClashReaderDouble())
    assert "ImageReader" in str(info.value) and "ImageNameClashReaderDouble" in str(info.value)
    with pytest.raises(ValueError):
        ReaderRegistry([UnavailableNiftiReaderDouble(), UnavailableNiftiReaderDouble()])


def test_unavailable_reader_double_explains_what_to_install() -> None:
    registry = ReaderRegistry([ImageReader(), UnavailableNiftiReaderDouble()])
    assert [reader.name for reader in registry.available()] == ["image"]
    hint = registry.unavailable()["nifti"]
    assert hint.startswith("install nibabel>=5 (pip install 'nibabel>=5') to read nifti files")
    assert ".nii.gz" in hint

    nifti_head = b"\x5c\x01\x00\x00" + b"\x00" * 340 + b"n+1\x00"
    for head, filename in [(nifti_head, "upload.bin"), (b"", "brain.nii.gz"), (b"", "BRAIN.NII")]:
        with pytest.raises(UnsupportedMedia) as info:
            registry.for_file(head, filename)
        assert "looks like a nifti file" in info.value.message
        assert "nibabel>=5" in info.value.message

    with pytest.raises(UnsupportedMedia, match="nibabel>=5"):
        registry.get("nifti")


def test_unknown_reader_name_lists_known_ones() -> None:
    registry = ReaderRegistry([ImageReader(), UnavailableNiftiReaderDouble()])
    with pytest.raises(NotFound, match="no media reader named 'dicom': known readers are image, nifti"):
        registry.get("dicom")


def test_reader_without_requirements_still_gets_a_hint() -> None:
    class SelfDisabledReaderDouble(ReaderDouble):
        name = "pdf"
        extensions = ("pdf",)
        available = False

    registry = ReaderRegistry([SelfDisabledReaderDouble()])
    assert "unavailable" in registry.unavailable()["pdf"]
    with pytest.raises(UnsupportedMedia, match=r"'doc\.pdf' looks like a pdf file"):
        registry.for_file(b"%PDF-1.7", "doc.pdf")
    with pytest.raises(UnsupportedMedia, match="nothing yet"):
        registry.for_file(b"", "x.unknown")
