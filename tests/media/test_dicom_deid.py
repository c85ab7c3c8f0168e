"""De-identification of the real DICOM files in pydicom's wheel, attribute by attribute."""

from __future__ import annotations

import copy
import io

import pydicom
import pytest
from tests.media.dicom_samples import present, sample, synthetic_series, to_bytes, walk

from labelhub.core.errors import InvalidInput
from labelhub.media.deid.profile import PROFILE, action_for
from labelhub.media.dicom_import import DeidSession

SECRET = b"0123456789abcdef0123456789abcdef"
NOT_BURNED_IN = [n for n in present() if n != "JPEG2000.dcm"]  # JPEG2000.dcm: see the quarantine test


def deid(data: bytes, name: str = "x.dcm", **options: object) -> tuple[pydicom.Dataset, dict[str, object], bytes]:
    outcome = DeidSession(secret=SECRET, **options).run(data, name)  # type: ignore[arg-type]
    assert outcome.data is not None, outcome.report
    return pydicom.dcmread(io.BytesIO(outcome.data)), outcome.report, outcome.data


@pytest.mark.parametrize("name", NOT_BURNED_IN)
def test_every_profile_attribute_loses_its_original_value(name: str) -> None:
    original = pydicom.dcmread(sample(name))
    data = sample(name).read_bytes()
    out, report, stored = deid(data, name)
    assert report["verification"]["passed"] is True  # type: ignore[index]
    after = {path: value for path, _tag, value, _vr in walk(out)}
    checked = 0
    for path, tag, value, vr in walk(original) + walk(original.file_meta):
        action = action_for(tag)
        if action is None or action == "K" or value in (None, "", b"") or vr in ("SQ",):
            continue
        checked += 1
        assert after.get(path) != value, f"{name}: {path} ({action}) kept its value"
        text = str(value).strip()
        identifying = vr in ("PN", "DA", "DT", "UI") or "ID" in path.rsplit(">", 1)[-1]
        if identifying and len(text) >= 6:  # names, IDs, dates, UIDs: not anywhere in the file's bytes
            assert text.encode() not in stored, f"{name}: the bytes of {path} survive in the stored file"
    assert checked >= 3
    assert not any(elem.tag.is_private for elem in out.iterall())
    assert out.PatientIdentityRemoved == "YES"
    assert out.DeidentificationMethodCodeSequence[0].CodeValue == "113100"


def test_ct_small_known_values() -> None:
    out, report, stored = deid(sample("CT_small.dcm").read_bytes())
    assert out.PatientName == "" and out.PatientID == "" and out.StudyDate == ""
    assert "InstitutionName" in report["removed"] and "OtherPatientIDsSequence" in report["removed"]  # type: ignore[operator]
    for secret_value in (b"CompressedSamples", b"1CT1", b"ABCD1234", b"JFK IMAGING", b"CT01_OC0", b"20040119"):
        assert secret_value not in stored
    assert out.StudyInstanceUID.startswith("2.25.") and len(out.StudyInstanceUID) <= 64
    assert out.file_meta.MediaStorageSOPInstanceUID == out.SOPInstanceUID
    assert "SourceApplicationEntityTitle" not in out.file_meta
    assert report["counts"]["private_removed"] > 100  # type: ignore[index]
    assert out.Modality == "CT" and out.Manufacturer == "GE MEDICAL SYSTEMS"  # not identifying: kept
    assert out.pixel_array.shape == (128, 128)


def test_uids_map_consistently_within_a_deployment_only() -> None:
    data = sample("MR_small.dcm").read_bytes()
    first, _, _ = deid(data)
    again, _, _ = deid(data)
    other = DeidSession(secret=b"another deployment secret!!").run(data, "x.dcm")
    assert first.SOPInstanceUID == again.SOPInstanceUID and first.SeriesInstanceUID == again.SeriesInstanceUID
    assert other.data is not None
    assert pydicom.dcmread(io.BytesIO(other.data)).SOPInstanceUID != first.SOPInstanceUID
    assert first.SOPClassUID == pydicom.dcmread(sample("MR_small.dcm")).SOPClassUID  # registered: kept


