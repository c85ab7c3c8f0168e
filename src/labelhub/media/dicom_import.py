"""Import-time DICOM work: de-identify and verify one file at a time (``DeidSession``), then turn
the surviving files into assets (``build_assets``): 2-D instances stay DICOM images, series of
volume modalities become one labelhub volume blob each.

Quarantine rules (``DeidOutcome.status == "quarantined"``):

- ``phi_scan_failed``: an original identifying value is still present after de-identification.
  Nothing of the file is kept (``data`` is ``None``); the report names the elements, not values.
- ``burned_in_annotation``: BurnedInAnnotation is YES, or the modality / SOP class is one known
  to carry burned-in text (US, SC, XA, ES, XC, GM, OT, secondary capture).  The de-identified
  file is kept for a manager's decision but must not reach labelers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from labelhub.core.errors import InvalidInput, LabelhubError
from labelhub.core.media import DICOM_HEADERS, MediaInfo
from labelhub.media.deid.engine import Deidentifier, DeidOptions
from labelhub.media.deid.verify import collect_phi, scan
from labelhub.media.dicom import MIME, decode_pixels, describe, read, windows
from labelhub.media.dicom_series import VOLUME_MODALITIES, assemble, group, has_geometry, slices_of
from labelhub.media.volume import encode

BURNED_IN_MODALITIES = frozenset({"US", "SC", "XA", "ES", "XC", "GM", "OT", "IVUS"})
_SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"


@dataclass(frozen=True, slots=True)
class DeidOutcome:
    """``status``: ``ok`` | ``quarantined``; ``data``: the de-identified file (``None`` if unsafe)."""

    status: str
    data: bytes | None
    filename: str
    report: dict[str, Any]
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class BuiltAsset:
    data: bytes
    mime_type: str
    filename: str
    info: MediaInfo
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # files stored beside the asset's blob, by name (``DICOM_HEADERS`` for a series' volume)
    companions: dict[str, bytes] = field(default_factory=dict)


class DeidSession:
    """De-identifies the files of one import with one UID cache (``safe_private``: ``CREATOR/EE``)."""

    def __init__(self, *, secret: bytes, shift_dates: bool = False, safe_private: Sequence[str] = ()) -> None:
        self.safe = frozenset(_parse_safe(s) for s in safe_private)
        self.engine = Deidentifier(DeidOptions(secret=secret, shift_dates=shift_dates, safe_private=self.safe))
        self.count = 0

    def run(self, data: bytes, filename: str) -> DeidOutcome:
        """De-identify one file; ``InvalidInput`` / ``UnsupportedMedia`` for unreadable ones."""
        import pydicom

        self.count += 1
        ds = read(data, filename)
        decode_pixels(ds, filename)  # a truncated or corrupt file fails here, before anything is kept
        phi = collect_phi(ds)
        name = filename if not any(p in filename.upper() for p in phi if len(p) >= 3) else f"dicom-{self.count}.dcm"
        burned_in = _burned_in(ds)
        report = self.engine.apply(ds, phi).as_dict()
        hits = scan(ds, phi)
        report["verification"] = {"values_checked": len(phi), "passed": not hits, "elements": hits}
        if hits:
            return DeidOutcome("quarantined", None, name, report, "phi_scan_failed")
        out = io.BytesIO()
        pydicom.dcmwrite(out, ds, enforce_file_format=True)
        if burned_in:
            return DeidOutcome("quarantined", out.getvalue(), name, report, "burned_in_annotation")
        return DeidOutcome("ok", out.getvalue(), name, report)

    def run_many(self, items: Iterable[tuple[str, bytes]], workers: int = 1) -> Iterator[DeidOutcome | LabelhubError]:
        """``run`` over ``items`` in order; a file's ``InvalidInput`` is yielded, not raised.

        With ``workers > 1`` the files are spread over forked processes (pydicom is pure Python,
        so threads would queue on the GIL); each worker holds its own copy of this session, and
        UID mapping stays consistent because it is a keyed hash, not a table.
        """
        if workers <= 1:
            for name, data in items:
                yield _safely(self, name, data)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt, initargs=(self,)) as pool:
            pending = [pool.submit(_run_in_worker, name, data) for name, data in items]
            for future in pending:
                status, value = future.result()
                yield value if status == "ok" else InvalidInput(str(value))


_WORKER_SESSION: DeidSession | None = None


def _adopt(session: DeidSession) -> None:
    global _WORKER_SESSION
    _WORKER_SESSION = session


def _run_in_worker(name: str, data: bytes) -> tuple[str, Any]:
    assert _WORKER_SESSION is not None
    outcome = _safely(_WORKER_SESSION, name, data)
    return ("error", outcome.message) if isinstance(outcome, LabelhubError) else ("ok", outcome)


def _safely(session: DeidSession, name: str, data: bytes) -> DeidOutcome | LabelhubError:
    try:
        return session.run(data, name)
    except LabelhubError as e:
        return e


def build_assets(files: Sequence[tuple[str, bytes]], *, compression: str = "zstd") -> list[BuiltAsset]:
    """Assets for de-identified ``files``: a volume per series of 2+ positioned slices (or one
    positioned multi-frame file) of a volume modality; every other file an image asset."""
    parsed = [(name, read(data, name)) for name, data in files]
    by_name = dict(files)
    built: list[BuiltAsset] = []
    for (_study, series_uid), members in group(parsed).items():
        first = members[0][1]
        modality = str(first.get("Modality", ""))
        frames = sum(int(ds.get("NumberOfFrames", 1) or 1) for _, ds in members)
        volume_like = (
            modality in VOLUME_MODALITIES
            and frames >= 2
            and all(has_geometry(ds) and int(ds.get("SamplesPerPixel", 1) or 1) == 1 for _, ds in members)
        )
        if not volume_like:
            for name, ds in members:
                built.append(BuiltAsset(by_name[name], MIME, name, describe(ds, decode_pixels(ds, name)), [name]))
            continue
        slices = [s for name, ds in members for s in slices_of(ds, name)]
        volume = assemble(slices, modality=modality, windows=windows(first))
        volume.frame_of_reference_uid = str(first.get("FrameOfReferenceUID", "")) or None
        volume.extra.update(study_instance_uid=_study, series_instance_uid=series_uid, slices=len(slices))
        short = series_uid.rsplit(".", 1)[-1][-8:] or "series"
        built.append(
            BuiltAsset(
                encode(volume, compression=compression),
                volume.info().mime_type,
                f"{modality or 'dicom'}-series-{short}.lhvol",
                volume.info(),
                [name for name, _ in members],
                volume.warnings,
                {DICOM_HEADERS: _headers_zip(by_name[name] for name, _ in members)},
            )
        )
    return built


def _headers_zip(files: Iterable[bytes]) -> bytes:
    """The de-identified instances without their pixel data (a few kB each), zipped."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for n, data in enumerate(files):
            zf.writestr(f"{n:05d}.dcm", _without_pixels(data))
    return buf.getvalue()


