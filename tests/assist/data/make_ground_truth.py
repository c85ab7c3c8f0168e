"""How tests/assist/data/*_gt.json were made (kept for review; run it to regenerate + overlays).

* coins (skimage.data.coins, a real greyscale photograph of 24 similar coins): the region-based
  watershed of scikit-image's own coins tutorial (Sobel elevation map, markers below 30 and above
  150), holes filled, each coin a connected component; components under 300 px dropped.
* ihc (skimage.data.immunohistochemistry, real brightfield microscopy): stromal nuclei from the
  haematoxylin channel (skimage.color.rgb2hed), smoothed, thresholded by Otsu on the stroma
  window, split by a distance-transform watershed; only nuclei fully inside the window, 60-1500 px,
  kept.

Both were checked by eye on the overlay PNGs this script writes (``/tmp/gt_*.png``); objects that
looked wrong on the overlay were listed in ``REJECT`` and dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import ndimage as ndi
from skimage import color, data, filters, measure, morphology, segmentation

from labelhub.core import rle

HERE = Path(__file__).parent
REJECT: dict[str, set[int]] = {"coins": set(), "ihc": {14}}  # ihc 14: two nuclei merged


def coins() -> list[np.ndarray]:
    img = data.coins()
    elevation = filters.sobel(img)
    markers = np.zeros_like(img)
    markers[img < 30] = 1
    markers[img > 150] = 2
    seg = segmentation.watershed(elevation, markers) == 2
    seg = ndi.binary_fill_holes(seg)
    lab = measure.label(seg)
    return [lab == r.label for r in measure.regionprops(lab) if r.area >= 300]


def ihc() -> list[np.ndarray]:
    img = data.immunohistochemistry()
    hema = color.rgb2hed(img)[..., 0]
    y0, y1, x0, x1 = 200, 330, 90, 330  # stroma between the glands
    win = filters.gaussian(hema[y0:y1, x0:x1], 1.0)
    fg = win > filters.threshold_otsu(win)
    fg = morphology.remove_small_objects(ndi.binary_fill_holes(fg), max_size=40)
    dist = ndi.distance_transform_edt(fg)
    peaks = measure.label(morphology.h_maxima(filters.gaussian(dist, 1.0), 0.7))
    lab = segmentation.watershed(-dist, peaks, mask=fg)
    out = []
    dab = color.rgb2hed(img)[..., 2][y0:y1, x0:x1]
    for r in measure.regionprops(lab):
        a, b, c, d = r.bbox
        inside = a > 0 and b > 0 and c < fg.shape[0] and d < fg.shape[1]
        # brown (DAB) pixels mean the blob ran into a gland; low solidity means merged nuclei
        clean = float(dab[lab == r.label].mean()) < 0.03 and r.solidity > 0.85
        if 60 <= r.area <= 1500 and inside and clean:
            full = np.zeros(img.shape[:2], bool)
            full[y0:y1, x0:x1] = lab == r.label
            out.append(full)
    return out


def save(name: str, image: np.ndarray, masks: list[np.ndarray]) -> None:
    objs = []
    for i, m in enumerate(masks):
        if i in REJECT[name]:
            continue
        ys, xs = np.nonzero(m)
        objs.append(
            {
                "id": i,
                "box_xyxy": [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1],
                "rle": rle.encode(m),
            }
        )
    (HERE / f"{name}_gt.json").write_text(json.dumps({"image": f"skimage.data.{name}", "objects": objs}))
    from PIL import Image, ImageDraw

    rgb = np.dstack([image] * 3) if image.ndim == 2 else image.copy()
    over = rgb.copy()
    for i, m in enumerate(masks):
        if i in REJECT[name]:
            continue
        edge = m & ~ndi.binary_erosion(m)
        over[edge] = (255, 0, 0)
    pic = Image.fromarray(over).resize((over.shape[1] * 2, over.shape[0] * 2), Image.NEAREST)
    d = ImageDraw.Draw(pic)
    for i, m in enumerate(masks):
        ys, xs = np.nonzero(m)
        d.text((int(xs.mean()) * 2, int(ys.mean()) * 2), str(i), fill=(0, 255, 0))
    pic.save(f"/tmp/gt_{name}.png")


if __name__ == "__main__":
    save("coins", data.coins(), coins())
    save("ihc", data.immunohistochemistry(), ihc())
