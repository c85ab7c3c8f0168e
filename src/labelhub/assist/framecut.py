"""Frame Cut without a model: box (+ clicks) -> mask and polygon, with OpenCV.

Vanilla GrabCut learns the background from everything outside the box.  On crowded images of
similar objects (nuclei, coins, cars in a car park) that "background" is full of the object's own
kind, and the cut collapses.  Here the work happens in a crop of the box plus a thin ring, and
several candidates compete:

* ``threshold``: Otsu's threshold on the (smoothed) intensity inside the box, the polarity chosen
  by which side is enriched inside the box compared with the ring; the component best matching
  the box is kept, and touching neighbours are split off by a distance-transform watershed;
* ``grabcut-ring``: GrabCut whose background model is the ring only (the pixels just outside the
  box), which holds far fewer look-alikes than the whole image;
* ``levels``: the object cut at a level about a third of the way from the background to the
  object's core, where annotators put a blurred edge; the polarity from the box's centre against
  its border strip (the ring outside the box, full of bright neighbours, cannot tell it);
* ``grabcut``: classic GrabCut on a context crop (the box grown by half its size), which wins on
  photographs with textured, colourful backgrounds.

The candidate whose bounding box best fits the drawn box wins (the user drew a tight box, so a
good mask touches all four sides and spills over none), ties broken by the contrast between the
mask's inside and a band just outside it.

Clicks move the outline where they land.  On a colour photograph cut by GrabCut, a disk around
a positive click is object, around a negative one background, and GrabCut re-segments the crop
from the current mask.  Otherwise (greyscale, microscopy, any threshold-type cut) the outline is
the zero level of the cut's signed distance, shifted by an offset field that passes through every
click: a click in a missed or a wrong band says that the true edge lies as far beyond the click
as the click lies from the current edge (people, and the standard simulated clicker, click in the
middle of the wrong area), and the field spreads that shift along the edge with a Gaussian whose
width is 15 % of the box's diagonal.  Earlier clicks keep their shift (the field interpolates all
of them), so a later click never undoes an earlier one.

OpenCV is imported inside the functions.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from labelhub.core.assist import Click, FrameCutPrompt, FrameCutResult, ImageArray, ImageLoader

WEIGHT_CONTRAST = 0.1
TRUST_FIT = 0.9
ITERATIONS = 4
MAX_SIDE = 320  # crops are shrunk to this before segmenting; the mask is scaled back
Mask = npt.NDArray[np.bool_]


def _cv() -> Any:
    """OpenCV, imported on first use; typed ``Any`` (its stubs reject plain numpy arrays)."""
    import cv2

    return cv2


@dataclass(frozen=True, slots=True)
class _Crop:
    x0: int
    y0: int
    x1: int
    y1: int
    scale: float  # crop pixels per image pixel (<= 1)


class GrabCutSegmenter:
    """The ``Segmenter`` port with no model; caches a few decoded images (bounded)."""

    name = "framecut-opencv"
    version = "1"

    def __init__(self, cache_images: int = 4) -> None:
        self._cache: OrderedDict[str, ImageArray] = OrderedDict()
        self._size = cache_images
        self._lock = threading.Lock()

    def _image(self, key: str, load: ImageLoader) -> ImageArray:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        image = load()
        with self._lock:
            self._cache[key] = image
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return image

    def cut(self, image_key: str, load: ImageLoader, prompt: FrameCutPrompt) -> FrameCutResult:
        return frame_cut(self._image(image_key, load), prompt)


def frame_cut(image: ImageArray, prompt: FrameCutPrompt) -> FrameCutResult:
    """Segment the object in ``prompt.box_xyxy`` of ``image`` ((H, W, 3) uint8)."""
    h, w = image.shape[:2]
    x1, y1, x2, y2 = prompt.box_xyxy
    bx1, by1 = max(0, int(np.floor(x1))), max(0, int(np.floor(y1)))
    bx2, by2 = min(w, int(np.ceil(x2))), min(h, int(np.ceil(y2)))
    if bx2 - bx1 < 2 or by2 - by1 < 2:
        raise ValueError(f"the box {list(prompt.box_xyxy)} covers less than 2 x 2 pixels of a {w} x {h} image")
    box = (bx1, by1, bx2, by2)
    mask, method, score = _initial(image, box)
    if prompt.clicks and method == "grabcut" and not _is_grey(image[by1:by2, bx1:bx2]):
        mask = _refine(image, box, mask, prompt.clicks)
        method += "+clicks"
    elif prompt.clicks:
        mask = _refine_outline(image, box, mask, prompt.clicks)
        method += "+clicks"
    return FrameCutResult(mask=mask, polygon_xy=mask_to_polygon(mask), score=score, method=method)


def _is_grey(image: ImageArray) -> bool:
    """Whether the pixels carry no colour (a greyscale image stored as RGB)."""
    if image.ndim == 2:
        return True
    return bool((image[..., 0] == image[..., 1]).all() and (image[..., 1] == image[..., 2]).all())


# -- candidates ---------------------------------------------------------------------------------
def _ring_width(box: tuple[int, int, int, int]) -> int:
    bw, bh = box[2] - box[0], box[3] - box[1]
    return max(4, round(0.2 * min(bw, bh)))


def _crop_of(image: ImageArray, box: tuple[int, int, int, int], grow: float, ring: int) -> _Crop:
    h, w = image.shape[:2]
    bw, bh = box[2] - box[0], box[3] - box[1]
    mx, my = max(ring, round(grow * bw)), max(ring, round(grow * bh))
    x0, y0, x1, y1 = max(0, box[0] - mx), max(0, box[1] - my), min(w, box[2] + mx), min(h, box[3] + my)
    scale = min(1.0, MAX_SIDE / max(x1 - x0, y1 - y0))
    return _Crop(x0, y0, x1, y1, scale)


def _cut_pixels(image: ImageArray, c: _Crop) -> ImageArray:
    cv2 = _cv()

    sub = np.ascontiguousarray(image[c.y0 : c.y1, c.x0 : c.x1])
    if c.scale < 1.0:
        size = (max(2, round((c.x1 - c.x0) * c.scale)), max(2, round((c.y1 - c.y0) * c.scale)))
        sub = cv2.resize(sub, size, interpolation=cv2.INTER_AREA)
    return sub


def _box_in(c: _Crop, box: tuple[int, int, int, int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    hh, ww = shape[:2]
    bx1 = int(np.clip(round((box[0] - c.x0) * c.scale), 0, ww - 1))
    by1 = int(np.clip(round((box[1] - c.y0) * c.scale), 0, hh - 1))
    bx2 = int(np.clip(round((box[2] - c.x0) * c.scale), bx1 + 1, ww))
    by2 = int(np.clip(round((box[3] - c.y0) * c.scale), by1 + 1, hh))
    return bx1, by1, bx2, by2


def _to_image(mask: Mask, c: _Crop, shape: tuple[int, ...]) -> Mask:
    cv2 = _cv()

    out = np.zeros(shape[:2], dtype=bool)
    cw, ch = c.x1 - c.x0, c.y1 - c.y0
    if mask.shape != (ch, cw):
        mask = cv2.resize(mask.astype(np.uint8), (cw, ch), interpolation=cv2.INTER_LINEAR) > 0
    out[c.y0 : c.y1, c.x0 : c.x1] = mask
    return out


def _initial(image: ImageArray, box: tuple[int, int, int, int]) -> tuple[Mask, str, float]:
    ring = _ring_width(box)
    grey = _grey(image)
    candidates: list[tuple[str, Mask]] = []
    wide = _crop_of(image, box, 0.5, ring)
    wsub = _cut_pixels(image, wide)
    m = _grabcut_rect(wsub, _box_in(wide, box, wsub.shape))
    if m is not None:
        full = _to_image(m, wide, image.shape)
        # Classic GrabCut with context is the best cut of a photograph; trusted when it fits
        # the box (on crowded scenes it does not: it shrinks or leaks into neighbours).
        if _box_fit(full, box) >= TRUST_FIT and full.sum() >= 0.2 * (box[2] - box[0]) * (box[3] - box[1]):
            return full, "grabcut", _score(full, box, grey)
        candidates.append(("grabcut", full))
    tight = _crop_of(image, box, 0.0, ring)
    sub = _cut_pixels(image, tight)
    inner = _box_in(tight, box, sub.shape)
    found = [*_threshold(sub, inner), ("grabcut-ring", _grabcut_ring(sub, inner))]
    candidates += [(name, _to_image(m, tight, image.shape)) for name, m in found if m is not None]
    if not candidates:
        full = np.zeros(image.shape[:2], dtype=bool)
        full[box[1] : box[3], box[0] : box[2]] = True
        return full, "box", 0.0
    scored = [(_score(m, box, grey), name, m) for name, m in candidates]
    best = max(scored, key=lambda t: t[0])
    return best[2], best[1], float(best[0])


def _grey(image: ImageArray) -> npt.NDArray[np.float32]:
    return image.astype(np.float32).mean(axis=2) if image.ndim == 3 else image.astype(np.float32)


def _score(mask: Mask, box: tuple[int, int, int, int], grey: npt.NDArray[np.float32]) -> float:
    """How well the mask's bounding box fits the drawn box (IoU), plus a little for contrast."""
    ys, xs = np.nonzero(mask)
    if xs.size == 0:
        return -1.0
    mb = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    ix = max(0, min(mb[2], box[2]) - max(mb[0], box[0]))
    iy = max(0, min(mb[3], box[3]) - max(mb[1], box[1]))
    inter = ix * iy
    union = (mb[2] - mb[0]) * (mb[3] - mb[1]) + (box[2] - box[0]) * (box[3] - box[1]) - inter
    fit = inter / union if union else 0.0
    fill = xs.size / max(1, (box[2] - box[0]) * (box[3] - box[1]))
    if fill < 0.15:  # a sliver that happens to span the box is not an object
        fit *= fill / 0.15
    return float(fit + WEIGHT_CONTRAST * _contrast(mask, grey))