def _without_pixels(data: bytes) -> bytes:
    """The file up to its Pixel Data element: pydicom stops reading there and leaves the stream at
    the element's first byte, so the prefix is the same file without pixels (elements after Pixel
    Data are only trailing padding in practice).  Deflated datasets are re-written instead."""
    import pydicom
    from pydicom.uid import DeflatedExplicitVRLittleEndian

    stream = io.BytesIO(data)
    ds = pydicom.dcmread(stream, stop_before_pixels=True)
    if ds.file_meta.get("TransferSyntaxUID") != DeflatedExplicitVRLittleEndian:
        return data[: stream.tell()]
    out = io.BytesIO()
    pydicom.dcmwrite(out, ds, enforce_file_format=True)
    return out.getvalue()


def _burned_in(ds: Any) -> bool:
    flag = str(ds.get("BurnedInAnnotation", "")).upper()
    modality = str(ds.get("Modality", "")).upper()
    sop_class = str(ds.get("SOPClassUID", ""))
    return flag == "YES" or modality in BURNED_IN_MODALITIES or sop_class.startswith(_SECONDARY_CAPTURE)


def _parse_safe(entry: str) -> tuple[str, int]:
    creator, _, element = entry.rpartition("/")
    if not creator or not element:
        raise ValueError(f"a safe private attribute is 'CREATOR/EE' (e.g. 'GEMS_PARM_01/10'), got {entry!r}")
    return creator.strip().upper(), int(element, 16) & 0xFF


__all__ = ["BURNED_IN_MODALITIES", "BuiltAsset", "DeidOutcome", "DeidSession", "build_assets"]
