"""PDFs, multi-page TIFF and plain text through the API: what is stored, pages, text layers and
text; every bad file is a clear 4xx that leaves nothing behind."""

from __future__ import annotations

import io

import numpy as np
import orjson
import pypdfium2 as pdfium
import pytest
from PIL import Image

from labelhub.wiring import Platform
from tests.conftest import Api
from tests.media.pdf_samples import make_pdf

PHI_INFO = {"Author": "Jane Roe", "Title": "MRN 0042-7781", "Subject": "Discharge letter"}
XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jane Roe</dc:creator></x:xmpmeta>'


def new_project(api: Api, *, phi: bool) -> int:
    body = {"name": "docs", "ontology": {"classes": []}, "settings": {"contains_phi": phi}}
    r = api.post("/api/v1/projects", json=body)
    assert r.status_code == 201, r.text
    pid = int(r.json()["id"])
    assert (
        api.put(f"/api/v1/projects/{pid}/members", json={"username": "labeler", "role": "labeler"}).status_code == 204
    )
    return pid


@pytest.fixture
def m(users: dict[str, Api]) -> Api:
    return users["manager"]


def stored_keys(platform: Platform) -> list[str]:
    return sorted(k for k in platform.deps.blobs.iter_keys("") if not k.startswith(("secrets/", "thumbs/")))


def upload(api: Api, pid: int, name: str, data: bytes) -> dict:  # type: ignore[type-arg]
    r = api.post(f"/api/v1/projects/{pid}/assets", files={"file": (name, data)})
    assert r.status_code == 201, r.text
    return dict(r.json())


def tiff_pages(sizes: list[tuple[int, int]]) -> bytes:
    rng = np.random.default_rng(3)
    frames = [Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)) for w, h in sizes]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def test_pdf_is_a_document_with_pages_sizes_and_a_text_layer(platform: Platform, m: Api, users: dict[str, Api]) -> None:
    pid = new_project(m, phi=False)
    data = make_pdf(["Hello John Doe", "Page two"], size=(300, 200), info=PHI_INFO)
    asset = upload(m, pid, "letter.pdf", data)
    assert (asset["kind"], asset["pages"], asset["width"], asset["height"]) == ("document", 2, 300, 200)
    assert m.get(f"/api/v1/assets/{asset['id']}/content").content == data  # not a PHI project: as uploaded
    lab = users["labeler"]
    layer = lab.get(f"/api/v1/assets/{asset['id']}/pages/0/text").json()
    assert layer["text"] == "Hello John Doe" and (layer["width"], layer["height"]) == (300, 200)
    assert [w["text"] for w in layer["words"]] == ["Hello", "John", "Doe"]
    john = layer["words"][1]
    assert layer["text"][john["start"] : john["end"]] == "John"
    x1, y1, x2, y2 = john["xyxy"]
    # The line is drawn at x = 10, baseline y = 50 from the bottom of a 200 pt page: top-left origin.
    assert 30 < x1 < x2 < 80 and 200 - 50 - 12 < y1 < y2 <= 200 - 50 + 4
    assert len(layer["chars"]) == len(layer["text"]) and layer["chars"][0][0] == pytest.approx(10, abs=1.5)
    assert lab.get(f"/api/v1/assets/{asset['id']}/pages/1/text").json()["text"] == "Page two"
    assert lab.get(f"/api/v1/assets/{asset['id']}/pages/2/text").status_code == 404


