"""Series assembly and the volume blob: geometry from ImagePositionPatient/Orientation, spacing,
the voxel -> LPS affine, rescale, duplicates and gaps; real compressed files decode."""

from __future__ import annotations

import io
import random

import numpy as np
import pydicom
import pytest
from tests.media.dicom_samples import sample, synthetic_series, to_bytes

from labelhub.core.errors import InvalidInput
from labelhub.core.media import MediaKind
from labelhub.media.dicom import DicomReader
from labelhub.media.dicom_import import build_assets
from labelhub.media.volume import VolumeReader, decode

OBLIQUE = (1.0, 0.0, 0.0, 0.0, float(np.cos(0.3)), float(np.sin(0.3)))


def build(series: list[tuple[int, pydicom.Dataset]], seed: int = 0) -> tuple[dict, np.ndarray]:
    files = [(f"IM{n:04d}", to_bytes(ds)) for n, (_, ds) in enumerate(series)]
    random.Random(seed).shuffle(files)  # neither file name nor arrival order may matter
    (asset,) = build_assets(files)
    assert asset.info.kind is MediaKind.VOLUME
    return decode(io.BytesIO(asset.data))


@pytest.mark.parametrize("orientation", [(1, 0, 0, 0, 1, 0), OBLIQUE, (0, 1, 0, 0, 0, -1)])
def test_slices_are_ordered_along_the_normal_with_the_right_affine(orientation: tuple[float, ...]) -> None:
    series = synthetic_series(10, orientation=orientation, spacing=2.5)
    header, voxels = build(series)
    assert voxels.shape == (10, 16, 20) and voxels.dtype == np.int16
    # voxel value = 100 * k + row - 1024 after rescale: k follows the geometry, not InstanceNumber
    assert [int(voxels[k, 0, 0]) for k in range(10)] == [100 * k - 1024 for k in range(10)]
    affine = np.array(header["affine_lps"])
    row, col = np.array(orientation[:3]), np.array(orientation[3:])
    np.testing.assert_allclose(affine[:3, 0], row * 0.75, atol=1e-5)  # i: along a row, column spacing
    np.testing.assert_allclose(affine[:3, 1], col * 0.5, atol=1e-5)  # j: down the rows, row spacing
    np.testing.assert_allclose(affine[:3, 2], np.cross(row, col) * 2.5, atol=1e-5)
    for k, ds in series:  # every slice's ImagePositionPatient is affine @ (0, 0, k)
        np.testing.assert_allclose(affine @ [0, 0, k, 1], [*map(float, ds.ImagePositionPatient), 1], atol=1e-4)
    assert header["spacing_mm"] == pytest.approx([0.75, 0.5, 2.5])
    assert header["warnings"] == []
    assert {p["name"] for p in header["window_presets"]} >= {"soft tissue", "lung", "bone", "brain"}


def test_duplicates_and_gaps_are_warnings() -> None:
    series = synthetic_series(10)
    series = [*series[:4], *series[6:], (series[2][0], series[2][1])]  # drop 2, repeat 1
    header, voxels = build(series)
    assert voxels.shape[0] == 8
    assert any("duplicate" in w for w in header["warnings"])
    assert any("missing" in w and "2" in w for w in header["warnings"])


def test_fractional_rescale_gives_float32() -> None:
    header, voxels = build(synthetic_series(3, slope=0.5, intercept=-10.0))
    assert voxels.dtype == np.float32 and header["dtype"] == "float32"
    assert float(voxels[1, 2, 0]) == pytest.approx((100 + 2) * 0.5 - 10)


def test_two_series_become_two_volumes_and_a_lone_slice_an_image() -> None:
    a, b = synthetic_series(4), synthetic_series(5)
    lone = synthetic_series(1)[0][1]
    files = [(f"a{k}", to_bytes(ds)) for k, ds in a] + [(f"b{k}", to_bytes(ds)) for k, ds in b]
    built = build_assets([*files, ("lone", to_bytes(lone))])
    kinds = sorted((x.info.kind.value, x.info.depth or x.info.pages) for x in built)
    assert kinds == [("image", 1), ("volume", 4), ("volume", 5)]


