"""The de-identification fast paths (decisions from the tag and raw VR, text scanned from the raw
bytes) give exactly what converting every element first gives: same identifying values, same
scan hits, same report, same written file."""

from __future__ import annotations

import copy
import io

import pydicom
import pytest
from tests.media.dicom_samples import present, sample

from labelhub.media.deid import Deidentifier, DeidOptions, collect_phi, scan
from labelhub.media.dicom_import import _parse_safe


def converted(ds: pydicom.Dataset) -> pydicom.Dataset:
    """A copy with every element converted (the slow path's view), nested items included."""
    out = copy.deepcopy(ds)

    def walk(d: pydicom.Dataset) -> None:
        for elem in list(d.values()):
            e = d[elem.tag]
            if e.VR == "SQ":
                for item in e.value or []:
                    walk(item)

    walk(out)
    if getattr(out, "file_meta", None) is not None:
        walk(out.file_meta)
    return out


@pytest.mark.parametrize("safe", [(), ("GEMS_PARM_01/10", "GEMS_IDEN_01/01")])
@pytest.mark.parametrize("name", present())
def test_fast_paths_match_the_converted_dataset(name: str, safe: tuple[str, ...]) -> None:
    raw = pydicom.dcmread(sample(name))
    planted = copy.deepcopy(raw)
    # identifying values where the profile keeps them: the scan must find them on both paths
    planted.BodyPartExamined = str(raw.get("PatientID", "") or "PID-4711")[:16] or "PID-4711"
    planted.add_new(0x00189004, "CS", "DOE JANE")  # ContentQualification, kept: a planted name
    for ds in (raw, planted):
        fast, slow = copy.deepcopy(ds), converted(ds)
        phi_fast, phi_slow = collect_phi(fast), collect_phi(slow)
        assert phi_fast == phi_slow
        options = DeidOptions(secret=b"k" * 32, safe_private=frozenset(_parse_safe(x) for x in safe))
        rep_fast = Deidentifier(options).apply(fast, phi_fast).as_dict()
        rep_slow = Deidentifier(options).apply(slow, phi_slow).as_dict()
        assert rep_fast == rep_slow
        assert scan(fast, phi_fast) == scan(slow, phi_slow)
        a, b = io.BytesIO(), io.BytesIO()
        pydicom.dcmwrite(a, fast, enforce_file_format=True)
        pydicom.dcmwrite(b, slow, enforce_file_format=True)
        assert a.getvalue() == b.getvalue()


def test_planted_value_in_a_kept_raw_element_is_found() -> None:
    ds = pydicom.dcmread(sample("CT_small.dcm"))
    phi = collect_phi(ds)
    Deidentifier(DeidOptions(secret=b"k" * 32)).apply(ds, phi)
    buf = io.BytesIO()
    ds.BodyPartExamined = "1CT1"  # CT_small's PatientID, in an element the profile keeps
    pydicom.dcmwrite(buf, ds, enforce_file_format=True)
    reread = pydicom.dcmread(io.BytesIO(buf.getvalue()))  # BodyPartExamined is raw again
    assert type(reread._dict[0x00180015]).__name__ == "RawDataElement"
    assert "BodyPartExamined" in scan(reread, phi)
