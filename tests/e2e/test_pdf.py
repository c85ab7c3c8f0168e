"""PDF documents in the image editor: pages shown crisply (rendered by the server at 3-8 px per
point, more for small pages; drawn at their size in points), a document_region box drawn with real mouse events at zoom
2 on page 1 and on page 2 (PageDown) is stored in page points on its page, a document
classification is answered, a one-page PDF opens too, and zooming in fetches the page sharper."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.e2e.canvas import drag, view
from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in
from tests.media.pdf_samples import make_pdf

ONTOLOGY = {
    "classes": [{"id": "field", "name": "Field", "tool": "document_region", "color": "#e69f00", "hotkey": "1"}],
    "classifications": [
        {
            "id": "doctype",
            "name": "Document type",
            "kind": "radio",
            "options": [{"id": "invoice", "name": "Invoice"}, {"id": "letter", "name": "Letter"}],
        }
    ],
}
ZOOM, PAN = 2, 20


def test_regions_on_two_pdf_pages_are_stored_in_page_points(browser: Any, site: Site, shots: Path) -> None:
    project_id = site.project(ONTOLOGY, "Invoices")
    site.server.make_user("pdf-clerk", LABELER_PASSWORD)
    member = {"username": "pdf-clerk", "role": "labeler"}
    site.api.put(f"/projects/{project_id}/members", json=member).raise_for_status()
    two = make_pdf(["Invoice number 12345", "Total due 99.00"], size=(400, 300))
    one = make_pdf(["A letter of one page"], size=(300, 200))
    for name, data in (("a_invoice.pdf", two), ("b_letter.pdf", one)):
        r = site.api.post(f"/projects/{project_id}/assets", files={"file": (name, data, "application/pdf")})
        r.raise_for_status()
        assert r.json()["kind"] == "document"
    page = new_page(browser, site)
    try:
        sign_in(page, "pdf-clerk", LABELER_PASSWORD)
        page.goto(f"/projects/{project_id}")
        page.get_by_role("button", name="Start labeling").click()
        page.wait_for_url(re.compile(r"/tasks/\d+$"))
        task_id = int(page.url.rsplit("/", 1)[1])
        page.get_by_text("Objects · 0", exact=True).wait_for()
        s = view(page, ZOOM, PAN)
        page.keyboard.press("1")
        drag(page, s, (8, 240), (150, 262))  # around "Invoice number 12345" (baseline 50 pt from the bottom)
        page.get_by_text("Objects · 1", exact=True).wait_for()
        page.mouse.move(5, 5)
        page.screenshot(path=shots / "pdf-region-page1.png")
        page.keyboard.press("PageDown")
        page.get_by_text("Page 2 of 2").wait_for()
        s = view(page, ZOOM, PAN)
        drag(page, s, (10, 235), (120, 260))
        page.get_by_text("Objects · 1", exact=True).wait_for()  # the list shows the page's objects
        page.mouse.move(5, 5)
        page.screenshot(path=shots / "pdf-region-page2.png")
        page.get_by_role("radio", name="Invoice").click()
        scaled = page.evaluate(
            "() => performance.getEntriesByType('resource')"
            ".filter((e) => /pages\\/\\d+\\.png\\?scale=[3-8]$/.test(e.name)).length"
        )
        assert scaled >= 2  # both pages were fetched rendered at 3 or more px per point
        page.locator("main.canvas > div").first.focus()
        page.keyboard.press("Control+Enter")
        page.wait_for_url(re.compile(rf"/tasks/(?!{task_id}$)\d+$|/projects/{project_id}$"))
        head = site.api.get(f"/tasks/{task_id}/annotation").json()["body"]
        regions = sorted(head["objects"], key=lambda o: o["page"])
        assert [(o["page"], o["geometry"]["type"]) for o in regions] == [(0, "document_region"), (1, "document_region")]
        assert regions[0]["geometry"]["xyxy"] == [8, 240, 150, 262]
        assert regions[1]["geometry"]["xyxy"] == [10, 235, 120, 260]
        assert head["classifications"] == {"doctype": "invoice"}
        # The one-page PDF opens as well (its page rendered as PNG, not the PDF file as an image).
        page.goto(f"/projects/{project_id}")
        page.get_by_role("button", name="Start labeling").click()
        page.get_by_text("Objects · 0", exact=True).wait_for()
        assert page.get_by_role("alert").count() == 0
        page.mouse.move(5, 5)
        page.screenshot(path=shots / "pdf-one-page.png")
        # Zoomed in past the fetched scale, the page is fetched again sharper once the zoom rests.
        page.evaluate(  # zoom 7 on the text line ("A letter of one page", 150 pt down the page)
            "() => { const e = window.__labelhubEditor;"
            " e.setViewport({ zoom: 7, panX: -20, panY: -880 }); e.notify(); }"
        )
        page.wait_for_function(
            "() => performance.getEntriesByType('resource').some((e) => /pages\\/0\\.png\\?scale=7$/.test(e.name))"
        )
        page.wait_for_timeout(300)
        page.screenshot(path=shots / "pdf-zoomed.png")
    finally:
        page.context.close()
