"""Every 2D tool through the UI with real mouse events, checked numerically on the server; copy and
paste between tasks; skip with a reason; model suggestions accepted and rejected; the shortcut overlay.

The view is set to zoom 2 with the image's origin at (20, 20) on the canvas, so asset point (x, y)
is screen point (20 + 2x, 20 + 2y) inside the canvas: every drawn number is known exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image
from skimage import data

from tests.e2e.canvas import ToScreen, drag, view
from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in
from tests.e2e.test_labeling import until

CLASSES = [
    ("box", "bbox"),
    ("ship", "rotated_bbox"),
    ("field", "polygon"),
    ("lane", "polyline"),
    ("pin", "point"),
    ("person", "keypoints"),
    ("cell", "ellipse"),
    ("car3d", "cuboid"),
    ("region", "mask"),
]
PALETTE = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999", "#44aa99"]
ONTOLOGY = {
    "classes": [
        {
            "id": cid,
            "name": cid.capitalize(),
            "tool": tool,
            "color": PALETTE[i],
            "hotkey": str(i + 1),
            **(
                {"skeleton": {"points": ["head", "hip", "foot"], "edges": [[0, 1], [1, 2]]}}
                if tool == "keypoints"
                else {}
            ),
        }
        for i, (cid, tool) in enumerate(CLASSES)
    ],
    "classifications": [],
}
W, H = 400, 300
ZOOM, PAN = 2, 20
RADIUS = 10


@dataclass
class World:
    project_id: int
    tasks: list[int]
    labeler: httpx.Client


@pytest.fixture(scope="module")
def world(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    project_id = site.project(ONTOLOGY, "Every tool")
    token = site.server.make_user("tools1", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "tools1", "role": "labeler"}).raise_for_status()
    tmp = tmp_path_factory.mktemp("tools")
    tasks = []
    for name, arr in (("a_astronaut", data.astronaut()), ("b_coffee", data.coffee()), ("c_chelsea", data.chelsea())):
        p = tmp / f"{name}.png"
        Image.fromarray(arr).resize((W, H)).save(p)
        asset = site.upload(project_id, p)
        tasks.append(site.task_of(project_id, asset["id"]))
    with site.as_user(token) as labeler:
        yield World(project_id, tasks, labeler)


@pytest.fixture(scope="module")
def page(browser: Any, site: Site, world: World) -> Iterator[Any]:
    p = new_page(browser, site)
    sign_in(p, "tools1", LABELER_PASSWORD)
    yield p
    p.context.close()


def _view(page: Any) -> ToScreen:
    return view(page, ZOOM, PAN)


def _click(page: Any, s: Callable[[float, float], tuple[float, float]], x: float, y: float) -> None:
    page.mouse.click(*s(x, y))


def _count(page: Any, n: int) -> None:
    page.get_by_text(f"Objects · {n}", exact=True).wait_for()


def _capsule(a: tuple[float, float], b: tuple[float, float], r: float) -> np.ndarray:
    """Pixels whose centre lies within r of segment a-b (the editor's brush rule), as an (H, W) bool array."""
    ys, xs = np.mgrid[0:H, 0:W] + 0.5
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    t = np.clip(((xs - ax) * dx + (ys - ay) * dy) / (dx * dx + dy * dy), 0, 1)
    inside: np.ndarray = np.hypot(xs - (ax + t * dx), ys - (ay + t * dy)) <= r
    return inside


def _rle_area(rle: dict[str, Any]) -> int:
    return int(sum(rle["counts"][1::2]))


def test_every_tool_draws_and_the_server_stores_exact_geometry(page: Any, world: World, shots: Path) -> None:
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("button", name="Start labeling").click()
    page.wait_for_url(f"**/tasks/{world.tasks[0]}")
    _count(page, 0)
    s = _view(page)
    kb = page.keyboard

    kb.press("b")
    drag(page, s, (20, 20), (80, 60))
    _count(page, 1)

    kb.press("r")
    drag(page, s, (120, 20), (180, 60))
    _count(page, 2)
    # The rotate handle sits 24 screen px above the top edge's middle; Shift snaps to 15 degrees.
    handle = s(150, 20)
    page.mouse.move(handle[0], handle[1] - 24)
    page.mouse.down()
    kb.down("Shift")
    page.mouse.move(*s(150 + 40 * np.sin(np.radians(30)), 40 - 40 * np.cos(np.radians(30))), steps=5)
    angle = page.evaluate("() => window.__labelhubEditor.hud && window.__labelhubEditor.hud.angleDegrees")
    page.screenshot(path=shots / "tool-rotate-angle.png")
    page.mouse.up()
    kb.up("Shift")
    assert angle == pytest.approx(30)
    assert "angle 30.0°" in page.get_by_test_id("geometry").inner_text()

    kb.press("p")
    for x, y in [(220, 20), (280, 20), (280, 70), (220, 70), (220, 20)]:
        _click(page, s, x, y)
    _count(page, 3)
    drag(page, s, (250, 20), (250, 10))  # a press on the selected polygon's edge inserts a vertex
    page.mouse.move(*s(280, 70))
    kb.down("Alt")
    _click(page, s, 280, 70)  # Alt+click deletes a vertex
    kb.up("Alt")

    kb.press("l")
    for x, y in [(320, 20), (360, 50), (390, 20)]:
        _click(page, s, x, y)
    kb.press("Enter")
    _count(page, 4)

    kb.press("k")
    _click(page, s, 30, 120)
    _count(page, 5)
    kb.press("k")
    _click(page, s, 80, 110)
    kb.down("Shift")
    _click(page, s, 90, 140)
    kb.up("Shift")
    _click(page, s, 70, 170)
    if page.get_by_text("Objects · 5", exact=True).count():
        kb.press("Enter")
    _count(page, 6)

    kb.press("e")
    drag(page, s, (130, 100), (190, 160))
    _count(page, 7)

    kb.press("c")
    drag(page, s, (230, 100), (290, 150))
    page.mouse.move(*s(310, 135), steps=4)
    _click(page, s, 310, 135)
    _count(page, 8)

    kb.press("g")
    drag(page, s, (40, 220), (120, 220))
    _count(page, 9)
    kb.press("x")
    drag(page, s, (80, 200), (80, 245))

    page.mouse.move(*s(395, 295))
    page.screenshot(path=shots / "editor-every-tool.png")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(f"**/tasks/{world.tasks[1]}")

    head = world.labeler.get(f"/tasks/{world.tasks[0]}/annotation").json()["body"]
    by_class = {o["class_id"]: o["geometry"] for o in head["objects"]}
    assert by_class["box"] == {"type": "bbox", "xyxy": [20, 20, 80, 60]}
    assert by_class["ship"]["cxcywha"] == pytest.approx([150, 40, 60, 40, 30])
    assert by_class["field"]["points_xy"] == [[220, 20], [250, 10], [280, 20], [220, 70]]
    assert by_class["lane"]["points_xy"] == [[320, 20], [360, 50], [390, 20]]
    assert by_class["pin"]["xy"] == [30, 120]
    assert by_class["person"]["points"] == [[80, 110, 2], [90, 140, 1], [70, 170, 2]]
    assert by_class["cell"]["cxcyrxrya"] == pytest.approx([160, 130, 30, 30, 0])
    cub = by_class["car3d"]
    front = sorted(map(tuple, cub["front_xy"]))
    assert front == [(230, 100), (230, 150), (290, 100), (290, 150)]
    assert sorted(map(tuple, cub["back_xy"])) == [(x + 20, y - 15) for x, y in front]
    rle = by_class["region"]["rle"]
    assert rle["size"] == [H, W]
    expected = _capsule((40, 220), (120, 220), RADIUS) & ~_capsule((80, 200), (80, 245), RADIUS)
    assert _rle_area(rle) == int(expected.sum())
    assert all(o["source"] == {"kind": "human"} for o in head["objects"])


def test_copy_on_one_task_paste_on_the_next_then_skip_with_reason(page: Any, world: World) -> None:
    # The first test submitted task 0 and the editor moved on to task 1; copy from task 0's objects
    # is not possible any more, so copy here, move on by skipping, and paste into task 2.
    _count(page, 0)
    s = _view(page)
    page.keyboard.press("b")
    drag(page, s, (100, 100), (150, 140))
    _count(page, 1)
    page.keyboard.press("Control+c")
    page.get_by_role("button", name="Skip").click()
    dialog = page.get_by_role("dialog", name="Skip this task")
    dialog.get_by_role("textbox").fill("Image is a cat, not a street")
    dialog.get_by_role("button", name="Skip task").click()
    page.wait_for_url(f"**/tasks/{world.tasks[2]}")
    task = world.labeler.get(f"/tasks/{world.tasks[1]}").json()["task"]
    assert task["state"] == "skipped" and task["skip_reason"] == "Image is a cat, not a street"

    _count(page, 0)
    page.locator("main.canvas > div").first.focus()
    page.keyboard.press("Control+v")
    _count(page, 1)

    def pasted() -> Any:
        r = world.labeler.get(f"/tasks/{world.tasks[2]}/draft")
        return r.status_code == 200 and r.json()["body"]["objects"]

    objects = until(pasted)
    assert objects and objects[0]["geometry"] == {"type": "bbox", "xyxy": [110, 110, 160, 150]}
    assert objects[0]["class_id"] == "box"


def test_suggestions_are_accepted_or_rejected(page: Any, world: World, shots: Path) -> None:
    model = {"kind": "model", "name": "detector", "version": "3"}

    def sug(oid: str, xyxy: list[int], conf: float) -> dict[str, Any]:
        return {
            "id": oid,
            "class_id": "box",
            "geometry": {"type": "bbox", "xyxy": xyxy},
            "source": model,
            "confidence": conf,
        }

    body = {
        "objects": [
            sug("s1", [20, 20, 90, 80], 0.93),
            sug("s2", [120, 40, 200, 120], 0.71),
            sug("s3", [240, 60, 330, 150], 0.42),
            sug("s4", [250, 180, 380, 280], 0.88),
        ],
        "classifications": {},
    }
    world.labeler.put(f"/tasks/{world.tasks[2]}/draft", json={"body": body}).raise_for_status()
    page.reload()
    _count(page, 4)
    s = _view(page)
    bar = page.get_by_test_id("suggestions")
    assert "4 suggestions" in bar.inner_text()
    tags = page.locator(".suggestion-tag")
    assert sorted(tags.all_inner_texts()) == ["42%", "71%", "88%", "93%"]
    tag = tags.filter(has_text="93%").bounding_box()
    corner = s(20, 20)  # s1's top-left corner: the tag sits just above it
    assert abs(tag["x"] - corner[0]) <= 2 and abs(tag["y"] + tag["height"] - corner[1]) <= 2
    page.mouse.move(*s(395, 295))
    page.screenshot(path=shots / "editor-suggestions.png")

    page.get_by_role("button", name="Accept s1").click()
    page.get_by_role("button", name="Reject s3").click()
    _count(page, 3)
    assert "2 suggestions" in bar.inner_text()
    page.get_by_role("button", name="Accept all").click()
    assert page.get_by_test_id("suggestions").count() == 0

    def saved() -> Any:
        r = world.labeler.get(f"/tasks/{world.tasks[2]}/draft")
        objs = r.json()["body"]["objects"] if r.status_code == 200 else []
        return all(o["source"]["kind"] == "human" for o in objs) and len(objs) == 3 and objs

    objects = until(saved)
    assert objects, "accepted suggestions were not saved as human objects"
    assert {o["id"]: o.get("derived_from") for o in objects} == {"s1": "s1", "s2": "s2", "s4": "s4"}
    assert all(o["confidence"] is None for o in objects)

    # Drag the top object (last in the list) to the bottom of the drawing order.
    page.locator("[data-object=s4]").drag_to(page.locator("[data-object=s1]"))

    def order() -> Any:
        r = world.labeler.get(f"/tasks/{world.tasks[2]}/draft")
        ids = [o["id"] for o in r.json()["body"]["objects"]] if r.status_code == 200 else []
        return ids == ["s4", "s1", "s2"] and ids

    assert until(order), "the new drawing order was not saved"


def test_shortcut_overlay_lists_tools_and_classes(page: Any, shots: Path) -> None:
    page.locator("main.canvas > div").first.focus()
    page.keyboard.press("?")
    overlay = page.get_by_role("dialog", name="Keyboard shortcuts")
    overlay.wait_for()
    text = overlay.inner_text()
    for needle in ["Rotated box", "Cuboid", "Brush", "Eraser", "Ctrl+Z", "Person", "Undo / redo"]:
        assert needle in text, needle
    page.screenshot(path=shots / "editor-shortcuts.png")
    page.keyboard.press("Escape")
    assert overlay.count() == 0


def test_view_adjustments_and_light_theme(page: Any, shots: Path) -> None:
    page.get_by_role("button", name="Image adjustments").click()
    page.get_by_label("Brightness").fill("1.5")
    page.get_by_label("Gamma").fill("0.8")
    style = page.locator("main.canvas").get_attribute("style") or ""
    assert re.search(r"brightness\(1\.5\).*url\(#lh-gamma\)", style), style
    # The filter reaches the image's canvas only: shapes keep their true colours.
    filters = page.evaluate(
        "() => Array.from(document.querySelectorAll('main.canvas .konvajs-content > canvas'))"
        ".map((c) => getComputedStyle(c).filter)"
    )
    assert len(filters) >= 2 and "brightness(1.5)" in filters[0], filters
    assert all(f == "none" for f in filters[1:]), filters
    # ... and that canvas holds the image alone (one shape), the objects are drawn on the next one.
    shapes_per_layer = page.evaluate(
        "() => window.__labelhubViewer.stage.getLayers().map((l) => l.find('Shape').length)"
    )
    assert shapes_per_layer[0] == 1 and shapes_per_layer[1] > 1, shapes_per_layer
    page.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Light theme").click()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "light"
    page.screenshot(path=shots / "editor-light-theme.png")
    page.get_by_role("button", name="Dark theme").click()
    page.get_by_role("button", name="Image adjustments").click()
    page.get_by_role("button", name="Reset").click()
    assert "none" in (page.locator("main.canvas").get_attribute("style") or "")
