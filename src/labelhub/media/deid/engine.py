"""Apply the Basic Application Level Confidentiality Profile to one pydicom ``Dataset``, in place.

Walks the file meta group and the data set, recursing into every sequence item, and applies
``profile.resolve(action_for(tag))`` to each listed attribute.  Unlisted standard attributes are
kept, except UIDs that are not registered DICOM UIDs (replaced, per E.3.9) and, when dates are
shifted, every unlisted DA/DT.  Private attributes are removed unless ``(creator, element)`` is in
the safe list.  The report names attributes by keyword (path through sequences joined with ``>``)
and never carries a value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from labelhub.media.deid.profile import action_for, resolve
from labelhub.media.deid.uids import UidMapper, shift_da, shift_dt
from labelhub.media.deid.verify import raw_vr

if TYPE_CHECKING:
    from pydicom.dataelem import DataElement
    from pydicom.dataset import Dataset

METHOD = "labelhub: DICOM PS3.15 E.1-1 Basic Profile (2024b)"
_DUMMY_TEXT = "ANONYMIZED"
_DUMMIES: dict[str, Any] = {
    "DA": "19000101",
    "DT": "19000101000000",
    "TM": "000000",
    "AS": "000D",
    "DS": "0",
    "IS": "0",
    "CS": _DUMMY_TEXT,
}
_NUMERIC = frozenset({"US", "SS", "UL", "SL", "FL", "FD", "UV", "SV", "AT"})
_BINARY = frozenset({"OB", "OW", "OF", "OD", "OL", "OV", "UN"})
_KEEP_UNLISTED_UIDS = frozenset({0x00020010, 0x00020012, 0x00020002, 0x00080016})  # syntax, impl., classes
_META_REMOVE = frozenset({0x00020016, 0x00020017, 0x00020018})  # AE titles of the sender / receiver


@dataclass(frozen=True, slots=True)
class DeidOptions:
    """``safe_private``: ``{(creator, element_low_byte)}`` kept, e.g. ``("GEMS_PARM_01", 0x10)``."""

    secret: bytes
    shift_dates: bool = False
    safe_private: frozenset[tuple[str, int]] = frozenset()


@dataclass(slots=True)
class DeidReport:
    removed: list[str] = field(default_factory=list)
    emptied: list[str] = field(default_factory=list)
    dummied: list[str] = field(default_factory=list)
    cleaned: list[str] = field(default_factory=list)
    uids_replaced: list[str] = field(default_factory=list)
    dates_shifted: list[str] = field(default_factory=list)
    private_removed: int = 0
    private_kept: list[str] = field(default_factory=list)
    kept: int = 0

    def as_dict(self) -> dict[str, Any]:
        lists = ("removed", "emptied", "dummied", "cleaned", "uids_replaced", "dates_shifted", "private_kept")
        out: dict[str, Any] = {name: sorted(set(getattr(self, name))) for name in lists}
        out["counts"] = {name: len(getattr(self, name)) for name in lists}
        out["counts"].update(private_removed=self.private_removed, kept=self.kept)
        return out


class Deidentifier:
    """One per import batch: the UID cache and the per-patient date shift are shared by its files."""

    def __init__(self, options: DeidOptions) -> None:
        self.options = options
        self.uids = UidMapper(options.secret)

    def apply(self, ds: Dataset, phi: Iterable[str] = ()) -> DeidReport:
        """De-identify ``ds`` in place.  ``phi`` (from ``verify.collect_phi``) feeds the ``C`` action."""
        report = DeidReport()
        patient = f"{ds.get('PatientID', '')}|{ds.get('PatientName', '')}"
        days = self.uids.date_shift_days(patient) if self.options.shift_dates else 0
        walk = _Walk(self, report, days, tuple(sorted((p.upper() for p in phi), key=len, reverse=True)))
        if getattr(ds, "file_meta", None) is not None:
            for tag in _META_REMOVE & set(ds.file_meta.keys()):
                del ds.file_meta[tag]
                report.removed.append(_name(tag))
            walk.dataset(ds.file_meta, "")
            _rewrite_implementation(ds.file_meta)
        walk.dataset(ds, "")
        _mark(ds, self.options)
        return report


class _Walk:
    def __init__(self, owner: Deidentifier, report: DeidReport, days: int, phi: tuple[str, ...]) -> None:
        self.uids, self.options, self.report, self.days, self.phi = owner.uids, owner.options, report, days, phi

    def dataset(self, ds: Dataset, path: str) -> None:
        self._private(ds, path)
        for raw in list(ds.values()):
            if raw.tag.is_private:
                continue
            if self._kept_unconverted(raw):
                self.report.kept += 1
                continue
            self.element(ds, ds[raw.tag], path)  # ds[tag] converts a RawDataElement

    def _kept_unconverted(self, raw: Any) -> bool:
        """True for an element ``element`` would keep unchanged, decided from its tag and raw VR
        alone (converting every value costs more than the profile itself)."""
        vr = raw_vr(raw)
        if vr is None or vr in ("SQ", "UI") or (self.days and vr in ("DA", "DT")):
            return False
        listed = action_for(int(raw.tag))
        return listed is None or listed == "K"

    def element(self, ds: Dataset, elem: DataElement, path: str) -> None:
        tag, vr, name = int(elem.tag), str(elem.VR), path + _name(int(elem.tag))
        listed = action_for(tag)
        if listed is None:
            if vr == "SQ":
                for i, item in enumerate(elem.value):
                    self.dataset(item, f"{name}[{i}]>")
            elif vr == "UI" and tag not in _KEEP_UNLISTED_UIDS and self._replace_uids(elem):
                self.report.uids_replaced.append(name)
            elif self.days and vr in ("DA", "DT") and elem.value:
                self._shift(elem, name)
            else:
                self.report.kept += 1
            return
        action = resolve(listed, tag, vr)
        if self.days and vr in ("DA", "DT") and action != "X" and tag != 0x00100030 and elem.value:
            self._shift(elem, name)
        elif action == "X":
            del ds[tag]
            self.report.removed.append(name)
        elif action == "Z" or (action == "D" and vr == "SQ"):
            elem.value = [] if vr == "SQ" else None
            self.report.emptied.append(name)
        elif action == "D":
            elem.value = _dummy(vr, elem, self.uids)
            self.report.dummied.append(name)
        elif action == "U":
            self._replace_uids(elem)
            self.report.uids_replaced.append(name)
        elif action == "U*":
            for i, item in enumerate(elem.value if vr == "SQ" else []):
                self.dataset(item, f"{name}[{i}]>")
        elif action == "C":
            elem.value = _clean(elem.value, self.phi)
            self.report.cleaned.append(name)
        else:  # "K"
            self.report.kept += 1

    def _replace_uids(self, elem: DataElement) -> bool:
        values = list(elem.value) if elem.VM > 1 else [elem.value]
        mapped = [self.uids.map(str(v)) for v in values if v]
        changed = mapped != [str(v).strip().rstrip("\x00") for v in values if v]
        if changed:
            elem.value = mapped if elem.VM > 1 else (mapped[0] if mapped else "")
        return changed

    def _shift(self, elem: DataElement, name: str) -> None:
        shift = shift_da if elem.VR == "DA" else shift_dt
        values = list(elem.value) if elem.VM > 1 else [elem.value]
        shifted = [shift(str(v), self.days) for v in values]
        elem.value = shifted if elem.VM > 1 else shifted[0]
        self.report.dates_shifted.append(name)

    def _private(self, ds: Dataset, path: str) -> None:
        """Remove private attributes except the safe list; a creator goes with its last element.

        One pass sorts the private tags into creators (``gggg,0010-00FF``) and the rest; creators
        are read from their raw bytes when those are ASCII (the text any character set gives)."""
        creators: dict[tuple[int, int], str] = {}
        creator_tags: list[Any] = []
        data_tags: list[Any] = []
        for raw in ds.values():
            tag = raw.tag
            if not tag.is_private:
                continue
            if 0x10 <= tag.element <= 0xFF:
                creator_tags.append(tag)
                creators[(tag.group, tag.element)] = _creator(ds, raw)
            else:
                data_tags.append(tag)
        if not creator_tags and not data_tags:
            return
        kept_blocks: set[tuple[int, int]] = set()
        for tag in data_tags:
            block = (tag.group, tag.element >> 8)
            creator = creators.get(block, "")
            if (creator, tag.element & 0xFF) in self.options.safe_private:
                kept_blocks.add(block)
                self.report.private_kept.append(f"{path}({tag.group:04X},{tag.element:04X}) {creator}")
                item = ds[tag]
                if item.VR == "SQ":
                    for i, sub in enumerate(item.value):
                        self.dataset(sub, f"{path}({tag.group:04X},{tag.element:04X})[{i}]>")
                continue
            del ds[tag]
            self.report.private_removed += 1
        for tag in creator_tags:
            if (tag.group, tag.element) not in kept_blocks:
                del ds[tag]
                self.report.private_removed += 1


def _creator(ds: Dataset, raw: Any) -> str:
    """A private creator's value, stripped and upper-cased (as ``str(ds[tag].value)`` gives it)."""
    if raw_vr(raw) is not None and isinstance(raw.value, bytes) and raw.value.isascii() and b"\x1b" not in raw.value:
        return raw.value.decode("ascii").rstrip("\x00 ").strip().upper()
    value = ds[raw.tag].value
    return str(value).strip().upper() if value else ""


