"""A large image in the editor: the server tiles it at import, the browser loads tiles (never the
whole file), and a box drawn at a known zoom is stored in exact image pixels.

The image is 9,000 x 6,000 (above the 8,000 px tiling threshold, small enough for CI): a smooth
colour field with a black grid every 500 px and a white square at a known place, so the
screenshot shows whether the tiles line up with asset coordinates.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in

WIDTH, HEIGHT = 9_000, 6_000
ONTOLOGY = {"classes": [{"id": "roof", "name": "Roof", "tool": "bbox", "color": "#e69f00", "hotkey": "1"}]}
MARK = (6_000, 4_000, 6_100, 4_100)  # a white square, x1 y1 x2 y2


def _make_image(path: Path) -> None:
    yy, xx = np.mgrid[0:HEIGHT:4, 0:WIDTH:4]  # built at quarter size, then enlarged (fast)
    rgb = np.stack([xx * 255 // WIDTH, yy * 255 // HEIGHT, 160 - (xx + yy) * 100 // (WIDTH + HEIGHT)], -1)
    small = Image.fromarray(rgb.astype(np.uint8)).resize((WIDTH, HEIGHT), Image.Resampling.NEAREST)
    arr = np.asarray(small).copy()
    arr[::500, :] = 0  # grid lines on every 500th row and column
    arr[:, ::500] = 0
    x1, y1, x2, y2 = MARK
    arr[y1:y2, x1:x2] = 255
    Image.fromarray(arr).save(path, quality=90)


def _poll(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return value


@pytest.fixture(scope="module")
def large_task(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    project_id = site.project(ONTOLOGY, "Aerial survey")
    token = site.server.make_user("pilot", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "pilot", "role": "labeler"}).raise_for_status()
    path = tmp_path_factory.mktemp("large") / "aerial.jpg"
    _make_image(path)
    asset = site.upload(project_id, path)
    assert (asset["width"], asset["height"]) == (WIDTH, HEIGHT)
    # The thumbnail job submits the tiles job; the server's embedded worker runs both.
    pyramid = _poll(
        lambda: (r := site.api.get(f"/assets/{asset['id']}/tiles")).status_code == 200 and r.json(),
        120,
        "the tile pyramid",
    )
    task_id = site.task_of(project_id, asset["id"])
    with site.as_user(token) as labeler:
        yield {"asset": asset, "pyramid": pyramid, "task_id": task_id, "labeler": labeler, "project_id": project_id}


def test_pyramid_descriptor(large_task: dict[str, Any]) -> None:
    p = large_task["pyramid"]
    assert (p["width"], p["height"], p["tile_size"], p["max_level"]) == (WIDTH, HEIGHT, 512, 14)
    top = p["levels"][-1]
    assert (top["columns"], top["rows"]) == (18, 12)


def test_editor_loads_tiles_and_stores_exact_coordinates(
    browser: Any, site: Site, large_task: dict[str, Any], shots: Path
) -> None:
    asset_id, task_id = large_task["asset"]["id"], large_task["task_id"]
    page = new_page(browser, site)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    sign_in(page, "pilot", LABELER_PASSWORD)
    page.goto(f"/projects/{large_task['project_id']}")
    page.get_by_role("button", name="Start labeling").click()
    page.wait_for_url(f"**/tasks/{task_id}")
    page.get_by_text("Objects · 0").wait_for()
    page.wait_for_function("() => window.__labelhubViewer && window.__labelhubViewer.stats.tiled")
    page.wait_for_function("() => window.__labelhubViewer.stats.tiles.loaded >= 1")
    page.screenshot(path=shots / "large-image-fit.png")

    # Zoom to 2x around the white square: the viewer must switch to full-resolution tiles.
    x1, y1, x2, y2 = MARK
    pan_x, pan_y = 300 - 2 * x1, 200 - 2 * y1  # asset (6000, 4000) at screen (300, 200) in the canvas
    page.evaluate(
        f"() => {{ const e = window.__labelhubEditor; e.setViewport({{ zoom: 2, panX: {pan_x}, panY: {pan_y} }});"
        " e.notify(); }"
    )
    page.wait_for_function(
        """() => { const s = window.__labelhubViewer.stats;
                   return s.level === 14 && s.tiles.loaded >= 6 && s.tiles.requested === s.tiles.loaded; }"""
    )
    tile_urls = [u for u in requests if f"/assets/{asset_id}/tiles/" in u]
    assert any(u.endswith(f"/tiles/14/{x1 // 512}/{y1 // 512}") for u in tile_urls), tile_urls
    assert not any(f"/assets/{asset_id}/content" in u for u in requests), "the whole image was downloaded"
    # Only tiles near the view at 2x (plus coarser levels seen on the way) are fetched, not the 216 of level 14.
    assert sum("/tiles/14/" in u for u in tile_urls) <= 40, len(tile_urls)

    # The white square must appear where its asset coordinates say: sample the canvas pixels.
    canvas = page.locator("main.canvas > div").first
    box = canvas.bounding_box()
    shot = page.screenshot(path=shots / "large-image-zoom2.png")
    img = Image.open(io.BytesIO(shot)).convert("RGB")

    def pixel(ax: float, ay: float) -> tuple[int, ...]:
        value = img.getpixel((round(box["x"] + pan_x + 2 * ax), round(box["y"] + pan_y + 2 * ay)))
        assert isinstance(value, tuple), value
        return value

    assert min(pixel(x1 + 50, y1 + 50)) > 235, "inside the white square"
    assert min(pixel(x1 - 10, y1 + 50)) < 200, "left of the white square"
    assert min(pixel(x2 + 10, y1 + 50)) < 200, "right of the white square"

    # Draw a box over the square with real mouse events at zoom 2; the draft holds image pixels.
    canvas.focus()
    page.keyboard.press("b")

    def screen(ax: float, ay: float) -> tuple[float, float]:
        return box["x"] + pan_x + 2 * ax, box["y"] + pan_y + 2 * ay

    page.mouse.move(*screen(x1, y1))
    page.mouse.down()
    page.mouse.move(*screen(x1 + 50, y1 + 40), steps=4)
    page.mouse.move(*screen(x2, y2), steps=4)
    page.mouse.up()
    page.get_by_text("Objects · 1").wait_for()
    labeler = large_task["labeler"]

    def saved() -> Any:
        r = labeler.get(f"/tasks/{task_id}/draft")
        return r.status_code == 200 and r.json()["body"]["objects"] and r.json()["body"]

    body = _poll(saved, 15, "the autosaved draft")
    assert body["objects"][0]["geometry"] == {"type": "bbox", "xyxy": [x1, y1, x2, y2]}
    page.mouse.move(5, 5)
    page.screenshot(path=shots / "large-image-box.png")
    page.context.close()