def _contrast(mask: Mask, grey: npt.NDArray[np.float32]) -> float:
    cv2 = _cv()

    m = mask.astype(np.uint8)
    band = cv2.dilate(m, np.ones((5, 5), np.uint8)).astype(bool) & ~mask
    inner = mask & ~cv2.erode(m, np.ones((5, 5), np.uint8)).astype(bool)
    if not band.any() or not inner.any():
        return 0.0
    spread = float(grey[mask | band].std()) + 1e-3
    return min(1.0, abs(float(grey[inner].mean()) - float(grey[band].mean())) / (2 * spread))


def _threshold(sub: ImageArray, inner: tuple[int, int, int, int]) -> list[tuple[str, Mask]]:
    """Otsu candidates per channel: over the box plus ring (the ring supplies background samples
    when the object fills the box) and over the box alone; polarity from the ring."""
    cv2 = _cv()

    bx1, by1, bx2, by2 = inner
    inside = np.zeros(sub.shape[:2], dtype=bool)
    inside[by1:by2, bx1:bx2] = True
    ring = ~inside
    out: list[tuple[str, Mask]] = []
    for cname, chan in _channels(sub):
        smooth = cv2.GaussianBlur(chan, (0, 0), max(0.6, 0.01 * max(bx2 - bx1, by2 - by1)))
        for where, sample in (("crop", smooth.reshape(-1)), ("box", smooth[inside])):
            if int(sample.max()) - int(sample.min()) < 8:
                continue
            t, _ = cv2.threshold(sample.reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
            above = smooth > t
            inside_frac = float(above[inside].mean())
            ring_frac = float(above[ring].mean()) if ring.any() else 0.5
            # the object's side is the one enriched inside the box relative to the ring
            fg = above if inside_frac >= ring_frac else ~above
            m = _best_component(fg & inside, inner)
            if m is not None:
                out.append((f"threshold-{cname}-{where}", m))
        m = _relative_level(smooth, inside, inner)
        if m is not None:
            out.append((f"levels-{cname}", m))
    return out


def _relative_level(smooth: npt.NDArray[np.uint8], inside: Mask, inner: tuple[int, int, int, int]) -> Mask | None:
    """The object cut at a level a fixed fraction of the way from the background to its core.

    The core is the bright end (the 90th percentile) of Otsu's cut of the box, the background the
    crop's 10th percentile, both on the object's side of the polarity.  Annotators draw a
    blurred object's edge in the outer part of the blur, not at half its height: on the Data
    Science Bowl nuclei the level that best matches their masks lies 0.3-0.4 of the way up, the
    same on either half of the nuclei (docs/assist.md), and LEVEL is that.  Unlike a level chosen
    to fill the box, it does not depend on how tightly the box was drawn."""
    cv2 = _cv()

    bright = _centre_is_brighter(smooth, inner)
    t_otsu, _ = cv2.threshold(smooth[inside].reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    otsu = _best_component(((smooth > t_otsu) if bright else (smooth <= t_otsu)) & inside, inner)
    if otsu is None:
        return None
    signed = smooth.astype(np.float32) * (1.0 if bright else -1.0)
    core = float(np.percentile(signed[otsu], 90))
    background = float(np.percentile(signed, 10))
    return _best_component((signed > background + LEVEL * (core - background)) & inside, inner)


def _centre_is_brighter(smooth: npt.NDArray[np.uint8], inner: tuple[int, int, int, int]) -> bool:
    """Whether the box's central half is brighter than its border strip: a bright object.

    Fluorescent nuclei have bright neighbours all round them, so the ring outside the box says
    little about the polarity; the box's own centre against its edge does."""
    bx1, by1, bx2, by2 = inner
    box = smooth[by1:by2, bx1:bx2]
    h, w = box.shape
    centre = box[h // 4 : h - h // 4, w // 4 : w - w // 4]
    edge = np.concatenate([box[0], box[-1], box[:, 0], box[:, -1]])
    return float(np.median(centre)) >= float(np.median(edge))


def _channels(sub: ImageArray) -> list[tuple[str, npt.NDArray[np.uint8]]]:
    cv2 = _cv()

    grey = cv2.cvtColor(sub, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(sub, cv2.COLOR_RGB2HSV)
    chans = [("grey", grey)]
    if float(hsv[..., 1].mean()) > 12:  # coloured: stains, photographs
        lab = cv2.cvtColor(sub, cv2.COLOR_RGB2LAB)
        chans += [("sat", hsv[..., 1]), ("a", lab[..., 1]), ("b", lab[..., 2])]
    return chans


def _best_component(fg: Mask, inner: tuple[int, int, int, int]) -> Mask | None:
    """Fill holes, split touching blobs, keep the part whose bounding box best fits the box."""
    cv2 = _cv()

    m = fg.astype(np.uint8)
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    m = _fill_holes(m.astype(bool)).astype(np.uint8)
    n, labels = cv2.connectedComponents(m, connectivity=8)
    if n <= 1:
        return None
    parts = [labels == i for i in range(1, n)]
    # a neighbour glued to the object: split by the watershed of the distance transform
    split = _watershed_split(m)
    if split is not None:
        parts += split
    box = inner
    best = max(parts, key=lambda p: _box_fit(p, box))
    return _fill_holes(best) if _box_fit(best, box) > 0.05 else None


def _box_fit(part: Mask, box: tuple[int, int, int, int]) -> float:
    ys, xs = np.nonzero(part)
    if xs.size == 0:
        return 0.0
    mb = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    ix = max(0, min(mb[2], box[2]) - max(mb[0], box[0]))
    iy = max(0, min(mb[3], box[3]) - max(mb[1], box[1]))
    inter = ix * iy
    union = (mb[2] - mb[0]) * (mb[3] - mb[1]) + (box[2] - box[0]) * (box[3] - box[1]) - inter
    return inter / union if union else 0.0


def _watershed_split(m: npt.NDArray[np.uint8]) -> list[Mask] | None:
    cv2 = _cv()

    dist = cv2.distanceTransform(m, cv2.DIST_L2, 5)
    if dist.max() < 3:
        return None
    peaks = (dist > 0.55 * dist.max()).astype(np.uint8)
    n, markers = cv2.connectedComponents(peaks)
    if n <= 2:
        return None
    markers = markers.astype(np.int32) + 1
    markers[(m > 0) & (peaks == 0)] = 0
    shade = cv2.cvtColor(
        (255 - cv2.normalize(dist, None, 0, 255, cv2.NORM_MINMAX)).astype(np.uint8), cv2.COLOR_GRAY2BGR
    )
    cv2.watershed(shade, markers)
    return [(markers == i) & (m > 0) for i in range(2, n + 1)]


def _fill_holes(mask: Mask) -> Mask:
    cv2 = _cv()

    m = mask.astype(np.uint8)
    contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = np.zeros_like(m)
    cv2.drawContours(out, contours, -1, 1, thickness=-1)
    return out.astype(bool)


def _grabcut_ring(sub: ImageArray, inner: tuple[int, int, int, int]) -> Mask | None:
    cv2 = _cv()

    bx1, by1, bx2, by2 = inner
    gc = np.full(sub.shape[:2], cv2.GC_BGD, np.uint8)
    gc[by1:by2, bx1:bx2] = cv2.GC_PR_FGD
    if (gc == cv2.GC_BGD).sum() < 20:
        return None
    return _run_grabcut(sub, gc, inner)


def _grabcut_rect(sub: ImageArray, inner: tuple[int, int, int, int]) -> Mask | None:
    cv2 = _cv()

    bx1, by1, bx2, by2 = inner
    gc = np.full(sub.shape[:2], cv2.GC_BGD, np.uint8)
    gc[by1:by2, bx1:bx2] = cv2.GC_PR_FGD
    if (gc == cv2.GC_BGD).sum() < 20:
        return None
    return _run_grabcut(sub, gc, inner)


def _run_grabcut(sub: ImageArray, gc: npt.NDArray[np.uint8], inner: tuple[int, int, int, int]) -> Mask | None:
    cv2 = _cv()

    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)  # GrabCut seeds its colour models with k-means: same input, same mask
    try:
        cv2.grabCut(cv2.cvtColor(sub, cv2.COLOR_RGB2BGR), gc, None, bgd, fgd, ITERATIONS, cv2.GC_INIT_WITH_MASK)
    except cv2.error:
        return None
    fg = (gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)
    return _best_component(fg, inner)


# -- clicks ---------------------------------------------------------------------------------------
LEVEL = 0.35  # where the ``levels`` candidate cuts, from the background (0) to the object's core (1)
SPREAD = 0.15  # how far along the edge one click's shift reaches, as a fraction of the box diagonal
RIDGE = 0.05  # keeps the interpolation of near-coincident clicks well conditioned


def _refine_outline(image: ImageArray, box: tuple[int, int, int, int], mask: Mask, clicks: tuple[Click, ...]) -> Mask:
    """Clicks shift the outline of the cut without clicks (see the module's docstring)."""
    cv2 = _cv()

    ring = _ring_width(box)
    c = _crop_of(image, box, 0.0, ring)
    shape = _cut_pixels(image, c).shape[:2]
    hh, ww = shape
    inner = _box_in(c, box, shape)
    pts = [
        (
            int(np.clip((k.x - c.x0) * c.scale - 0.5, 0, ww - 1)),
            int(np.clip((k.y - c.y0) * c.scale - 0.5, 0, hh - 1)),
            k,
        )
        for k in clicks
    ]
    current = mask[c.y0 : c.y1, c.x0 : c.x1]
    if c.scale < 1.0:
        current = cv2.resize(current.astype(np.uint8), (ww, hh), interpolation=cv2.INTER_NEAREST) > 0
    inside = np.zeros(shape, dtype=bool)
    inside[inner[1] : inner[3], inner[0] : inner[2]] = True
    for x, y, k in pts:  # a positive click outside the box widens the area to reach it
        if k.positive and not inside[y, x]:
            inside[max(0, y - ring) : y + ring + 1, max(0, x - ring) : x + ring + 1] = True
    padded = np.pad(current, 1).astype(np.uint8)
    signed = (_distance(1 - padded) - _distance(padded))[1:-1, 1:-1]  # < 0 inside the cut
    yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
    width = max(1.0, SPREAD * float(np.hypot(inner[2] - inner[0], inner[3] - inner[1])))
    anchors: list[tuple[int, int, float]] = []
    offset = np.zeros(shape, np.float32)
    positives = np.zeros(shape, dtype=bool)
    done: list[tuple[int, int, Click]] = []
    for x, y, k in pts:
        cut = _shifted(signed, offset, inside, current, positives, done)
        if bool(cut[y, x]) != k.positive:
            wrong = ~cut if k.positive else cut
            depth = float(_distance(np.pad(wrong, 1).astype(np.uint8))[1:-1, 1:-1][y, x])
            anchors.append((x, y, float(signed[y, x]) + (depth if k.positive else -depth)))
            offset = _interpolate(anchors, xx, yy, width)
        done.append((x, y, k))
        positives[y, x] |= k.positive
    out = _shifted(signed, offset, inside, current, positives, done)
    for x, y, k in pts:
        out[y, x] = k.positive
    return _to_image(out, c, image.shape)


def _distance(m: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    return np.asarray(_cv().distanceTransform(m, _cv().DIST_L2, 5), dtype=np.float32)


def _shifted(
    signed: npt.NDArray[np.float32],
    offset: npt.NDArray[np.float32],
    inside: Mask,
    current: Mask,
    positives: Mask,
    clicks: list[tuple[int, int, Click]],
) -> Mask:
    """The cut whose edge is moved outward by ``offset`` pixels (inward where negative)."""
    fg = (signed < offset + 0.5) & inside
    fg = _fill_holes(_keep_anchored(fg, fg & current, positives))
    for x, y, k in clicks:
        if not k.positive:
            fg[y, x] = False
    return fg


def _interpolate(
    anchors: list[tuple[int, int, float]], xx: npt.NDArray[np.float32], yy: npt.NDArray[np.float32], width: float
) -> npt.NDArray[np.float32]:
    """A smooth field through every anchor's value (Gaussian radial basis functions)."""
    pts = np.array([(x, y) for x, y, _ in anchors], np.float64)
    values = np.array([v for _, _, v in anchors], np.float64)
    gram = np.exp(-((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1) / (2 * width * width))
    weights = np.linalg.solve(gram + RIDGE * np.eye(len(values)), values)
    out = np.zeros(xx.shape, np.float32)
    for (x, y), w in zip(pts, weights, strict=True):
        out += np.float32(w) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / np.float32(2 * width * width))
    return out


def _refine(image: ImageArray, box: tuple[int, int, int, int], mask: Mask, clicks: tuple[Click, ...]) -> Mask:
    cv2 = _cv()

    h, w = image.shape[:2]
    ring = _ring_width(box)
    xs = [box[0], box[2], *(c.x for c in clicks)]
    ys = [box[1], box[3], *(c.y for c in clicks)]
    region = (int(max(0, min(xs))), int(max(0, min(ys))), int(min(w, np.ceil(max(xs)))), int(min(h, np.ceil(max(ys)))))
    c = _crop_of(image, region, 0.0, ring)
    sub = _cut_pixels(image, c)
    cm = mask[c.y0 : c.y1, c.x0 : c.x1].astype(np.uint8)
    if c.scale < 1.0:
        cm = cv2.resize(cm, (sub.shape[1], sub.shape[0]), interpolation=cv2.INTER_NEAREST)
    gc = np.where(cm > 0, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    inner = _box_in(c, region, sub.shape)
    outside = np.ones(sub.shape[:2], dtype=bool)
    outside[inner[1] : inner[3], inner[0] : inner[2]] = False
    gc[outside] = cv2.GC_BGD
    radius = max(2, round(0.04 * np.hypot(box[2] - box[0], box[3] - box[1]) * c.scale))
    hard = np.zeros(sub.shape[:2], np.uint8)  # 1 = object, 2 = background
    for k in clicks:
        centre = (round((k.x - c.x0) * c.scale - 0.5), round((k.y - c.y0) * c.scale - 0.5))
        cv2.circle(hard, centre, radius, 1 if k.positive else 2, thickness=-1)
    gc[hard == 1], gc[hard == 2] = cv2.GC_FGD, cv2.GC_BGD
    if (gc == cv2.GC_BGD).any() and ((gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)).any():
        bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
        cv2.setRNGSeed(0)
        with contextlib.suppress(cv2.error):  # a degenerate colour model: keep the constraints alone
            cv2.grabCut(cv2.cvtColor(sub, cv2.COLOR_RGB2BGR), gc, None, bgd, fgd, 3, cv2.GC_INIT_WITH_MASK)
    fg = ((gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)) & (hard != 2)
    fg |= hard == 1
    fg = _keep_anchored(fg, (cm > 0) & fg, hard == 1)
    fg = _fill_holes(fg)
    fg[hard == 2] = False  # a negative click inside the object makes a hole: keep it
    return _to_image(fg, c, image.shape)


def _keep_anchored(fg: Mask, previous: Mask, positive: Mask) -> Mask:
    """Components that hold a positive click, or the largest overlap with the previous mask."""
    cv2 = _cv()

    n, labels = cv2.connectedComponents(fg.astype(np.uint8), connectivity=8)
    keep = set(np.unique(labels[positive]).tolist()) - {0}
    if previous.any():
        overlap = np.bincount(labels[previous], minlength=n)
        overlap[0] = 0
        if overlap.max() > 0:
            keep.add(int(overlap.argmax()))
    return np.isin(labels, list(keep)) if keep else fg


# -- polygon --------------------------------------------------------------------------------------
def mask_to_polygon(mask: Mask, tolerance: float | None = None) -> tuple[tuple[float, float], ...]:
    """The outline of the largest part, simplified by ``tolerance`` pixels (Douglas-Peucker;
    default 0.7 px, or 0.5 % of the object's size for large objects).

    Traced on the mask doubled in size, so the outline runs along pixel edges (within a quarter
    pixel) instead of through the boundary pixels' centres."""
    cv2 = _cv()

    ys, xs = np.nonzero(mask)
    if xs.size == 0:
        return ()
    x0, y0 = int(xs.min()), int(ys.min())
    sub = mask[y0 : ys.max() + 1, x0 : xs.max() + 1].astype(np.uint8)
    big = cv2.resize(sub, (sub.shape[1] * 2, sub.shape[0] * 2), interpolation=cv2.INTER_NEAREST)
    big = cv2.copyMakeBorder(big, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    contours, _ = cv2.findContours(big, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return ()
    contour = max(contours, key=cv2.contourArea)
    if tolerance is None:
        tolerance = max(0.7, 0.005 * float(np.sqrt(xs.size)))
    approx = cv2.approxPolyDP(contour, 2 * tolerance, True).reshape(-1, 2)
    if len(approx) < 3:
        approx = contour.reshape(-1, 2)
    return tuple((round(x0 + (px - 1 + 0.5) / 2, 2), round(y0 + (py - 1 + 0.5) / 2, 2)) for px, py in approx.tolist())


def grabcut_vanilla(image: ImageArray, box_xyxy: tuple[float, float, float, float], iterations: int = 5) -> Mask:
    """Classic GrabCut from a rectangle on the whole image: the baseline bench/assist compares with."""
    cv2 = _cv()

    x1, y1, x2, y2 = (round(v) for v in box_xyxy)
    gc = np.zeros(image.shape[:2], np.uint8)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    cv2.grabCut(
        cv2.cvtColor(image, cv2.COLOR_RGB2BGR),
        gc,
        (x1, y1, x2 - x1, y2 - y1),
        bgd,
        fgd,
        iterations,
        cv2.GC_INIT_WITH_RECT,
    )
    return np.isin(gc, (int(cv2.GC_FGD), int(cv2.GC_PR_FGD)))


def grabcut_vanilla_clicks(image: ImageArray, box_xyxy: tuple[float, float, float, float], clicks: Any) -> Mask:
    """Vanilla GrabCut refined by clicks (disks of hard labels), for the bench's baseline NoC."""
    cv2 = _cv()

    x1, y1, x2, y2 = (round(v) for v in box_xyxy)
    gc = np.full(image.shape[:2], cv2.GC_BGD, np.uint8)
    gc[y1:y2, x1:x2] = cv2.GC_PR_FGD
    r = max(2, round(0.04 * np.hypot(x2 - x1, y2 - y1)))
    for k in clicks:
        cv2.circle(gc, (round(k.x - 0.5), round(k.y - 0.5)), r, int(cv2.GC_FGD if k.positive else cv2.GC_BGD), -1)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    cv2.grabCut(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), gc, None, bgd, fgd, 5, cv2.GC_INIT_WITH_MASK)
    return np.isin(gc, (int(cv2.GC_FGD), int(cv2.GC_PR_FGD)))


__all__ = ["GrabCutSegmenter", "frame_cut", "grabcut_vanilla", "grabcut_vanilla_clicks", "mask_to_polygon"]
