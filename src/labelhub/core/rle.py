"""COCO run-length encoding of binary masks.

Conventions (the COCO ones, so exports need no conversion): a mask of shape ``(height, width)``
is flattened in column-major (Fortran) order; ``counts`` alternate runs of 0 and 1 starting with
0 (a mask starting with 1 has a first run of length 0).  ``size`` is ``[height, width]``.
``counts`` is either a list of ints ("uncompressed RLE") or COCO's compact ASCII string.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from labelhub.core.errors import InvalidInput


def encode(mask: npt.NDArray[Any]) -> dict[str, Any]:
    """Binary ``(H, W)`` array -> ``{"size": [H, W], "counts": [int, ...]}``."""
    if mask.ndim != 2:
        raise ValueError(f"expected a 2-D mask, got shape {mask.shape}")
    flat = np.asarray(mask, dtype=bool).ravel(order="F")
    if flat.size == 0:
        return {"size": list(mask.shape), "counts": [0]}
    change = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate(([0], change, [flat.size]))
    runs = np.diff(bounds).tolist()
    if flat[0]:
        runs.insert(0, 0)
    return {"size": [int(mask.shape[0]), int(mask.shape[1])], "counts": runs}


def decode(rle: dict[str, Any]) -> npt.NDArray[np.bool_]:
    """COCO RLE (list or string counts) -> boolean ``(H, W)`` array."""
    h, w = rle["size"]
    counts = counts_list(rle["counts"])
    flat = np.zeros(h * w, dtype=bool)
    pos = 0
    for i, run in enumerate(counts):
        if i % 2:
            flat[pos : pos + run] = True
        pos += run
    return flat.reshape((h, w), order="F")


def counts_list(counts: Any) -> list[int]:
    if isinstance(counts, str):
        return decode_counts_string(counts)
    return list(counts)


def area(rle: dict[str, Any]) -> int:
    return int(sum(counts_list(rle["counts"])[1::2]))


def encode_counts_string(counts: list[int]) -> str:
    """COCO's compact string: differences to the run two back, 5-bit groups, offset 48."""
    out: list[str] = []
    for i, c in enumerate(counts):
        x = c - counts[i - 2] if i > 2 else c
        more = True
        while more:
            ch = x & 0x1F
            x >>= 5
            more = not ((x == 0 and not (ch & 0x10)) or (x == -1 and (ch & 0x10)))
            if more:
                ch |= 0x20
            out.append(chr(ch + 48))
    return "".join(out)


def decode_counts_string(s: str) -> list[int]:
    counts: list[int] = []
    p = 0
    while p < len(s):
        x = 0
        k = 0
        more = True
        while more:
            if p >= len(s):
                raise InvalidInput("Truncated RLE counts string: re-encode the mask.")
            c = ord(s[p]) - 48
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


__all__ = ["area", "counts_list", "decode", "decode_counts_string", "encode", "encode_counts_string"]
