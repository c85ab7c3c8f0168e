"""Text spans on PDF pages: a span's offsets index its page's text layer (``page`` says which), so
they are checked against that page's text length, and spans on different pages never overlap."""

from __future__ import annotations

from typing import Any

import orjson

from labelhub.db.tables import Asset
from labelhub.wiring import Platform
from tests.conftest import Api
from tests.media.pdf_samples import make_pdf

ONTOLOGY = {"classes": [{"id": "num", "name": "Number", "tool": "text_span"}]}


def setup(m: Api, lab: Api) -> tuple[int, int, list[str]]:
    """A project with a span class and one two-page PDF; the labeler's task id, the asset id and the page texts."""
    r = m.post("/api/v1/projects", json={"name": "pdf spans", "ontology": ONTOLOGY})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    m.put(f"/api/v1/projects/{pid}/members", json={"username": "labeler", "role": "labeler"})
    data = make_pdf(["Invoice number 12345", "Total 9"], size=(400, 300))
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("inv.pdf", data)})
    assert r.status_code == 201, r.text
    asset_id = r.json()["id"]
    texts = [lab.get(f"/api/v1/assets/{asset_id}/pages/{n}/text").json()["text"] for n in (0, 1)]
    task = lab.post(f"/api/v1/projects/{pid}/next-task").json()["task"]
    return task["id"], asset_id, texts


def span(oid: str, page: int, start: int, end: int) -> dict[str, Any]:
    return {"id": oid, "class_id": "num", "page": page, "geometry": {"type": "text_span", "start": start, "end": end}}


def put_draft(lab: Api, task_id: int, *objects: dict[str, Any]) -> Any:
    return lab.put(f"/api/v1/tasks/{task_id}/draft", json={"body": {"objects": list(objects), "classifications": {}}})


def test_spans_index_their_pages_text_layer(users: dict[str, Api]) -> None:
    lab = users["labeler"]
    task_id, _, texts = setup(users["manager"], lab)
    assert texts[0] == "Invoice number 12345" and texts[1] == "Total 9"
    start = texts[0].index("number 12345")
    first = span("s1", 0, start, start + len("number 12345"))
    # The same offsets on page 1 reach past its 7 characters: refused, naming the page.
    r = put_draft(lab, task_id, first, span("s2", 1, start, start + 5))
    assert r.status_code == 400, r.text
    assert "<= 7, the length of page 1's text layer" in r.json()["detail"]
    # Overlapping offsets on two pages are two different passages: not an overlap.
    r = lab.post(
        f"/api/v1/tasks/{task_id}/submit",
        json={"body": {"objects": [first, span("s2", 1, 0, 5)], "classifications": {}}},
    )
    assert r.status_code == 201, r.text
    stored = {o["id"]: o for o in r.json()["body"]["objects"]}
    g = stored["s1"]["geometry"]
    assert (stored["s1"]["page"], texts[0][g["start"] : g["end"]]) == (0, "number 12345")


def test_spans_on_one_page_may_not_overlap(users: dict[str, Api]) -> None:
    lab = users["labeler"]
    task_id, _, _ = setup(users["manager"], lab)
    r = put_draft(lab, task_id, span("a", 0, 0, 7), span("b", 0, 5, 10))
    assert r.status_code == 400 and "overlap" in r.json()["detail"]


def test_pdfs_imported_before_page_lengths_were_recorded_are_checked_from_the_stored_layer(
    platform: Platform, users: dict[str, Api]
) -> None:
    lab = users["labeler"]
    task_id, asset_id, texts = setup(users["manager"], lab)
    with platform.deps.db.write() as s:
        asset = s.get(Asset, asset_id)
        assert asset is not None
        meta = orjson.loads(asset.meta_json)
        assert meta.pop("page_text_lengths") == [len(t) for t in texts]
        asset.meta_json = orjson.dumps(meta).decode()
    assert put_draft(lab, task_id, span("a", 1, 0, len(texts[1]))).status_code == 200
    r = put_draft(lab, task_id, span("a", 1, 0, len(texts[1]) + 1))
    assert r.status_code == 400 and "page 1's text layer" in r.json()["detail"]
