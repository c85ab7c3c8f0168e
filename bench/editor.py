"""Editor speed in headless Chromium: many polygons, large images.

    .venv/bin/python bench/editor.py                 # the full run (needs the built web app)
    .venv/bin/python bench/editor.py --no-huge       # skip the 20,000 x 20,000 image (slow to make)

Starts ``labelhub serve`` on loopback with a fresh data directory, uploads a 10,000 x 5,000 image
(tiled at import: its longer side is above 8,000 px) with 5,000 polygons of 20 vertices as the
labeler's draft, a 2,000 x 1,500 image and a 20,000 x 20,000 one, and drives /usr/bin/chromium
through Playwright (flags from ../shared/docs/machine.md).  Prints medians:

* first interactive editor: navigation start -> the editor exists, all objects loaded and the
  viewer has drawn a frame (``performance.now()`` in the page, i.e. since navigation started);
* pan and zoom frames per second: requestAnimationFrame intervals while the viewport changes every
  frame (fit to screen, so all 5,000 polygons are in view, and at 100 %);
* selecting / moving one polygon: input handling (select tool, pointer down/move/up through the
  editor's input layer) plus the viewer's next render, per polygon;
* drawing a box -> saved draft: real mouse events, once earlier saves are done; mouse-up -> the
  draft save sent (a finished edit is saved ~30 ms later; once the server holds the draft, only
  the changes travel: PATCH), the save's round trip, and mouse-up -> saved, in the page;
* a whole-draft PUT (5,001 objects: the first save of a task, or the fallback when a delta is
  refused) from a page that Playwright does not drive: Playwright
  turns DevTools' network instrumentation on, which copies every request body (~2.5 MB here)
  and adds ~200 ms to each such PUT; this Chromium runs with only a raw CDP connection
  (``Runtime.evaluate``, no ``Network`` domain), as a labeler's browser would;
* opening the 20,000 x 20,000 and the 2,000 x 1,500 image: navigation start -> first frame with
  the image drawn.

One run per figure; the machine is shared, so read medians, not single frames.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import io
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
LABELHUB = str(Path(sys.executable).parent / "labelhub")
CHROMIUM = os.environ.get("LABELHUB_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "bench long password"
ONTOLOGY = {
    "classes": [
        {"id": "building", "name": "Building", "tool": "polygon", "color": "#56b4e9", "hotkey": "1"},
        {"id": "car", "name": "Car", "tool": "bbox", "color": "#e69f00", "hotkey": "2"},
    ]
}
N_POLYGONS, N_VERTICES = 5_000, 20


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELHUB_")}
    out = subprocess.run(
        [LABELHUB, *args, "--data-dir", str(data_dir)], input=stdin, capture_output=True, text=True, env=env
    )
    if out.returncode:
        raise SystemExit(f"labelhub {' '.join(args)} failed: {out.stderr}")
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def jpeg(width: int, height: int, seed: int) -> bytes:
    """A smooth colour field with a grid, built at 1/8 size and enlarged (fast for 400 MP)."""
    rng = np.random.default_rng(seed)
    sw, sh = -(-width // 8), -(-height // 8)
    yy, xx = np.mgrid[0:sh, 0:sw]
    base = np.stack([xx * 255 // sw, yy * 255 // sh, (xx + yy) * 127 // (sw + sh)], -1).astype(np.int16)
    base += rng.integers(-12, 12, base.shape, dtype=np.int16)
    small = Image.fromarray(base.clip(0, 255).astype(np.uint8))
    big = np.asarray(small.resize((width, height), Image.Resampling.BILINEAR)).copy()
    big[::400, :] = 20
    big[:, ::400] = 20
    buf = io.BytesIO()
    Image.fromarray(big).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def polygons(width: int, height: int, seed: int = 1) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    out = []
    for i in range(N_POLYGONS):
        cx, cy, r = rnd.uniform(80, width - 80), rnd.uniform(80, height - 80), rnd.uniform(15, 60)
        pts = []
        for k in range(N_VERTICES):
            a = 2 * math.pi * k / N_VERTICES
            rr = r * rnd.uniform(0.7, 1.0)
            pts.append([round(cx + rr * math.cos(a), 2), round(cy + rr * math.sin(a), 2)])
        out.append(
            {
                "id": f"p{i}",
                "class_id": "building",
                "page": 0,
                "geometry": {"type": "polygon", "points_xy": pts},
                "attributes": {},
                "source": {"kind": "human"},
                "confidence": None,
            }
        )
    return out


class Site:
    def __init__(self, data_dir: Path) -> None:
        cli(data_dir, "user", "create", "--username", "admin", "--admin", stdin=PASSWORD + "\n")
        admin_token = cli(data_dir, "token", "create", "--username", "admin", "--name", "bench")
        cli(data_dir, "user", "create", "--username", "labeler", stdin=PASSWORD + "\n")
        labeler_token = cli(data_dir, "token", "create", "--username", "labeler", "--name", "bench")
        self.url = f"http://127.0.0.1:{free_port()}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELHUB_")}
        self.log = (data_dir / "server.log").open("wb")
        port = self.url.rsplit(":", 1)[1]
        self.proc = subprocess.Popen(
            [LABELHUB, "serve", "--host", "127.0.0.1", "--port", port, "--data-dir", str(data_dir)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit(f"the server did not start; see {data_dir / 'server.log'}")
            time.sleep(0.2)
        api = f"{self.url}/api/v1"
        self.admin = httpx.Client(base_url=api, headers={"Authorization": f"Bearer {admin_token}"}, timeout=600)
        self.labeler = httpx.Client(base_url=api, headers={"Authorization": f"Bearer {labeler_token}"}, timeout=600)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def upload(self, project_id: int, name: str, data: bytes, priority: int) -> dict[str, Any]:
        r = self.admin.post(
            f"/projects/{project_id}/assets",
            files={"file": (name, data, "image/jpeg")},
            params={"priority": priority},
        )
        r.raise_for_status()
        return dict(r.json())

    def wait_tiles(self, asset_id: int, timeout: float) -> float:
        started = time.monotonic()
        while self.admin.get(f"/assets/{asset_id}/tiles").status_code != 200:
            if time.monotonic() - started > timeout:
                raise SystemExit(f"asset {asset_id} was not tiled within {timeout:g} s")
            time.sleep(0.5)
        return time.monotonic() - started

    def lease(self, project_id: int) -> dict[str, Any]:
        r = self.labeler.post(f"/projects/{project_id}/next-task")
        r.raise_for_status()
        return dict(r.json()["task"])


READY = """(n) => { const e = window.__labelhubEditor, v = window.__labelhubViewer;
  return !!(e && v && v.stats.renders > 0 && e.objects().length >= n
            && (!v.stats.tiled || (v.stats.tiles && v.stats.tiles.loaded >= 1))); }"""

FRAMES = """async ({ kind, frames }) => {
  const e = window.__labelhubEditor, viewer = window.__labelhubViewer;
  const times = [], render = [];
  await new Promise((resolve) => {
    let n = 0;
    const step = (t) => {
      times.push(t);
      render.push(viewer.stats.lastRenderMs);
      const v = e.viewport;
      const dx = n % 120 < 60 ? 9 : -9;
      if (kind === "pan") e.setViewport({ ...v, panX: v.panX + dx, panY: v.panY + 3 * Math.sin(n / 9) });
      else e.zoomBy(n % 120 < 60 ? 1.02 : 1 / 1.02, { x: e.viewSize.width / 2, y: e.viewSize.height / 2 });
      e.notify();
      if (++n < frames) requestAnimationFrame(step); else resolve();
    };
    requestAnimationFrame(step);
  });
  const gaps = times.slice(2).map((t, i) => t - times[i + 1]);
  return { gaps, render: render.slice(2) };
}"""

SELECT_MOVE = """async ({ ids }) => {
  const e = window.__labelhubEditor, v = window.__labelhubViewer;
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  e.setTool("select");
  const pointer = (x, y) => ({ x, y, button: 0, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false });
  const out = { select: [], move: [], selectWall: [], moveWall: [], selectInput: [], selectRender: [] };
  for (const target of ids) {
    const o = e.getObject(target);
    const pts = o.geometry.points_xy;
    const ax = pts.reduce((s, p) => s + p[0], 0) / pts.length, ay = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    const vp = e.viewport;
    const sx = ax * vp.zoom + vp.panX, sy = ay * vp.zoom + vp.panY;
    let t0 = performance.now();
    v.input.pointerDown(pointer(sx, sy));
    v.input.pointerUp(pointer(sx, sy));
    let inputMs = performance.now() - t0;
    await frame();
    out.selectWall.push(performance.now() - t0);
    // Polygons overlap: the click selects the topmost one under the pointer, which is then moved.
    const id = e.selectedIds[0];
    if (!id) throw new Error(`clicking at ${target}'s centre selected nothing`);
    const before = e.getObject(id).geometry.points_xy;
    out.select.push(inputMs + v.stats.lastRenderMs);
    out.selectInput.push(inputMs);
    out.selectRender.push(v.stats.lastRenderMs);
    t0 = performance.now();
    v.input.pointerDown(pointer(sx, sy));
    for (let k = 1; k <= 5; k++) v.input.pointerMove(pointer(sx + 4 * k, sy + 3 * k));
    v.input.pointerUp(pointer(sx + 20, sy + 15));
    inputMs = performance.now() - t0;
    await frame();
    out.moveWall.push(performance.now() - t0);
    const after = e.getObject(id).geometry.points_xy;
    const same = after.every((p, i) => p[0] === before[i][0] && p[1] === before[i][1]);
    if (same) throw new Error(`moving ${id}: no change`);
    out.move.push(inputMs + v.stats.lastRenderMs);
  }
  return out;
}"""


RAW_PUT = """(async () => {
  const login = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' },
                                                    body: JSON.stringify({ username: 'labeler', password: %s }) });
  if (!login.ok) throw new Error('login ' + login.status);
  const csrf = (document.cookie.match(/lh_csrf=([^;]+)/) || [])[1];
  const objects = %s, out = [];
  for (let i = 0; i < %d; i++) {
    const t0 = performance.now();
    const body = JSON.stringify({ body: { objects, classifications: {} }, base_revision_id: null });
    const r = await fetch('/api/v1/tasks/%d/draft', { method: 'PUT', body,
                          headers: { 'content-type': 'application/json', 'X-CSRF-Token': csrf } });
    await r.arrayBuffer();
    if (!r.ok) throw new Error('PUT ' + r.status);
    out.push(performance.now() - t0);
  }
  return JSON.stringify(out);
})()"""


def raw_put_times(site: Site, task_id: int, objects: list[dict[str, Any]], runs: int, tmp: Path) -> list[float]:
    """Draft PUT (serialize + request + response) from a page of a Chromium driven over raw CDP."""
    import websockets

    port = free_port()
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", *FLAGS, f"--remote-debugging-port={port}", f"--user-data-dir={tmp / 'raw-cdp'}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                    targets = json.load(r)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        script = RAW_PUT % (json.dumps(PASSWORD), json.dumps(objects), runs, task_id)

        async def drive() -> list[float]:
            async with websockets.connect(ws_url, max_size=None) as ws:
                calls = 0

                async def send(method: str, params: dict[str, Any]) -> dict[str, Any]:
                    nonlocal calls
                    calls += 1
                    await ws.send(json.dumps({"id": calls, "method": method, "params": params}))
                    while True:
                        m = json.loads(await ws.recv())
                        if m.get("id") == calls:
                            return dict(m)

                await send("Page.navigate", {"url": site.url + "/"})
                await asyncio.sleep(2)
                got = await send(
                    "Runtime.evaluate", {"expression": script, "awaitPromise": True, "returnByValue": True}
                )
                result = got["result"]
                if "exceptionDetails" in result:
                    raise SystemExit(f"raw CDP PUT failed: {result['exceptionDetails']}")
                return [float(x) for x in json.loads(result["result"]["value"])]

        # Playwright's sync API runs an event loop in this thread: drive this browser from another.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, drive()).result()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Results(dict[str, str]):
    """Prints each figure as soon as it is measured (a later failure keeps the earlier ones)."""

    def __setitem__(self, key: str, value: str) -> None:
        print(f"{key:<72} {value}", flush=True)
        super().__setitem__(key, value)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def open_editor(browser: Any, site: Site, task_id: int, wait_objects: int) -> tuple[Any, float]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=site.url)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Username").fill("labeler")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Projects").wait_for()
    page.goto(f"/tasks/{task_id}")
    try:
        page.wait_for_function(READY, arg=wait_objects, polling="raf")
    except Exception:
        page.screenshot(path=str(ROOT / "test-artifacts" / "bench-editor-stuck.png"))
        state = page.evaluate(
            "() => [!!window.__labelhubEditor, window.__labelhubViewer && window.__labelhubViewer.stats,"
            " window.__labelhubEditor && window.__labelhubEditor.objects().length,"
            " document.body.innerText.slice(0, 300)]"
        )
        raise SystemExit(f"the editor did not become ready: {state}") from None
    ready_ms = float(page.evaluate("() => performance.now()"))
    return page, ready_ms


def run(huge: bool) -> None:
    from playwright.sync_api import sync_playwright

    if not (ROOT / "src/labelhub/web_dist/index.html").exists():
        raise SystemExit("build the web app first: cd web && npm ci && npm run build")
    tmp = Path(tempfile.mkdtemp(prefix="labelhub-bench-editor-"))
    site = Site(tmp / "data")
    try:
        pid = int(site.admin.post("/projects", json={"name": "Bench", "ontology": ONTOLOGY}).json()["id"])
        site.admin.put(f"/projects/{pid}/members", json={"username": "labeler", "role": "labeler"}).raise_for_status()
        t = time.monotonic()
        big = site.upload(pid, "survey-10k.jpg", jpeg(10_000, 5_000, 1), priority=30)
        small = site.upload(pid, "small.jpg", jpeg(2_000, 1_500, 2), priority=20)
        print(f"uploaded 10,000 x 5,000 and 2,000 x 1,500 in {time.monotonic() - t:.1f} s")
        print(f"10,000 x 5,000 tiled {site.wait_tiles(big['id'], 300):.1f} s after upload returned")
        huge_asset = None
        if huge:
            t = time.monotonic()
            data = jpeg(20_000, 20_000, 3)
            print(f"made a 20,000 x 20,000 JPEG ({len(data) / 1e6:.0f} MB) in {time.monotonic() - t:.1f} s")
            t = time.monotonic()
            huge_asset = site.upload(pid, "slide-20k.jpg", data, priority=10)
            print(f"uploaded (probe + store) in {time.monotonic() - t:.1f} s")
            print(f"20,000 x 20,000 tiled {site.wait_tiles(huge_asset['id'], 900):.1f} s after upload returned")

        task = site.lease(pid)
        assert task["asset_id"] == big["id"], task
        body = {"objects": polygons(10_000, 5_000), "classifications": {}}
        site.labeler.put(f"/tasks/{task['id']}/draft", json={"body": body}).raise_for_status()

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            results = Results()
            # First interactive, three fresh page loads (the median is reported).
            ready = []
            for _ in range(3):
                page, ms = open_editor(browser, site, task["id"], N_POLYGONS)
                ready.append(ms)
                page.context.close()
            results["first interactive editor, 5,000 polygons (ms)"] = (
                f"{median(ready):.0f}  (runs {', '.join(f'{x:.0f}' for x in ready)})"
            )

            page, _ = open_editor(browser, site, task["id"], N_POLYGONS)
            stats = page.evaluate("() => window.__labelhubViewer.stats")
            print(f"at fit: {stats['batched']} batched objects, {stats['nodes']} nodes, tiled={stats['tiled']}")
            for kind in ("pan", "zoom"):
                f = page.evaluate(FRAMES, {"kind": kind, "frames": 120})
                gaps = f["gaps"]
                results[f"{kind} at fit, all 5,000 in view (fps)"] = (
                    f"{1000 / median(gaps):.1f}  (p90 frame {np.percentile(gaps, 90):.1f} ms;"
                    f" viewer render median {median(f['render']):.1f} ms)"
                )
            page.evaluate(
                "() => { const e = window.__labelhubEditor;"
                " e.setViewport({ zoom: 1, panX: -4000, panY: -2000 }); e.notify(); }"
            )
            f = page.evaluate(FRAMES, {"kind": "pan", "frames": 120})
            gaps = f["gaps"]
            results["pan at 100 % (fps)"] = (
                f"{1000 / median(gaps):.1f}  (p90 frame {np.percentile(gaps, 90):.1f} ms;"
                f" viewer render median {median(f['render']):.1f} ms)"
            )
            page.evaluate("() => { const e = window.__labelhubEditor; e.fitToScreen(); e.notify(); }")
            ids = [f"p{i}" for i in range(0, N_POLYGONS, N_POLYGONS // 15)][:15]
            page.evaluate("() => { const e = window.__labelhubEditor; e.zoomBy(15, { x: 720, y: 420 }); e.notify(); }")
            vp = page.evaluate("() => window.__labelhubEditor.viewport")
            visible = page.evaluate(
                """(vp) => { const e = window.__labelhubEditor;
                  return e.objects().filter((o) => { const p = o.geometry.points_xy[0];
                    const x = p[0] * vp.zoom + vp.panX, y = p[1] * vp.zoom + vp.panY;
                    return x > 60 && y > 60 && x < e.viewSize.width - 80 && y < e.viewSize.height - 80; })
                  .slice(0, 15).map((o) => o.id); }""",
                vp,
            )
            sm = page.evaluate(SELECT_MOVE, {"ids": visible or ids})
            results["select one polygon: input + render (ms)"] = (
                f"{median(sm['select']):.1f}  (max {max(sm['select']):.1f}; input median"
                f" {median(sm['selectInput']):.1f}, render median {median(sm['selectRender']):.1f})"
            )
            results["move one polygon: input + render (ms)"] = f"{median(sm['move']):.1f}  (max {max(sm['move']):.1f})"
            results["select, input -> two frames later, wall incl. panels (ms)"] = f"{median(sm['selectWall']):.0f}"
            results["move, input -> two frames later, wall incl. panels (ms)"] = f"{median(sm['moveWall']):.0f}"

            # Draw a box with real mouse events; time mouse-up -> PUT sent -> PUT answered.  The moves
            # above were saved too: wait until those saves are done, so the first PUT is the box's.
            page.wait_for_function(
                "() => document.querySelector('[data-testid=sync-status]')?.textContent === 'Saved'", timeout=120_000
            )
            canvas = page.locator("main.canvas > div").first
            canvas.focus()
            page.keyboard.press("Escape")
            page.keyboard.press("b")
            box = canvas.bounding_box()
            x0, y0 = box["x"] + 300, box["y"] + 300
            timings: dict[str, float] = {}

            saves = ("PUT", "PATCH")  # a delta (PATCH) once the server holds the draft, else whole (PUT)
            method: list[str] = []

            def on_request(r: Any) -> None:
                if r.method in saves and r.url.endswith(f"/tasks/{task['id']}/draft") and "sent" not in timings:
                    timings["sent"] = time.perf_counter()
                    method.append(r.method)

            def on_response(r: Any) -> None:
                if r.request.method in saves and r.url.endswith(f"/tasks/{task['id']}/draft") and "done" not in timings:
                    timings["done"] = time.perf_counter()

            page.on("request", on_request)
            page.on("response", on_response)
            page.evaluate(
                "() => addEventListener('pointerup', () => (window.__benchUp = performance.now()),"
                " { capture: true, once: true })"
            )
            page.mouse.move(x0, y0)
            page.mouse.down()
            page.mouse.move(x0 + 60, y0 + 40, steps=5)
            page.mouse.up()
            timings["up"] = time.perf_counter()
            deadline = time.monotonic() + 30
            while "done" not in timings and time.monotonic() < deadline:
                page.wait_for_timeout(20)
            saved = site.labeler.get(f"/tasks/{task['id']}/draft").json()["body"]["objects"]
            assert len(saved) == N_POLYGONS + 1 and saved[-1]["geometry"]["type"] == "bbox", len(saved)
            # In the page: pointer-up -> fetch() called -> response, from Resource Timing.
            up_ms, put = page.evaluate(
                """() => [window.__benchUp, performance.getEntriesByType('resource')
                    .filter((e) => e.initiatorType === 'fetch' && e.name.endsWith('/draft')).at(-1)]"""
            )
            results["box: mouse-up -> draft save sent (ms; Playwright events / in page)"] = (
                f"{(timings['sent'] - timings['up']) * 1000:.0f} / {put['startTime'] - up_ms:.0f}  ({method[0]})"
            )
            results["box: draft save round trip, 5,001 objects (ms; Playwright events / in page)"] = (
                f"{(timings['done'] - timings['sent']) * 1000:.0f} / {put['responseEnd'] - put['startTime']:.0f}"
                f"  ({method[0]})"
            )
            results["box: mouse-up -> draft saved, in page (ms)"] = f"{put['responseEnd'] - up_ms:.0f}  ({method[0]})"
            page.context.close()
            raw = raw_put_times(site, task["id"], saved, 7, tmp)
            results["whole-draft PUT (first save, fallback), 5,001 objects, page without DevTools network (ms)"] = (
                f"{median(raw):.0f}  (runs {', '.join(f'{x:.0f}' for x in raw)}; JSON.stringify + request + response)"
            )

            # Opening images: small (whole file) vs. huge (tiles), each the median of three loads.
            site.labeler.post(f"/tasks/{task['id']}/submit", json={"body": body}).raise_for_status()
            for label, asset in (("2,000 x 1,500", small), ("20,000 x 20,000", huge_asset)):
                if asset is None:
                    continue
                t2 = site.lease(pid)
                assert t2["asset_id"] == asset["id"], (t2, asset)
                times = []
                for _ in range(3):
                    page, ms = open_editor(browser, site, t2["id"], 0)
                    times.append(ms)
                    if asset is huge_asset:
                        s = page.evaluate("() => window.__labelhubViewer.stats")
                        level, tiles = s["level"], s["tiles"]
                    page.context.close()
                extra = f"; level {level}, {tiles['requested']} tile requests" if asset is huge_asset else ""
                results[f"open {label} image to first frame (ms)"] = (
                    f"{median(times):.0f}  (runs {', '.join(f'{x:.0f}' for x in times)}{extra})"
                )
                site.labeler.post(f"/tasks/{t2['id']}/skip", json={"reason": "bench"}).raise_for_status()
            browser.close()
        print("\nsummary")
        for k, v in results.items():
            print(f"{k:<72} {v}")
    finally:
        site.close()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-huge", action="store_true", help="skip the 20,000 x 20,000 image")
    args = parser.parse_args()
    run(huge=not args.no_huge)


if __name__ == "__main__":
    main()