def test_dates_shift_consistently_per_patient() -> None:
    series = synthetic_series(2)
    for _, ds in series:
        ds.StudyDate = "20200315"
    a, report, _ = deid(to_bytes(series[0][1]), shift_dates=True)
    b, _, _ = deid(to_bytes(series[1][1]), shift_dates=True)
    assert a.StudyDate == b.StudyDate != "20200315" and len(a.StudyDate) == 8
    assert a.LongitudinalTemporalInformationModified == "MODIFIED"
    assert "StudyDate" in report["dates_shifted"]  # type: ignore[operator]
    assert a.PatientBirthDate == ""


def test_nested_sequences_and_private_safe_list() -> None:
    ds = pydicom.dcmread(sample("CT_small.dcm"))
    item = pydicom.Dataset()
    item.PatientName = "NESTED^PERSON"
    item.ReferencedSOPInstanceUID = ds.SOPInstanceUID
    ds.ReferencedImageSequence = [item]
    out, report, stored = deid(to_bytes(ds), safe_private=["GEMS_PARM_01/10"])
    nested = out.ReferencedImageSequence[0]
    assert nested.PatientName == "" and nested.ReferencedSOPInstanceUID == out.SOPInstanceUID
    assert b"NESTED" not in stored
    kept = [e for e in out if e.tag.is_private and e.tag.element > 0xFF]
    assert [hex(e.tag) for e in kept] == ["0x431010"]  # GEMS_PARM_01 block, element 10: window value
    assert report["private_kept"]


def test_phi_in_an_unlisted_attribute_is_caught_and_nothing_is_kept() -> None:
    ds = pydicom.dcmread(sample("MR_small.dcm"))
    ds.BodyPartExamined = str(ds.PatientID)  # an ID copied where the profile keeps values
    outcome = DeidSession(secret=SECRET).run(to_bytes(ds), "leak.dcm")
    assert outcome.status == "quarantined" and outcome.reason == "phi_scan_failed"
    assert outcome.data is None
    assert outcome.report["verification"]["elements"] == ["BodyPartExamined"]
    assert str(ds.PatientID) not in str(outcome.report)


@pytest.mark.parametrize("modality", ["US", "SC", "XA"])
def test_burned_in_suspects_are_quarantined_but_de_identified(modality: str) -> None:
    ds = pydicom.dcmread(sample("MR_small.dcm"))
    ds.Modality = modality
    outcome = DeidSession(secret=SECRET).run(to_bytes(ds), "us.dcm")
    assert outcome.status == "quarantined" and outcome.reason == "burned_in_annotation"
    assert outcome.data is not None and b"CompressedSamples" not in outcome.data


def test_flagged_burned_in_is_quarantined() -> None:
    ds = pydicom.dcmread(sample("CT_small.dcm"))
    ds.BurnedInAnnotation = "YES"
    assert DeidSession(secret=SECRET).run(to_bytes(ds), "ct.dcm").reason == "burned_in_annotation"


def test_a_file_name_carrying_the_patient_name_is_replaced() -> None:
    outcome = DeidSession(secret=SECRET).run(sample("CT_small.dcm").read_bytes(), "CompressedSamples_CT1.dcm")
    assert outcome.filename == "dicom-1.dcm"


def test_truncated_and_corrupt_files_are_rejected_without_values() -> None:
    whole = sample("CT_small.dcm").read_bytes()
    for data in (whole[: len(whole) // 2], whole[:140], sample("MR_small.dcm").read_bytes()[:5000]):
        with pytest.raises(InvalidInput) as err:
            DeidSession(secret=SECRET).run(data, "broken.dcm")
        assert "broken.dcm" in err.value.message and "CompressedSamples" not in err.value.message


def test_profile_table_is_complete_and_known_to_pydicom() -> None:
    from pydicom.datadict import keyword_for_tag

    assert len(PROFILE) > 600
    assert all(keyword_for_tag(tag) for tag in PROFILE)
    assert action_for(0x60003000) == "X" and action_for(0x60024000) == "X"  # overlays by mask
    assert PROFILE[0x00100010] == "Z" and PROFILE[0x0020000D] == "U" and PROFILE[0x00081010] == "X/Z/D"


def test_without_shift_copy_is_not_modified() -> None:
    ds = pydicom.dcmread(sample("CT_small.dcm"))
    before = copy.deepcopy(ds)
    DeidSession(secret=SECRET).run(to_bytes(ds), "x.dcm")
    assert ds == before
