"""AI assist in the editor with real mouse events, checked on the server: Auto Detect (a tiny
constant-box ONNX graph, plumbing only), Frame Cut on skimage's coffee cup (box, a refining click,
Enter), Smart Scissors around a coin (4 clicks, closed on the first anchor), then the AI report tab.

Screenshots: test-artifacts/e2e/assist-*.png.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image
from skimage import data
from skimage.draw import polygon as fill_polygon

from tests.e2e.canvas import view
from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in
from tests.e2e.test_labeling import until
from tests.models.graphs import box_model

ROOT = Path(__file__).resolve().parents[2]
GT = ROOT / "tests" / "assist" / "data"
ONTOLOGY = {
    "classes": [
        {"id": "cup", "name": "Cup", "tool": "polygon", "color": "#e69f00", "hotkey": "1"},
        {"id": "coin", "name": "Coin", "tool": "polygon", "color": "#56b4e9", "hotkey": "2"},
        {"id": "thing", "name": "Thing", "tool": "bbox", "color": "#cc79a7", "hotkey": "3"},
    ],
    "classifications": [],
}


@dataclass
class World:
    project_id: int
    tasks: list[int]
    labeler: httpx.Client


@pytest.fixture(scope="module")
def world(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("assist")
    project_id = site.project(ONTOLOGY, "AI assist")
    token = site.server.make_user("assist1", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "assist1", "role": "labeler"}).raise_for_status()
    # Plumbing detector: two constant boxes whatever the image (tests/models/graphs.py).
    model = site.api.post("/models", json={"name": "tiny-boxes", "kind": "onnx", "uri": str(box_model(tmp / "m"))})
    model.raise_for_status()
    site.api.put(
        f"/projects/{project_id}/models/{model.json()['id']}",
        json={"class_map": {"vehicle": "thing", "person": "thing"}, "threshold": 0.05},
    ).raise_for_status()
    tasks = []
    for name, arr in (("a_coffee", data.coffee()), ("b_coins", data.coins())):
        p = tmp / f"{name}.png"
        Image.fromarray(arr).save(p)
        asset = site.upload(project_id, p)
        tasks.append(site.task_of(project_id, asset["id"]))
    with site.as_user(token) as labeler:
        yield World(project_id, tasks, labeler)


def _idle(page: Any, tool: str) -> None:
    page.wait_for_function(f"() => window.__labelhubAssist && !window.__labelhubAssist.status.isBusy('{tool}')")


def _mask(poly: list[list[float]], h: int, w: int) -> np.ndarray:
    pts = np.asarray(poly, dtype=float)
    m = np.zeros((h, w), bool)
    rr, cc = fill_polygon(pts[:, 1] - 0.5, pts[:, 0] - 0.5, (h, w))
    m[rr, cc] = True
    return m


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def _rle_mask(rle: dict[str, Any]) -> np.ndarray:
    h, w = rle["size"]
    flat = np.zeros(h * w, bool)
    i = 0
    for k, run in enumerate(rle["counts"]):
        if k % 2:
            flat[i : i + run] = True
        i += run
    return flat.reshape((w, h)).T


def test_detect_frame_cut_and_scissors_in_the_browser(browser: Any, site: Site, world: World, shots: Path) -> None:
    page = new_page(browser, site)
    sign_in(page, "assist1", LABELER_PASSWORD)
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("button", name="Start labeling").click()
    page.wait_for_url(f"**/tasks/{world.tasks[0]}")
    page.get_by_text("Objects · 0", exact=True).wait_for()
    s = view(page, 1, 20)
    kb = page.keyboard

    # --- Auto Detect: two suggestions, drawn dashed with their confidence; keep one, drop one.
    page.get_by_role("button", name="Auto Detect").click()
    page.get_by_text("Objects · 2", exact=True).wait_for()
    page.get_by_test_id("suggestions").wait_for()
    page.screenshot(path=shots / "assist-detect-suggestions.png")
    ids = page.evaluate("() => window.__labelhubEditor.objects().map((o) => o.id)")
    page.get_by_role("button", name=f"Accept {ids[1]}").click()
    page.get_by_role("button", name=f"Reject {ids[0]}").click()
    page.get_by_text("Objects · 1", exact=True).wait_for()

    # --- Frame Cut on the coffee cup: box from the hand-checked polygon's bounds, plus 4 px.
    gt = json.loads((GT / "coffee_gt.json").read_text())["polygon_xy"]
    xs, ys = [p[0] for p in gt], [p[1] for p in gt]
    box = (min(xs) - 4, min(ys) - 4, max(xs) + 4, max(ys) + 4)
    page.locator("main.canvas > div").first.focus()  # the list's buttons had the focus
    kb.press("1")
    kb.press("f")
    assert page.evaluate("() => window.__labelhubEditor.toolId") == "frame_cut"
    page.mouse.move(*s(box[0], box[1]))
    page.mouse.down()
    page.mouse.move(*s(box[2], box[3]), steps=8)
    page.mouse.up()
    page.screenshot(path=shots / "assist-frame-cut-busy.png")
    page.wait_for_function(
        "() => { const d = window.__labelhubEditor.draft;"
        " return d && d.kind === 'geometry' && d.geometry.type === 'polygon'; }"
    )
    _idle(page, "frame_cut")
    # A positive click on the cup's body (inside the object) re-sends box + click.
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    page.mouse.click(*s(cx, cy))
    _idle(page, "frame_cut")
    # A right-click on the table in the box's top-left corner: a negative point (background already).
    page.mouse.click(*s(box[0] + 8, box[1] + 8), button="right")
    _idle(page, "frame_cut")
    page.mouse.move(*s(box[2] + 30, box[1]))
    page.screenshot(path=shots / "assist-frame-cut-pending.png")
    assert page.evaluate("() => window.__labelhubEditor.objects().length") == 1  # pending, not committed
    kb.press("Enter")
    page.get_by_text("Objects · 2", exact=True).wait_for()
    # Undo takes it back, redo restores it.
    kb.press("Control+z")
    page.get_by_text("Objects · 1", exact=True).wait_for()
    kb.press("Control+Shift+z")
    page.get_by_text("Objects · 2", exact=True).wait_for()
    page.screenshot(path=shots / "assist-frame-cut-accepted.png")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(f"**/tasks/{world.tasks[1]}")

    head = world.labeler.get(f"/tasks/{world.tasks[0]}/annotation").json()["body"]
    objs = {o["class_id"]: o for o in head["objects"]}
    assert set(objs) == {"cup", "thing"}
    assert objs["thing"]["derived_from"] == ids[1] and objs["thing"]["source"] == {"kind": "human"}
    cup = objs["cup"]
    assert cup["geometry"]["type"] == "polygon" and cup["source"] == {"kind": "human"}
    h, w = data.coffee().shape[:2]
    iou = _iou(_mask(cup["geometry"]["points_xy"], h, w), _mask(gt, h, w))
    assert iou >= 0.85, f"Frame Cut cup IoU {iou:.3f} against the hand-checked polygon"

    # --- Smart Scissors around coin 0 (box 305,16 - 365,72): 4 anchors on its rim, close on the first.
    page.get_by_text("Objects · 0", exact=True).wait_for()
    s = view(page, 2, 20)
    kb.press("2")
    page.get_by_role("button", name="Smart Scissors").click()
    page.locator("main.canvas > div").first.focus()
    assert page.evaluate("() => window.__labelhubEditor.toolId") == "scissors"
    coin = json.loads((GT / "coins_gt.json").read_text())["objects"][0]
    x1, y1, x2, y2 = coin["box_xyxy"]
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    rim = [(mx, y1 + 1), (x2 - 1, my), (mx, y2 - 1), (x1 + 1, my)]
    page.mouse.click(*s(*rim[0]))
    for p in rim[1:]:
        page.mouse.move(*s(*p), steps=6)
        page.wait_for_timeout(400)  # let the live path catch up with the pointer
        page.mouse.click(*s(*p))
    page.mouse.move(*s(rim[0][0] - 6, rim[0][1] + 3), steps=6)
    page.wait_for_timeout(400)
    page.screenshot(path=shots / "assist-scissors-tracing.png")
    page.mouse.click(*s(*rim[0]))
    page.get_by_text("Objects · 1", exact=True).wait_for()
    _idle(page, "scissors")
    # Figures, not a timed check: round trips of the assist requests as the browser saw them.
    durations = page.evaluate(
        "() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/assist/'))"
        ".map((e) => [e.name.split('/assist/')[1], e.duration])"
    )
    for kind in ("frame-cut", "scissors"):
        ms = sorted(d for k, d in durations if k == kind)
        if ms:
            p50, top = ms[len(ms) // 2], ms[-1]
            print(f"\n{kind}: {len(ms)} requests, p50 {p50:.0f} ms, max {top:.0f} ms (browser round trip)")
    page.screenshot(path=shots / "assist-scissors-closed.png")
    page.get_by_role("button", name="Submit").click()

    def stored() -> Any:
        r = world.labeler.get(f"/tasks/{world.tasks[1]}/annotation")
        return r.json()["body"] if r.status_code == 200 else None

    body = until(stored)
    assert body is not None
    (obj,) = body["objects"]
    assert obj["class_id"] == "coin" and obj["geometry"]["type"] == "polygon"
    pts = obj["geometry"]["points_xy"]
    assert len(pts) >= 4
    ch, cw = data.coins().shape
    iou = _iou(_mask(pts, ch, cw), _rle_mask(coin["rle"]))
    assert iou >= 0.75, f"Scissors coin IoU {iou:.3f} against the ground-truth mask"
    page.context.close()


def test_ai_report_page_shows_what_the_suggestions_became(browser: Any, site: Site, world: World, shots: Path) -> None:
    report = site.api.get(f"/projects/{world.project_id}/reports/ai").json()
    assert report["total"]["suggestions"] == 2
    assert report["total"]["unchanged"] == 1 and report["total"]["deleted"] == 1
    page = new_page(browser, site)
    page.goto("/")
    page.get_by_label("Username").fill("admin")
    from tests.sdk.conftest import ADMIN_PASSWORD

    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Projects").wait_for()
    page.goto(f"/projects/{world.project_id}")
    page.get_by_role("link", name="AI report").click()
    page.get_by_test_id("ai-report").wait_for()
    assert page.get_by_test_id("kpi-suggestions").inner_text().startswith("2")
    assert page.get_by_test_id("kpi-unchanged").inner_text().startswith("1")
    assert page.get_by_test_id("kpi-deleted").inner_text().startswith("1")
    assert "tiny-boxes" in page.get_by_text("By model version").locator("..").inner_text()
    page.screenshot(path=shots / "assist-ai-report.png", full_page=True)
    page.context.close()


OCR_TEXT = "Invoice 2024 total 1234.56 EUR"


def test_ocr_button_adds_text_lines_whose_transcription_is_corrected_in_the_panel(
    browser: Any, site: Site, tmp_path: Path, shots: Path
) -> None:
    from PIL import ImageDraw, ImageFont

    ontology = {
        "classes": [
            {
                "id": "line",
                "name": "Text line",
                "tool": "document_region",
                "color": "#d55e00",
                "hotkey": "1",
                "attributes": [{"id": "transcription", "name": "Transcription", "kind": "text"}],
            },
            {"id": "stamp", "name": "Stamp", "tool": "polygon", "color": "#0072b2", "hotkey": "2"},
        ],
        "classifications": [],
    }
    project_id = site.project(ontology, "OCR in the editor")
    token = site.server.make_user("ocr1", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "ocr1", "role": "labeler"}).raise_for_status()
    img = Image.new("RGB", (640, 200), "white")
    d = ImageDraw.Draw(img)
    d.text((20, 30), OCR_TEXT, fill="black", font=ImageFont.load_default(size=28))
    d.text((20, 120), "second line here", fill="black", font=ImageFont.load_default(size=28))
    img.save(tmp_path / "invoice.png")
    asset = site.upload(project_id, tmp_path / "invoice.png")
    task_id = site.task_of(project_id, asset["id"])

    page = new_page(browser, site)
    sign_in(page, "ocr1", LABELER_PASSWORD)
    page.goto(f"/projects/{project_id}")
    page.get_by_role("button", name="Start labeling").click()
    page.wait_for_url(f"**/tasks/{task_id}")
    page.get_by_role("button", name="OCR").click()
    page.get_by_text("Objects · 2", exact=True).wait_for(timeout=90_000)  # OCR takes seconds a page on a busy CPU
    page.get_by_text("OCR read 2 lines", exact=False).wait_for()
    page.screenshot(path=shots / "assist-ocr-suggestions.png")

    # The draft (saved with the suggestions) reloads: document regions come back and are shown.
    with site.as_user(token) as labeler:

        def drafted() -> Any:
            r = labeler.get(f"/tasks/{task_id}/draft")
            return r.status_code == 200 and len(r.json()["body"]["objects"]) == 2

        assert until(drafted, 15)
        page.reload()
        page.get_by_text("Objects · 2", exact=True).wait_for()
        first = page.locator("ul.objects li").first
        first.click()
        field = page.get_by_label("Transcription")
        assert field.input_value() == OCR_TEXT
        field.fill("Invoice 2024 total 1234.56 EUR (corrected)")
        page.screenshot(path=shots / "assist-ocr-transcription.png")
        page.get_by_role("button", name="Submit").click()

        def stored() -> Any:
            r = labeler.get(f"/tasks/{task_id}/annotation")
            return r.json()["body"] if r.status_code == 200 else None

        body = until(stored)
    assert body is not None
    objs = sorted(body["objects"], key=lambda o: o["geometry"]["xyxy"][1])
    assert [o["geometry"]["type"] for o in objs] == ["document_region", "document_region"]
    assert objs[0]["attributes"]["transcription"] == "Invoice 2024 total 1234.56 EUR (corrected)"
    assert objs[0]["source"] == {"kind": "human"} and objs[0]["derived_from"]
    assert objs[1]["source"]["kind"] == "model" and objs[1]["attributes"]["transcription"] == "second line here"
    page.context.close()


def test_a_503_turns_the_tool_off_and_says_why(browser: Any, site: Site, tmp_path: Path, shots: Path) -> None:
    """The server's answer is replaced by a 503 (as when OpenCV is missing): the tool goes off, never silently."""
    project_id = site.project({"classes": [ONTOLOGY["classes"][0]], "classifications": []}, "Assist 503")
    site.server.make_user("assist503", LABELER_PASSWORD)
    site.api.put(
        f"/projects/{project_id}/members", json={"username": "assist503", "role": "labeler"}
    ).raise_for_status()
    Image.fromarray(data.coffee()).save(tmp_path / "c.png")
    site.upload(project_id, tmp_path / "c.png")
    page = new_page(browser, site)
    sign_in(page, "assist503", LABELER_PASSWORD)
    message = "Frame Cut needs OpenCV: pip install opencv-python-headless"
    page.route("**/assist/frame-cut", lambda route: route.fulfill(status=503, json={"detail": message}))
    page.goto(f"/projects/{project_id}")
    page.get_by_role("button", name="Start labeling").click()
    page.get_by_text("Objects · 0", exact=True).wait_for()
    s = view(page, 1, 20)
    page.keyboard.press("f")
    page.mouse.move(*s(100, 100))
    page.mouse.down()
    page.mouse.move(*s(300, 300), steps=5)
    page.mouse.up()
    alert = page.locator(".assist-error")
    alert.wait_for()
    assert message in alert.inner_text() and "turned off" in alert.inner_text()
    button = page.get_by_role("button", name="Frame Cut")
    assert button.is_disabled() and message in (button.get_attribute("title") or "")
    assert page.evaluate("() => window.__labelhubEditor.toolId") == "select"
    assert page.evaluate("() => window.__labelhubEditor.draft") is None
    page.screenshot(path=shots / "assist-frame-cut-503.png")
    page.context.close()