def _dummy(vr: str, elem: DataElement, uids: UidMapper) -> Any:
    if vr == "UI":
        return uids.map(str(elem.value))
    if vr in _NUMERIC:
        return 0
    if vr in _BINARY:
        return b"\x00\x00"
    return _DUMMIES.get(vr, _DUMMY_TEXT)


def _clean(value: Any, phi: tuple[str, ...]) -> str:
    text = str(value or "")
    upper = text.upper()
    for token in phi:
        start = upper.find(token)
        while start >= 0:
            text = text[:start] + "*" * len(token) + text[start + len(token) :]
            upper = text.upper()
            start = upper.find(token)
    return text


def _mark(ds: Dataset, options: DeidOptions) -> None:
    """PatientIdentityRemoved, DeidentificationMethod(CodeSequence) and the temporal flag."""
    from pydicom.dataset import Dataset as PydicomDataset

    def code(value: str, meaning: str) -> PydicomDataset:
        item = PydicomDataset()
        item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, "DCM", meaning
        return item

    codes = [code("113100", "Basic Application Confidentiality Profile")]
    if options.shift_dates:
        codes.append(code("113107", "Retain Longitudinal Temporal Information Modified Dates Option"))
    if options.safe_private:
        codes.append(code("113111", "Retain Safe Private Option"))
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = METHOD
    ds.DeidentificationMethodCodeSequence = codes
    ds.LongitudinalTemporalInformationModified = "MODIFIED" if options.shift_dates else "REMOVED"


def _rewrite_implementation(meta: Dataset) -> None:
    """The file is re-written by labelhub through pydicom: say so (the original writer's UID may
    coincide with an instance UID of the source system)."""
    from pydicom.uid import PYDICOM_IMPLEMENTATION_UID

    meta.ImplementationClassUID = PYDICOM_IMPLEMENTATION_UID
    meta.ImplementationVersionName = "LABELHUB"


def _name(tag: int) -> str:
    from pydicom.datadict import keyword_for_tag

    return keyword_for_tag(tag) or f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


__all__ = ["METHOD", "DeidOptions", "DeidReport", "Deidentifier"]
