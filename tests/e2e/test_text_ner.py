"""Labeling a plain-text document (NER) in a real browser: a .txt with an emoji and a combining
accent before the names; spans drawn with real mouse drags (snapped to whole words, or exact with
Alt), a nested ORG over a PERSON (the ontology allows overlaps), a span attribute and the
document classification; the draft survives a reload; submit stores code-point offsets that are
exactly Python's string indexes; the ``ner-jsonl`` export holds the spans. A second project that
forbids overlaps refuses an overlapping span with a message.

The tests run in file order and share one task (module fixture ``doc``).
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in, until
from tests.sdk.conftest import ADMIN_PASSWORD

ONTOLOGY: dict[str, Any] = {
    "classes": [
        {
            "id": "person",
            "name": "PERSON",
            "tool": "text_span",
            "color": "#e69f00",
            "hotkey": "1",
            "attributes": [
                {
                    "id": "role",
                    "name": "Role",
                    "kind": "radio",
                    "required": False,
                    "options": [{"id": "scientist", "name": "Scientist"}, {"id": "patron", "name": "Patron"}],
                }
            ],
        },
        {"id": "org", "name": "ORG", "tool": "text_span", "color": "#56b4e9", "hotkey": "2"},
    ],
    "classifications": [
        {
            "id": "topic",
            "name": "Topic",
            "kind": "radio",
            "required": True,
            "options": [{"id": "history", "name": "History"}, {"id": "science", "name": "Science"}],
        }
    ],
    "allow_overlapping_spans": True,
}

# An emoji (one code point, two UTF-16 units) and an e + combining acute (two code points) come
# before every name, so offsets counted in UTF-16 units would be off by one.
TEXT = (
    "Board notes \U0001f642 from the cafe\u0301, 12 May 1843.\n"
    "Ada Lovelace met Charles Babbage in London.\n"
    "\n"
    "Later the Ada Lovelace Institute was named after her.\n"
)


@dataclass
class Doc:
    project_id: int
    task_id: int
    labeler: httpx.Client


def lease(site: Site, ontology: dict[str, Any], name: str, user: str) -> tuple[int, int, httpx.Client]:
    project_id = site.project(ontology, name)
    token = site.server.make_user(user, LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": user, "role": "labeler"}).raise_for_status()
    r = site.api.post(
        f"/projects/{project_id}/assets", files={"file": ("minutes.txt", TEXT.encode("utf-8"), "text/plain")}
    )
    r.raise_for_status()
    asset = r.json()
    assert asset["kind"] == "text" and asset["text_length"] == len(TEXT), asset
    labeler = site.as_user(token)
    leased = labeler.post(f"/projects/{project_id}/next-task")
    leased.raise_for_status()
    return project_id, int(leased.json()["task"]["id"]), labeler


@pytest.fixture(scope="module")
def doc(site: Site) -> Iterator[Doc]:
    project_id, task_id, labeler = lease(site, ONTOLOGY, "Minutes NER", "ner-1")
    try:
        yield Doc(project_id, task_id, labeler)
    finally:
        labeler.close()


@pytest.fixture(scope="module")
def page(browser: Any, site: Site, doc: Doc) -> Iterator[Any]:
    p = new_page(browser, site)
    sign_in(p, "ner-1", LABELER_PASSWORD)
    yield p
    p.context.close()


def char_xy(page: Any, needle: str, index: int, occurrence: int = 0, edge: str = "mid") -> tuple[float, float]:
    """Page coordinates of character `index` (UTF-16) of the `occurrence`-th `needle` in the shown text."""
    xy = page.evaluate(
        """([needle, index, occurrence, edge]) => {
            const text = window.__labelhubText.map.text;
            let at = -1;
            for (let n = 0; n <= occurrence; n++) at = text.indexOf(needle, at + 1);
            const unit = at + index;
            for (const el of document.querySelectorAll(".tx-doc span[data-s]")) {
                const s = Number(el.dataset.s), e = Number(el.dataset.e);
                if (unit < s || unit >= e) continue;
                const r = document.createRange();
                r.setStart(el.firstChild, unit - s);
                r.setEnd(el.firstChild, unit - s + 1);
                const b = r.getBoundingClientRect();
                const x = edge === "left" ? b.left + 1 : edge === "right" ? b.right - 1 : (b.left + b.right) / 2;
                return [x, (b.top + b.bottom) / 2];
            }
            return null;
        }""",
        [needle, index, occurrence, edge],
    )
    assert xy, f"{needle!r} is not shown"
    return float(xy[0]), float(xy[1])


def drag(page: Any, a: tuple[float, float], b: tuple[float, float], alt: bool = False) -> None:
    if alt:
        page.keyboard.down("Alt")
    page.mouse.move(*a)
    page.mouse.down()
    page.mouse.move((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, steps=4)
    page.mouse.move(*b, steps=4)
    page.mouse.up()
    if alt:
        page.keyboard.up("Alt")


def spans(body: dict[str, Any]) -> list[tuple[str, int, int, str]]:
    out = []
    for o in body["objects"]:
        g = o["geometry"]
        assert g["type"] == "text_span", o
        out.append((o["class_id"], g["start"], g["end"], TEXT[g["start"] : g["end"]]))
    return sorted(out, key=lambda s: (s[1], -s[2]))


def draft(doc: Doc) -> dict[str, Any] | None:
    r = doc.labeler.get(f"/tasks/{doc.task_id}/draft")
    return r.json()["body"] if r.status_code == 200 else None


ADA = TEXT.index("Ada Lovelace")  # Python indexes are code points: the offsets the server stores
INSTITUTE = TEXT.index("Ada Lovelace Institute")


def test_text_opens_with_classes_and_line_breaks(page: Any, doc: Doc, shots: Path) -> None:
    page.goto(f"/tasks/{doc.task_id}")
    page.get_by_text("Spans · 0").wait_for()
    page.locator(".tx-doc").wait_for()
    assert page.evaluate("() => window.__labelhubText.map.text") == TEXT
    assert page.get_by_test_id("text-status").inner_text().startswith(f"{len(TEXT)} characters")
    # Line breaks are kept: the two name lines are on different rows.
    assert char_xy(page, "Ada Lovelace met", 0)[1] < char_xy(page, "Ada Lovelace Institute", 0)[1] - 40
    assert page.locator(".tx-class.active").inner_text().startswith("PERSON")
    page.screenshot(path=shots / "text-ner-open.png")


def test_drag_snaps_to_words_and_stores_code_points(page: Any, doc: Doc) -> None:
    # From inside "Ada" to inside "Lovelace": snapped to the whole name.
    drag(page, char_xy(page, "Ada Lovelace met", 1), char_xy(page, "Ada Lovelace met", 8))
    page.get_by_text("Spans · 1").wait_for()
    assert page.get_by_test_id("span-text").inner_text() == "Ada Lovelace"
    saved = until(lambda: (d := draft(doc)) and d["objects"] and d)
    assert saved, "the draft was not autosaved"
    assert spans(saved) == [("person", ADA, ADA + 12, "Ada Lovelace")]
    # JavaScript's UTF-16 index of the name is one more (the emoji is two units).
    assert page.evaluate("() => window.__labelhubText.map.text.indexOf('Ada Lovelace')") == ADA + 1


def test_alt_exact_selection_double_click_delete_undo_redo(page: Any, doc: Doc) -> None:
    drag(page, char_xy(page, "Babbage", 0, edge="left"), char_xy(page, "Babbage", 3, edge="right"), alt=True)
    page.get_by_text("Spans · 2").wait_for()
    assert page.get_by_test_id("span-text").inner_text() == "Babb"
    page.keyboard.press("Delete")
    page.get_by_text("Spans · 1").wait_for()
    page.keyboard.press("Control+z")
    page.get_by_text("Spans · 2").wait_for()
    page.keyboard.press("Control+Shift+z")
    page.get_by_text("Spans · 1").wait_for()
    # A double-click selects a word: it becomes a span too.
    page.mouse.dblclick(*char_xy(page, "London", 2))
    page.get_by_text("Spans · 2").wait_for()
    assert page.get_by_test_id("span-text").inner_text() == "London"
    page.keyboard.press("Escape")
    assert page.get_by_test_id("span-text").count() == 0
    page.locator(".tx-spans li", has_text="London").click()
    page.keyboard.press("Backspace")
    page.get_by_text("Spans · 1").wait_for()


def test_overlapping_org_over_person_stacks(page: Any, doc: Doc, shots: Path) -> None:
    page.keyboard.press("2")
    assert page.locator(".tx-class.active").inner_text().startswith("ORG")
    drag(page, char_xy(page, "Ada Lovelace Institute", 0), char_xy(page, "Ada Lovelace Institute", 20))
    page.get_by_text("Spans · 2").wait_for()
    page.get_by_role("button", name="PERSON").click()
    drag(page, char_xy(page, "Ada Lovelace Institute", 1), char_xy(page, "Ada Lovelace Institute", 10))
    page.get_by_text("Spans · 3").wait_for()
    # The nested PERSON sits on the second underline level; both tags are shown.
    runs = page.locator(".tx-mark[data-ids*=' ']")
    assert runs.count() == 1 and runs.first.inner_text() == "Ada Lovelace"
    assert page.locator(".tx-tag[data-label='ORG']").count() == 1
    assert page.locator(".tx-tag[data-label='PERSON']").count() == 2
    page.screenshot(path=shots / "text-ner-overlap.png")
    page.get_by_role("button", name="Light theme").click()
    page.screenshot(path=shots / "text-ner-light.png")
    page.get_by_role("button", name="Dark theme").click()


def test_attribute_classification_and_draft_after_reload(page: Any, doc: Doc, shots: Path) -> None:
    # Click the first PERSON span in the text to select it, then answer its attribute.
    page.mouse.click(*char_xy(page, "Ada Lovelace met", 5))
    assert page.get_by_test_id("span-text").inner_text() == "Ada Lovelace"
    page.get_by_role("radio", name="Scientist").click()
    page.get_by_role("radio", name="History").click()
    saved = until(lambda: (d := draft(doc)) and d["classifications"] == {"topic": "history"} and d)
    assert saved, draft(doc)
    page.get_by_test_id("sync-status").filter(has_text="Saved").wait_for()
    page.reload()
    page.get_by_text("Spans · 3").wait_for()
    page.locator(".tx-doc").wait_for()
    assert page.get_by_role("radio", name="History").get_attribute("aria-checked") == "true"
    rows = page.locator(".tx-spans li")
    assert page.locator(".tx-spans li .tx-text").all_inner_texts() == [
        "Ada Lovelace",
        "Ada Lovelace Institute",
        "Ada Lovelace",
    ]
    rows.first.click()
    assert page.get_by_role("radio", name="Scientist").get_attribute("aria-checked") == "true"
    page.screenshot(path=shots / "text-ner-selected.png")


def test_submit_stores_exact_offsets_and_exports(page: Any, site: Site, doc: Doc) -> None:
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(f"**/projects/{doc.project_id}", timeout=20_000)
    head = doc.labeler.get(f"/tasks/{doc.task_id}/annotation").json()["body"]
    assert spans(head) == [
        ("person", ADA, ADA + 12, "Ada Lovelace"),
        ("org", INSTITUTE, INSTITUTE + 22, "Ada Lovelace Institute"),
        ("person", INSTITUTE, INSTITUTE + 12, "Ada Lovelace"),
    ]
    assert head["classifications"] == {"topic": "history"}
    person = next(o for o in head["objects"] if o["geometry"]["start"] == ADA)
    assert person["attributes"] == {"role": "scientist"}
    job = site.api.post(f"/projects/{doc.project_id}/exports", json={"format": "ner-jsonl", "include_media": False})
    job.raise_for_status()
    jid = job.json()["id"]
    done = until(lambda: (j := site.api.get(f"/jobs/{jid}").json())["state"] in ("succeeded", "failed") and j, 60)
    assert done and done["state"] == "succeeded", done
    raw = site.api.get(f"/jobs/{jid}/download").content
    if raw[:2] == b"PK":
        archive = zipfile.ZipFile(io.BytesIO(raw))
        raw = archive.read(next(n for n in archive.namelist() if n.endswith(".jsonl")))
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    assert len(rows) == 1 and rows[0]["text"] == TEXT
    exported = sorted((s["label"], s["start"], s["end"], s["text"]) for s in rows[0]["spans"])
    assert ("person", ADA, ADA + 12, "Ada Lovelace") in exported
    assert ("org", INSTITUTE, INSTITUTE + 22, "Ada Lovelace Institute") in exported
    assert rows[0]["classifications"] == {"topic": "history"}


def test_review_reject_with_a_span_comment_and_the_labeler_sees_it(
    browser: Any, site: Site, page: Any, doc: Doc, shots: Path
) -> None:
    reviewer = new_page(browser, site)
    try:
        sign_in(reviewer, "admin", ADMIN_PASSWORD)
        reviewer.goto(f"/tasks/{doc.task_id}/review")
        reviewer.get_by_text("Spans · 3").wait_for()
        reviewer.locator(".tx-doc").wait_for()
        reviewer.get_by_text("Review", exact=True).wait_for()
        reviewer.mouse.click(*char_xy(reviewer, "Ada Lovelace Institute", 16))
        assert reviewer.get_by_test_id("span-text").inner_text() == "Ada Lovelace Institute"
        oid = reviewer.locator(".tx-spans li.selected").get_attribute("data-object")
        reviewer.get_by_label(f"Comment on {oid}").fill("Include 'the'? No: keep it, but check the PERSON inside.")
        reviewer.screenshot(path=shots / "text-ner-review.png")
        reviewer.get_by_role("button", name="Reject…").click()
        reviewer.get_by_role("dialog").get_by_role("textbox").fill("Please check the nested names.")
        reviewer.get_by_role("dialog").get_by_role("button", name="Reject").click()
        reviewer.wait_for_url(f"**/projects/{doc.project_id}")
    finally:
        reviewer.context.close()
    detail = site.api.get(f"/tasks/{doc.task_id}").json()
    assert detail["task"]["state"] == "rejected"
    assert detail["reviews"][-1]["object_comments"] == {oid: "Include 'the'? No: keep it, but check the PERSON inside."}
    page.goto(f"/projects/{doc.project_id}")
    page.get_by_role("button", name="Start labeling").click()
    page.wait_for_url(f"**/tasks/{doc.task_id}")
    page.locator(".tx-doc").wait_for()
    assert "Please check the nested names." in page.get_by_test_id("rejection").inner_text()
    page.locator(f".tx-spans li[data-object='{oid}']").click()
    assert "check the PERSON inside" in page.locator(".object-note").inner_text()
    page.screenshot(path=shots / "text-ner-rejected.png")


def test_overlap_refused_when_the_ontology_forbids_it(browser: Any, site: Site, shots: Path) -> None:
    strict = {**ONTOLOGY, "allow_overlapping_spans": False}
    _, task_id, labeler = lease(site, strict, "Minutes NER strict", "ner-2")
    labeler.close()
    p = new_page(browser, site)
    try:
        sign_in(p, "ner-2", LABELER_PASSWORD)
        p.goto(f"/tasks/{task_id}")
        p.get_by_text("Spans · 0").wait_for()
        p.locator(".tx-doc").wait_for()
        p.keyboard.press("2")
        drag(p, char_xy(p, "Ada Lovelace Institute", 0), char_xy(p, "Ada Lovelace Institute", 20))
        p.get_by_text("Spans · 1").wait_for()
        p.keyboard.press("1")
        drag(p, char_xy(p, "Ada Lovelace Institute", 1), char_xy(p, "Ada Lovelace Institute", 10))
        alert = p.get_by_role("alert")
        alert.wait_for()
        assert "may not overlap" in alert.inner_text() and "Ada Lovelace Institute" in alert.inner_text()
        assert p.get_by_text("Spans · 1").count() == 1
        p.screenshot(path=shots / "text-ner-overlap-refused.png")
    finally:
        p.context.close()


def test_a_1_mb_text_with_2000_spans_stays_responsive(browser: Any, site: Site, shots: Path) -> None:
    """Prints the time to open a 1 MB document with 2,000 spans and to add one near its end (no timing assertion)."""
    words = ["Ada", "Lovelace", "wrote", "notes", "on", "the", "Analytical", "Engine", "caf\u00e9", "\U0001f642"]
    lines = []
    for n in range(16_000):
        lines.append(" ".join(words[(n + k) % len(words)] for k in range(9)) + f" line {n}.")
    big = "\n".join(lines) + "\nThe last name here is Grace Hopper.\n"
    assert 0.9e6 < len(big.encode("utf-8")) < 1.3e6
    project_id = site.project(ONTOLOGY, "Big text")
    token = site.server.make_user("ner-3", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "ner-3", "role": "labeler"}).raise_for_status()
    site.api.post(
        f"/projects/{project_id}/assets", files={"file": ("big.txt", big.encode("utf-8"), "text/plain")}
    ).raise_for_status()
    objects = []
    at = 0
    for n in range(2000):
        at = big.index("Ada Lovelace", at + 1)
        objects.append(
            {
                "id": f"s{n}",
                "class_id": "person",
                "page": 0,
                "geometry": {"type": "text_span", "start": at, "end": at + 12},
                "attributes": {},
                "source": {"kind": "human"},
                "confidence": None,
            }
        )
    with site.as_user(token) as labeler:
        task_id = int(labeler.post(f"/projects/{project_id}/next-task").json()["task"]["id"])
        body = {"body": {"objects": objects, "classifications": {}}, "base_revision_id": None}
        labeler.put(f"/tasks/{task_id}/draft", json=body).raise_for_status()
        p = new_page(browser, site)
        try:
            sign_in(p, "ner-3", LABELER_PASSWORD)
            t0 = time.perf_counter()
            p.goto(f"/tasks/{task_id}")  # wall time from navigation to the text and list shown
            p.get_by_text("Spans · 2000").wait_for()
            p.locator(".tx-doc").wait_for()
            opened = time.perf_counter() - t0
            p.locator(".tx-tag").first.wait_for()
            p.evaluate("() => { const s = document.querySelector('.tx-scroll'); s.scrollTop = s.scrollHeight; }")
            p.get_by_text("Grace Hopper").first.wait_for()
            # The chunks near the end lay out after the scroll: wait until the words stop moving.
            a: tuple[float, float] | None = None
            b: tuple[float, float] | None = None
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                now = (char_xy(p, "Grace Hopper", 1), char_xy(p, "Grace Hopper", 9))
                if now == (a, b):
                    break
                a, b = now
                p.wait_for_timeout(150)
            assert a is not None and b is not None
            # Measured in the page: from the mouseup (capture phase, before the view's handler) to the
            # first frame after the new span was rendered.
            p.evaluate(
                """() => {
                    window.__tx = {};
                    window.addEventListener("mouseup", () => {
                        window.__tx.up = performance.now();
                        requestAnimationFrame(() => setTimeout(() => (window.__tx.frame = performance.now()), 0));
                    }, { capture: true, once: true });
                }"""
            )
            p.mouse.move(*a)
            p.mouse.down()
            p.mouse.move(*b, steps=4)
            p.mouse.up()
            p.get_by_text("Spans · 2001").wait_for()
            added = until(lambda: p.evaluate("() => window.__tx.frame && window.__tx.frame - window.__tx.up"))
            p.screenshot(path=shots / "text-ner-1mb.png")
            start = big.index("Grace Hopper")
            saved = until(
                lambda: (
                    (r := labeler.get(f"/tasks/{task_id}/draft")).status_code == 200
                    and len(r.json()["body"]["objects"]) == 2001
                    and r.json()["body"]
                ),
                20,
            )
            assert saved, "the draft was not saved"
            assert saved["objects"][-1]["geometry"] == {"type": "text_span", "start": start, "end": start + 12}
            print(
                f"\n1 MB text ({len(big):,} code points, 2,000 spans): opened in {opened:.2f} s,"
                f" a span drawn near its end shown {added:.0f} ms after the mouseup (in-page)"
            )
        finally:
            p.context.close()
