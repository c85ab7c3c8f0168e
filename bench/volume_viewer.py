"""Volume viewer benchmark: a synthetic 512 x 512 x 300 CT series (pydicom, CT_small's header, a
body/lungs/spine phantom with noise) imported as a zip through a real ``labelhub serve``, then
opened in headless Chromium (/usr/bin/chromium, as tests/e2e) by a labeler.

Figures (one run each; prints, never passes or fails):
- first three-plane view: from navigation start (performance.now() = 0) to the frame where all
  three views have drawn their first slice, with the share spent fetching and decoding the blob;
  for zstd, the stored blob (frames of ~8 MB decoded by a worker pool as they arrive) and the same
  voxels as one zstd frame (the layout before chunking, decoded on the main thread) are opened
  alternately ``--repeat`` times each in fresh browser contexts, and medians printed side by side;
- slice scrolling: slices drawn per second while the slice changes on every animation frame
  (the input rate of a fast wheel), per plane, and the mean time to render one slice.

    .venv/bin/python bench/volume_viewer.py                     # zstd blob (the default)
    .venv/bin/python bench/volume_viewer.py --compression gzip  # LABELHUB_VOLUME_COMPRESSION=gzip
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pydicom
from pydicom.data import get_testdata_file
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from tests.sdk.conftest import ADMIN_PASSWORD, LABELHUB, Server, _wait_healthy, free_port  # noqa: E402

PASSWORD = "bench labeler password"


def phantom(size: int, k: int, slices: int, rng: np.random.Generator) -> np.ndarray:
    """HU of one axial slice: air, an elliptic body (soft tissue), two lungs, a spine, noise."""
    y, x = np.mgrid[0:size, 0:size] / size - 0.5
    z = k / max(slices - 1, 1) - 0.5
    hu = np.full((size, size), -1000.0)
    hu[(x / 0.42) ** 2 + (y / 0.3) ** 2 <= 1] = 40
    lung = 0.1 + 0.05 * np.cos(z * 3)
    hu[((x - 0.17) / lung) ** 2 + ((y + 0.02) / 0.17) ** 2 <= 1] = -850
    hu[((x + 0.17) / lung) ** 2 + ((y + 0.02) / 0.17) ** 2 <= 1] = -850
    hu[(x / 0.05) ** 2 + ((y - 0.2) / 0.05) ** 2 <= 1] = 700
    return hu + rng.normal(0, 12, hu.shape)


def series_zip(slices: int, size: int) -> bytes:
    path = get_testdata_file("CT_small.dcm", download=False)
    assert path is not None
    base = pydicom.dcmread(str(path))
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    rng = np.random.default_rng(0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for k in range(slices):
            ds = copy.deepcopy(base)
            ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
            ds.SOPInstanceUID = generate_uid()
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds.InstanceNumber = k + 1
            ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
            ds.ImagePositionPatient = [-250.0, -250.0, -400.0 + 1.25 * k]
            ds.Rows = ds.Columns = size
            ds.PixelSpacing = [0.9765625, 0.9765625]
            ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
            stored = (phantom(size, k, slices, rng) + 1024).clip(-1024, 3071).astype(np.int16)
            ds.PixelData = stored.tobytes()
            out = io.BytesIO()
            pydicom.dcmwrite(out, ds, enforce_file_format=True)
            zf.writestr(f"ct/{k:04d}.dcm", out.getvalue())
    return buf.getvalue()


def start_server(data_dir: Path, compression: str) -> tuple[subprocess.Popen[bytes], Server]:
    log = data_dir.parent / "server.log"
    boot = Server("", "", data_dir, log)
    made = boot.cli(
        "user", "create", "--username", "admin", "--admin", "--data-dir", str(data_dir), input=ADMIN_PASSWORD + "\n"
    )
    assert made.returncode == 0, made.stderr
    tok = boot.cli("token", "create", "--username", "admin", "--name", "bench", "--data-dir", str(data_dir))
    token = tok.stdout.strip().splitlines()[-1]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELHUB_")} | {
        "LABELHUB_VOLUME_COMPRESSION": compression
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [LABELHUB, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    _wait_healthy(url, proc, log)
    return proc, Server(url, token, data_dir, log)


def import_series(server: Server, slices: int, size: int) -> tuple[int, int, int]:
    """(project id, task id leased to the labeler 'bench', blob bytes)."""
    api = httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"Authorization": f"Bearer {server.token}"}, timeout=600
    )
    ontology = {"classes": [{"id": "liver", "name": "Liver", "tool": "volume_mask", "color": "#e69f00"}]}
    pid = api.post("/projects", json={"name": "bench-ct", "ontology": ontology}).json()["id"]
    token = server.make_user("bench", PASSWORD)
    api.put(f"/projects/{pid}/members", json={"username": "bench", "role": "labeler"}).raise_for_status()
    t = time.perf_counter()
    data = series_zip(slices, size)
    print(
        f"series: {slices} slices of {size}x{size} written in {time.perf_counter() - t:.1f} s "
        f"({len(data) / 1e6:.0f} MB zip)"
    )
    t = time.perf_counter()
    job = api.post(f"/projects/{pid}/imports", files={"file": ("ct.zip", data)}).json()
    while job["state"] not in ("succeeded", "failed", "cancelled"):
        time.sleep(0.5)
        job = api.get(f"/jobs/{job['id']}").json()
    print(f"import (de-identification, assembly, blob): {time.perf_counter() - t:.1f} s, job {job['state']}")
    with httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as labeler:
        leased = labeler.post(f"/projects/{pid}/next-task").json()
        task = leased["task"]
        size_bytes = len(labeler.get(f"/assets/{leased['asset']['id']}/content").content)
    return pid, int(task["id"]), size_bytes


SCROLL_JS = """async ([plane, seconds]) => {
  const s = window.__labelhubVolume;
  const depth = s.maps[plane].depth;
  s.setSlice(plane, 0);
  await new Promise((r) => requestAnimationFrame(r));
  const f0 = s.frames, t0 = performance.now();
  let dir = 1, ticks = 0;
  while (performance.now() - t0 < seconds * 1000) {
    const next = s.slice(plane) + dir;
    if (next < 0 || next >= depth) dir = -dir;
    s.scroll(plane, dir);
    ticks++;
    await new Promise((r) => requestAnimationFrame(r));
  }
  const elapsed = (performance.now() - t0) / 1000;
  return { slicesPerSecond: (s.frames - f0) / elapsed, ticksPerSecond: ticks / elapsed };
}"""


def open_task(browser: Any, server: Server, task_id: int) -> tuple[Any, float, dict[str, float]]:
    """A fresh context (no cache) signs in and opens the task: (page, first view s, timings)."""
    page = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=server.url).new_page()
    page.set_default_timeout(60_000)
    page.goto("/")
    page.get_by_label("Username").fill("bench")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Projects").wait_for()
    page.goto(f"/tasks/{task_id}")
    page.wait_for_function("() => (window.__labelhubVolume?.frames ?? 0) >= 3", polling="raf")
    first = page.evaluate("() => performance.now()") / 1000
    return page, first, page.evaluate("() => window.__labelhubVolumeTimings")


def first_view_line(label: str, first: float, timings: dict[str, float]) -> str:
    load_ms, fetch_ms = timings.get("loadedMs", 0), timings.get("fetchMs", 0)
    return (
        f"{label}: first three-plane view {first:.2f} s after opening the task "
        f"(blob {timings.get('bytes', 0) / 1e6:.1f} MB fetched in {fetch_ms / 1000:.2f} s, "
        f"decoded {(load_ms - fetch_ms) / 1000:.2f} s after the last byte; page, task and annotation before that "
        f"{timings.get('startMs', 0) / 1000:.2f} s)"
    )


def single_frame_copy(data_dir: Path) -> tuple[Path, bytes, bytes]:
    """(path, stored blob, the same voxels as one zstd frame): the layout before chunking, as baseline."""
    import struct

    import orjson
    import zstandard

    from labelhub.media.volume import MAGIC, VERSION, decode

    path = next(p for p in data_dir.rglob("*") if p.is_file() and p.read_bytes()[:6] == MAGIC)
    stored = path.read_bytes()
    header, voxels = decode(io.BytesIO(stored))
    header = {k: v for k, v in header.items() if k not in ("chunks", "chunk_slices")}
    body = zstandard.ZstdCompressor(level=3, threads=-1).compress(voxels.tobytes())
    head = orjson.dumps(header)
    return path, stored, MAGIC + struct.pack("<HI", VERSION, len(head)) + head + body


def browser_figures(server: Server, task_id: int, repeat: int, compression: str) -> None:
    from playwright.sync_api import sync_playwright

    chunked = compression == "zstd"
    path, stored, single = single_frame_copy(server.data_dir) if chunked else (None, b"", b"")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        runs: dict[str, list[float]] = {}
        # Alternate the layouts so that both see the same machine load; medians side by side.
        for _ in range(repeat):
            layouts = (
                [("zstd frames, workers", stored), ("one zstd frame (before)", single)]
                if chunked
                else [(compression, b"")]
            )
            for label, blob in layouts:
                if path is not None:
                    path.write_bytes(blob)
                page, first, timings = open_task(browser, server, task_id)
                print(first_view_line(label, first, timings), flush=True)
                runs.setdefault(label, []).append(first)
                page.context.close()
        for label, values in runs.items():
            print(f"median first three-plane view, {label}: {statistics.median(values):.2f} s over {len(values)} runs")
        if path is not None:
            path.write_bytes(stored)
        page, _, _ = open_task(browser, server, task_id)
        for plane in ("axial", "coronal", "sagittal"):
            r = page.evaluate(SCROLL_JS, [plane, 3])
            print(
                f"scrolling {plane:8s}: {r['slicesPerSecond']:.1f} slices drawn per second "
                f"(animation frames: {r['ticksPerSecond']:.1f}/s)"
            )
        # The wheel path end to end: real wheel events over the axial view, as fast as Playwright sends them.
        box = page.locator(".vv-axial canvas").bounding_box()
        assert box is not None, "the axial view is not on the page"
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.evaluate("() => window.__labelhubVolume.setSlice('axial', 0)")
        f0, t0 = page.evaluate("() => window.__labelhubVolume.frames"), time.perf_counter()
        for _ in range(150):
            page.mouse.wheel(0, 100)
        page.wait_for_function("() => window.__labelhubVolume.slice('axial') >= 149")
        frames = page.evaluate("() => window.__labelhubVolume.frames") - f0
        print(
            f"wheel events (150, sent by Playwright): {frames / (time.perf_counter() - t0):.1f} slices drawn per second"
        )
        page.screenshot(path=str(ROOT / "test-artifacts" / "bench-volume-viewer.png"))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slices", type=int, default=300)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--compression", choices=("zstd", "gzip"), default="zstd")
    parser.add_argument("--repeat", type=int, default=3, help="first-view runs per layout (medians)")
    args = parser.parse_args()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc, server = start_server(Path(tmp) / "data", args.compression)
        try:
            _, task_id, blob = import_series(server, args.slices, args.size)
            print(
                f"volume blob ({args.compression}): {blob / 1e6:.1f} MB for "
                f"{args.size * args.size * args.slices * 2 / 1e6:.0f} MB of int16 voxels"
            )
            browser_figures(server, task_id, args.repeat, args.compression)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
