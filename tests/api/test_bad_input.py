"""Bad input gets a clear 4xx problem whose ``detail`` says what is wrong, and changes nothing.

Every case snapshots the rows of assets, tasks, annotation revisions, drafts, jobs, projects and
ontology versions (and the drafts' and tasks' contents) plus every key of the blob store, sends
the bad request, and checks the problem body and that the snapshot is identical afterwards.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from skimage import data as skdata
from sqlalchemy import func, select

from labelhub.api.app import create_app
from labelhub.db.tables import (
    AnnotationRevision,
    Asset,
    Draft,
    Job,
    OntologyVersion,
    Project,
    ProjectMember,
    Task,
)
from labelhub.services.context import Actor
from labelhub.services.ingest import ingest
from labelhub.settings import Settings
from labelhub.wiring import Platform, build
from tests.conftest import (
    ONTOLOGY,
    QUEUE_KIND,
    Api,
    _truncate,
    box_body,
    make_api,
    make_settings,
    png_bytes,
)

API = "/api/v1"
PROBLEM = "application/problem+json"
WIDTH, HEIGHT = 64, 48  # the size of every task's image
MASK_CLASS = {"id": "stain", "name": "Stain", "tool": "mask", "color": "#f58231"}
ONTOLOGY_WITH_MASK: dict[str, Any] = {**ONTOLOGY, "classes": [*ONTOLOGY["classes"], MASK_CLASS]}


# -- files ---------------------------------------------------------------------------------------
def _encode(arr: np.ndarray, fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, fmt)
    return buf.getvalue()


ASTRONAUT_PNG = _encode(skdata.astronaut(), "PNG")
ASTRONAUT_JPG = _encode(skdata.astronaut(), "JPEG")


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def bilevel_png(width: int, height: int, *, all_rows: bool) -> bytes:
    """A 1-bit black PNG.  With ``all_rows`` every row is really encoded (a genuine decompression
    bomb: tens of KB on disk, ``width * height`` pixels decoded); otherwise only the header is valid."""
    row = b"\x00" * (1 + (width + 7) // 8)
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(height if all_rows else 1)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def zip_of(
    members: dict[str, bytes], *, symlinks: tuple[str, ...] = (), compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, payload in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            zf.writestr(info, payload)
    return buf.getvalue()


# -- the world -----------------------------------------------------------------------------------
@dataclass
class Env:
    platform: Platform
    client: TestClient
    manager: Api
    labeler: Api
    import_root: Path

    def actor(self, api: Api) -> Actor:
        return Actor(api.user_id, api.username, False)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, postgres_url: str | None) -> Iterator[Env]:
    tmp = tmp_path_factory.mktemp("bad-input")
    if postgres_url:
        _truncate(postgres_url)
    root = tmp / "import"
    root.mkdir()
    p = build(
        make_settings(tmp / "data", postgres_url, import_roots=[root]),
        migrate=postgres_url is None,
        immediate_jobs=QUEUE_KIND != "redis",
    )
    if QUEUE_KIND == "redis":
        p.queue.huey.flush()
        p.queue.start_consumer(2)
    # A 500 must show up as a failed assertion on the response, not as a re-raised exception.
    with TestClient(create_app(p, run_worker=False), raise_server_exceptions=False) as client:
        yield Env(p, client, make_api(p, client, "manager"), make_api(p, client, "labeler"), root)
    p.close()


@dataclass
class Proj:
    id: int
    task_id: int  # leased by the labeler, who has a draft on it


_seed = iter(range(1000, 10_000))


@pytest.fixture
def proj(env: Env) -> Proj:
    """A fresh project (ontology with a mask class) with one 64 x 48 image, leased by the labeler,
    who already saved a valid draft."""
    p, m = env.platform, env.actor(env.manager)
    pid = p.projects.create(m, "Bad input", ONTOLOGY_WITH_MASK).project.id
    p.projects.set_member(m, pid, "labeler", "labeler")
    ingest(p.deps, pid, m.user_id, io.BytesIO(png_bytes(WIDTH, HEIGHT, seed=next(_seed))), "street.png")
    r = env.labeler.post(f"{API}/projects/{pid}/next-task")
    assert r.status_code == 200, r.text
    task_id = r.json()["task"]["id"]
    r = env.labeler.put(f"{API}/tasks/{task_id}/draft", json={"body": box_body(oid="kept")})
    assert r.status_code == 200, r.text
    return Proj(pid, task_id)


def snapshot(platform: Platform) -> dict[str, Any]:
    with platform.deps.db.read() as s:
        out: dict[str, Any] = {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in (Asset, Task, AnnotationRevision, Draft, Job, Project, OntologyVersion, ProjectMember)
        }
        out["draft_rows"] = sorted((d.task_id, d.user_id, d.body_json) for d in s.scalars(select(Draft)))
        out["task_rows"] = sorted(
            (t.id, t.state, t.head_revision_id, t.open_slots, t.assignee_id) for t in s.scalars(select(Task))
        )
    out["blobs"] = sorted(platform.deps.blobs.iter_keys(""))
    return out


def settle(platform: Platform, timeout: float = 30.0) -> None:
    """Wait until no job is queued or running (with the Redis queue, jobs of earlier requests run in
    the background and would change the snapshot under a refused request)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with platform.deps.db.read() as s:
            busy = s.scalar(select(func.count()).select_from(Job).where(Job.state.in_(("queued", "running"))))
        if not busy:
            return
        time.sleep(0.05)


