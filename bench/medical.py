"""Medical import benchmark: a synthetic 512 x 512 x 300 CT series written with pydicom, imported
with de-identification (parse + full decode, PS3.15 E.1-1 profile, verification scan, re-write),
series assembly (sort along the normal, rescale to int16) and the compressed volume blob stored
through the real service on a throw-away platform (SQLite, local blobs).

    .venv/bin/python bench/medical.py                    # 300 slices, zstd, 2 de-identification processes
    .venv/bin/python bench/medical.py --slices 100 --compression gzip

Prints figures only; it never passes or fails.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import resource
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import orjson
import pydicom
from pydicom.data import get_testdata_file
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from labelhub.db.engine import Database  # noqa: E402
from labelhub.db.migrate import upgrade  # noqa: E402
from labelhub.db.tables import Project  # noqa: E402
from labelhub.formats.registry import default_formats  # noqa: E402
from labelhub.media.registry import default_registry  # noqa: E402
from labelhub.services.context import Deps, Limits  # noqa: E402
from labelhub.services.medical_ingest import REPORTS, import_dicom  # noqa: E402
from labelhub.storage import open_store  # noqa: E402


class NoQueue:
    """The import itself runs no job; thumbnails are not part of this figure."""

    def enqueue(self, job_id: str) -> None:
        raise AssertionError("no job expected")

    def describe(self) -> str:
        return "none"


def _cpu() -> tuple[float, float]:
    """(user + system CPU seconds of this process, of its finished child processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def synthetic_ct(slices: int, size: int) -> list[bytes]:
    """A CT series: CT_small's header (with its identifying values), shuffled positions, HU-like noise."""
    path = get_testdata_file("CT_small.dcm", download=False)
    assert path is not None
    base = pydicom.dcmread(str(path))
    study, series, frame = generate_uid(), generate_uid(), generate_uid()
    rng = np.random.default_rng(0)
    body = (rng.normal(1064, 40, (size, size))).clip(0, 4095).astype(np.int16)
    out = []
    for k in rng.permutation(slices):
        ds = copy.deepcopy(base)
        ds.PatientName, ds.PatientID = "BENCH^PATIENT", "BENCH-0001"
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.InstanceNumber = int(k) + 1
        ds.ImagePositionPatient = [-250.0, -250.0, -400.0 + 1.25 * float(k)]
        ds.Rows = ds.Columns = size
        ds.PixelSpacing = [0.9765625, 0.9765625]
        ds.PixelData = np.roll(body, int(k), axis=0).tobytes()
        buf = io.BytesIO()
        pydicom.dcmwrite(buf, ds, enforce_file_format=True)
        out.append(buf.getvalue())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slices", type=int, default=300)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--compression", choices=("zstd", "gzip"), default="zstd")
    parser.add_argument("--workers", type=int, default=2, help="de-identification processes (LABELHUB_DEID_WORKERS)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    files = synthetic_ct(args.slices, args.size)
    megabytes = sum(map(len, files)) / 1e6
    print(
        f"wrote {args.slices} slices of {args.size}x{args.size} ({megabytes:.0f} MB) "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    with tempfile.TemporaryDirectory() as tmp:
        db = Database.from_url(f"sqlite:///{tmp}/bench.db")
        upgrade(db.engine)
        deps = Deps(
            db=db,
            blobs=open_store(f"{tmp}/blobs"),
            media=default_registry(),
            queue=NoQueue(),
            formats=default_formats(),
            limits=Limits(volume_compression=args.compression, deid_workers=args.workers),
        )
        with db.write() as s:
            row = Project(name="bench")
            s.add(row)
            s.flush()
            pid = row.id
        opened = [(f"IM{n:05d}", lambda d=d: nullcontext(io.BytesIO(d))) for n, d in enumerate(files)]
        t1 = time.perf_counter()
        cpu0 = _cpu()
        done = import_dicom(deps, pid, None, opened)
        elapsed = time.perf_counter() - t1
        main_cpu, workers_cpu = (b - a for a, b in zip(cpu0, _cpu(), strict=True))
        (asset,) = done.assets
        blob = deps.blobs.size(asset.storage_key or "")
        with deps.blobs.open(f"{REPORTS}{done.report_id}.json") as f:
            held = [e for e in orjson.loads(f.read())["files"] if e["status"] != "ok"]
        db.dispose()

    print(
        f"import with de-identification, {args.workers} worker(s): {elapsed:.2f} s "
        f"= {args.slices / elapsed:.0f} slices/s "
        f"({megabytes / elapsed:.0f} MB/s of DICOM)"
    )
    per_slice = 1000 * (main_cpu + workers_cpu) / args.slices
    # The import's serial part runs in this process; the workers' part spreads over the cores.
    idle = args.slices / (main_cpu + workers_cpu / max(1, min(args.workers, os.cpu_count() or 1)))
    print(
        f"CPU: {main_cpu:.2f} s in the importing process + {workers_cpu:.2f} s in the de-identification workers"
        f" = {per_slice:.1f} ms per slice; on idle cores that is about {idle:.0f} slices/s"
    )
    print(
        f"volume {asset.width}x{asset.height}x{asset.depth}, blob {blob / 1e6:.1f} MB ({args.compression}), "
        f"quarantined {done.quarantined}, errors {len(done.errors)}, warnings {done.warnings}"
    )
    for e in held:  # never expected on this synthetic series: say why
        print(f"  {e['file']}: {e['status']} ({e.get('reason')}); verification {e.get('verification')}")
    fast_paths(files[: min(60, len(files))])


def fast_paths(files: list[bytes]) -> None:
    """CPU seconds per slice of ``DeidSession.run`` in this process (parse, decode, collect,
    profile, verify, write), with the raw-element fast paths of ``media.deid`` on and off,
    interleaved, median of 3 rounds: a ratio that a loaded machine distorts less than wall time."""
    import statistics

    from labelhub.media.deid import engine, verify
    from labelhub.media.dicom_import import DeidSession

    session = DeidSession(secret=b"b" * 32)
    real = verify.raw_vr
    times: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(3):
        for mode in ("on", "off"):
            fn = real if mode == "on" else (lambda raw: None)
            verify.raw_vr = engine.raw_vr = fn  # type: ignore[assignment]
            t = time.process_time()
            for n, data in enumerate(files):
                session.run(data, f"IM{n}")
            times[mode].append((time.process_time() - t) / len(files))
    verify.raw_vr = engine.raw_vr = real
    on, off = statistics.median(times["on"]), statistics.median(times["off"])
    print(
        f"de-identification CPU per slice (one process, {len(files)} slices, median of 3): "
        f"fast paths {on * 1e3:.1f} ms, without {off * 1e3:.1f} ms ({off / on:.2f}x)"
    )


if __name__ == "__main__":
    main()
