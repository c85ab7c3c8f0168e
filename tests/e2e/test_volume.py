"""The volume viewer in a real browser: a NIfTI (synthetic, with a right-pointing column axis so
the display must flip it) opens in three planes; scroll, window/level, paint on the axial view and
see it in the coronal view (canvas pixels), interpolate between two painted slices, draw a 3-D box
on the axial view and stretch it on the coronal view, submit, and check the stored RLE voxel by
voxel against the browser's label map and the box in voxels; the NIfTI label-map export
(``nifti-labels``) holds the same voxels with the uploaded file's affine.

The tests run in file order and share one task (module fixture ``vol``).
"""

from __future__ import annotations

import gzip
import importlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in, until

ONTOLOGY = {
    "classes": [
        {"id": "liver", "name": "Liver", "tool": "volume_mask", "color": "#e69f00"},
        {"id": "tumour", "name": "Tumour", "tool": "volume_mask", "color": "#56b4e9"},
        {"id": "lesion", "name": "Lesion", "tool": "volume_box", "color": "#009e73"},
    ]
}
SHAPE_IJK = (64, 48, 40)
# RAS: i -> +x (patient's right), j -> -y (posterior), k -> +z (superior); 0.8 x 0.9 x 2.0 mm.
AFFINE_RAS = np.array([[0.8, 0, 0, -25.0], [0, -0.9, 0, 20.0], [0, 0, 2.0, -40.0], [0, 0, 0, 1]])


def synthetic_nifti() -> bytes:
    nib: Any = importlib.import_module("nibabel")
    i, j, k = np.indices(SHAPE_IJK)
    body = ((i - 32) / 28) ** 2 + ((j - 24) / 20) ** 2 <= 1
    data = np.where(body, 40, -1000).astype(np.int16)
    data[((i - 40) ** 2 + (j - 20) ** 2 + ((k - 20) * 2.5) ** 2) <= 36] = 700
    img = nib.Nifti1Image(data, AFFINE_RAS)
    img.header.set_xyzt_units("mm")
    return gzip.compress(img.to_bytes())


@dataclass
class Vol:
    project_id: int
    task_id: int
    asset_id: int
    labeler: httpx.Client


@pytest.fixture(scope="module")
def vol(site: Site) -> Iterator[Vol]:
    project_id = site.project(ONTOLOGY, "Liver CT")
    token = site.server.make_user("rad-vol", LABELER_PASSWORD)
    site.api.put(f"/projects/{project_id}/members", json={"username": "rad-vol", "role": "labeler"}).raise_for_status()
    r = site.api.post(f"/projects/{project_id}/assets", files={"file": ("abdomen.nii.gz", synthetic_nifti())})
    r.raise_for_status()
    asset = r.json()
    assert asset["kind"] == "volume", asset
    with site.as_user(token) as labeler:
        leased = labeler.post(f"/projects/{project_id}/next-task")
        leased.raise_for_status()
        yield Vol(project_id, int(leased.json()["task"]["id"]), int(asset["id"]), labeler)


@pytest.fixture(scope="module")
def page(browser: Any, site: Site, vol: Vol) -> Iterator[Any]:
    p = new_page(browser, site)
    sign_in(p, "rad-vol", LABELER_PASSWORD)
    yield p
    p.context.close()


def screen_of(page: Any, plane: str, pu: float, pv: float) -> tuple[float, float]:
    """CSS page coordinates of image point (pu, pv) of a view (pixel centres at +0.5)."""
    canvas = page.locator(f".vv-{plane} canvas").bounding_box()
    pl = page.evaluate(f"() => window.__labelhubVolume.placements.{plane}")
    return canvas["x"] + pl["ox"] + pu * pl["sx"], canvas["y"] + pl["oy"] + pv * pl["sy"]


def pixel(page: Any, plane: str, pu: float, pv: float) -> list[int]:
    """RGBA of the view's canvas at image point (pu, pv)."""
    return list(
        page.evaluate(
            """([plane, pu, pv]) => {
                const c = document.querySelector(`.vv-${plane} canvas`);
                const pl = window.__labelhubVolume.placements[plane];
                const dpr = window.devicePixelRatio || 1;
                const x = Math.round((pl.ox + pu * pl.sx) * dpr), y = Math.round((pl.oy + pv * pl.sy) * dpr);
                return Array.from(c.getContext("2d").getImageData(x, y, 1, 1).data);
            }""",
            [plane, pu, pv],
        )
    )


def slice_text(page: Any, plane: str) -> str:
    return str(page.get_by_test_id(f"slice-{plane}").inner_text())


