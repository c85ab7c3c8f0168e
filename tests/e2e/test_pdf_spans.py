"""Text spans on PDF pages in the image editor: the Text tool (T, or the span class's hotkey) drags
over the page's text layer, snapping to whole words; the span is stored on its page with code-point
offsets into that page's text layer, exactly the dragged words. A click selects a span, Delete
removes it and undo brings it back; the object list shows the span's text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.e2e.canvas import drag, view
from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in
from tests.media.pdf_samples import make_pdf

ONTOLOGY = {
    "classes": [
        {"id": "num", "name": "Number", "tool": "text_span", "color": "#0072b2", "hotkey": "1"},
        {"id": "field", "name": "Field", "tool": "document_region", "color": "#e69f00", "hotkey": "2"},
    ]
}
ZOOM, PAN = 2, 20


def centre(word: dict[str, Any]) -> tuple[float, float]:
    x1, y1, x2, y2 = word["xyxy"]
    return (x1 + x2) / 2, (y1 + y2) / 2


def wait_for_layer(page: Any, n: int) -> None:
    page.wait_for_function(
        f"() => performance.getEntriesByType('resource').some((e) => /pages\\/{n}\\/text$/.test(e.name))"
    )
    page.wait_for_timeout(100)  # the response parsed and the layer handed to the editor


def test_span_dragged_over_pdf_text_is_stored_as_page_text_offsets(browser: Any, site: Site, shots: Path) -> None:
    project_id = site.project(ONTOLOGY, "Invoice numbers")
    site.server.make_user("clerk", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "clerk", "role": "labeler"}).raise_for_status()
    data = make_pdf(["Invoice number 12345", "Total due 99.00"], size=(400, 300))
    r = site.api.post(f"/projects/{project_id}/assets", files={"file": ("invoice.pdf", data, "application/pdf")})
    r.raise_for_status()
    asset_id = r.json()["id"]
    layers = [site.api.get(f"/assets/{asset_id}/pages/{n}/text").json() for n in (0, 1)]
    words = [{w["text"]: w for w in layer["words"]} for layer in layers]
    page = new_page(browser, site)
    try:
        sign_in(page, "clerk", LABELER_PASSWORD)
        page.goto(f"/projects/{project_id}")
        page.get_by_role("button", name="Start labeling").click()
        page.wait_for_url(re.compile(r"/tasks/\d+$"))
        task_id = int(page.url.rsplit("/", 1)[1])
        page.get_by_text("Objects · 0", exact=True).wait_for()
        wait_for_layer(page, 0)
        s = view(page, ZOOM, PAN)
        page.keyboard.press("1")  # the span class: the Text tool
        assert page.get_by_role("button", name="Text").get_attribute("class") == "tool active"
        # From the middle of "number" to the middle of "12345": whole words.
        drag(page, s, centre(words[0]["number"]), centre(words[0]["12345"]))
        page.get_by_text("Objects · 1", exact=True).wait_for()
        page.get_by_text("“number 12345”").first.wait_for()
        page.mouse.move(5, 5)
        page.screenshot(path=shots / "pdf-span-page1.png")

        page.keyboard.press("PageDown")
        page.get_by_text("Page 2 of 2").wait_for()
        wait_for_layer(page, 1)
        s = view(page, ZOOM, PAN)
        drag(page, s, centre(words[1]["Total"]), centre(words[1]["due"]))
        page.get_by_text("“Total due”").first.wait_for()
        page.mouse.click(*s(300, 60))  # empty page: deselects
        page.mouse.click(*s(*centre(words[1]["due"])))  # on the span: selects it
        page.get_by_test_id("geometry").get_by_text("“Total due”").wait_for()
        page.mouse.move(5, 5)
        page.screenshot(path=shots / "pdf-span-page2-selected.png")
        page.keyboard.press("Delete")
        page.get_by_text("Objects · 0", exact=True).wait_for()
        page.keyboard.press("Control+z")
        page.get_by_text("Objects · 1", exact=True).wait_for()

        page.locator("main.canvas > div").first.focus()
        page.keyboard.press("Control+Enter")
        page.wait_for_url(re.compile(rf"/tasks/(?!{task_id}$)\d+$|/projects/{project_id}$"))
        head = site.api.get(f"/tasks/{task_id}/annotation").json()["body"]
        spans = sorted(head["objects"], key=lambda o: o["page"])
        assert [(o["page"], o["class_id"], o["geometry"]["type"]) for o in spans] == [
            (0, "num", "text_span"),
            (1, "num", "text_span"),
        ]
        text = layers[0]["text"]
        g = spans[0]["geometry"]
        assert (g["start"], g["end"]) == (text.index("number 12345"), text.index("number 12345") + len("number 12345"))
        assert text[g["start"] : g["end"]] == "number 12345"
        g2 = spans[1]["geometry"]
        assert layers[1]["text"][g2["start"] : g2["end"]] == "Total due"
    finally:
        page.context.close()
