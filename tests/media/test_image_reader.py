"""``ImageReader`` on real files: metadata, EXIF orientation, thumbnails, and hostile input."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile
from skimage import data

from labelhub.core.errors import InvalidInput, PayloadTooLarge
from labelhub.core.media import MediaKind, MediaReader
from labelhub.media.image import ImageReader


def probe(path: Path, reader: ImageReader | None = None):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        return (reader or ImageReader()).probe(fh, path.name)


def thumb(path: Path, max_side: int) -> tuple[Image.Image, str]:
    with path.open("rb") as fh:
        payload, mime = ImageReader().thumbnail(fh, max_side)
    img = Image.open(io.BytesIO(payload))
    img.load()
    return img, mime


def test_reader_satisfies_the_port() -> None:
    reader = ImageReader()
    assert isinstance(reader, MediaReader)
    assert reader.is_available()
    assert (reader.name, reader.kind, reader.requires) == ("image", MediaKind.IMAGE, ("pillow",))


@pytest.mark.parametrize(
    ("name", "fmt", "mime", "size", "channels", "mode"),
    [
        ("astronaut.png", "PNG", "image/png", (512, 512), 3, "RGB"),
        ("camera.png", "PNG", "image/png", (512, 512), 1, "L"),
        ("coffee.jpg", "JPEG", "image/jpeg", (600, 400), 3, "RGB"),
        ("astronaut.webp", "WEBP", "image/webp", (512, 512), 3, "RGB"),
        ("astronaut.bmp", "BMP", "image/bmp", (512, 512), 3, "RGB"),
        ("astronaut.gif", "GIF", "image/gif", (512, 512), 3, "P"),
        ("transparent.gif", "GIF", "image/gif", (512, 512), 4, "P"),
        ("grey_keyed.gif", "GIF", "image/gif", (512, 512), 2, "L"),
        ("camera.tif", "TIFF", "image/tiff", (512, 512), 1, "L"),
        ("camera16.png", "PNG", "image/png", (512, 512), 1, "I;16"),
        ("astronaut_rgba.png", "PNG", "image/png", (512, 512), 4, "RGBA"),
    ],
)
def test_probe_describes_real_images(
    samples: dict[str, Path], name: str, fmt: str, mime: str, size: tuple[int, int], channels: int, mode: str
) -> None:
    info = probe(samples[name])
    assert info.kind is MediaKind.IMAGE
    assert info.mime_type == mime
    assert (info.width, info.height) == size
    assert info.channels == channels
    assert info.pages == 1
    assert info.extra == {"mode": mode, "format": fmt, "exif_transposed": False}


@pytest.mark.parametrize(("name", "pages"), [("stack.tif", 3), ("animated.gif", 4)])
def test_multi_frame_files_count_pages(samples: dict[str, Path], name: str, pages: int) -> None:
    assert probe(samples[name]).pages == pages


def test_exif_orientation_reports_displayed_size(samples: dict[str, Path]) -> None:
    info = probe(samples["coffee_exif6.jpg"])
    assert (info.width, info.height) == (400, 600)  # stored 600 x 400, displayed portrait
    assert info.extra["exif_transposed"] is True


def test_thumbnail_is_exif_transposed(samples: dict[str, Path]) -> None:
    img, mime = thumb(samples["coffee_exif6.jpg"], 120)
    assert mime == "image/jpeg"
    assert img.height == 120 and img.width in (80, 81)


@pytest.mark.parametrize(
    ("name", "max_side", "size"),
    [("astronaut.png", 128, (128, 128)), ("coffee.jpg", 150, (150, 100)), ("stack.tif", 64, (64, 64))],
)
def test_thumbnail_fits_longest_side(
    samples: dict[str, Path], name: str, max_side: int, size: tuple[int, int]
) -> None:
    img, mime = thumb(samples[name], max_side)
    assert (mime, img.format, img.mode, img.size) == ("image/jpeg", "JPEG", "RGB", size)


def test_thumbnail_never_upscales(samples: dict[str, Path]) -> None:
    img, _ = thumb(samples["astronaut.png"], 4096)
    assert img.size == (512, 512)


def test_thumbnail_keeps_transparency_as_webp(samples: dict[str, Path]) -> None:
    for name in ("astronaut_rgba.png", "transparent.gif", "grey_keyed.gif"):
        img, mime = thumb(samples[name], 100)
        assert (mime, img.format, img.mode) == ("image/webp", "WEBP", "RGBA")
        alpha = np.asarray(img.getchannel("A"), dtype=np.int16)
        if name.endswith(".gif"):  # transparent top-left quarter, opaque elsewhere
            assert alpha[:45, :45].max() < 30 and alpha[55:, 55:].min() > 225
        else:  # linear gradient, top to bottom
            assert alpha[0].mean() < 10 and alpha[-1].mean() > 245


def test_thumbnail_of_16_bit_image_is_stretched_not_clipped(samples: dict[str, Path]) -> None:
    img, mime = thumb(samples["camera16.png"], 256)
    assert (mime, img.size) == ("image/jpeg", (256, 256))
    grey = np.asarray(img.convert("L"), dtype=np.float64)
    assert (grey >= 250).mean() < 0.05  # clipping 0..4080 to 8 bits would turn most of it white
    expected = np.asarray(Image.fromarray(data.camera()).resize((256, 256)), dtype=np.float64)
    assert np.corrcoef(grey.ravel(), expected.ravel())[0, 1] > 0.98
    assert abs(grey.mean() - expected.mean()) < 10


def test_thumbnail_rejects_bad_size(samples: dict[str, Path]) -> None:
    with samples["camera.png"].open("rb") as fh, pytest.raises(InvalidInput, match="at least 1 pixel"):
        ImageReader().thumbnail(fh, 0)


@pytest.mark.parametrize("name", ["astronaut_truncated.png", "coffee_truncated.jpg"])
def test_truncated_files_are_invalid(samples: dict[str, Path], name: str) -> None:
    with pytest.raises(InvalidInput, match=f"the file '{name}' is truncated or corrupt .*upload again"):
        probe(samples[name])
    with samples[name].open("rb") as fh, pytest.raises(InvalidInput, match="the stored image is truncated"):
        ImageReader().thumbnail(fh, 64)


def test_truncated_stays_invalid_even_if_someone_enabled_lenient_loading(
    samples: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(InvalidInput):
        probe(samples["coffee_truncated.jpg"])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored, not changed for others


@pytest.mark.parametrize(
    "content",
    [b"not an image at all", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", b""],
    ids=["text", "eps", "empty"],
)
def test_non_images_are_invalid(content: bytes) -> None:
    with pytest.raises(InvalidInput, match=r"'upload\.png' is truncated or corrupt"):
        ImageReader().probe(io.BytesIO(content), "upload.png")


def test_decompression_bomb_is_refused_before_decoding(samples: dict[str, Path]) -> None:
    started = time.monotonic()
    with pytest.raises(PayloadTooLarge) as info:
        probe(samples["bomb_20k.png"])
    assert info.value.message == (
        "image is 20000 x 20000 = 400000000 pixels, above the limit of 200000000; "
        "raise LABELHUB_MAX_IMAGE_PIXELS if this is intended"
    )
    assert time.monotonic() - started < 2  # decoding 400 M pixels would take far longer
    with samples["bomb_20k.png"].open("rb") as fh, pytest.raises(PayloadTooLarge):
        ImageReader().thumbnail(fh, 64)


def test_header_only_bomb_is_refused(samples: dict[str, Path]) -> None:
    with pytest.raises(PayloadTooLarge, match="30000 x 30000 = 900000000 pixels, above the limit of 2000"):
        probe(samples["bomb_30k.png"])


def test_webp_is_checked_by_pillow_before_its_canvas_is_allocated(samples: dict[str, Path]) -> None:
    # Pillow's WebP decoder allocates width x height x 4 bytes at open; Pillow's own check stops it.
    with pytest.raises(PayloadTooLarge, match="image is 262144 pixels, above the limit of 100000"):
        probe(samples["astronaut.webp"], ImageReader(max_pixels=100_000))
    with pytest.raises(PayloadTooLarge, match="262144 pixels, above the limit of 262143"):
        probe(samples["astronaut.webp"], ImageReader(max_pixels=262_143))
    assert probe(samples["astronaut.webp"], ImageReader(max_pixels=262_144)).width == 512


def test_pixel_limit_is_configurable(samples: dict[str, Path]) -> None:
    small = ImageReader(max_pixels=100_000)
    with pytest.raises(PayloadTooLarge, match="512 x 512 = 262144 pixels, above the limit of 100000"):
        probe(samples["astronaut.png"], small)
    assert probe(samples["coffee.jpg"], ImageReader(max_pixels=600 * 400)).width == 600
    with pytest.raises(ValueError, match="positive"):
        ImageReader(max_pixels=0)


def test_pillow_globals_are_restored(samples: dict[str, Path]) -> None:
    before = (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    probe(samples["astronaut.png"])
    thumb(samples["camera16.png"], 32)
    for bad in ("bomb_20k.png", "bomb_30k.png", "coffee_truncated.jpg"):
        with pytest.raises((PayloadTooLarge, InvalidInput)):
            probe(samples[bad])
    assert before == (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