def test_opens_in_three_planes_with_orientation(page: Any, vol: Vol, shots: Path) -> None:
    page.goto(f"/tasks/{vol.task_id}")
    page.get_by_test_id("volume-viewer").wait_for()
    assert until(lambda: page.evaluate("() => (window.__labelhubVolume?.frames ?? 0) >= 3"))
    for plane, right in (("axial", "L"), ("coronal", "L"), ("sagittal", "P")):
        assert page.get_by_test_id(f"marker-right-{plane}").inner_text() == right
    assert slice_text(page, "axial") == "21 / 40"
    assert page.evaluate("() => window.__labelhubVolume.maps.axial.flipU") is True
    # Column i runs to the patient's right, so the display flips it: the bright sphere at i = 40
    # (patient's right of centre) is drawn left of centre on the axial view.
    page.evaluate("() => { const s = window.__labelhubVolume; s.setWindow(300, 1000); }")
    page.wait_for_timeout(100)
    assert pixel(page, "axial", 64 - 40 - 0.5, 20.5)[0] > 200
    assert pixel(page, "axial", 40.5, 20.5)[0] < 150
    page.screenshot(path=shots / "volume-open.png")


def test_scroll_and_window_level(page: Any, vol: Vol, shots: Path) -> None:
    x, y = screen_of(page, "axial", 32, 24)
    page.mouse.move(x, y)
    for _ in range(3):
        page.mouse.wheel(0, 100)
        page.wait_for_timeout(30)
    assert until(lambda: slice_text(page, "axial") == "24 / 40")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("PageUp")
    assert until(lambda: slice_text(page, "axial") == "13 / 40")
    page.get_by_test_id("slice-slider").fill("20")
    assert until(lambda: slice_text(page, "axial") == "21 / 40")
    page.get_by_role("button", name="lung").click()
    assert until(lambda: page.get_by_test_id("wl-axial").inner_text() == "W 1500 L -600")
    page.mouse.move(x, y)
    page.mouse.down(button="right")
    page.mouse.move(x + 60, y + 30, steps=4)
    page.mouse.up(button="right")
    # A right-drag widens the window (right) and moves the level (down).  How far depends on how
    # many move events the browser coalesced, so the check is the direction, not an exact value.
    assert until(lambda: page.get_by_test_id("wl-axial").inner_text() != "W 1500 L -600")
    width, level = (int(v) for v in page.get_by_test_id("wl-axial").inner_text()[2:].split(" L "))
    assert width > 1500 and level != -600, (width, level)
    page.get_by_role("button", name="soft tissue").click()
    assert until(lambda: page.get_by_test_id("wl-coronal").inner_text() == "W 400 L 40")


def test_paint_on_axial_shows_in_coronal_and_interpolates(page: Any, vol: Vol, shots: Path) -> None:
    session = "window.__labelhubVolume"
    page.keyboard.press("g")
    page.keyboard.press("1")
    assert page.evaluate(f"() => {session}.tool") == "brush"
    page.evaluate(f"() => {session}.set('brushMm', 4)")
    # The coronal view shows row j = 24 (the crosshair); paint through it on axial slice k = 20.
    assert page.evaluate(f"() => {session}.slice('coronal')") == 24
    # i = 20 (flipped), k = 20 (superior up), a quarter voxel above its centre: off the crosshair line.
    coronal_at = (64 - 20 - 0.5, 40 - 20 - 0.5 - 0.25)
    before = pixel(page, "coronal", *coronal_at)
    assert abs(before[0] - before[2]) < 3, before  # grey
    x, y = screen_of(page, "axial", 64 - 20, 24.5)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 3, y, steps=2)
    page.mouse.up()
    page.wait_for_timeout(100)
    after = pixel(page, "coronal", *coronal_at)
    assert after[0] - after[2] > 60, after  # the liver colour (orange) over grey
    # A second disc 8 slices up, then interpolate the gap (I).
    page.evaluate(f"() => {session}.setSlice('axial', 28)")
    x2, y2 = screen_of(page, "axial", 64 - 22, 26.5)
    page.mouse.click(x2, y2)
    page.keyboard.press("i")
    filled = page.evaluate(
        f"""() => {{ const s = {session}; const m = s.maps.axial; const out = [];
            for (let k = 19; k <= 29; k++) {{ let n = 0; const base = k * m.width * m.height;
              for (let p = 0; p < m.width * m.height; p++) if (s.labels.data[base + p] === 1) n++; out.push(n); }}
            return out; }}"""
    )
    assert filled[0] == 0 and filled[-1] == 0, filled
    assert all(n > 0 for n in filled[1:-1]), filled
    page.evaluate(f"() => {session}.setCursor([20, 24, 24])")
    page.wait_for_timeout(100)
    page.screenshot(path=shots / "volume-segmentation.png")


