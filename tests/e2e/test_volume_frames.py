"""A volume stored as several zstd frames (media/volume.py writes one per ~8 MB slab) opens in a
real browser with every frame decoded by the Web Worker pool (viewers/volume/zstdPool.ts), and the
browser's voxels equal the server's, checked by a position-weighted checksum over all of them."""

from __future__ import annotations

import gzip
import importlib
import io
import time
from typing import Any

import numpy as np

from labelhub.media.volume import decode
from tests.e2e.conftest import LABELER_PASSWORD, Site, new_page, sign_in

ONTOLOGY = {"classes": [{"id": "organ", "name": "Organ", "tool": "volume_mask", "color": "#e69f00"}]}
SHAPE_IJK = (160, 128, 220)  # 40,960 bytes a slice: two frames of 204 and 16 slices


def nifti() -> bytes:
    nib: Any = importlib.import_module("nibabel")
    i, j, k = np.indices(SHAPE_IJK)
    data = ((i * 7 + j * 3 + k * 11) % 2000 - 1000).astype(np.int16)
    return gzip.compress(nib.Nifti1Image(data, np.diag([0.7, 0.7, 1.5, 1.0])).to_bytes())


CHECKSUM_JS = """() => {
  const v = window.__labelhubVolume.volume.voxels;
  let sum = 0, weighted = 0;
  for (let n = 0; n < v.length; n++) { sum += v[n]; weighted += v[n] * (n % 97); }
  return [v.length, sum, weighted];
}"""


def test_a_volume_of_several_frames_is_decoded_in_workers_voxel_for_voxel(browser: Any, site: Site) -> None:
    project_id = site.project(ONTOLOGY, "Frames")
    token = site.server.make_user("rad-frames", LABELER_PASSWORD)
    member = {"username": "rad-frames", "role": "labeler"}
    site.api.put(f"/projects/{project_id}/members", json=member).raise_for_status()
    asset = site.api.post(f"/projects/{project_id}/assets", files={"file": ("big.nii.gz", nifti())}).json()
    header, voxels = decode(io.BytesIO(site.api.get(f"/assets/{asset['id']}/content").content))
    assert len(header["chunks"]) == 2 and header["chunk_slices"] == 204
    with site.as_user(token) as labeler:
        task = labeler.post(f"/projects/{project_id}/next-task").json()["task"]
    page = new_page(browser, site)
    try:
        sign_in(page, "rad-frames", LABELER_PASSWORD)
        page.goto(f"/tasks/{task['id']}")
        deadline = time.monotonic() + 30
        while not page.evaluate("() => (window.__labelhubVolume?.frames ?? 0) >= 3") and time.monotonic() < deadline:
            time.sleep(0.1)
        length, total, weighted = page.evaluate(CHECKSUM_JS)
        flat = voxels.ravel().astype(np.float64)
        assert length == flat.size
        assert total == flat.sum()
        assert weighted == (flat * (np.arange(flat.size) % 97)).sum()
        workers = page.evaluate(
            "() => performance.getEntriesByType('resource').filter((e) => e.name.includes('zstdWorker')).length"
        )
        assert workers >= 1  # the frames went through the worker pool, not the main thread
    finally:
        page.context.close()
