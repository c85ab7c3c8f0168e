"""Real image files for the media tests, written once per session from scikit-image's bundled
photographs (astronaut, camera, coffee) so probing and decoding exercise real codecs."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def bilevel_png(width: int, height: int, *, full_data: bool) -> bytes:
    """A 1-bit black PNG.  With ``full_data`` every row is really there (a genuine decompression
    bomb: ~50 KB on disk, ``width * height`` pixels decoded); otherwise only the header is valid."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    rows = height if full_data else 1
    idat = b"".join(compressor.compress(row) for _ in range(rows)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    )


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{name: path}`` of real sample images (see the comments for what each one is)."""
    root = tmp_path_factory.mktemp("media-samples")
    astronaut = Image.fromarray(data.astronaut())  # RGB 512 x 512
    camera = Image.fromarray(data.camera())  # L 512 x 512
    coffee = Image.fromarray(data.coffee())  # RGB 600 wide x 400 high
    paths: dict[str, Path] = {}

    def save(name: str, img: Image.Image, **options: object) -> None:
        paths[name] = root / name
        img.save(paths[name], **options)  # type: ignore[arg-type]

    save("astronaut.png", astronaut)
    save("camera.png", camera)
    save("coffee.jpg", coffee, quality=90)
    save("astronaut.webp", astronaut, quality=80)
    save("astronaut.bmp", astronaut)
    save("astronaut.gif", astronaut.convert("P"))
    save("camera.tif", camera)
    # 12-bit data in a 16-bit container (mode I;16), as scanners and microscopes write it.
    save("camera16.png", Image.fromarray(data.camera().astype(np.uint16) * 16))
    alpha = Image.linear_gradient("L").resize(astronaut.size)
    rgba = astronaut.copy()
    rgba.putalpha(alpha)
    save("astronaut_rgba.png", rgba)
    pages = [camera, camera.rotate(90), camera.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    save("stack.tif", pages[0], save_all=True, append_images=pages[1:])
    frames = [astronaut.convert("P").rotate(angle) for angle in (0, 10, 20, 30)]
    save("animated.gif", frames[0], save_all=True, append_images=frames[1:], duration=100, loop=0)
    # GIF transparency is a colour key: the top-left 256 x 256 quarter uses the transparent index.
    keyed = astronaut.convert("P", palette=Image.Palette.ADAPTIVE, colors=255)
    keyed.paste(255, (0, 0, 256, 256))
    save("transparent.gif", keyed, transparency=255)
    grey = camera.point(lambda v: max(v, 1))
    grey.paste(0, (0, 0, 256, 256))
    save("grey_keyed.gif", grey, transparency=0)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display": stored landscape, shown portrait
    save("coffee_exif6.jpg", coffee, exif=exif.tobytes(), quality=90)
    for name in ("astronaut.png", "coffee.jpg"):
        whole = paths[name].read_bytes()
        stem, ext = name.split(".")
        paths[f"{stem}_truncated.{ext}"] = root / f"{stem}_truncated.{ext}"
        paths[f"{stem}_truncated.{ext}"].write_bytes(whole[: len(whole) // 2])
    paths["bomb_20k.png"] = root / "bomb_20k.png"
    paths["bomb_20k.png"].write_bytes(bilevel_png(20_000, 20_000, full_data=True))
    paths["bomb_30k.png"] = root / "bomb_30k.png"
    paths["bomb_30k.png"].write_bytes(bilevel_png(30_000, 30_000, full_data=False))
    paths["noise.bin"] = root / "noise.bin"
    paths["noise.bin"].write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    return paths
