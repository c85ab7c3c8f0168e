"""``DicomReader``: DICOM Part 10 files through pydicom (pixel data through its handlers:
numpy for native, pylibjpeg / python-gdcm for JPEG, JPEG-LS, JPEG 2000 and RLE).

``probe`` fully decodes the pixel data, so a truncated or corrupt file fails at import with
``InvalidInput`` (a missing codec is ``UnsupportedMedia`` naming what to install).  A single
frame is an ``IMAGE``; a multi-frame file is a ``MULTIPAGE_IMAGE`` (ultrasound cine, X-ray
runs), except when its frames carry plane positions, in which case the import turns it into a
volume.  ``extra`` holds display metadata only (modality, window/level, rescale, pixel spacing,
UIDs) and never a patient attribute.

The reader also carries the import-time toolkit (``deid_session``, ``build_assets``) that
``services.medical_ingest`` reaches through its ``DicomToolkit`` protocol.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO

from labelhub.core.errors import InvalidInput, UnsupportedMedia
from labelhub.core.media import MediaInfo, MediaKind
from labelhub.media.volume import window_to_uint8

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from pydicom.dataset import Dataset

    from labelhub.media.dicom_import import BuiltAsset, DeidSession

MIME = "application/dicom"
_PREAMBLE = 128
# pydicom's warnings quote element values (names, IDs): they must not reach logs or stderr.
logging.getLogger("pydicom").setLevel(logging.CRITICAL)


class DicomReader:
    name: str = "dicom"
    kind: MediaKind = MediaKind.IMAGE
    extensions: tuple[str, ...] = ("dcm", "dicom")
    mime_types: tuple[str, ...] = (MIME,)
    requires: tuple[str, ...] = ("pydicom>=3", "pylibjpeg[all]", "zstandard")

    def is_available(self) -> bool:
        return all(importlib.util.find_spec(m) is not None for m in ("pydicom", "zstandard"))

    def sniff(self, head: bytes, filename: str) -> bool:
        """Part 10 files: ``DICM`` after the 128-byte preamble."""
        return is_dicom(head)

    def probe(self, stream: BinaryIO, filename: str) -> MediaInfo:
        ds = read(stream.read(), filename)
        pixels = decode_pixels(ds, filename)
        return describe(ds, pixels)

    def thumbnail(self, stream: BinaryIO, max_side: int) -> tuple[bytes, str]:
        """The first frame through its stored window (else min..max), as displayed (MONOCHROME1 inverted)."""
        from PIL import Image

        from labelhub.media.pixels import encode_thumbnail

        ds = read(stream.read(), None)
        frame = first_frame(ds, decode_pixels(ds, None))
        if frame.ndim == 3:
            picture = Image.fromarray(frame.astype("uint8")).convert("RGB")
        else:
            plane = window_to_uint8(rescaled(ds, frame), next(iter(windows(ds)), None))
            if str(ds.get("PhotometricInterpretation", "")) == "MONOCHROME1":
                plane = 255 - plane
            picture = Image.fromarray(plane).convert("RGB")
        return encode_thumbnail(picture, max_side)

    def render_page(self, stream: BinaryIO, page_index: int) -> bytes:
        """Frame ``page_index`` (0-based) of a stored (de-identified) file as an 8-bit PNG through
        its first stored window (else min..max), MONOCHROME1 inverted, colour frames as RGB.
        Frames are served at their own size; window/level of the raw values is the viewer's job."""
        from PIL import Image

        from labelhub.core.errors import NotFound

        ds = read(stream.read(), None)
        pixels = decode_pixels(ds, None)
        frames = int(ds.get("NumberOfFrames", 1) or 1)
        if not 0 <= page_index < frames:
            raise NotFound(f"page {page_index} does not exist: the file has frames 0 to {frames - 1}")
        frame = pixels[page_index] if frames > 1 else pixels
        if frame.ndim == 3:
            picture = Image.fromarray(frame.astype("uint8")).convert("RGB")
        else:
            plane = window_to_uint8(rescaled(ds, frame), next(iter(windows(ds)), None))
            if str(ds.get("PhotometricInterpretation", "")) == "MONOCHROME1":
                plane = 255 - plane
            picture = Image.fromarray(plane)
        buf = io.BytesIO()
        picture.save(buf, "PNG", compress_level=3)
        return buf.getvalue()

    def deid_session(
        self, *, secret: bytes, shift_dates: bool = False, safe_private: Sequence[str] = ()
    ) -> DeidSession:
        from labelhub.media.dicom_import import DeidSession

        return DeidSession(secret=secret, shift_dates=shift_dates, safe_private=safe_private)

    def build_assets(self, files: Sequence[tuple[str, bytes]], *, compression: str = "zstd") -> list[BuiltAsset]:
        from labelhub.media.dicom_import import build_assets

        return build_assets(files, compression=compression)


def is_dicom(head: bytes) -> bool:
    return len(head) >= _PREAMBLE + 4 and head[_PREAMBLE : _PREAMBLE + 4] == b"DICM"