def test_pdf_pages_render_crisply_at_any_scale(m: Api) -> None:
    pid = new_project(m, phi=False)
    asset = upload(m, pid, "a.pdf", make_pdf(["Scale me"], size=(300, 200)))
    for scale, size in ((1, (300, 200)), (2.5, (750, 500))):
        r = m.get(f"/api/v1/assets/{asset['id']}/pages/0.png", params={"scale": scale})
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        img = Image.open(io.BytesIO(r.content))
        assert img.size == size
        dark = np.asarray(img.convert("L")) < 128
        assert dark.any(), "the text was drawn"
    again = m.get(
        f"/api/v1/assets/{asset['id']}/pages/0.png", params={"scale": 2.5}, headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    assert m.get(f"/api/v1/assets/{asset['id']}/pages/1.png").status_code == 404
    assert m.get(f"/api/v1/assets/{asset['id']}/pages/0.png", params={"scale": 0}).status_code in (400, 422)


def test_pdf_metadata_is_scrubbed_in_a_phi_project(platform: Platform, m: Api) -> None:
    pid = new_project(m, phi=True)
    data = make_pdf(["Hello John Doe"], info=PHI_INFO, xmp=XMP)
    asset = upload(m, pid, "letter.pdf", data)
    stored = m.get(f"/api/v1/assets/{asset['id']}/content").content
    for value in (b"Jane Roe", b"MRN 0042", b"Discharge", b"xmpmeta"):
        assert value in data and value not in stored
    doc = pdfium.PdfDocument(stored)
    meta = doc.get_metadata_dict(skip_empty=True)
    assert not {"Author", "Title", "Subject"} & set(meta)
    assert len(doc) == 1 and doc[0].get_textpage().get_text_range() == "Hello John Doe"  # content kept
    assert m.get(f"/api/v1/assets/{asset['id']}/pages/0/text").json()["text"] == "Hello John Doe"
    with platform.deps.db.read() as s:
        from labelhub.db.tables import Asset

        row = s.get(Asset, asset["id"])
        assert row is not None and orjson.loads(row.meta_json)["metadata_scrubbed"] is True
        assert "Jane" not in row.meta_json


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("corrupt.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", 400, "truncated or corrupt"),
        ("truncated.pdf", make_pdf(["Hello"])[:120], 400, "truncated or corrupt"),
        ("binary.txt", bytes(range(256)) * 4, 400, "binary, not text"),
        ("controls.txt", b"abc" + b"\x01\x02\x03\x04\x05" * 20, 400, "binary, not text"),
        ("bad-bom.txt", b"\xef\xbb\xbf" + b"caf\xe9", 400, "byte-order mark"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_stored(
    platform: Platform, m: Api, name: str, data: bytes, status: int, message: str
) -> None:
    pid = new_project(m, phi=True)
    before = stored_keys(platform)
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": (name, data)})
    assert r.status_code == status, r.text
    assert message in r.json()["detail"] and name in r.json()["detail"]
    assert stored_keys(platform) == before
    assert m.get(f"/api/v1/projects/{pid}/assets").json()["items"] == []


def test_truncated_multipage_tiff_is_refused_and_nothing_is_stored(platform: Platform, m: Api) -> None:
    pid = new_project(m, phi=False)
    data = tiff_pages([(40, 30), (50, 20), (60, 10)])
    before = stored_keys(platform)
    r = m.post(f"/api/v1/projects/{pid}/assets", files={"file": ("stack.tif", data[: len(data) - 900])})
    assert r.status_code == 400, r.text
    assert "truncated" in r.json()["detail"] or "corrupt" in r.json()["detail"]
    assert stored_keys(platform) == before


def test_multipage_tiff_pages_are_images(m: Api, users: dict[str, Api]) -> None:
    pid = new_project(m, phi=False)
    data = tiff_pages([(40, 30), (50, 20), (60, 10)])
    asset = upload(m, pid, "stack.tif", data)
    assert (asset["kind"], asset["pages"], asset["width"], asset["height"]) == ("multipage_image", 3, 40, 30)
    original = Image.open(io.BytesIO(data))
    for n, size in enumerate([(40, 30), (50, 20), (60, 10)]):
        r = users["labeler"].get(f"/api/v1/assets/{asset['id']}/pages/{n}.png")
        assert r.status_code == 200, r.text
        page = Image.open(io.BytesIO(r.content))
        original.seek(n)
        assert page.size == size and np.array_equal(
            np.asarray(page.convert("RGB")), np.asarray(original.convert("RGB"))
        )
    assert m.get(f"/api/v1/assets/{asset['id']}/pages/3.png").status_code == 404
    single = upload(m, pid, "one.tif", tiff_pages([(20, 10)]))
    assert (single["kind"], single["pages"]) == ("image", 1)


@pytest.mark.parametrize(
    ("raw", "expected", "encoding"),
    [
        ("Zoë met 🙂 Bob\n".encode(), "Zoë met 🙂 Bob\n", "utf-8"),
        (b"\xef\xbb\xbf" + "Zoë\r\nBob".encode(), "Zoë\r\nBob", "utf-8 (BOM)"),
        (b"\xff\xfe" + "Zoë 🙂".encode("utf-16-le"), "Zoë 🙂", "utf-16-le (BOM)"),
        (b"\xfe\xff" + "Zoë".encode("utf-16-be"), "Zoë", "utf-16-be (BOM)"),
        ("Zo\u00eb \u2013 na\u00efve".encode("cp1252"), "Zo\u00eb \u2013 na\u00efve", "windows-1252"),
    ],
)
def test_text_is_decoded_stored_as_utf8_and_counted_in_code_points(
    platform: Platform, m: Api, users: dict[str, Api], raw: bytes, expected: str, encoding: str
) -> None:
    pid = new_project(m, phi=False)
    asset = upload(m, pid, "note.txt", raw)
    assert (asset["kind"], asset["text_length"]) == ("text", len(expected))
    r = users["labeler"].get(f"/api/v1/assets/{asset['id']}/text")
    assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.content.decode("utf-8") == expected
    with platform.deps.db.read() as s:
        from labelhub.db.tables import Asset

        row = s.get(Asset, asset["id"])
        assert row is not None and orjson.loads(row.meta_json)["encoding"] == encoding


def test_text_span_offsets_are_code_points(m: Api, users: dict[str, Api]) -> None:
    """A span after an emoji (two UTF-16 units, one code point) is checked against text_length."""
    ontology = {"classes": [{"id": "per", "name": "Person", "tool": "text_span"}]}
    r = m.post("/api/v1/projects", json={"name": "ner", "ontology": ontology})
    pid = r.json()["id"]
    m.put(f"/api/v1/projects/{pid}/members", json={"username": "labeler", "role": "labeler"})
    text = "🙂 Bob"
    asset = upload(m, pid, "t.txt", text.encode())
    assert asset["text_length"] == 5
    lab = users["labeler"]
    task = lab.post(f"/api/v1/projects/{pid}/next-task").json()["task"]
    span = {"id": "s1", "class_id": "per", "geometry": {"type": "text_span", "start": 2, "end": 5}}
    ok = lab.post(f"/api/v1/tasks/{task['id']}/submit", json={"body": {"objects": [span], "classifications": {}}})
    assert ok.status_code == 201, ok.text
    assert text[2:5] == "Bob"


def test_text_and_page_routes_refuse_other_kinds(m: Api) -> None:
    pid = new_project(m, phi=False)
    pdf = upload(m, pid, "a.pdf", make_pdf(["x"]))
    txt = upload(m, pid, "a.txt", b"words")
    assert m.get(f"/api/v1/assets/{pdf['id']}/text").status_code == 400
    assert m.get(f"/api/v1/assets/{txt['id']}/pages/0/text").status_code == 400
    assert m.get(f"/api/v1/assets/{txt['id']}/pages/0.png").status_code == 415


def test_thumbnails_of_pdf_tiff_and_text(m: Api) -> None:
    pid = new_project(m, phi=False)
    for name, data in (
        ("t.pdf", make_pdf(["Thumb"], size=(300, 200))),
        ("t.tif", tiff_pages([(40, 30), (50, 20)])),
        ("t.txt", b"first line\nsecond line\n"),
    ):
        asset = upload(m, pid, name, data)
        r = m.get_when(f"/api/v1/assets/{asset['id']}/thumbnail")
        assert r.status_code == 200, (name, r.status_code, r.text)
        img = Image.open(io.BytesIO(r.content))
        assert max(img.size) <= 512 and min(img.size) > 0


def test_zip_import_of_documents_goes_through_the_same_checks(platform: Platform, m: Api) -> None:
    import zipfile

    pid = new_project(m, phi=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("docs/a.pdf", make_pdf(["Alpha"], info=PHI_INFO))
        zf.writestr("docs/b.txt", "Zo\u00eb".encode())
        zf.writestr("docs/bad.txt", bytes(range(256)))
    job = m.post(f"/api/v1/projects/{pid}/imports", files={"file": ("d.zip", buf.getvalue())})
    done = m.wait_job(job.json()["id"])
    assert done["result"]["imported"] == 2 and done["result"]["failed"] == 1, done
    assert "binary, not text" in done["result"]["errors"][0]["error"]
    assets = {a["filename"]: a for a in m.get(f"/api/v1/projects/{pid}/assets").json()["items"]}
    pdf = m.get(f"/api/v1/assets/{assets['a.pdf']['id']}/content").content
    assert b"Jane Roe" not in pdf  # scrubbed on the zip path too
    assert m.get(f"/api/v1/assets/{assets['a.pdf']['id']}/pages/0/text").json()["text"] == "Alpha"
    assert assets["b.txt"]["text_length"] == 3
