"""The interactive AI tools through the API: Frame Cut, Smart Scissors and OCR on a held task.

A real photograph (the demo coffee.jpg, skimage's coffee as JPEG) with the hand-drawn ground
truth of tests/assist/data, and a rendered line of known text.
"""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from labelhub.core import rle
from labelhub.db.tables import Draft
from labelhub.wiring import Platform
from tests.conftest import Api

API = "/api/v1"
ROOT = Path(__file__).resolve().parents[2]
GT = json.loads((ROOT / "tests" / "assist" / "data" / "coffee_gt.json").read_text())
TEXT = "Invoice 2024 total 1234.56 EUR"
ONTOLOGY = {
    "classes": [
        {"id": "cup", "name": "Cup", "tool": "polygon", "color": "#e6194b"},
        {
            "id": "line",
            "name": "Text line",
            "tool": "document_region",
            "color": "#3cb44b",
            "attributes": [
                {"id": "lang", "name": "Language", "kind": "radio", "options": [{"id": "en", "name": "English"}]},
                {"id": "transcription", "name": "Transcription", "kind": "text"},
            ],
        },
    ]
}


def text_png() -> bytes:
    img = Image.new("RGB", (640, 120), "white")
    ImageDraw.Draw(img).text((20, 40), TEXT, fill="black", font=ImageFont.load_default(size=28))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def env(users: dict[str, Api]) -> dict[str, Any]:
    m = users["manager"]
    pid = m.post(f"{API}/projects", json={"name": "Assist", "ontology": ONTOLOGY}).json()["id"]
    for role, name in (("reviewer", "reviewer"), ("labeler", "labeler"), ("labeler", "labeler2")):
        assert m.put(f"{API}/projects/{pid}/members", json={"username": name, "role": role}).status_code == 204
    coffee = (ROOT / "src" / "labelhub" / "demo" / "coffee.jpg").read_bytes()
    for name, data, mime in (("coffee.jpg", coffee, "image/jpeg"), ("text.png", text_png(), "image/png")):
        r = m.post(f"{API}/projects/{pid}/assets", files={"file": (name, data, mime)})
        assert r.status_code == 201, r.text
    # the labeler holds one task, labeler2 the other (one lease per labeler at a time)
    held = {}
    for who in ("labeler", "labeler2"):
        t = users[who].post(f"{API}/projects/{pid}/next-task").json()["task"]
        held[m.get(f"{API}/assets/{t['asset_id']}").json()["filename"]] = (who, t["id"])
    coffee_holder, coffee_id = held["coffee.jpg"]
    text_holder, text_id = held["text.png"]
    return {
        "pid": pid,
        "coffee": coffee_id,
        "text": text_id,
        **users,
        "labeler": users[coffee_holder],  # holds the coffee task
        "labeler2": users[text_holder],  # holds the text task
    }


def test_frame_cut_on_a_photograph_gives_polygon_and_mask(env: dict[str, Any]) -> None:
    pts = GT["polygon_xy"]
    box = [min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts) + 1, max(p[1] for p in pts) + 1]
    r = env["labeler"].post(f"{API}/tasks/{env['coffee']}/assist/frame-cut", json={"box": box})
    assert r.status_code == 200, r.text
    out = r.json()
    mask = rle.decode(out["mask"])
    assert mask.shape == (400, 600) and out["area"] == int(mask.sum())
    pic = Image.new("L", (600, 400), 0)
    ImageDraw.Draw(pic).polygon([tuple(p) for p in pts], fill=1)
    gt = np.asarray(pic).astype(bool)
    assert (mask & gt).sum() / (mask | gt).sum() > 0.93
    assert out["source"] == {"kind": "model", "name": "framecut-opencv", "version": "1"}
    # the polygon is a valid annotation: the labeler saves it to the draft as a cup
    obj = {"id": "cup1", "class_id": "cup", "geometry": {"type": "polygon", "points_xy": out["polygon"]}}
    draft = env["labeler"].put(f"{API}/tasks/{env['coffee']}/draft", json={"body": {"objects": [obj]}})
    assert draft.status_code == 200, draft.text


def test_frame_cut_clicks_and_reviewer_access(env: dict[str, Any]) -> None:
    box = [180, 150, 420, 330]
    body = {"box": box, "clicks": [{"x": 300.5, "y": 250.5, "positive": False}]}
    r = env["reviewer"].post(f"{API}/tasks/{env['coffee']}/assist/frame-cut", json=body)
    assert r.status_code == 200, r.text
    assert not rle.decode(r.json()["mask"])[250, 300]


def test_scissors_path_and_closed_outline(env: dict[str, Any]) -> None:
    url = f"{API}/tasks/{env['coffee']}/assist/scissors"
    r = env["labeler"].post(url, json={"anchors": [[100, 200]], "cursor": [150, 120]})
    assert r.status_code == 200, r.text
    path = r.json()["path"]
    assert path[0] == [100.5, 200.5] and path[-1] == [150.5, 120.5]
    assert all(max(abs(a[0] - b[0]), abs(a[1] - b[1])) <= 1 for a, b in itertools.pairwise(path))
    closed = env["labeler"].post(url, json={"anchors": [[100, 200], [300, 60], [470, 230]], "close": True}).json()
    assert closed["closed"] and len(closed["path"]) > 100
    obj = {"id": "s1", "class_id": "cup", "geometry": {"type": "polygon", "points_xy": closed["path"]}}
    assert (
        env["labeler"].put(f"{API}/tasks/{env['coffee']}/draft", json={"body": {"objects": [obj]}}).status_code == 200
    )