@contextmanager
def dicom_errors(filename: str | None) -> Iterator[None]:
    """pydicom's failures as ``InvalidInput`` whose message carries no value from the file."""
    what = f"'{filename}'" if filename else "the stored DICOM file"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except (InvalidInput, UnsupportedMedia):
        raise
    except (RuntimeError, NotImplementedError) as exc:
        if "missing" in str(exc) and "dependencies" in str(exc):
            raise UnsupportedMedia(
                f"{what} uses a compressed transfer syntax that no installed decoder reads: install "
                "pylibjpeg, pylibjpeg-libjpeg, pylibjpeg-openjpeg and pylibjpeg-rle (or python-gdcm)"
            ) from None
        raise InvalidInput(
            f"{what} could not be decoded ({type(exc).__name__}): its pixel data is corrupt or uses an encoding "
            "the installed decoders do not read; re-export it uncompressed"
        ) from None
    except Exception as exc:  # pydicom raises many types; none of their messages may leak values
        raise InvalidInput(
            f"{what} is truncated or corrupt ({type(exc).__name__}): re-export it from the PACS and upload again"
        ) from None


def read(data: bytes, filename: str | None) -> Dataset:
    import pydicom

    with dicom_errors(filename):
        if not is_dicom(data[: _PREAMBLE + 4]):
            raise InvalidInput(f"'{filename}' is not a DICOM Part 10 file (no 'DICM' marker after the preamble)")
        ds = pydicom.dcmread(io.BytesIO(data))
    return ds


def decode_pixels(ds: Dataset, filename: str | None) -> npt.NDArray[Any]:
    what = f"'{filename}'" if filename else "the stored DICOM file"
    if "PixelData" not in ds and "FloatPixelData" not in ds and "DoubleFloatPixelData" not in ds:
        if "Rows" in ds:
            raise InvalidInput(
                f"{what} is truncated or corrupt (its pixel data is missing): re-export it and upload again"
            )
        raise InvalidInput(f"{what} has no pixel data (a report, plan or structure set): nothing to label")
    with dicom_errors(filename):
        pixels: npt.NDArray[Any] = ds.pixel_array
    return pixels


def first_frame(ds: Dataset, pixels: npt.NDArray[Any]) -> npt.NDArray[Any]:
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    return pixels[0] if frames > 1 else pixels


def rescaled(ds: Dataset, frame: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    import numpy as np

    slope = float(ds.get("RescaleSlope", 1) or 1)
    intercept = float(ds.get("RescaleIntercept", 0) or 0)
    return frame.astype(np.float32) * np.float32(slope) + np.float32(intercept)


def windows(ds: Dataset) -> list[dict[str, Any]]:
    """WindowCenter/WindowWidth pairs (and their explanations) as presets."""
    centers, widths = ds.get("WindowCenter"), ds.get("WindowWidth")
    if centers is None or widths is None:
        return []
    centers = (
        list(centers) if not isinstance(centers, (int, float, str)) and hasattr(centers, "__iter__") else [centers]
    )
    widths = list(widths) if not isinstance(widths, (int, float, str)) and hasattr(widths, "__iter__") else [widths]
    names = ds.get("WindowCenterWidthExplanation") or []
    names = [names] if isinstance(names, str) else list(names)
    out = []
    for n, (c, w) in enumerate(zip(centers, widths, strict=False)):
        if w is not None and float(w) > 0:
            out.append(
                {"name": str(names[n]) if n < len(names) else f"window {n + 1}", "center": float(c), "width": float(w)}
            )
    return out


def describe(ds: Dataset, pixels: npt.NDArray[Any]) -> MediaInfo:
    """A ``MediaInfo`` with display metadata only (no patient attribute)."""
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    rows, cols = int(ds.Rows), int(ds.Columns)
    samples = int(ds.get("SamplesPerPixel", 1) or 1)
    spacing = ds.get("PixelSpacing") or ds.get("ImagerPixelSpacing")
    extra: dict[str, Any] = {
        "modality": str(ds.get("Modality", "")),
        "sop_class_uid": str(ds.get("SOPClassUID", "")),
        "transfer_syntax_uid": str(ds.file_meta.get("TransferSyntaxUID", "")) if ds.get("file_meta") else "",
        "study_instance_uid": str(ds.get("StudyInstanceUID", "")),
        "series_instance_uid": str(ds.get("SeriesInstanceUID", "")),
        "photometric_interpretation": str(ds.get("PhotometricInterpretation", "")),
        "bits_stored": int(ds.get("BitsStored", 8) or 8),
        "rescale_slope": float(ds.get("RescaleSlope", 1) or 1),
        "rescale_intercept": float(ds.get("RescaleIntercept", 0) or 0),
        "window_presets": windows(ds),
        "pixel_spacing_mm": [float(v) for v in spacing] if spacing else None,
        "frames": frames,
        "burned_in_annotation": str(ds.get("BurnedInAnnotation", "")),
        "patient_identity_removed": str(ds.get("PatientIdentityRemoved", "")),
    }
    return MediaInfo(
        kind=MediaKind.MULTIPAGE_IMAGE if frames > 1 else MediaKind.IMAGE,
        mime_type=MIME,
        width=cols,
        height=rows,
        channels=samples,
        pages=frames,
        extra=extra,
    )


__all__ = ["MIME", "DicomReader", "decode_pixels", "describe", "dicom_errors", "is_dicom", "read", "windows"]
