"""A multi-page image: the page strip, PageDown, each page's own picture, objects stored with their page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image
from skimage import data

from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in
from tests.e2e.test_labeling import until

ONTOLOGY = {
    "classes": [{"id": "cell", "name": "Cell", "tool": "bbox", "color": "#e69f00", "hotkey": "1"}],
    "classifications": [],
}


def test_page_strip_switches_pages_and_objects_keep_their_page(
    browser: Any, site: Site, shots: Path, tmp_path: Path
) -> None:
    project_id = site.project(ONTOLOGY, "Slides")
    token = site.server.make_user("pages1", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "pages1", "role": "labeler"}).raise_for_status()
    frames = [Image.fromarray(a).convert("RGB").resize((320, 240)) for a in (data.camera(), data.coins(), data.moon())]
    tiff = tmp_path / "stack.tiff"
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    asset = site.upload(project_id, tiff)
    assert asset["pages"] == 3

    page = new_page(browser, site)
    sign_in(page, "pages1", LABELER_PASSWORD)
    page.goto(f"/projects/{project_id}")
    page.get_by_role("button", name="Start labeling").click()
    strip = page.get_by_role("navigation", name="Pages")
    strip.wait_for()
    assert "Page 1 of 3" in strip.inner_text()

    canvas = page.locator("main.canvas > div").first
    canvas.focus()
    page.keyboard.press("PageDown")
    assert "Page 2 of 3" in strip.inner_text()
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some((r) => r.name.endsWith('/pages/1.png'))"
    )
    page.evaluate(
        "() => { const e = window.__labelhubEditor; e.setViewport({ zoom: 2, panX: 20, panY: 20 }); e.notify(); }"
    )
    box = canvas.bounding_box()
    page.keyboard.press("b")
    page.mouse.move(box["x"] + 20 + 2 * 50, box["y"] + 20 + 2 * 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 20 + 2 * 120, box["y"] + 20 + 2 * 100, steps=5)
    page.mouse.up()
    page.get_by_text("Objects · 1", exact=True).wait_for()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.screenshot(path=shots / "editor-pages.png")

    strip.get_by_role("button", name="Page 3").click()
    assert "Page 3 of 3" in strip.inner_text()
    page.get_by_text("Objects · 0", exact=True).wait_for()

    with site.as_user(token) as labeler:
        task_id = site.api.get(f"/projects/{project_id}/tasks").json()["items"][0]["id"]

        def saved() -> Any:
            r = labeler.get(f"/tasks/{task_id}/draft")
            return r.status_code == 200 and r.json()["body"]["objects"]

        objects = until(saved)
    assert objects and objects[0]["page"] == 1
    assert objects[0]["geometry"] == {"type": "bbox", "xyxy": [50, 40, 120, 100]}
    # Each page shows its own picture: the viewer's image is page 3's PNG now.
    src = page.evaluate(
        "() => [...performance.getEntriesByType('resource')].map((r) => r.name).filter((n) => n.includes('/pages/'))"
    )
    assert any(n.endswith(f"/assets/{asset['id']}/pages/2.png") for n in src), src
    page.context.close()