def test_box_drawn_on_axial_adjusted_on_coronal(page: Any, vol: Vol, shots: Path) -> None:
    session = "window.__labelhubVolume"
    page.keyboard.press("b")
    page.evaluate(f"() => {session}.setSlice('axial', 20)")
    page.mouse.move(*screen_of(page, "axial", 64 - 46, 14))
    page.mouse.down()
    page.mouse.move(*screen_of(page, "axial", 64 - 34, 26), steps=4)
    page.mouse.up()
    box = page.evaluate(f"() => {session}.boxes[0].xyzxyz")
    # i 34..46, j 14..26 (12 x 12 voxels = 9.6 x 10.8 mm) -> 10.2 mm deep = 5 slices of 2 mm about k = 20.5.
    assert box == [34, 14, 18, 46, 26, 23], box
    # Stretch the superior face (top edge on the coronal view; coronal shows j = 24, inside the box).
    page.evaluate(f"() => {session}.setCursor([40, 20, 20])")
    page.wait_for_timeout(50)
    top = 40 - 23
    page.mouse.move(*screen_of(page, "coronal", 64 - 40, top))
    page.mouse.down()
    page.mouse.move(*screen_of(page, "coronal", 64 - 40, 40 - 27), steps=4)
    page.mouse.up()
    assert page.evaluate(f"() => {session}.boxes[0].xyzxyz") == [34, 14, 18, 46, 26, 27]
    page.screenshot(path=shots / "volume-box.png")


def rle_decode_f(size: list[int], counts: list[int]) -> np.ndarray:
    flat = np.zeros(int(np.prod(size)), dtype=bool)
    pos = 0
    for n, run in enumerate(counts):
        if n % 2:
            flat[pos : pos + run] = True
        pos += run
    assert pos == flat.size
    return flat.reshape(size, order="F")


def test_submit_stores_the_label_map_and_box(page: Any, site: Site, vol: Vol, shots: Path) -> None:
    painted = np.array(page.evaluate("() => Array.from(window.__labelhubVolume.labels.data)"), dtype=np.uint8)
    page.keyboard.press("Control+Enter")
    page.wait_for_url(f"**/projects/{vol.project_id}", timeout=20_000)
    head = vol.labeler.get(f"/tasks/{vol.task_id}/annotation").json()
    objects = {o["class_id"]: o for o in head["body"]["objects"]}
    assert set(objects) == {"liver", "lesion"}
    mask = objects["liver"]["geometry"]
    assert mask["type"] == "volume_mask" and mask["rle"]["size"] == [40, 48, 64]
    stored = rle_decode_f(mask["rle"]["size"], mask["rle"]["counts"])
    assert stored.sum() > 200
    assert np.array_equal(stored, painted.reshape(40, 48, 64) == 1)
    assert objects["lesion"]["geometry"] == {"type": "volume_box", "xyzxyz": [34, 14, 18, 46, 26, 27]}
    # The label map in the source's voxel order with the source's affine lines up with the NIfTI:
    # the blob's affine_lps converted back to RAS is the file's affine.
    from labelhub.media.volume import read_header

    blob = vol.labeler.get(f"/assets/{vol.asset_id}/content").content
    header = read_header(io.BytesIO(blob))
    ras = np.diag([-1.0, -1.0, 1.0, 1.0]) @ np.array(header["affine_lps"])
    assert np.allclose(ras, AFFINE_RAS, atol=1e-5)
    label_ijk = stored.transpose(2, 1, 0)
    assert label_ijk.shape == SHAPE_IJK
    # The first disc was centred near voxel (i 20, j 24) on slice k 20.
    ii, jj = np.nonzero(label_ijk[:, :, 20])
    assert abs(ii.mean() - 20) < 1.5 and abs(jj.mean() - 24.5) < 1.5
    check_nifti_export(site, vol, label_ijk)


def check_nifti_export(site: Site, vol: Vol, label_ijk: np.ndarray) -> None:
    """The NIfTI label-map export: the painted voxels (value 1 = the first class) and the file's own affine."""
    nib: Any = importlib.import_module("nibabel")
    job = site.api.post(
        f"/projects/{vol.project_id}/exports", json={"format": "nifti-labels", "include_media": False}
    ).json()
    job = until(lambda: (j := site.api.get(f"/jobs/{job['id']}").json())["state"] in ("succeeded", "failed") and j, 60)
    assert job and job["state"] == "succeeded", job
    archive = zipfile.ZipFile(io.BytesIO(site.api.get(f"/jobs/{job['id']}/download").content))
    names = [n for n in archive.namelist() if n.startswith("labels/") and n.endswith(".nii.gz")]
    assert len(names) == 1, archive.namelist()
    img = nib.Nifti1Image.from_bytes(gzip.decompress(archive.read(names[0])))
    data = np.asarray(img.dataobj)
    assert data.shape == SHAPE_IJK
    assert np.array_equal(data == 1, label_ijk) and set(np.unique(data).tolist()) == {0, 1}
    assert np.allclose(img.affine, AFFINE_RAS, atol=1e-5)
