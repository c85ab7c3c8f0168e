"""``NiftiReader``: NIfTI-1/-2 volumes (``.nii``, ``.nii.gz``) through nibabel, stored as a
labelhub volume blob (``labelhub.media.volume``) so the browser has one volume loader.

The affine is honoured: nibabel's voxel -> RAS+ affine (sform, else qform) becomes voxel -> LPS by
negating its x and y rows, and the array is transposed from nibabel's (i, j, k) to the blob's
(k, j, i) order without resampling, so left/right and superior/inferior stay where the scanner put
them.  4-D files hold several volumes (time points, echoes): ``volume_index`` picks one (default 0)
and ``extra["volumes"]`` says how many there are.  Scaling (scl_slope/scl_inter) is applied.
The header's free-text fields (descrip, aux_file, intent_name, db_name), which can carry patient
details, are not copied.
"""

from __future__ import annotations

import gzip
import importlib.util
import io
from typing import TYPE_CHECKING, Any, BinaryIO

from labelhub.core.errors import InvalidInput, PayloadTooLarge
from labelhub.core.media import MediaInfo, MediaKind
from labelhub.media.magic import has_extension
from labelhub.media.volume import MIME, Volume, encode

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

DEFAULT_MAX_VOXELS = 1_000_000_000
_MAX_UNZIPPED = 4 << 30  # a decompression-bomb guard for .nii.gz
_LPS_FROM_RAS = (-1.0, -1.0, 1.0, 1.0)


class NiftiReader:
    name: str = "nifti"
    kind: MediaKind = MediaKind.VOLUME
    extensions: tuple[str, ...] = ("nii", "nii.gz")
    mime_types: tuple[str, ...] = ("application/x-nifti",)
    requires: tuple[str, ...] = ("nibabel>=5", "zstandard")

    def __init__(self, max_voxels: int = DEFAULT_MAX_VOXELS, volume_index: int = 0) -> None:
        self.max_voxels, self.volume_index = max_voxels, volume_index

    def is_available(self) -> bool:
        return all(importlib.util.find_spec(m) is not None for m in ("nibabel", "zstandard"))

    def sniff(self, head: bytes, filename: str) -> bool:
        """Uncompressed NIfTI-1 (magic at 344) or NIfTI-2 (at 4); gzip is matched by extension."""
        return head[344:348] in (b"n+1\x00", b"ni1\x00") or head[4:8] in (b"n+2\x00", b"ni2\x00")

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo:
        return self.to_volume(stream, filename).info()

    def convert(self, stream: BinaryIO, filename: str, *, compression: str = "zstd") -> tuple[bytes, MediaInfo]:
        """The stored form: ``(volume blob, its MediaInfo)``."""
        volume = self.to_volume(stream, filename)
        return encode(volume, compression=compression), volume.info()

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]:
        from labelhub.media.volume import VolumeReader

        return VolumeReader().thumbnail(stream, max_side)  # assets store the converted blob

    def to_volume(self, stream: BinaryIO, filename: str) -> Volume:
        import nibabel as nib
        import numpy as np

        data = stream.read()
        if data[:2] == b"\x1f\x8b" or has_extension(filename, ("nii.gz",)):
            data = _gunzip(data, filename, _MAX_UNZIPPED)
        try:
            kind: Any = nib.Nifti2Image if data[4:8] in (b"n+2\x00", b"ni2\x00") else nib.Nifti1Image
            image: Any = kind.from_bytes(data)
            shape = tuple(int(n) for n in image.shape)
            if len(shape) < 3 or len(shape) > 4:
                raise InvalidInput(f"'{filename}' has {len(shape)} dimensions; labelhub reads 3-D and 4-D")
            volumes = shape[3] if len(shape) == 4 else 1
            if shape[0] * shape[1] * shape[2] > self.max_voxels:
                raise PayloadTooLarge(f"'{filename}' has {shape[0] * shape[1] * shape[2]:,} voxels a volume")
            index = min(self.volume_index, volumes - 1)
            proxy = image.dataobj[..., index] if len(shape) == 4 else image.dataobj
            array = np.asanyarray(proxy)
            affine = np.diag(_LPS_FROM_RAS) @ np.asarray(image.affine, dtype=np.float64)
        except (InvalidInput, PayloadTooLarge):
            raise
        except Exception as exc:  # nibabel raises many types for bad headers and short data
            raise InvalidInput(
                f"'{filename}' is not a readable NIfTI file ({type(exc).__name__}): re-export it"
            ) from None
        voxels = _as_stored(np.transpose(array, (2, 1, 0)))
        return Volume(
            voxels,
            affine,
            modality="",
            source="nifti",
            warnings=[] if np.isfinite(voxels).all() else ["non-finite voxel values"],
            extra={
                "volumes": volumes,
                "volume_index": index,
                "orientation_ras": _axcodes(image.affine),
            },
        )


def _axcodes(affine: Any) -> str:
    """ "LAS", "RAS", ...: where the voxel axes i, j, k point, as nibabel names it."""
    import nibabel as nib

    codes: tuple[str, ...] = nib.aff2axcodes(affine)  # type: ignore[no-untyped-call]
    return "".join(codes)


def _as_stored(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """int16 when every value is an integer that fits, else float32 (C-ordered)."""
    import numpy as np

    if array.dtype.kind in "iub" and (array.size == 0 or (array.min() >= -32768 and array.max() <= 32767)):
        return np.ascontiguousarray(array, dtype=np.int16)
    out: npt.NDArray[np.float32] = np.ascontiguousarray(array, dtype=np.float32)
    return out


def _gunzip(data: bytes, filename: str, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(limit + 1)
    except (OSError, EOFError) as exc:
        raise InvalidInput(f"'{filename}' is a truncated or corrupt gzip file ({type(exc).__name__})") from None
    if len(out) > limit:
        raise PayloadTooLarge(f"'{filename}' expands beyond {limit:,} bytes; refusing a decompression bomb")
    return out


__all__ = ["MIME", "NiftiReader"]
