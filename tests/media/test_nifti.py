"""NIfTI through nibabel's own test files: orientation against known affines, 4-D selection."""

from __future__ import annotations

import io
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from labelhub.core.errors import InvalidInput
from labelhub.core.media import MediaKind
from labelhub.media.nifti import NiftiReader
from labelhub.media.volume import decode

DATA = Path(nib.__file__).parent / "tests" / "data"


def test_anatomical_is_las_and_becomes_the_known_lps_affine() -> None:
    volume = NiftiReader().to_volume((DATA / "anatomical.nii").open("rb"), "anatomical.nii")
    source = nib.load(DATA / "anatomical.nii")
    assert nib.aff2axcodes(source.affine) == ("L", "A", "S")
    np.testing.assert_allclose(
        volume.affine_lps, [[2, 0, 0, -32], [0, -2, 0, 40], [0, 0, 2, -16], [0, 0, 0, 1]], atol=1e-6
    )
    array = np.asanyarray(source.dataobj)
    assert volume.voxels.shape == (25, 41, 33)
    for i, j, k in ((0, 0, 0), (32, 40, 24), (10, 20, 5)):
        assert volume.voxels[k, j, i] == array[i, j, k]
        ras = source.affine @ [i, j, k, 1]
        lps = volume.affine_lps @ [i, j, k, 1]
        np.testing.assert_allclose(lps[:3], [-ras[0], -ras[1], ras[2]])  # same point, LPS sign convention


def test_ras_file_flips_to_negative_x_and_y_steps() -> None:
    volume = NiftiReader().to_volume((DATA / "standard.nii.gz").open("rb"), "standard.nii.gz")
    assert volume.affine_lps[0, 0] == -1 and volume.affine_lps[1, 1] == -3 and volume.affine_lps[2, 2] == 2
    assert volume.extra["orientation_ras"] == "RAS"


@pytest.mark.parametrize("index", [0, 1])
def test_4d_chooses_the_volume(index: int) -> None:
    source = np.asanyarray(nib.load(DATA / "example4d.nii.gz").dataobj)
    volume = NiftiReader(volume_index=index).to_volume((DATA / "example4d.nii.gz").open("rb"), "e.nii.gz")
    assert volume.extra["volumes"] == 2 and volume.extra["volume_index"] == index
    np.testing.assert_array_equal(volume.voxels, np.transpose(source[..., index], (2, 1, 0)))


def test_nifti2_and_the_stored_blob_round_trip() -> None:
    data, info = NiftiReader().convert((DATA / "example_nifti2.nii.gz").open("rb"), "n2.nii.gz")
    assert (info.kind, info.width, info.height, info.depth) == (MediaKind.VOLUME, 32, 20, 12)
    header, voxels = decode(io.BytesIO(data))
    assert voxels.shape == (12, 20, 32) and header["source"] == "nifti"


def test_truncated_nifti_is_rejected() -> None:
    whole = (DATA / "example4d.nii.gz").read_bytes()
    with pytest.raises(InvalidInput, match="truncated or corrupt"):
        NiftiReader().to_volume(io.BytesIO(whole[: len(whole) // 2]), "cut.nii.gz")
    plain = (DATA / "anatomical.nii").read_bytes()
    with pytest.raises(InvalidInput, match="not a readable NIfTI"):
        NiftiReader().to_volume(io.BytesIO(plain[:400]), "cut.nii")


def test_sniffs_uncompressed_magic() -> None:
    assert NiftiReader().sniff((DATA / "anatomical.nii").read_bytes()[:512], "x.bin")
