"""The assist decoder: pixels as displayed, limits, bad data."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from labelhub.assist.images import PillowDecoder
from labelhub.core.errors import InvalidInput, PayloadTooLarge


def encode(img: Image.Image, fmt: str = "PNG", **kw: object) -> io.BytesIO:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    buf.seek(0)
    return buf


def test_exif_orientation_is_applied() -> None:
    img = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    arr = PillowDecoder().decode(encode(img, "JPEG", exif=exif.tobytes()))
    assert arr.shape == (40, 20, 3) and arr.dtype == np.uint8


def test_sixteen_bit_grey_is_stretched() -> None:
    values = np.array([[1000, 2000], [3000, 4000]], dtype=np.uint16)
    arr = PillowDecoder().decode(encode(Image.fromarray(values)))
    assert arr[0, 0].tolist() == [0, 0, 0] and arr[1, 1].tolist() == [255, 255, 255]


def test_alpha_is_composited_on_white_and_frames_are_pages() -> None:
    rgba = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    assert PillowDecoder().decode(encode(rgba))[0, 0].tolist() == [255, 255, 255]
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    buf.seek(0)
    assert PillowDecoder().decode(buf, page=1)[0, 0].tolist() == [0, 0, 255]
    buf.seek(0)
    with pytest.raises(InvalidInput, match="page 2 does not exist"):
        PillowDecoder().decode(buf, page=2)


def test_corrupt_and_too_large_are_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot be decoded"):
        PillowDecoder().decode(io.BytesIO(b"not an image at all"))
    with pytest.raises(PayloadTooLarge, match="above the limit"):
        PillowDecoder(max_pixels=100).decode(encode(Image.new("RGB", (20, 20))))
