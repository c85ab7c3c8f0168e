"""Writes rle3d.json: volume masks encoded by Python, for web/tests/volume-rle.test.ts.

The wire form of ``volume_mask`` (src/labelhub/core/geometry.py ``_volume_mask``) is COCO RLE over
the [depth, height, width] array flattened like labelhub.core.rle flattens 2-D masks: column-major
(``ravel(order="F")``), runs alternating 0/1 starting with 0. Run from the repository root:
``.venv/bin/python web/tests/volume-fixtures/make_rle3d.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from labelhub.core import rle


def encode3d(mask: np.ndarray) -> list[int]:
    flat = np.asarray(mask, dtype=bool).ravel(order="F")
    change = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    runs = np.diff(np.concatenate(([0], change, [flat.size]))).tolist()
    if flat[0]:
        runs.insert(0, 0)
    return [int(r) for r in runs]


def main() -> None:
    rng = np.random.default_rng(7)
    cases = []
    for name, shape, fill in [
        ("random", (3, 4, 5), 0.4),
        ("sphere", (9, 11, 13), None),
        ("empty", (2, 3, 4), 0.0),
        ("full", (2, 2, 3), 1.0),
    ]:
        if fill is None:
            k, j, i = np.indices(shape)
            mask = ((k - 4) ** 2 / 9 + (j - 5) ** 2 / 16 + (i - 6.5) ** 2 / 25) <= 1
        else:
            mask = rng.random(shape) < fill
        counts = encode3d(mask)
        assert sum(counts) == mask.size
        # The 2-D encoder agrees on a single slice (depth 1): the same convention, one dimension up.
        if mask.shape[0] == 1:
            assert rle.encode(mask[0])["counts"] == counts
        cases.append(
            {
                "name": name,
                "size": list(shape),
                "voxels_c_order": mask.astype(int).ravel(order="C").tolist(),
                "counts": counts,
                "counts_string": rle.encode_counts_string(counts),
            }
        )
    out = Path(__file__).with_name("rle3d.json")
    out.write_text(json.dumps(cases, separators=(",", ":")) + "\n")
    write_blobs(out.with_name("volume-blobs.json"))


def write_blobs(out: Path) -> None:
    """A 4 x 3 x 2 (k, j, i) int16 and float32 volume as blobs written by media.volume.encode: zstd in
    frames of one slice (4 chunks) and of three slices (2 chunks, the last one short), gzip, and the
    single-frame zstd layout of blobs stored before chunking (no ``chunks`` in the header)."""
    import base64
    import struct

    import orjson
    import zstandard

    from labelhub.media.volume import CT_PRESETS, MAGIC, VERSION, Volume, encode

    def legacy(vol: Volume) -> bytes:
        head = orjson.dumps(vol.header("zstd"))
        raw = vol.voxels.astype(vol.voxels.dtype.newbyteorder("<")).tobytes()
        body = zstandard.ZstdCompressor(level=3).compress(raw)
        return MAGIC + struct.pack("<HI", VERSION, len(head)) + head + body

    voxels = (np.arange(24, dtype=np.int16).reshape(4, 3, 2) * 100 - 1000).astype(np.int16)
    affine = np.array([[0.7, 0, 0, -100.0], [0, 0.8, 0, -120.0], [0, 0, 2.5, 40.0], [0, 0, 0, 1]])
    blobs = []
    for dtype in ("int16", "float32"):
        vol = Volume(voxels.astype(dtype), affine, modality="CT", window_presets=list(CT_PRESETS))
        slice_bytes = vol.voxels[0].nbytes
        variants = {
            "zstd/1 slice per frame": encode(vol, slab_bytes=slice_bytes),
            "zstd/3 slices per frame": encode(vol, slab_bytes=3 * slice_bytes),
            "gzip": encode(vol, compression="gzip"),
            "zstd/one frame (before chunking)": legacy(vol),
        }
        for name, blob in variants.items():
            blobs.append(
                {
                    "dtype": dtype,
                    "compression": name,
                    "voxels_c_order": voxels.ravel().tolist(),
                    "blob_base64": base64.b64encode(blob).decode(),
                }
            )
    out.write_text(json.dumps(blobs) + "\n")


if __name__ == "__main__":
    main()
