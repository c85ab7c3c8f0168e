"""The stored form of every volume (DICOM series, NIfTI): one blob the browser fetches once.

Layout (all little-endian)::

    b"LHVOL\\x00" | uint16 version (1) | uint32 header length N | N bytes of UTF-8 JSON header |
    voxels: zstd frames (or one gzip stream) of the C-ordered array, shape (k, j, i)

Header keys: ``dtype`` ("int16" | "float32"), ``shape`` [k, j, i] (slices, rows, columns),
``compression`` ("zstd" | "gzip"), ``spacing_mm`` [di, dj, dk], ``affine_lps`` (4 x 4, rows),
``window_presets`` [{"name", "center", "width"}], ``modality``, ``source`` ("dicom" | "nifti"),
``frame_of_reference_uid``, ``warnings``.  zstd blobs hold one independent frame per slab of
``chunk_slices`` slices (about 8 MB raw), their compressed sizes in ``chunks``, so the browser
decodes them in parallel workers as they arrive; blobs without ``chunks`` are one frame.

Coordinates, written once: voxel index (i, j, k) = (column, row, slice), integers at voxel
centres; ``affine_lps @ [i, j, k, 1]`` is the position in millimetres in DICOM's patient
coordinate system LPS (+x towards the patient's Left, +y Posterior, +z Superior).  NIfTI's RAS
is converted on import (x and y negated).  Voxel values are in modality units (Hounsfield for
CT), RescaleSlope/Intercept already applied.

``VolumeReader`` reads this format back (the header for ``probe``, the middle axial slice for
``thumbnail``).
"""

from __future__ import annotations

import gzip
import importlib.util
import struct
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from labelhub.core.errors import InvalidInput
from labelhub.core.media import MediaInfo, MediaKind

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MAGIC = b"LHVOL\x00"
VERSION = 1
MIME = "application/x-labelhub-volume"
CT_PRESETS = (
    {"name": "soft tissue", "center": 40.0, "width": 400.0},
    {"name": "lung", "center": -600.0, "width": 1500.0},
    {"name": "bone", "center": 400.0, "width": 1800.0},
    {"name": "brain", "center": 40.0, "width": 80.0},
)
_MAX_HEADER = 1 << 20


@dataclass(slots=True)
class Volume:
    """``voxels``: (k, j, i) int16 or float32; ``affine_lps``: (4, 4) float64 voxel -> LPS mm."""

    voxels: npt.NDArray[Any]
    affine_lps: npt.NDArray[np.float64]
    modality: str = ""
    source: str = "dicom"
    window_presets: list[dict[str, Any]] = field(default_factory=list)
    frame_of_reference_uid: str | None = None
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def header(self, compression: str) -> dict[str, Any]:
        import numpy as np

        spacing = np.linalg.norm(self.affine_lps[:3, :3], axis=0)
        return {
            "format": "labelhub-volume",
            "version": VERSION,
            "dtype": str(self.voxels.dtype),
            "shape": list(self.voxels.shape),
            "axes": "kji",
            "compression": compression,
            "spacing_mm": [round(float(s), 6) for s in spacing],
            "affine_lps": [[round(float(v), 6) for v in row] for row in self.affine_lps],
            "window_presets": self.window_presets,
            "modality": self.modality,
            "source": self.source,
            "frame_of_reference_uid": self.frame_of_reference_uid,
            "warnings": self.warnings,
            **self.extra,
        }

    def info(self) -> MediaInfo:
        k, j, i = self.voxels.shape
        header = self.header("zstd")
        keep = ("dtype", "shape", "spacing_mm", "affine_lps", "window_presets", "modality", "source", "warnings")
        return MediaInfo(
            kind=MediaKind.VOLUME,
            mime_type=MIME,
            width=int(i),
            height=int(j),
            depth=int(k),
            channels=1,
            extra={key: header[key] for key in keep} | {k2: v for k2, v in self.extra.items()},
        )


SLAB_BYTES = 8 << 20  # raw bytes per zstd frame: several frames decode in parallel in the browser


