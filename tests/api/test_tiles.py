"""Tiles through the API: made at upload for large images, read with the content's authorization."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from labelhub.api.app import create_app
from labelhub.services.tiles import descriptor_key, tile_prefix
from labelhub.wiring import Platform, build
from tests.conftest import ONTOLOGY, QUEUE_KIND, Api, make_api, make_settings, png_bytes

API = "/api/v1"


@pytest.fixture
def tiled(tmp_path: Path, postgres_url: str | None) -> Iterator[tuple[Platform, TestClient]]:
    """A platform that tiles every image wider or taller than 100 px into 64 px tiles."""
    from tests.conftest import _truncate

    if postgres_url:
        _truncate(postgres_url)
    settings = make_settings(tmp_path / "data", postgres_url, tile_min_side=100, tile_size=64)
    p = build(settings, migrate=postgres_url is None, immediate_jobs=QUEUE_KIND != "redis")
    if QUEUE_KIND == "redis":
        p.queue.huey.flush()
        p.queue.start_consumer(2)
    with TestClient(create_app(p, run_worker=False)) as client:
        yield p, client
    p.close()


def _wait_tiles(p: Platform, asset_id: int) -> None:
    import time

    deadline = time.monotonic() + 30
    while not p.deps.blobs.exists(descriptor_key(asset_id)):
        assert time.monotonic() < deadline, "the tiles job did not finish"
        time.sleep(0.05)


def _setup(p: Platform, client: TestClient) -> tuple[Api, Api, Api, int]:
    manager, labeler, outsider = (make_api(p, client, n) for n in ("manager", "labeler", "outsider"))
    pid = manager.post(f"{API}/projects", json={"name": "Aerial", "ontology": ONTOLOGY}).json()["id"]
    assert (
        manager.put(f"{API}/projects/{pid}/members", json={"username": "labeler", "role": "labeler"}).status_code == 204
    )
    return manager, labeler, outsider, pid


def test_large_upload_gets_a_pyramid_small_one_does_not(tiled: tuple[Platform, TestClient]) -> None:
    p, client = tiled
    manager, labeler, outsider, pid = _setup(p, client)
    big = manager.post(f"{API}/projects/{pid}/assets", files={"file": ("big.png", png_bytes(300, 150, 1), "image/png")})
    small = manager.post(f"{API}/projects/{pid}/assets", files={"file": ("s.png", png_bytes(90, 80, 2), "image/png")})
    assert big.status_code == small.status_code == 201
    big_id, small_id = big.json()["id"], small.json()["id"]
    _wait_tiles(p, big_id)

    d = labeler.get(f"{API}/assets/{big_id}/tiles").json()
    assert (d["width"], d["height"], d["tile_size"], d["mime_type"]) == (300, 150, 64, "image/jpeg")
    assert d["max_level"] == 9 and d["min_level"] == 6  # 300 -> 150 -> 75 -> 38 (fits in 64)
    top = d["levels"][-1]
    assert (top["level"], top["columns"], top["rows"]) == (9, 5, 3)

    r = labeler.get(f"{API}/assets/{big_id}/tiles/9/4/2")
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(r.content)).size == (300 - 4 * 64, 150 - 2 * 64)  # the corner tile is cut
    assert "max-age" in r.headers["cache-control"] and "private" in r.headers["cache-control"]
    again = labeler.get(f"{API}/assets/{big_id}/tiles/9/4/2", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and not again.content

    # Outside the pyramid, a small image, an outsider: all 404 with a problem body that says why.
    for url in ("tiles/9/5/0", "tiles/10/0/0", "tiles/5/0/0"):
        miss = labeler.get(f"{API}/assets/{big_id}/{url}")
        assert miss.status_code == 404 and "no tile" in miss.json()["detail"]
    none = labeler.get(f"{API}/assets/{small_id}/tiles")
    assert none.status_code == 404 and "small enough" in none.json()["detail"]
    assert outsider.get(f"{API}/assets/{big_id}/tiles").status_code == 404
    assert outsider.get(f"{API}/assets/{big_id}/tiles/9/0/0").status_code == 404
    assert client.get(f"{API}/assets/{big_id}/tiles/9/0/0").status_code == 401
    assert labeler.get(f"{API}/assets/{big_id}/tiles/9/-1/0").status_code == 422


def test_tiles_are_internal_storage(tiled: tuple[Platform, TestClient]) -> None:
    p, client = tiled
    manager, _, _, pid = _setup(p, client)
    big = manager.post(f"{API}/projects/{pid}/assets", files={"file": ("b.png", png_bytes(200, 120, 3), "image/png")})
    _wait_tiles(p, big.json()["id"])
    key = next(iter(p.deps.blobs.iter_keys(tile_prefix(big.json()["id"]))))
    r = manager.post(
        f"{API}/projects/{pid}/assets/bulk", json={"items": [{"uri": f"blob://{key}", "width": 8, "height": 8}]}
    )
    assert r.status_code == 201 and r.json()["created"] == 0
    assert "labelhub's own storage" in r.json()["errors"][0]["error"]


def test_a_failed_build_leaves_nothing(tiled: tuple[Platform, TestClient]) -> None:
    p, client = tiled
    manager, _, _, pid = _setup(p, client)
    asset_id = manager.post(
        f"{API}/projects/{pid}/assets", files={"file": ("b.png", png_bytes(200, 120, 4), "image/png")}
    ).json()["id"]
    _wait_tiles(p, asset_id)

    calls = 0

    def broken(stream, sink, progress):  # type: ignore[no-untyped-def]
        nonlocal calls
        sink(9, 0, 0, b"partial")
        calls += 1
        raise OSError("disk full")

    p.tiles.tiler = broken
    with pytest.raises(OSError, match="disk full"):
        p.tiles.build(asset_id)
    assert calls == 1
    assert list(p.deps.blobs.iter_keys(tile_prefix(asset_id))) == []
    assert manager.get(f"{API}/assets/{asset_id}/tiles").status_code == 404


def test_default_limit_admits_a_20k_square_image() -> None:
    """400 MP slide scans and aerial photos fit the default pixel limit (docs/large-images.md)."""
    from labelhub.settings import Settings

    assert Settings().max_image_pixels >= 20_000 * 20_000
    assert Settings().tile_min_side == 8000


def test_rgba_image_tiles_are_webp(tiled: tuple[Platform, TestClient]) -> None:
    p, client = tiled
    manager, labeler, _, pid = _setup(p, client)
    arr = np.zeros((130, 140, 4), np.uint8)
    arr[..., 1], arr[::2, :, 3] = 180, 255
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    asset_id = manager.post(
        f"{API}/projects/{pid}/assets", files={"file": ("a.png", buf.getvalue(), "image/png")}
    ).json()["id"]
    _wait_tiles(p, asset_id)
    r = labeler.get(f"{API}/assets/{asset_id}/tiles/8/1/1")
    assert r.status_code == 200 and r.headers["content-type"] == "image/webp"