def test_volume_reader_probes_and_thumbnails() -> None:
    files = [(f"f{k}", to_bytes(ds)) for k, ds in synthetic_series(6)]
    (asset,) = build_assets(files)
    reader = VolumeReader()
    assert reader.sniff(asset.data[:512], "x")
    info = reader.probe(io.BytesIO(asset.data), "x.lhvol")
    assert (info.width, info.height, info.depth) == (20, 16, 6)
    data, mime = reader.thumbnail(io.BytesIO(asset.data), 64)
    assert mime == "image/jpeg" and data[:2] == b"\xff\xd8"


@pytest.mark.parametrize(
    "name", ["MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_bigendian.dcm"]
)
def test_compressed_transfer_syntaxes_decode_losslessly(name: str) -> None:
    reader = DicomReader()
    reference = pydicom.dcmread(sample("MR_small.dcm")).pixel_array
    info = reader.probe(io.BytesIO(sample(name).read_bytes()), name)
    assert (info.kind, info.width, info.height) == (MediaKind.IMAGE, 64, 64)
    np.testing.assert_array_equal(pydicom.dcmread(sample(name)).pixel_array, reference)


def test_ct_probe_reports_display_metadata_only() -> None:
    info = DicomReader().probe(io.BytesIO(sample("CT_small.dcm").read_bytes()), "ct.dcm")
    assert info.extra["modality"] == "CT" and info.extra["rescale_intercept"] == -1024.0
    assert "PatientName" not in str(info.extra) and "CompressedSamples" not in str(info.extra)
    _data, mime = DicomReader().thumbnail(io.BytesIO(sample("CT_small.dcm").read_bytes()), 64)
    assert mime == "image/jpeg"


def test_multiframe_is_a_multipage_image() -> None:
    info = DicomReader().probe(io.BytesIO(sample("rtdose_1frame.dcm").read_bytes()), "d.dcm")
    assert info.pages == 1
    ds = pydicom.dcmread(sample("MR_small.dcm"))
    frames = np.stack([ds.pixel_array] * 3)
    ds.NumberOfFrames, ds.PixelData = 3, frames.tobytes()
    info = DicomReader().probe(io.BytesIO(to_bytes(ds)), "cine.dcm")
    assert (info.kind, info.pages) == (MediaKind.MULTIPAGE_IMAGE, 3)


def test_truncated_file_is_rejected_with_a_clear_message() -> None:
    with pytest.raises(InvalidInput, match="truncated or corrupt"):
        DicomReader().probe(io.BytesIO(sample("MR_truncated.dcm").read_bytes()), "MR_truncated.dcm")


@pytest.mark.parametrize(
    ("dtype", "values", "slope", "intercept", "expected_dtype"),
    [
        (np.uint16, [0, 4095, 40000], 1, -32768, np.int16),  # wraps in uint16 arithmetic, exact in the end
        (np.int16, [-2000, 0, 3000], -2, 1000, np.int16),  # a negative slope
        (np.uint16, [0, 100, 30000], 2, 0, np.float32),  # 60000 does not fit int16: float32
        (np.int16, [-5, 0, 5], 1, 40000, np.float32),  # the intercept itself does not fit int16
    ],
)
def test_integral_rescale_is_exact_or_falls_back_to_float32(
    dtype: type, values: list[int], slope: int, intercept: int, expected_dtype: type
) -> None:
    from labelhub.media.dicom_series import Slice, _stack

    pixels = [np.array([[v, values[0]], [values[-1], v]], dtype=dtype) for v in values]
    slices = [
        Slice(np.zeros(3), np.array([1.0, 0, 0, 0, 1, 0]), (1.0, 1.0), float(slope), float(intercept), p, "f", str(k))
        for k, p in enumerate(pixels)
    ]
    out = _stack(slices)
    assert out.dtype == expected_dtype
    expected = np.stack([p.astype(np.int64) * slope + intercept for p in pixels])
    assert np.array_equal(out.astype(np.int64), expected)
