"""Assemble DICOM instances into volumes: group by Study/Series Instance UID, order slices along
the slice normal, derive spacing and the voxel -> LPS affine, apply RescaleSlope/Intercept.

Order comes from geometry, never from file names or InstanceNumber: with ``r`` and ``c`` the
row and column direction cosines of ImageOrientationPatient, the normal is ``n = r x c`` and a
slice's position along it is ``n . ImagePositionPatient``.  Slices are sorted by that distance;
the spacing is the median step.  A step under 1 % of it is a duplicate (the later file is
dropped), a step over 1.5 times it is a gap (missing slices); both, and orientations that
disagree with the series, become warnings on the volume rather than failures.

Multi-frame files contribute one slice per frame from their per-frame functional groups
(PlanePositionSequence / PlaneOrientationSequence / PixelValueTransformationSequence), falling
back to the shared groups.  The affine is described in ``labelhub.media.volume``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from labelhub.media.volume import CT_PRESETS, Volume

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from pydicom.dataset import Dataset

VOLUME_MODALITIES = frozenset({"CT", "MR", "PT", "NM", "OT", "SEG", "RTDOSE"})
_DUPLICATE, _GAP = 0.01, 1.5


@dataclass(slots=True)
class Slice:
    """One 2-D frame with its geometry; ``pixels`` are the stored values (rows, columns)."""

    position: npt.NDArray[np.float64]
    orientation: npt.NDArray[np.float64]
    spacing: tuple[float, float]  # (row spacing, column spacing) = PixelSpacing
    slope: float
    intercept: float
    pixels: npt.NDArray[Any]
    source: str
    sop_instance_uid: str


def series_key(ds: Dataset) -> tuple[str, str]:
    return str(ds.get("StudyInstanceUID", "")), str(ds.get("SeriesInstanceUID", ""))


def has_geometry(ds: Dataset) -> bool:
    shared = _first(ds, "SharedFunctionalGroupsSequence")
    per_frame = _first(ds, "PerFrameFunctionalGroupsSequence")
    return ("ImagePositionPatient" in ds and "ImageOrientationPatient" in ds) or (
        per_frame is not None
        and _first(per_frame, "PlanePositionSequence") is not None
        and (_first(per_frame, "PlaneOrientationSequence") or _first(shared, "PlaneOrientationSequence")) is not None
    )


def slices_of(ds: Dataset, source: str) -> list[Slice]:
    """Every frame of ``ds`` as a ``Slice`` (decodes the pixel data)."""
    import numpy as np

    pixels = ds.pixel_array
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if frames == 1:
        pixels = pixels[np.newaxis]
    shared = _first(ds, "SharedFunctionalGroupsSequence")
    per_frame = list(ds.get("PerFrameFunctionalGroupsSequence", []) or [])
    uid = str(ds.get("SOPInstanceUID", ""))
    out = []
    for f in range(frames):
        groups = [g for g in (per_frame[f] if f < len(per_frame) else None, shared, ds) if g is not None]
        position = _lookup(groups, "PlanePositionSequence", "ImagePositionPatient")
        orientation = _lookup(groups, "PlaneOrientationSequence", "ImageOrientationPatient")
        spacing = _lookup(groups, "PixelMeasuresSequence", "PixelSpacing") or [1.0, 1.0]
        slope = _lookup(groups, "PixelValueTransformationSequence", "RescaleSlope")
        intercept = _lookup(groups, "PixelValueTransformationSequence", "RescaleIntercept")
        if position is None or orientation is None:
            raise ValueError("a slice has no ImagePositionPatient / ImageOrientationPatient")
        out.append(
            Slice(
                np.asarray([float(v) for v in position], dtype=np.float64),
                np.asarray([float(v) for v in orientation], dtype=np.float64),
                (float(spacing[0]), float(spacing[1])),
                float(slope) if slope not in (None, "") else 1.0,
                float(intercept) if intercept not in (None, "") else 0.0,
                pixels[f],
                source,
                uid if frames == 1 else f"{uid}#{f + 1}",
            )
        )
    return out


def assemble(slices: list[Slice], *, modality: str = "", windows: list[dict[str, Any]] | None = None) -> Volume:
    """Sort ``slices`` of one series along their normal and stack them into a ``Volume``."""
    import numpy as np

    if not slices:
        raise ValueError("a series needs at least one slice")
    warnings: list[str] = []
    reference = slices[0].orientation
    kept = [s for s in slices if np.allclose(s.orientation, reference, atol=1e-3)]
    if len(kept) < len(slices):
        warnings.append(f"{len(slices) - len(kept)} slice(s) with a different orientation were left out")
    shapes = {s.pixels.shape for s in kept}
    if len(shapes) > 1:
        common = max(shapes, key=lambda shape: sum(s.pixels.shape == shape for s in kept))
        warnings.append(f"{sum(s.pixels.shape != common for s in kept)} slice(s) of another size were left out")
        kept = [s for s in kept if s.pixels.shape == common]
    row, col = reference[:3], reference[3:]
    normal = np.cross(row, col)
    kept.sort(key=lambda s: float(normal @ s.position))
    distances = np.array([float(normal @ s.position) for s in kept])
    steps = np.diff(distances)
    spacing = float(np.median(steps[steps > 1e-6])) if np.any(steps > 1e-6) else 1.0
    duplicate = np.concatenate([[False], steps < _DUPLICATE * spacing])
    if duplicate.any():
        warnings.append(f"{int(duplicate.sum())} duplicate slice(s) at the same position were dropped")
        kept = [s for s, dup in zip(kept, duplicate, strict=True) if not dup]
        distances = distances[~duplicate]
    gaps = np.diff(distances) / spacing if len(kept) > 1 else np.array([])
    missing = int(sum(round(g) - 1 for g in gaps if g > _GAP))
    if missing:
        warnings.append(f"about {missing} slice(s) are missing (gaps along the slice normal); spacing is uneven")
    voxels = _stack(kept)
    row_spacing, col_spacing = kept[0].spacing
    affine = np.eye(4)
    affine[:3, 0] = row * col_spacing
    affine[:3, 1] = col * row_spacing
    affine[:3, 2] = normal * spacing
    affine[:3, 3] = kept[0].position
    presets = list(windows or [])
    if modality == "CT":
        presets += [p for p in CT_PRESETS if p["name"] not in {w["name"] for w in presets}]
    return Volume(
        voxels,
        affine,
        modality=modality,
        window_presets=presets,
        warnings=warnings,
        extra={"slice_sop_instance_uids": [s.sop_instance_uid for s in kept]},
    )


def group(datasets: list[tuple[str, Dataset]]) -> dict[tuple[str, str], list[tuple[str, Dataset]]]:
    groups: dict[tuple[str, str], list[tuple[str, Dataset]]] = defaultdict(list)
    for name, ds in datasets:
        groups[series_key(ds)].append((name, ds))
    return dict(groups)


def _stack(slices: list[Slice]) -> npt.NDArray[Any]:
    """Rescaled voxels: int16 when every slope/intercept is integral and the range fits, else float32."""
    import numpy as np

    shape = (len(slices), *slices[0].pixels.shape)
    integral = all(s.slope.is_integer() and s.intercept.is_integer() for s in slices)
    if integral and _fits_int16(slices):
        # Written straight into int16: the arithmetic wraps modulo 2**16, which gives the exact value
        # whenever the true value fits in int16 (checked above from each slice's min and max).
        out = np.empty(shape, dtype=np.int16)
        for k, s in enumerate(slices):
            np.copyto(out[k], s.pixels, casting="unsafe")
            if s.slope != 1:
                out[k] *= np.int16(int(s.slope))
            if s.intercept:
                out[k] += np.int16(int(s.intercept))
        return out
    floats = np.empty(shape, dtype=np.float32)
    for k, s in enumerate(slices):
        floats[k] = s.pixels * np.float32(s.slope) + np.float32(s.intercept)
    return floats


def _fits_int16(slices: list[Slice]) -> bool:
    """Whether every rescaled value, and the slope and intercept themselves, lie within int16."""
    low, high = -32768, 32767
    for s in slices:
        slope, intercept = int(s.slope), int(s.intercept)
        if not (low <= slope <= high and low <= intercept <= high):
            return False
        ends = (slope * int(s.pixels.min()) + intercept, slope * int(s.pixels.max()) + intercept)
        if min(ends) < low or max(ends) > high:
            return False
    return True


def _first(ds: Any, keyword: str) -> Any:
    seq = ds.get(keyword) if ds is not None else None
    return seq[0] if seq else None


def _lookup(groups: list[Any], sequence: str, keyword: str) -> Any:
    for g in groups:
        item = _first(g, sequence)
        if item is not None and keyword in item:
            return item.get(keyword)
        if keyword in g:
            return g.get(keyword)
    return None


__all__ = ["VOLUME_MODALITIES", "Slice", "assemble", "group", "has_geometry", "series_key", "slices_of"]
