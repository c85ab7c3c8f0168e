"""Verify, don't trust: collect every identifying value before de-identification, then look for
each of them anywhere in the result.

``collect_phi`` takes the values of every standard attribute the profile touches (any action but
keep) and every non-registered UID, through all sequence levels: whole
values (3+ characters; 6+ when all digits), and for person names their parts of 3+ characters.
``scan`` then reads every text value left in the result (file meta, nested sequences and kept
private attributes included; byte values up to 64 KiB as Latin-1) and returns the paths of
those containing one.  It never returns the values, so a failure can be logged and reported
without leaking what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from labelhub.media.deid.profile import action_for
from labelhub.media.deid.uids import is_registered

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

_TEXT_VRS = frozenset({"AE", "AS", "CS", "DA", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UR", "UT", "UI"})
_WORDY_VRS = frozenset({"PN"})  # names also match by part: "DOE^JOHN" -> "DOE", "JOHN"
_STRICT_VRS = frozenset({"PN", "DA", "DT", "TM", "UI"})
_STRICT_WORDS = re.compile(r"ID|Number|Address|Telephone|Telecom|Identif|Birth|Age|Insurance")
_FREE_TEXT_VRS = frozenset({"LO", "LT", "PN", "SH", "ST", "UC", "UT", "OB", "UN"})
_CODED_OR_EQUIPMENT = frozenset(
    {"CodeMeaning", "CodeValue", "LongCodeValue", "Manufacturer", "ManufacturerModelName", "SoftwareVersions"}
)
_NOT_IDENTIFYING = frozenset({0x00020012})  # Implementation Class UID: the writing software
_MAX_SCANNED_BYTES = 64 * 1024
_WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)
# Values labelhub itself writes, and placeholders too common to identify anyone.
_IGNORED = frozenset({"", "ANONYMIZED", "ANONYMOUS", "19000101", "000000", "NONE", "UNKNOWN", "0000"})


@dataclass(frozen=True, slots=True)
class Phi:
    """``strict``: names, IDs, numbers, addresses, dates, times and UIDs, searched in every
    element.  ``weak``: descriptions, comments, institution and station names, private text,
    searched in free-text elements except coded ones (a removed StudyDescription "WHOLE BODY"
    legitimately survives as BodyPartExamined, an InstitutionName "TOSHIBA" as Manufacturer)."""

    strict: frozenset[str]
    weak: frozenset[str]

    def __len__(self) -> int:
        return len(self.strict) + len(self.weak)

    def __iter__(self) -> Iterator[str]:
        return iter(self.strict | self.weak)


def collect_phi(ds: Dataset) -> Phi:
    """Upper-cased identifying strings of ``ds`` (see the module docstring)."""
    strict: set[str] = set()
    weak: set[str] = set()
    meta = getattr(ds, "file_meta", None)
    for part in (meta, ds):
        if part is not None:
            _collect(part, strict, weak)
    strict -= _IGNORED
    return Phi(frozenset(strict), frozenset(weak - _IGNORED - strict))


def scan(ds: Dataset, phi: Phi) -> list[str]:
    """Paths (keywords joined by ``>``) of the elements of ``ds`` that still contain a value of ``phi``."""
    if not phi:
        return []
    strict = _Matcher(phi.strict)
    weak = _Matcher(phi.strict | phi.weak)
    hits: list[str] = []
    meta = getattr(ds, "file_meta", None)
    for part in (meta, ds):
        if part is not None:
            _scan(part, strict, weak, "", hits)
    return hits


class _Matcher:
    """Substring search for a few dozen values (a loop of ``in`` beats compiling a regex per file)."""

    def __init__(self, values: frozenset[str]) -> None:
        self.values = tuple(values)

    def search(self, text: str) -> bool:
        return any(v in text for v in self.values)


def raw_vr(raw: Any) -> str | None:
    """The VR of a not yet converted element when it is certain without converting it: explicit
    and not ``UN`` (pydicom may replace ``UN`` by the dictionary VR on conversion).  ``None``
    otherwise (converted elements, implicit VR)."""
    if type(raw).__name__ != "RawDataElement":
        return None
    vr = raw.VR
    return vr if vr and vr != "UN" else None


def _collect(ds: Dataset, strict: set[str], weak: set[str]) -> None:
    from pydicom.datadict import keyword_for_tag

    for raw in ds.values():
        if raw.tag.is_private:
            continue  # vendor data; a patient's name or ID there is also in the standard attributes
        known = raw_vr(raw)
        if known is not None and known not in ("SQ", "UI"):
            listed = action_for(int(raw.tag))
            if listed is None or listed == "K" or known not in _TEXT_VRS:
                continue  # skipped below too: decided from the tag and VR, without converting the value
        elem = ds[raw.tag]
        tag, vr = int(elem.tag), str(elem.VR)
        if vr == "SQ":
            for item in elem.value or []:
                _collect(item, strict, weak)
            continue
        if tag in _NOT_IDENTIFYING:
            continue
        if vr == "UI":
            strict.update(str(v).strip().upper() for v in _values(elem.value) if v and not is_registered(str(v)))
            continue
        listed = action_for(tag)
        if listed is None or listed == "K" or vr not in _TEXT_VRS:
            continue
        found = strict if vr in _STRICT_VRS or _STRICT_WORDS.search(keyword_for_tag(tag)) else weak
        for value in _values(elem.value):
            _add(found, str(value), wordy=vr in _WORDY_VRS)


def _add(found: set[str], value: str, *, wordy: bool) -> None:
    value = value.strip().strip("\x00").upper()
    if (len(value) >= 3 and not value.replace(".", "").replace("-", "").isdigit()) or len(value) >= 6:
        found.add(value)
    if wordy:
        found.update(w for w in _WORD.findall(value.replace("^", " ")) if not w.isdigit() or len(w) >= 6)


def _scan(ds: Dataset, strict: _Matcher, weak: _Matcher, path: str, hits: list[str]) -> None:
    from pydicom.datadict import keyword_for_tag

    for raw in ds.values():
        known = raw_vr(raw)
        if known in _ASCII_SEARCHABLE and _scan_raw_text(raw, known, strict, weak, path, hits):
            continue
        elem = ds[raw.tag]
        tag, vr = int(elem.tag), str(elem.VR)
        keyword = keyword_for_tag(tag)
        name = path + (keyword or f"({tag >> 16:04X},{tag & 0xFFFF:04X})")
        free_text = (vr in _FREE_TEXT_VRS and keyword not in _CODED_OR_EQUIPMENT) or elem.tag.is_private
        pattern = weak if free_text else strict
        if vr == "SQ":
            for i, item in enumerate(elem.value or []):
                _scan(item, strict, weak, f"{name}[{i}]>", hits)
        elif not pattern.values:
            continue
        elif tag >= 0x7FE00000:
            continue  # pixel data: burned-in text is handled by quarantine, not by string search
        elif isinstance(elem.value, bytes):
            if len(elem.value) <= _MAX_SCANNED_BYTES and pattern.search(elem.value.decode("latin-1").upper()):
                hits.append(name)
        elif any(pattern.search(str(v).upper()) for v in _values(elem.value)):
            hits.append(name)


# String VRs whose converted value, as ``scan`` reads it, is the raw text: for ASCII bytes without
# ISO 2022 escapes every DICOM character set decodes them identically, and a value never spans
# the backslash that separates multiple values (collected values contain none).
_ASCII_SEARCHABLE = frozenset(
    {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
)


def _scan_raw_text(raw: Any, vr: str, strict: _Matcher, weak: _Matcher, path: str, hits: list[str]) -> bool:
    """``_scan`` for one unconverted string element from its bytes; ``False`` when it must be
    converted instead (non-ASCII or escape sequences)."""
    from pydicom.datadict import keyword_for_tag

    data = raw.value or b""
    if not data.isascii() or b"\x1b" in data:
        return False
    tag = int(raw.tag)
    keyword = keyword_for_tag(tag)
    free_text = (vr in _FREE_TEXT_VRS and keyword not in _CODED_OR_EQUIPMENT) or raw.tag.is_private
    pattern = weak if free_text else strict
    if pattern.values and pattern.search(data.decode("ascii").upper()):
        hits.append(path + (keyword or f"({tag >> 16:04X},{tag & 0xFFFF:04X})"))
    return True


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        return list(value)
    return [value]


__all__ = ["Phi", "collect_phi", "scan"]