def encode(volume: Volume, *, compression: str = "zstd", level: int = 3, slab_bytes: int = SLAB_BYTES) -> bytes:
    """The blob for ``volume`` (see the module docstring); zstd frames of about ``slab_bytes`` raw."""
    import numpy as np

    voxels = np.ascontiguousarray(volume.voxels, dtype=volume.voxels.dtype.newbyteorder("<"))
    header = volume.header(compression)
    if compression == "zstd":
        slab = max(1, slab_bytes // max(1, voxels[0].nbytes)) if voxels.shape[0] else 1
        frames = _zstd_frames([voxels[k : k + slab].tobytes() for k in range(0, voxels.shape[0], slab)], level)
        header |= {"chunk_slices": slab, "chunks": [len(f) for f in frames]}
        body = b"".join(frames)
    elif compression == "gzip":
        body = gzip.compress(voxels.tobytes(), compresslevel=1)
    else:
        raise ValueError(f"compression must be 'zstd' or 'gzip', got {compression!r}")
    head = orjson.dumps(header)
    return MAGIC + struct.pack("<HI", VERSION, len(head)) + head + body


def _zstd_frames(slabs: list[bytes], level: int) -> list[bytes]:
    """One independent zstd frame per slab, compressed on all cores (zstd releases the GIL)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    import zstandard

    def one(data: bytes) -> bytes:
        return zstandard.ZstdCompressor(level=level).compress(data)

    if len(slabs) == 1:
        return [one(slabs[0])]
    with ThreadPoolExecutor(max_workers=min(len(slabs), os.cpu_count() or 1)) as pool:
        return list(pool.map(one, slabs))


def read_header(stream: BinaryIO) -> dict[str, Any]:
    head = stream.read(12)
    if len(head) < 12 or not head.startswith(MAGIC):
        raise InvalidInput("not a labelhub volume (bad magic): re-import the source series")
    version, length = struct.unpack("<HI", head[6:12])
    if version != VERSION or length > _MAX_HEADER:
        raise InvalidInput(f"unsupported labelhub volume version {version}: re-import the source series")
    header: dict[str, Any] = orjson.loads(stream.read(length))
    return header


def decode(stream: BinaryIO) -> tuple[dict[str, Any], npt.NDArray[Any]]:
    """``(header, voxels)`` of a blob written by ``encode``."""
    import numpy as np

    header = read_header(stream)
    body = stream.read()
    if header["compression"] == "zstd":
        import zstandard

        d = zstandard.ZstdDecompressor()
        sizes = header.get("chunks") or [len(body)]  # one frame in blobs written before chunking
        parts, at = [], 0
        for size in sizes:
            parts.append(d.decompress(body[at : at + size], max_output_size=_nbytes(header)))
            at += size
        raw = b"".join(parts)
        if len(raw) != _nbytes(header):
            raise InvalidInput("the stored volume's voxels do not match its header: re-import the source")
    else:
        raw = gzip.decompress(body)
    dtype = np.dtype(header["dtype"]).newbyteorder("<")
    return header, np.frombuffer(raw, dtype=dtype).reshape(header["shape"])


def _nbytes(header: dict[str, Any]) -> int:
    import numpy as np

    size = int(np.dtype(header["dtype"]).itemsize)
    for n in header["shape"]:
        size *= int(n)
    return size


class VolumeReader:
    """Reads labelhub's own volume blobs (written on import of DICOM series and NIfTI files)."""

    name: str = "volume"
    kind: MediaKind = MediaKind.VOLUME
    extensions: tuple[str, ...] = ("lhvol",)
    mime_types: tuple[str, ...] = (MIME,)
    requires: tuple[str, ...] = ("zstandard>=0.22",)

    def is_available(self) -> bool:
        return importlib.util.find_spec("zstandard") is not None

    def sniff(self, head: bytes, filename: str) -> bool:
        return head.startswith(MAGIC)

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo:
        header = read_header(stream)
        k, j, i = header["shape"]
        keep = ("dtype", "shape", "spacing_mm", "affine_lps", "window_presets", "modality", "source", "warnings")
        return MediaInfo(
            MediaKind.VOLUME, MIME, width=i, height=j, depth=k, channels=1, extra={key: header.get(key) for key in keep}
        )

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]:
        """The middle slice (k = depth // 2), windowed with the first preset."""
        from PIL import Image

        from labelhub.media.pixels import encode_thumbnail

        header, voxels = decode(stream)
        preset = next(iter(header.get("window_presets") or []), None)
        plane = window_to_uint8(voxels[voxels.shape[0] // 2], preset)
        return encode_thumbnail(Image.fromarray(plane).convert("RGB"), max_side)


def window_to_uint8(plane: npt.NDArray[Any], preset: dict[str, Any] | None) -> npt.NDArray[np.uint8]:
    """Map values to 0..255 through a window (centre, width); without one, the plane's min..max."""
    import numpy as np

    values = plane.astype(np.float32)
    if preset and float(preset.get("width", 0)) > 0:
        low = float(preset["center"]) - float(preset["width"]) / 2
        high = low + float(preset["width"])
    else:
        finite = values[np.isfinite(values)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    scaled = (values - low) * (255.0 / max(high - low, 1e-6))
    out: npt.NDArray[np.uint8] = np.nan_to_num(scaled).clip(0, 255).astype(np.uint8)
    return out


__all__ = [
    "CT_PRESETS",
    "MAGIC",
    "MIME",
    "Volume",
    "VolumeReader",
    "decode",
    "encode",
    "read_header",
    "window_to_uint8",
]
