"""Assistance-tools benchmark: Frame Cut quality and the latency of Frame Cut, Smart Scissors and OCR.

    .venv/bin/python bench/assist.py              # everything
    .venv/bin/python bench/assist.py --skip-ocr   # quality and scissors only

Frame Cut quality, on real images with ground truth in tests/assist/data (how each was made and
checked: tests/assist/data/make_ground_truth.py and docs/assist.md):

* ``coffee``: skimage.data.coffee, the cup on its saucer, a hand-drawn polygon (photograph);
* ``coins``: skimage.data.coins, 24 similar coins (crowded greyscale photograph);
* ``ihc``: skimage.data.immunohistochemistry, 14 stromal nuclei (crowded brightfield microscopy).

For each object: IoU after the box alone (the box = the ground truth's bounding box), then the
standard simulated clicker (click the centre of the largest error region: the pixel farthest from
its boundary; positive if it is a missed object pixel, negative if a false one; at most 20 clicks)
until IoU >= 0.85 / 0.90 -> NoC@85 / NoC@90 (20 when never reached, counted as failed).  Vanilla
GrabCut (rectangle on the whole image; clicks as hard-label disks) runs side by side in the same
process on the same objects.

Latency: p50/p95 of Frame Cut (box alone) on the coffee cup and on the nuclei; one Smart Scissors
path update on a 2-megapixel image as the cursor moves (after the one-time preparation, reported
separately), and the first update after a new anchor, which builds the windowed map (grown as the
cursor goes farther); OCR per page (a rendered A4 page of 40 lines at 150 dpi).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "tests" / "assist" / "data"

from labelhub.assist.framecut import frame_cut, grabcut_vanilla, grabcut_vanilla_clicks  # noqa: E402
from labelhub.core import rle  # noqa: E402
from labelhub.core.assist import Click, FrameCutPrompt  # noqa: E402

MAX_CLICKS = 20
Box = tuple[float, float, float, float]


def load_sets() -> dict[str, list[tuple[np.ndarray, Box, np.ndarray]]]:
    from PIL import Image, ImageDraw
    from skimage import data

    sets: dict[str, list[tuple[np.ndarray, Box, np.ndarray]]] = {}
    g = json.loads((DATA / "coffee_gt.json").read_text())
    img = data.coffee()
    h, w = img.shape[:2]
    pic = Image.new("L", (w, h), 0)
    ImageDraw.Draw(pic).polygon([tuple(p) for p in g["polygon_xy"]], fill=1)
    gt = np.asarray(pic).astype(bool)
    ys, xs = np.nonzero(gt)
    sets["coffee"] = [(img, (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)), gt)]
    for name, image in (("coins", data.coins()), ("ihc", data.immunohistochemistry())):
        rgb = np.ascontiguousarray(np.dstack([image] * 3) if image.ndim == 2 else image)
        objs = json.loads((DATA / f"{name}_gt.json").read_text())["objects"]
        sets[name] = [(rgb, tuple(float(v) for v in o["box_xyxy"]), rle.decode(o["rle"])) for o in objs]
    return sets


def iou(a: np.ndarray, b: np.ndarray) -> float:
    union = int((a | b).sum())
    return float((a & b).sum()) / union if union else 1.0


def next_click(pred: np.ndarray, gt: np.ndarray) -> Click:
    """The standard clicker: the centre (farthest-from-boundary pixel) of the largest error region."""
    import cv2

    fn, fp = gt & ~pred, pred & ~gt
    best: tuple[float, int, int, bool] = (-1.0, 0, 0, True)
    for err, positive in ((fn, True), (fp, False)):
        if not err.any():
            continue
        padded = np.pad(err, 1).astype(np.uint8)
        dist = cv2.distanceTransform(padded, cv2.DIST_L2, 5)[1:-1, 1:-1]
        y, x = np.unravel_index(int(dist.argmax()), dist.shape)
        if dist[y, x] > best[0]:
            best = (float(dist[y, x]), int(x), int(y), positive)
    return Click(best[1] + 0.5, best[2] + 0.5, best[3])


def noc(run: Callable[[tuple[Click, ...]], np.ndarray], gt: np.ndarray) -> tuple[float, int, int]:
    """(IoU after the box alone, NoC@85, NoC@90)."""
    clicks: tuple[Click, ...] = ()
    pred = run(clicks)
    first = iou(pred, gt)
    reached: dict[float, int] = {}
    for n in range(MAX_CLICKS + 1):
        score = iou(pred, gt)
        for t in (0.85, 0.90):
            if t not in reached and score >= t:
                reached[t] = n
        if len(reached) == 2 or n == MAX_CLICKS:
            break
        clicks = (*clicks, next_click(pred, gt))
        pred = run(clicks)
    return first, reached.get(0.85, MAX_CLICKS), reached.get(0.90, MAX_CLICKS)


def quality(sets: dict[str, list[tuple[np.ndarray, Box, np.ndarray]]]) -> None:
    print(f"{'set':8} {'n':>3} | {'method':8} {'IoU box':>8} {'NoC@85':>7} {'NoC@90':>7} {'fail@90':>8}")
    for name, objs in sets.items():
        for method in ("ours", "vanilla"):
            rows = []
            for img, box, gt in objs:
                if method == "ours":

                    def run(c: tuple[Click, ...], img: Any = img, box: Box = box) -> np.ndarray:
                        return frame_cut(img, FrameCutPrompt(box, c)).mask
                else:

                    def run(c: tuple[Click, ...], img: Any = img, box: Box = box) -> np.ndarray:
                        return grabcut_vanilla_clicks(img, box, c) if c else grabcut_vanilla(img, box)

                rows.append(noc(run, gt))
            first = statistics.mean(r[0] for r in rows)
            n85 = statistics.mean(r[1] for r in rows)
            n90 = statistics.mean(r[2] for r in rows)
            fails = sum(r[2] >= MAX_CLICKS for r in rows)
            print(f"{name:8} {len(objs):3} | {method:8} {first:8.3f} {n85:7.2f} {n90:7.2f} {fails:5}/{len(objs)}")


def pct(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    ms = statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000
    return f"p50 {ms[0]:7.1f} ms   p95 {ms[1]:7.1f} ms   max {ms[2]:7.1f} ms   (n={len(ordered)})"


def latency_framecut(sets: dict[str, list[tuple[np.ndarray, Box, np.ndarray]]]) -> None:
    img, box, _ = sets["coffee"][0]
    times = []
    for _ in range(15):
        t = time.perf_counter()
        frame_cut(img, FrameCutPrompt(box))
        times.append(time.perf_counter() - t)
    print(f"Frame Cut, coffee cup 400x370 box, box alone:    {pct(times)}")
    small = sets["ihc"]
    times = []
    for img, box, _ in small:
        t = time.perf_counter()
        frame_cut(img, FrameCutPrompt(box))
        times.append(time.perf_counter() - t)
    print(f"Frame Cut, ihc nuclei (~15 px boxes), box alone:  {pct(times)}")


def latency_scissors() -> None:
    from skimage import data, transform

    from labelhub.assist.scissors import LiveWire

    img = (transform.resize(data.astronaut(), (1200, 1700), anti_aliasing=True) * 255).astype(np.uint8)
    wire = LiveWire()
    t = time.perf_counter()
    wire.path("astro", lambda: img, (850.5, 600.5), (860.5, 610.5))
    print(
        f"Scissors: one-time preparation of a {img.shape[1]}x{img.shape[0]} (2.0 MP) image + first path: "
        f"{(time.perf_counter() - t) * 1000:.0f} ms"
    )
    rng = np.random.default_rng(0)
    moves: list[float] = []
    firsts: list[float] = []
    for _ in range(12):
        # a click makes a new anchor; the cursor then travels ~300 px along a random walk, one
        # pointer event per 60 Hz frame (about 6 px per event), as a hand would move it
        anchor = (float(rng.uniform(450, 1250)), float(rng.uniform(450, 750)))
        heading = rng.uniform(0, 2 * np.pi)
        cursor = anchor
        for step in range(50):
            heading += rng.normal(0, 0.3)
            cursor = (cursor[0] + 6 * float(np.cos(heading)), cursor[1] + 6 * float(np.sin(heading)))
            t = time.perf_counter()
            wire.path("astro", lambda: img, anchor, cursor)
            (firsts if step == 0 else moves).append(time.perf_counter() - t)
            time.sleep(1 / 60)
    print(f"Scissors, path update as the cursor moves (60 Hz, ~300 px per anchor): {pct(moves)}")
    slow = sum(t > 0.05 for t in moves)
    print(f"Scissors, updates over 50 ms (the cursor left the window: a bigger map): {slow} of {len(moves)}")
    print(f"Scissors, first update after a new anchor (builds its map):            {pct(firsts)}")


def latency_ocr() -> None:
    from PIL import Image, ImageDraw, ImageFont

    from labelhub.assist.ocr import RapidOcrReader

    page = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    d = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=24)
    words = [
        "labelhub",
        "reads",
        "scanned",
        "pages",
        "offline",
        "with",
        "an",
        "engine",
        "that",
        "ships",
        "inside",
        "its",
        "wheel",
    ]
    for i in range(40):
        d.text((80, 80 + i * 40), " ".join(words[(i + k) % len(words)] for k in range(9)), fill="black", font=font)
    arr = np.asarray(page)
    reader = RapidOcrReader()
    reader.read(arr[:200])  # warm-up: model loading
    times = []
    lines = 0
    for _ in range(3):
        t = time.perf_counter()
        lines = len(reader.read(arr))
        times.append(time.perf_counter() - t)
    print(f"OCR, A4 page at 150 dpi, 40 lines ({lines} found): {pct(times)}")


def main() -> None:
    import os

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (timings scale with it)")
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-ocr", action="store_true")
    ap.add_argument("--only", choices=["quality", "latency"], default=None)
    args = ap.parse_args()
    sets = load_sets()
    if args.only in (None, "quality"):
        quality(sets)
    if args.only in (None, "latency"):
        latency_framecut(sets)
        latency_scissors()
        if not args.skip_ocr:
            latency_ocr()


if __name__ == "__main__":
    main()
