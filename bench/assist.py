"""Assistance-tools benchmark: Frame Cut quality and the latency of Frame Cut, Smart Scissors and OCR.

    .venv/bin/python bench/assist.py              # everything
    .venv/bin/python bench/assist.py --skip-ocr   # quality and scissors only

Frame Cut quality, on real images with ground truth (tests/assist/realdata.py says where each
comes from; docs/assist.md how the hand-made ones were checked):

* ``coffee``: skimage.data.coffee, the cup on its saucer, a hand-drawn polygon (photograph);
* ``coins``: skimage.data.coins, 24 similar coins (crowded greyscale photograph);
* ``ihc``: skimage.data.immunohistochemistry, 14 stromal nuclei (crowded brightfield microscopy;
  masks made from the haematoxylin channel, so not independent of a threshold method);
* ``dsb``: the 2018 Data Science Bowl fluorescence nuclei, 125 masks drawn by the challenge's
  annotators (crowded fluorescence microscopy; the independent benchmark), and ``dsb+2px``: the
  same with every box 2 px looser on each side, as a hand drawing them would be.

For each object: IoU after the box alone (the box = the ground truth's bounding box), then the
standard simulated clicker (labelhub.assist.clicker: click the centre of the largest error region;
at most 20 clicks) until IoU >= 0.85 / 0.90 -> NoC@85 / NoC@90 (20 when never reached, counted as
failed).  Vanilla GrabCut (rectangle on the whole image; clicks as hard-label disks) runs side by
side in the same process on the same objects (``--no-vanilla`` skips it: ~5 minutes on ``dsb``).

Latency: p50/p95 of Frame Cut (box alone) on the coffee cup and on the nuclei; one Smart Scissors
path update on a 2-megapixel image as the cursor moves (after the one-time preparation, reported
separately), and the first update after a new anchor, which builds the windowed map (grown as the
cursor goes farther); OCR per page (a rendered A4 page of 40 lines at 150 dpi).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.assist.realdata import coffee, crowded, printed_page  # noqa: E402

from labelhub.assist.clicker import number_of_clicks  # noqa: E402
from labelhub.assist.framecut import frame_cut, grabcut_vanilla, grabcut_vanilla_clicks  # noqa: E402
from labelhub.core.assist import Click, FrameCutPrompt  # noqa: E402

MAX_CLICKS = 20
Box = tuple[float, float, float, float]
Sets = dict[str, list[tuple[np.ndarray, Box, np.ndarray]]]


def load_sets() -> Sets:
    img, box, gt = coffee()
    sets: Sets = {"coffee": [(img, box, gt)]}
    for name in ("coins", "ihc", "dsb"):
        rgb, objs = crowded(name)
        sets[name] = [(rgb, b, m) for b, m in objs]
    h, w = sets["dsb"][0][0].shape[:2]
    sets["dsb+2px"] = [
        (im, (max(0.0, b[0] - 2), max(0.0, b[1] - 2), min(w, b[2] + 2), min(h, b[3] + 2)), m)
        for im, b, m in sets["dsb"]
    ]
    return sets


def quality(sets: Sets, vanilla: bool) -> None:
    print(f"{'set':8} {'n':>3} | {'method':8} {'IoU box':>8} {'NoC@85':>7} {'NoC@90':>7} {'fail@90':>8}")
    for name, objs in sets.items():
        for method in ("ours", "vanilla") if vanilla else ("ours",):
            rows = []
            for img, box, gt in objs:
                if method == "ours":

                    def run(c: tuple[Click, ...], img: Any = img, box: Box = box) -> np.ndarray:
                        return frame_cut(img, FrameCutPrompt(box, c)).mask
                else:

                    def run(c: tuple[Click, ...], img: Any = img, box: Box = box) -> np.ndarray:
                        return grabcut_vanilla_clicks(img, box, c) if c else grabcut_vanilla(img, box)

                rows.append(number_of_clicks(run, gt, MAX_CLICKS))
            first = statistics.mean(r.first_iou for r in rows)
            n85 = statistics.mean(r.noc85 for r in rows)
            n90 = statistics.mean(r.noc90 for r in rows)
            fails = sum(r.noc90 >= MAX_CLICKS for r in rows)
            print(
                f"{name:8} {len(objs):3} | {method:8} {first:8.3f} {n85:7.2f} {n90:7.2f} {fails:5}/{len(objs)}",
                flush=True,
            )


def pct(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    ms = statistics.median(ordered) * 1000, p95 * 1000, ordered[-1] * 1000
    return f"p50 {ms[0]:7.1f} ms   p95 {ms[1]:7.1f} ms   max {ms[2]:7.1f} ms   (n={len(ordered)})"


def latency_framecut(sets: Sets) -> None:
    img, box, _ = sets["coffee"][0]
    times = []
    for _ in range(15):
        t = time.perf_counter()
        frame_cut(img, FrameCutPrompt(box))
        times.append(time.perf_counter() - t)
    print(f"Frame Cut, coffee cup 400x370 box, box alone:    {pct(times)}")
    for name, label in (("ihc", "ihc nuclei (~15 px boxes)"), ("dsb", "dsb nuclei (~25 px boxes)")):
        times = []
        for img, box, _ in sets[name]:
            t = time.perf_counter()
            frame_cut(img, FrameCutPrompt(box))
            times.append(time.perf_counter() - t)
        print(f"Frame Cut, {label}, box alone:  {pct(times)}")
    times = []
    for img, box, gt in sets["dsb"]:
        ys, xs = np.nonzero(gt)
        clicks = (Click(float(xs.mean()) + 0.5, float(ys.mean()) + 0.5, True), Click(box[0] + 0.5, box[1] + 0.5, False))
        t = time.perf_counter()
        frame_cut(img, FrameCutPrompt(box, clicks))
        times.append(time.perf_counter() - t)
    print(f"Frame Cut, dsb nuclei, box + 2 clicks:  {pct(times)}")


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
    from labelhub.assist.ocr import RapidOcrReader

    arr, _ = printed_page()
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
    ap.add_argument("--no-vanilla", action="store_true", help="skip the vanilla GrabCut baseline")
    args = ap.parse_args()
    sets = load_sets()
    if args.only in (None, "quality"):
        quality(sets, vanilla=not args.no_vanilla)
    if args.only in (None, "latency"):
        latency_framecut(sets)
        latency_scissors()
        if not args.skip_ocr:
            latency_ocr()


if __name__ == "__main__":
    main()