def test_ocr_reads_the_line_as_document_region_suggestions(env: dict[str, Any]) -> None:
    r = env["labeler2"].post(f"{API}/tasks/{env['text']}/assist/ocr", json={})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["class_id"] == "line" and out["attribute_id"] == "transcription"
    assert [ln["text"] for ln in out["lines"]] == [TEXT]
    [obj] = out["objects"]
    assert obj["attributes"] == {"transcription": TEXT}
    assert obj["source"]["kind"] == "model" and obj["source"]["name"] == "rapidocr-onnxruntime"
    assert 0.5 < obj["confidence"] <= 1
    words = env["labeler2"].post(f"{API}/tasks/{env['text']}/assist/ocr", json={"granularity": "word"}).json()
    assert [o["attributes"]["transcription"] for o in words["objects"]] == TEXT.split()
    # suggestions are valid objects: the labeler corrects one and keeps both in the draft
    words["objects"][0]["attributes"]["transcription"] = "INVOICE"
    body = {"objects": [obj, *words["objects"]]}
    assert env["labeler2"].put(f"{API}/tasks/{env['text']}/draft", json={"body": body}).status_code == 200


def test_refusals_change_nothing(env: dict[str, Any], platform: Platform) -> None:
    url = f"{API}/tasks/{env['coffee']}/assist/frame-cut"
    lab = env["labeler"]
    cases = [
        (lab, {"box": [10, 10, 11, 11]}, 400, "less than 2 x 2"),
        (lab, {"box": [10, 10, 50]}, 422, None),
        (lab, {"box": [700, 500, 800, 600]}, 400, "less than 2 x 2"),
        (lab, {"box": [10, 10, 50, 50], "page": 3}, 400, "page must be in 0..0"),
        (env["labeler2"], {"box": [10, 10, 50, 50]}, 404, "not found"),
        (env["outsider"], {"box": [10, 10, 50, 50]}, 404, "not found"),
    ]
    for api, body, status, words in cases:
        r = api.post(url, json=body)
        assert r.status_code == status, (body, r.text)
        if words:
            assert words in r.json()["detail"]
    sc = f"{API}/tasks/{env['coffee']}/assist/scissors"
    assert lab.post(sc, json={"anchors": [[1, 1]]}).status_code == 400
    assert lab.post(sc, json={"anchors": [[1, 1], [5, 5]], "close": True}).status_code == 400
    assert lab.post(sc, json={"anchors": [[1, 1, 1]], "cursor": [3, 3]}).status_code == 400
    bad_class = env["labeler2"].post(f"{API}/tasks/{env['text']}/assist/ocr", json={"class_id": "cup"})
    assert bad_class.status_code == 400 and "document_region" in bad_class.json()["detail"]
    with platform.deps.db.read() as s:
        assert s.query(Draft).count() == 0, "assist requests never write"


def test_released_task_is_a_conflict(env: dict[str, Any]) -> None:
    lab = env["labeler"]
    assert lab.post(f"{API}/tasks/{env['coffee']}/release").status_code == 204
    r = lab.post(f"{API}/tasks/{env['coffee']}/assist/frame-cut", json={"box": [10, 10, 50, 50]})
    assert r.status_code == 409 and "next-task" in r.json()["detail"]


def test_ocr_on_a_scanned_pdf_page_answers_in_page_points(users: dict[str, Api]) -> None:
    """A scanned page: the text image wrapped in a PDF at 72 dpi, so one point = one image pixel."""
    m = users["manager"]
    pid = m.post(f"{API}/projects", json={"name": "Scans", "ontology": ONTOLOGY}).json()["id"]
    img = Image.open(io.BytesIO(text_png())).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "PDF", resolution=72)
    r = m.post(f"{API}/projects/{pid}/assets", files={"file": ("scan.pdf", buf.getvalue(), "application/pdf")})
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == "document"
    task = m.get(f"{API}/projects/{pid}/tasks").json()["items"][0]
    out = m.post(f"{API}/tasks/{task['id']}/assist/ocr", json={"page": 0})
    assert out.status_code == 200, out.text
    [line] = out.json()["lines"]
    assert line["text"].endswith("nvoice 2024 total 1234.56 EUR")  # the upscaled 72-dpi "I" may read as "l"
    x1, y1, x2, y2 = line["xyxy"]  # rendered at 200 dpi, answered in points: the same as the PNG's pixels
    assert 10 <= x1 <= 30 and 30 <= y1 <= 50 and 380 <= x2 <= 430 and y2 <= 85
    assert m.post(f"{API}/tasks/{task['id']}/assist/ocr", json={"page": 1}).status_code == 400
