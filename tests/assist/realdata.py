"""Real images with ground-truth masks for Frame Cut, shared by the tests and bench/assist.py.

* ``coffee``: skimage.data.coffee, the cup on its saucer, a hand-drawn polygon (photograph);
* ``coins``: skimage.data.coins, 24 similar coins (crowded greyscale photograph);
* ``ihc``: skimage.data.immunohistochemistry, 14 stromal nuclei (crowded brightfield microscopy;
  the masks were made from the haematoxylin channel, see data/make_ground_truth.py);
* ``dsb``: the fluorescence nuclei image of the 2018 Data Science Bowl with its 125 ground-truth
  masks drawn by the challenge's annotators (Caicedo et al., Nature Methods 16, 2019), as the
  stardist wheel ships it (stardist/data/images/img2d.tif and mask2d.tif).  ``./scripts/setup``
  installs that wheel without its dependencies: only its two TIFF files are read, stardist itself
  is never imported.  Masks independent of anything labelhub does: the honest crowded-microscopy
  benchmark.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
Box = tuple[float, float, float, float]
Objects = list[tuple[Box, np.ndarray]]


PAGE_WORDS = "labelhub reads scanned pages offline with an engine that ships inside its wheel".split()  # noqa: SIM905


def printed_page(lines: int = 40, height: int = 1754) -> tuple[np.ndarray, list[str]]:
    """An A4 page at 150 dpi (1240 px wide) of printed lines, 9 words each, 40 px apart, in
    Pillow's default font at 24 px; and the lines' text."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("RGB", (1240, height), "white")
    d = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=24)
    truth = [" ".join(PAGE_WORDS[(i + k) % len(PAGE_WORDS)] for k in range(9)) for i in range(lines)]
    for i, text in enumerate(truth):
        d.text((80, 80 + i * 40), text, fill="black", font=font)
    return np.asarray(page), truth


def polygon_mask(points: list[list[float]], width: int, height: int) -> np.ndarray:
    from PIL import Image, ImageDraw

    pic = Image.new("L", (width, height), 0)
    ImageDraw.Draw(pic).polygon([(float(x), float(y)) for x, y in points], fill=1)
    return np.asarray(pic).astype(bool)


def bounds(mask: np.ndarray) -> Box:
    ys, xs = np.nonzero(mask)
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def coffee() -> tuple[np.ndarray, Box, np.ndarray]:
    """skimage.data.coffee, its cup-on-saucer box and the hand-drawn ground-truth mask."""
    from skimage import data

    img = data.coffee()
    g = json.loads((DATA / "coffee_gt.json").read_text())
    gt = polygon_mask(g["polygon_xy"], img.shape[1], img.shape[0])
    return img, bounds(gt), gt


def crowded(name: str) -> tuple[np.ndarray, Objects]:
    """``coins``, ``ihc`` or ``dsb``: the RGB image and its objects (box, mask)."""
    if name == "dsb":
        return dsb_nuclei()
    from skimage import data

    from labelhub.core import rle

    image = data.coins() if name == "coins" else data.immunohistochemistry()
    rgb = np.ascontiguousarray(np.dstack([image] * 3) if image.ndim == 2 else image)
    objs = json.loads((DATA / f"{name}_gt.json").read_text())["objects"]
    return rgb, [(tuple(float(v) for v in o["box_xyxy"]), rle.decode(o["rle"])) for o in objs]  # type: ignore[misc]


def dsb_nuclei() -> tuple[np.ndarray, Objects]:
    import tifffile

    spec = importlib.util.find_spec("stardist")  # finds the files without importing the package
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the stardist wheel (its data files) is not installed: run ./scripts/setup")
    images = Path(next(iter(spec.submodule_search_locations))) / "data" / "images"
    img = tifffile.imread(images / "img2d.tif")
    labels = tifffile.imread(images / "mask2d.tif")
    assert int(img.max()) <= 255, "img2d.tif holds 8-bit values in a 16-bit file"
    rgb = np.ascontiguousarray(np.dstack([img.astype(np.uint8)] * 3))
    objs = [(bounds(labels == v), labels == v) for v in np.unique(labels) if v]
    return rgb, objs