@contextmanager
def unchanged(platform: Platform) -> Iterator[None]:
    settle(platform)
    before = snapshot(platform)
    yield
    after = snapshot(platform)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"a refused request changed stored state: {changed}"


def assert_problem(r: Any, status: int, *fragments: str) -> dict[str, Any]:
    assert r.status_code == status, f"expected {status}, got {r.status_code}: {r.text[:500]}"
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == status and body["type"] == "about:blank" and body["title"], body
    for fragment in fragments:
        assert fragment.lower() in body["detail"].lower(), f"{fragment!r} not in detail {body['detail']!r}"
    return dict(body)


def upload(api: Api, pid: int, name: str, payload: bytes, mime: str = "application/octet-stream") -> Any:
    return api.post(f"{API}/projects/{pid}/assets", files={"file": (name, payload, mime)})


# -- uploads -------------------------------------------------------------------------------------
BAD_FILES = [
    pytest.param(
        "corrupt.png",
        b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 40,
        400,
        ("'corrupt.png'", "truncated or corrupt"),
        id="corrupt-bytes-with-png-signature",
    ),
    pytest.param(
        "astronaut.png",
        ASTRONAUT_PNG[: len(ASTRONAUT_PNG) // 2],
        400,
        ("'astronaut.png'", "truncated or corrupt"),
        id="truncated-png",
    ),
    pytest.param(
        "astronaut.jpg",
        ASTRONAUT_JPG[: len(ASTRONAUT_JPG) // 2],
        400,
        ("'astronaut.jpg'", "truncated or corrupt"),
        id="truncated-jpeg",
    ),
    pytest.param(
        "huge.png",
        bilevel_png(100_000, 100_000, all_rows=False),
        413,
        ("100000 x 100000", f"above the limit of {Settings().max_image_pixels}", "LABELHUB_MAX_IMAGE_PIXELS"),
        id="huge-dimensions-header",
    ),
    pytest.param(
        "bomb.png",
        bilevel_png(24_000, 24_000, all_rows=True),  # 576 MP: past the 500 MP default that large images need
        413,
        ("24000 x 24000", "above the limit"),
        id="decompression-bomb-png",
    ),
    pytest.param(
        "noise.bin",
        np.random.default_rng(7).bytes(4096),
        415,
        ("'noise.bin'", "not a supported media file", ".png"),
        id="unknown-format-random-bytes",
    ),
    pytest.param(
        "notes.rtf",  # .txt is text now (issue 4); an unknown extension with text content is still refused
        b"just some notes\n" * 10,
        415,
        ("'notes.rtf'", "not a supported media file"),
        id="unknown-format-txt",
    ),
    pytest.param(
        "fake.png", b"this is text, not a picture", 400, ("'fake.png'", "truncated or corrupt"), id="text-named-png"
    ),
    pytest.param("empty.png", b"", 400, ("empty",), id="empty-file"),
]


@pytest.mark.parametrize(("name", "payload", "status", "fragments"), BAD_FILES)
def test_bad_upload_is_refused_and_nothing_is_stored(
    env: Env, proj: Proj, name: str, payload: bytes, status: int, fragments: tuple[str, ...]
) -> None:
    with unchanged(env.platform):
        r = upload(env.manager, proj.id, name, payload, "image/png")
        assert_problem(r, status, *fragments)


def test_a_good_upload_still_works_after_refusals(env: Env, proj: Proj) -> None:
    """The control case: the same endpoint accepts a real image (so the refusals above are about
    the files, not the request)."""
    r = upload(env.manager, proj.id, "astronaut.jpg", ASTRONAUT_JPG, "image/jpeg")
    assert r.status_code == 201, r.text
    assert (r.json()["width"], r.json()["height"], r.json()["mime_type"]) == (512, 512, "image/jpeg")


@pytest.fixture
def limited(tmp_path: Path, postgres_url: str | None) -> Iterator[tuple[Platform, Api]]:
    """A platform with small limits: 100,000 pixels and 300,000 bytes per upload."""
    p = build(
        make_settings(tmp_path / "limited", postgres_url, max_image_pixels=100_000, max_upload_bytes=300_000),
        migrate=postgres_url is None,
        immediate_jobs=QUEUE_KIND != "redis",
    )
    with TestClient(create_app(p, run_worker=False), raise_server_exceptions=False) as client:
        m = make_api(p, client, f"limits-{tmp_path.name[-8:].lower().replace('_', '-')}")
        yield p, m
    p.close()


def _project(api: Api) -> int:
    r = api.post(f"{API}/projects", json={"name": "Limits", "ontology": ONTOLOGY})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_image_over_the_pixel_limit_is_413(limited: tuple[Platform, Api]) -> None:
    platform, m = limited
    pid = _project(m)
    assert len(ASTRONAUT_JPG) < 300_000  # under the byte limit: the pixel limit is what refuses it
    with unchanged(platform):
        r = upload(m, pid, "astronaut.jpg", ASTRONAUT_JPG, "image/jpeg")
        body = assert_problem(r, 413, "512 x 512", "above the limit of 100", "LABELHUB_MAX_IMAGE_PIXELS")
    assert body["title"] == "Payload too large"


def test_upload_over_the_byte_limit_is_413(limited: tuple[Platform, Api]) -> None:
    platform, m = limited
    pid = _project(m)
    assert len(ASTRONAUT_PNG) > 300_000
    with unchanged(platform):
        assert_problem(
            upload(m, pid, "astronaut.png", ASTRONAUT_PNG, "image/png"),
            413,
            "larger than the upload limit of 300,000 bytes",
            "LABELHUB_MAX_UPLOAD_BYTES",
        )
        r = m.post(
            f"{API}/projects/{pid}/imports",
            files={
                "file": ("big.zip", zip_of({"a.png": ASTRONAUT_PNG}, compression=zipfile.ZIP_STORED), "application/zip")
            },
        )
        assert_problem(r, 413, "upload limit of 300,000 bytes")


def test_json_body_to_the_multipart_upload_is_422(env: Env, proj: Proj) -> None:
    with unchanged(env.platform):
        r = env.manager.post(f"{API}/projects/{proj.id}/assets", json={"file": "aGVsbG8="})
        body = assert_problem(r, 422, "body.file", "required")
    assert body["errors"][0]["loc"] == ["body", "file"]


def test_multipart_to_a_json_endpoint_is_422(env: Env) -> None:
    with unchanged(env.platform):
        r = env.manager.post(
            f"{API}/projects",
            files={"file": ("p.json", json.dumps({"name": "x", "ontology": ONTOLOGY}).encode(), "application/json")},
        )
        assert_problem(r, 422, "body")
        r = env.manager.post(f"{API}/projects", content=b"name=x", headers={"Content-Type": "text/plain"})
        assert_problem(r, 422, "body")


# -- annotation bodies -------------------------------------------------------------------------
def body_with(
    obj: dict[str, Any] | None = None,
    *,
    objects: list[dict[str, Any]] | None = None,
    classifications: dict[str, Any] | None = None,
) -> dict[str, Any]:
    base = box_body()
    if objects is None:
        objects = [{**base["objects"][0], **(obj or {})}]
    return {
        "objects": objects,
        "classifications": base["classifications"] if classifications is None else classifications,
    }


def car(oid: str, xyxy: list[float]) -> dict[str, Any]:
    return {"id": oid, "class_id": "car", "geometry": {"type": "bbox", "xyxy": xyxy}, "attributes": {"occluded": "no"}}


def road(points: list[list[float]]) -> dict[str, Any]:
    return {"id": "r1", "class_id": "road", "geometry": {"type": "polygon", "points_xy": points}}


def stain(rle: Any) -> dict[str, Any]:
    return {"id": "s1", "class_id": "stain", "geometry": {"type": "mask", "rle": rle}}


BAD_BODIES = [
    pytest.param(
        body_with(objects=[road([[1, 1], [10, 10]])]),
        ("objects[0].geometry.points_xy", "at least 3"),
        id="polygon-with-2-points",
    ),
    pytest.param(body_with(objects=[road([[1, 1], [10, 10], [20, 20]])]), ("zero area",), id="polygon-collinear"),
    pytest.param(body_with(objects=[car("c1", [50, 10, 10, 40])]), ("x1 <= x2",), id="bbox-x2-less-than-x1"),
    pytest.param(
        body_with(objects=[car("c1", [float("nan"), 10, 50, 40])]),
        ("objects[0].geometry.xyxy[0]", "finite number"),
        id="nan-coordinate",
    ),
    pytest.param(
        body_with(objects=[car("c1", [10, 10, float("inf"), 40])]),
        ("objects[0].geometry.xyxy[2]", "finite number"),
        id="infinite-coordinate",
    ),
    pytest.param(
        body_with(objects=[car("c1", [100, 60, 200, 90])]),
        ("wholly outside", "64 x 48"),
        id="box-wholly-outside-the-image",
    ),
    pytest.param(body_with(objects=[car("c1", [10, 10, 50])]), ("xyxy", "list of 4 numbers"), id="bbox-3-numbers"),
    pytest.param(
        body_with(objects=[stain({"size": [10, 10], "counts": [100]})]),
        ("rle.size [10, 10]", "does not match", "[48, 64]"),
        id="mask-rle-size-mismatch",
    ),
    pytest.param(
        body_with(objects=[stain({"size": [HEIGHT, WIDTH], "counts": [5, 5]})]),
        ("rle.counts", "summing to height x width"),
        id="mask-rle-counts-short",
    ),
    pytest.param(
        body_with(objects=[stain({"size": HEIGHT * WIDTH, "counts": [HEIGHT * WIDTH]})]),
        ("rle", "size"),
        id="mask-rle-size-not-a-list",
    ),
    pytest.param(
        body_with(objects=[stain({"size": [HEIGHT, WIDTH], "counts": HEIGHT * WIDTH})]),
        ("rle", "counts"),
        id="mask-rle-counts-a-number",
    ),
    pytest.param(
        body_with({"class_id": "truck"}), ("objects[0]", "unknown class 'truck'", "car"), id="unknown-class-id"
    ),
    pytest.param(
        body_with({"geometry": {"type": "polygon", "points_xy": [[1, 1], [9, 1], [9, 9]]}}),
        ("'polygon'", "class 'car' is drawn with 'bbox'"),
        id="geometry-type-not-the-class-tool",
    ),
    pytest.param(
        body_with(objects=[car("same", [1, 1, 5, 5]), car("same", [10, 10, 20, 20])]),
        ("objects[1].id 'same'", "used twice"),
        id="duplicate-object-ids",
    ),
    pytest.param(
        body_with({"attributes": {"occluded": "no", "how_much": 50}}),
        ("how_much", "parent option is not chosen"),
        id="answer-under-an-unchosen-option",
    ),
    pytest.param(
        body_with({"attributes": {"occluded": "yes", "how_much": 150}}),
        ("how_much", "outside the allowed range"),
        id="number-out-of-range",
    ),
    pytest.param(
        body_with({"attributes": {"occluded": "maybe"}}), ("occluded", "choose one of"), id="radio-answer-not-an-option"
    ),
    pytest.param(
        body_with(classifications={"weather": "sun", "mood": "happy"}),
        ("classifications", "unknown question", "mood"),
        id="unknown-question",
    ),
    pytest.param(
        {"objects": "not a list", "classifications": {}}, ("objects must be a list",), id="objects-not-a-list"
    ),
]


def _send_body(env: Env, proj: Proj, endpoint: str, body: dict[str, Any]) -> Any:
    # NaN and Infinity are not JSON, but Python (and so the server) parse them: send them raw.
    text = json.dumps({"body": body}, allow_nan=True)
    headers = {"Content-Type": "application/json"}
    if endpoint == "draft":
        return env.labeler.put(f"{API}/tasks/{proj.task_id}/draft", content=text, headers=headers)
    return env.labeler.post(f"{API}/tasks/{proj.task_id}/submit", content=text, headers=headers)


@pytest.mark.parametrize("endpoint", ["draft", "submit"])
@pytest.mark.parametrize(("body", "fragments"), BAD_BODIES)
def test_invalid_annotation_is_400_and_nothing_changes(
    env: Env, proj: Proj, endpoint: str, body: dict[str, Any], fragments: tuple[str, ...]
) -> None:
    with unchanged(env.platform):
        r = _send_body(env, proj, endpoint, body)
        assert_problem(r, 400, *fragments)


def test_missing_required_answers_refuse_a_submit_but_not_a_draft(env: Env, proj: Proj) -> None:
    incomplete = body_with({"attributes": {}}, classifications={})
    with unchanged(env.platform):
        r = _send_body(env, proj, "submit", incomplete)
        assert_problem(r, 400, "required question", "not answered")
    r = _send_body(env, proj, "draft", incomplete)
    assert r.status_code == 200, r.text
    with env.platform.deps.db.read() as s:
        stored = json.loads(s.get(Draft, (proj.task_id, env.labeler.user_id)).body_json)
        assert (
            s.scalar(
                select(func.count()).select_from(AnnotationRevision).where(AnnotationRevision.task_id == proj.task_id)
            )
            == 0
        )
    assert stored["classifications"] == {} and stored["objects"][0]["attributes"] == {}
    # A question under a chosen option is required too, on submit only.
    nested = body_with({"attributes": {"occluded": "yes"}})
    with unchanged(env.platform):
        assert_problem(_send_body(env, proj, "submit", nested), 400, "how much", "not answered")
    r = _send_body(env, proj, "submit", body_with({"attributes": {"occluded": "yes", "how_much": 30}}))
    assert r.status_code == 201, r.text


# -- ontologies --------------------------------------------------------------------------------
def _onto(**class_overrides: Any) -> dict[str, Any]:
    cls = {"id": "car", "name": "Car", "tool": "bbox", "color": "#e6194b", **class_overrides}
    return {"classes": [cls]}


BAD_ONTOLOGIES = [
    pytest.param(_onto(tool="laser"), ("classes[0].tool 'laser' is unknown", "bbox"), id="unknown-tool"),
    pytest.param(
        {"classes": [_onto()["classes"][0], {"id": "car", "name": "Car 2", "tool": "point"}]},
        ("duplicate class id 'car'",),
        id="duplicate-class-id",
    ),
    pytest.param(
        {"classes": [], "classifications": [{"id": "q", "name": "Q", "kind": "radio"}]},
        ("classifications[0]", "needs a non-empty 'options' list"),
        id="radio-without-options",
    ),
    pytest.param(
        {"classes": [], "classifications": [{"id": "q", "name": "Q", "kind": "radio", "options": []}]},
        ("classifications[0]", "non-empty 'options'"),
        id="radio-with-empty-options",
    ),
    pytest.param(_onto(color="red"), ("classes[0].color", "hex colour", "'red'"), id="bad-colour"),
    pytest.param(_onto(color="#12345"), ("classes[0].color",), id="short-hex-colour"),
    pytest.param(_onto(id="no spaces"), ("classes[0].id", "not a valid id"), id="bad-class-id"),
    pytest.param({"classes": [], "labels": []}, ("unknown ontology keys", "labels"), id="unknown-key"),
]


@pytest.mark.parametrize(("ontology", "fragments"), BAD_ONTOLOGIES)
def test_invalid_ontology_on_project_create(env: Env, ontology: dict[str, Any], fragments: tuple[str, ...]) -> None:
    with unchanged(env.platform):
        r = env.manager.post(f"{API}/projects", json={"name": "Broken", "ontology": ontology})
        assert_problem(r, 400, *fragments)


def test_invalid_ontology_update_keeps_the_current_version(env: Env, proj: Proj) -> None:
    with unchanged(env.platform):
        r = env.manager.put(f"{API}/projects/{proj.id}/ontology", json={"ontology": _onto(tool="laser")})
        assert_problem(r, 400, "tool 'laser' is unknown")


# -- zip imports ---------------------------------------------------------------------------------
PNG_A = png_bytes(20, 10, seed=1)
BAD_ZIPS = [
    pytest.param(zip_of({"ok.png": PNG_A, "../evil.png": PNG_A}), ("unsafe path '../evil.png'",), id="path-traversal"),
    pytest.param(zip_of({"a/../../evil.png": PNG_A}), ("unsafe path",), id="nested-traversal"),
    pytest.param(zip_of({"/etc/x.png": PNG_A}), ("unsafe path '/etc/x.png'",), id="absolute-path"),
    pytest.param(zip_of({"C:/x.png": PNG_A}), ("unsafe path",), id="drive-letter"),
    pytest.param(
        zip_of({"ok.png": PNG_A, "link.png": b"/etc/passwd"}, symlinks=("link.png",)),
        ("symbolic link 'link.png'",),
        id="symlink-member",
    ),
    pytest.param(b"this is not a zip file at all", ("not a valid zip",), id="not-a-zip"),
    pytest.param(PNG_A, ("not a valid zip",), id="png-named-zip"),
    pytest.param(zip_of({"zeros.png": b"\x00" * 5_000_000}), ("'zeros.png' expands", "zip bomb"), id="zip-bomb-ratio"),
]


@pytest.mark.parametrize(("archive", "fragments"), BAD_ZIPS)
def test_unsafe_archive_is_400_and_nothing_is_stored(
    env: Env, proj: Proj, archive: bytes, fragments: tuple[str, ...]
) -> None:
    with unchanged(env.platform):
        r = env.manager.post(
            f"{API}/projects/{proj.id}/imports", files={"file": ("upload.zip", archive, "application/zip")}
        )
        assert_problem(r, 400, *fragments)


def test_archive_with_a_corrupt_file_imports_the_good_ones_and_names_the_bad(env: Env, proj: Proj) -> None:
    good = {"photos/one.png": png_bytes(30, 20, seed=11), "photos/two.png": png_bytes(30, 20, seed=12)}
    bad = png_bytes(30, 20, seed=13)[:60]
    archive = zip_of({**good, "photos/bad.png": bad})
    r = env.manager.post(f"{API}/projects/{proj.id}/imports", files={"file": ("batch.zip", archive, "application/zip")})
    assert r.status_code == 202, r.text
    job = env.manager.wait_job(r.json()["id"])
    assert job["state"] == "succeeded", job
    result = job["result"]
    assert (result["imported"], result["failed"], result["duplicates"]) == (2, 1, 0), result
    [err] = result["errors"]
    assert err["file"] == "photos/bad.png" and err["status"] == 400
    assert "truncated or corrupt" in err["error"] and "bad.png" in err["error"]
    with env.platform.deps.db.read() as s:
        names = sorted(s.scalars(select(Asset.filename).where(Asset.project_id == proj.id)))
        tasks = s.scalar(select(func.count()).select_from(Task).where(Task.project_id == proj.id))
    assert names == ["one.png", "street.png", "two.png"] and tasks == 3
    assert not [k for k in env.platform.deps.blobs.iter_keys("uploads/")], "the uploaded zip is removed after import"


# -- bulk registration -------------------------------------------------------------------------
def test_bulk_register_reports_bad_items_and_creates_the_good(env: Env, proj: Proj) -> None:
    inside = env.import_root / "cam" / "frame.png"
    inside.parent.mkdir(parents=True, exist_ok=True)
    inside.write_bytes(png_bytes(40, 30, seed=21))
    items = [
        {"uri": "https://cdn.example.com/a.png", "width": 640, "height": 480},
        {"uri": "file:///etc/passwd"},
        {"uri": "ftp://files.example.com/b.png"},
        {"uri": inside.as_uri()},
        {"uri": f"file://{env.import_root}/../outside.png"},
        {"uri": "https://cdn.example.com/c.txt", "kind": "hologram", "width": 1, "height": 1},
    ]
    before = snapshot(env.platform)
    r = env.manager.post(f"{API}/projects/{proj.id}/assets/bulk", json={"items": items})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["created"] == 2 and out["pending_probe"] == 1
    errors = {e["index"]: e["error"] for e in out["errors"]}
    assert sorted(errors) == [1, 2, 4, 5]
    assert "file:///etc/passwd" in errors[1] and "outside the server's import folders" in errors[1]
    assert "ftp://" in errors[2] and "use a blob://, file://" in errors[2]
    assert "outside the server's import folders" in errors[4]
    assert "hologram" in errors[5]
    with env.platform.deps.db.read() as s:
        rows = {a.filename: a for a in s.scalars(select(Asset).where(Asset.project_id == proj.id))}
    assert set(rows) == {"street.png", "a.png", "frame.png"}
    assert rows["a.png"].status == "ready" and (rows["a.png"].width, rows["a.png"].height) == (640, 480)
    assert snapshot(env.platform)["assets"] == before["assets"] + 2
    assert snapshot(env.platform)["tasks"] == before["tasks"] + 2
    # The file inside the import folder is probed by a job.
    deadline = time.monotonic() + 30
    while True:
        with env.platform.deps.db.read() as s:
            frame = s.get(Asset, rows["frame.png"].id)
        if frame.status != "pending" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert (frame.status, frame.width, frame.height) == ("ready", 40, 30)


def test_bulk_register_with_only_bad_items_creates_nothing(env: Env, proj: Proj) -> None:
    with unchanged(env.platform):
        r = env.manager.post(
            f"{API}/projects/{proj.id}/assets/bulk",
            json={"items": [{"uri": "gopher://x/y"}, {"uri": "file:///root/secret.png"}]},
        )
        assert r.status_code == 201, r.text
        assert r.json()["created"] == 0 and [e["index"] for e in r.json()["errors"]] == [0, 1]


def test_bulk_register_item_schema_errors_are_422(env: Env, proj: Proj) -> None:
    with unchanged(env.platform):
        r = env.manager.post(
            f"{API}/projects/{proj.id}/assets/bulk",
            json={"items": [{"uri": "https://x/a.png", "width": 0, "height": 5}]},
        )
        assert_problem(r, 422, "body.items.0.width", "greater than or equal to 1")
        assert_problem(
            env.manager.post(f"{API}/projects/{proj.id}/assets/bulk", json={"items": [{}]}),
            422,
            "body.items.0.uri",
            "required",
        )


# -- paging --------------------------------------------------------------------------------------
def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


LISTS = ["/projects", "/projects/{pid}/tasks", "/projects/{pid}/assets", "/tasks/{tid}/revisions"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("cursor", ["garbage", "%%%", _b64("id:abc"), _b64("page:5"), _b64("5"), "\u00e9t\u00e9"])
def test_garbage_cursor_is_400(env: Env, proj: Proj, path: str, cursor: str) -> None:
    url = API + path.format(pid=proj.id, tid=proj.task_id)
    r = env.manager.get(url, params={"cursor": cursor})
    assert_problem(r, 400, "cursor is not valid", "next_cursor")


@pytest.mark.parametrize("path", [*LISTS, "/projects/{pid}/jobs"])
@pytest.mark.parametrize("limit", ["0", "-1", "501", "100000", "ten"])
def test_limit_out_of_range_is_422(env: Env, proj: Proj, path: str, limit: str, request: pytest.FixtureRequest) -> None:
    url = API + path.format(pid=proj.id, tid=proj.task_id)
    r = env.manager.get(url, params={"limit": limit})
    body = assert_problem(r, 422, "query.limit")
    assert body["errors"][0]["loc"] == ["query", "limit"]


def test_a_real_cursor_pages_through(env: Env, proj: Proj) -> None:
    """Control: the cursor the server hands out works, so the 400s above are about the garbage."""
    url = f"{API}/projects/{proj.id}/assets"
    for i in range(2):
        ingest(env.platform.deps, proj.id, env.manager.user_id, io.BytesIO(png_bytes(8, 8, seed=500 + i)), f"x{i}.png")
    first = env.manager.get(url, params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = env.manager.get(url, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None


# -- other refusals --------------------------------------------------------------------------------
def test_other_bad_requests(env: Env, proj: Proj) -> None:
    m, lab = env.manager, env.labeler
    with unchanged(env.platform):
        assert_problem(lab.post(f"{API}/tasks/{proj.task_id}/skip", json={"reason": "   "}), 400, "say why")
        assert_problem(
            lab.post(f"{API}/tasks/{proj.task_id}/time", json={"active_seconds": -1}), 422, "body.active_seconds"
        )
        assert_problem(
            m.put(f"{API}/tasks/{proj.task_id}/priority", params={"priority": "high"}), 422, "query.priority"
        )
        assert_problem(m.post(f"{API}/projects/{proj.id}/exports", json={"states": ["done"]}), 422, "body.states")
        assert_problem(
            m.patch(f"{API}/projects/{proj.id}", json={"settings": {"colour": "red"}}),
            400,
            "unknown project settings",
            "colour",
        )
        assert_problem(
            m.put(f"{API}/projects/{proj.id}/members", json={"username": "nobody", "role": "labeler"}),
            404,
            "no user named 'nobody'",
        )
        assert_problem(
            m.put(f"{API}/projects/{proj.id}/members", json={"username": "labeler", "role": "boss"}), 422, "body.role"
        )
        assert_problem(m.post(f"{API}/projects", json={"name": " ", "ontology": ONTOLOGY}), 400, "name")
        assert_problem(
            m.post(f"{API}/projects", content=b"{not json", headers={"Content-Type": "application/json"}), 422, "json"
        )
        assert_problem(m.post(f"{API}/tokens", json={"name": "x", "days": 0}), 422, "body.days")
