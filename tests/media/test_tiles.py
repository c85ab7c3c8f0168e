"""media.tiles: the pyramid's layout, the tiles' pixels, orientation, transparency and the limits."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from labelhub.core.errors import InvalidInput, PayloadTooLarge
from labelhub.media.tiles import build_pyramid, plan_pyramid

Tiles = dict[tuple[int, int, int], bytes]


def _png(arr: np.ndarray, **save: object) -> io.BytesIO:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG", **save)
    buf.seek(0)
    return buf


def _gradient(width: int, height: int) -> np.ndarray:
    yy, xx = np.mgrid[0:height, 0:width]
    return np.stack(
        [(xx * 255 // max(width - 1, 1)), (yy * 255 // max(height - 1, 1)), (xx + yy) * 255 // (width + height)], -1
    ).astype(np.uint8)


def _build(stream: io.BytesIO, tile_size: int) -> tuple[Tiles, object]:
    tiles: Tiles = {}
    pyramid = build_pyramid(stream, lambda k, x, y, data: tiles.__setitem__((k, x, y), data), tile_size=tile_size)
    return tiles, pyramid


def test_plan_follows_deepzoom_sizes() -> None:
    p = plan_pyramid(20_000, 15_000, 512)
    assert p.max_level == 15  # 2**15 = 32768 >= 20000 > 2**14
    top = p.levels[-1]
    assert (top.width, top.height, top.columns, top.rows) == (20_000, 15_000, 40, 30)
    below = p.levels[-2]
    assert (below.level, below.width, below.height, below.columns, below.rows) == (14, 10_000, 7_500, 20, 15)
    # Down to the largest level that fits in one tile: 20000 / 2**6 = 312.5 -> 313 x 235.
    assert p.levels[0].level == 9 and (p.levels[0].width, p.levels[0].height) == (313, 235)
    assert (p.levels[0].columns, p.levels[0].rows) == (1, 1)
    assert [lv.level for lv in p.levels] == list(range(9, 16))
    # Odd sizes round up at every level, as repeated reduce(2) does.
    q = plan_pyramid(1001, 3, 64)
    assert [(lv.width, lv.height) for lv in q.levels] == [(63, 1), (126, 1), (251, 1), (501, 2), (1001, 3)]


def test_plan_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        plan_pyramid(0, 10)
    with pytest.raises(ValueError, match="tile_size"):
        plan_pyramid(10, 10, 8)


def test_tiles_reassemble_the_image_at_every_level() -> None:
    arr = _gradient(300, 170)
    tiles, pyramid = _build(_png(arr), 64)
    d = pyramid.to_json()  # type: ignore[attr-defined]
    assert (d["width"], d["height"], d["tile_size"], d["mime_type"]) == (300, 170, 64, "image/jpeg")
    assert len(tiles) == sum(lv["columns"] * lv["rows"] for lv in d["levels"])
    reference = Image.fromarray(arr)
    for lv in d["levels"]:
        canvas = np.zeros((lv["height"], lv["width"], 3), np.uint8)
        for y in range(lv["rows"]):
            for x in range(lv["columns"]):
                tile = np.asarray(Image.open(io.BytesIO(tiles[(lv["level"], x, y)])).convert("RGB"))
                # Edge tiles are cut to the level's size; inner ones are full.
                assert tile.shape[1] == min(64, lv["width"] - x * 64) and tile.shape[0] == min(
                    64, lv["height"] - y * 64
                )
                canvas[y * 64 : y * 64 + tile.shape[0], x * 64 : x * 64 + tile.shape[1]] = tile
        expected = np.asarray(reference.resize((lv["width"], lv["height"]), Image.Resampling.BOX), dtype=np.int16)
        error = np.abs(canvas.astype(np.int16) - expected).mean()
        assert error < 6, f"level {lv['level']} differs from the image by {error:.1f} on average"


def test_exif_orientation_is_applied() -> None:
    arr = _gradient(200, 100)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees clockwise for display
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", exif=exif.tobytes())
    buf.seek(0)
    tiles, pyramid = _build(buf, 64)
    d = pyramid.to_json()  # type: ignore[attr-defined]
    assert (d["width"], d["height"]) == (100, 200)  # as displayed
    top = d["levels"][-1]
    assert (top["columns"], top["rows"]) == (2, 4)
    # Displayed top-left is the stored bottom-left: low x (red ~0) and high y (green ~255).
    corner = np.asarray(Image.open(io.BytesIO(tiles[(top["level"], 0, 0)])).convert("RGB"))[2, 2]
    assert corner[0] < 40 and corner[1] > 215


def test_transparency_is_kept_as_webp() -> None:
    arr = np.zeros((80, 90, 4), np.uint8)
    arr[..., 0], arr[:40, :, 3] = 200, 255
    tiles, pyramid = _build(_png(arr), 64)
    assert pyramid.to_json()["mime_type"] == "image/webp"  # type: ignore[attr-defined]
    tile = Image.open(io.BytesIO(next(iter(tiles.values()))))
    assert tile.format == "WEBP" and tile.mode == "RGBA"


def test_grey_and_palette_images() -> None:
    grey = (np.arange(100 * 120) % 256).astype(np.uint8).reshape(100, 120)
    tiles, _ = _build(_png(grey), 64)
    assert Image.open(io.BytesIO(tiles[next(iter(tiles))])).mode == "L"
    pal = Image.fromarray(_gradient(70, 70)).convert("P")
    buf = io.BytesIO()
    pal.save(buf, "PNG")
    buf.seek(0)
    tiles, _ = _build(buf, 64)
    assert Image.open(io.BytesIO(tiles[next(iter(tiles))])).mode == "RGB"


def test_pixel_limit_refuses_before_any_tile() -> None:
    tiles: Tiles = {}
    with pytest.raises(PayloadTooLarge, match="raise LABELHUB_MAX_IMAGE_PIXELS"):
        build_pyramid(_png(_gradient(200, 100)), lambda *a: tiles.__setitem__(a[:3], a[3]), max_pixels=19_999)
    assert tiles == {}


def test_corrupt_file_writes_nothing() -> None:
    data = _png(_gradient(200, 100)).getvalue()
    tiles: Tiles = {}
    with pytest.raises(InvalidInput, match="truncated or corrupt"):
        build_pyramid(io.BytesIO(data[: len(data) // 2]), lambda *a: tiles.__setitem__(a[:3], a[3]))
    assert tiles == {}


def test_progress_reaches_the_total() -> None:
    seen: list[tuple[int, int]] = []
    build_pyramid(_png(_gradient(130, 130)), lambda *a: None, tile_size=64, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] == 9 + 4 + 1
