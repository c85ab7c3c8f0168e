from __future__ import annotations

from pathlib import Path

import pytest

from labelhub.media.magic import HEAD_BYTES, has_extension, sniff_image_format


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("astronaut.png", "PNG"),
        ("camera16.png", "PNG"),
        ("coffee.jpg", "JPEG"),
        ("coffee_exif6.jpg", "JPEG"),
        ("astronaut.gif", "GIF"),
        ("astronaut.bmp", "BMP"),
        ("astronaut.webp", "WEBP"),
        ("stack.tif", "TIFF"),
        ("noise.bin", None),
    ],
)
def test_sniff_real_files(samples: dict[str, Path], name: str, fmt: str | None) -> None:
    with samples[name].open("rb") as fh:
        assert sniff_image_format(fh.read(HEAD_BYTES)) == fmt


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"MM\x00*\x00\x00\x00\x08", "TIFF"),
        (b"II+\x00\x08\x00\x00\x00", "TIFF"),
        (b"GIF87a", "GIF"),
        (b"BMxxxxxxxxxxxx(\x00\x00\x00", "BMP"),
        (b"BM short", None),
        (b"BMxxxxxxxxxxxx\x99\x00\x00\x00", None),
        (b"RIFF\x00\x00\x00\x00WAVE", None),
        (b"\x89PNG", None),
        (b"", None),
    ],
)
def test_sniff_signatures(head: bytes, fmt: str | None) -> None:
    assert sniff_image_format(head) == fmt


@pytest.mark.parametrize(
    ("filename", "expected"),
    [("a.PNG", "png"), ("scan.nii.gz", "nii.gz"), ("archive.gz", "gz"), ("png", None), ("x.tiff", "tiff")],
)
def test_has_extension(filename: str, expected: str | None) -> None:
    assert has_extension(filename, ("png", ".gz", "nii.gz", "tif", "tiff")) == expected
