"""Formats benchmark: COCO and YOLO export of 1,000,000 boxes over 100,000 images (prints, never fails).

    .venv/bin/python bench/formats.py                          # 100,000 images x 10 boxes
    .venv/bin/python bench/formats.py --images 10000 --per-image 10 --formats coco yolo voc

Rows go into a fresh SQLite database in bulk (the API path is measured by bench/core.py); each
export then runs in its own child process through the real ``DbExportSource`` and exporter, so its
peak RSS (``ru_maxrss``) is the export's alone.  Media are not included (references only).
Targets from the issue: >= 100,000 annotations/s and peak RSS < 500 MB.  The CPU seconds of the
export process are printed beside the wall time: on a shared machine the wall time includes the
time the export waited for a core, the CPU time does not.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ONTOLOGY = {
    "classes": [
        {"id": "car", "tool": "bbox", "color": "#e6194b"},
        {"id": "person", "tool": "bbox", "color": "#3cb44b"},
    ],
    "classifications": [],
}


def body(per_image: int) -> str:
    objs = [
        {
            "id": f"b{k}",
            "class_id": "car" if k % 2 else "person",
            "geometry": {"type": "bbox", "xyxy": [10 + k * 50, 20 + k * 3, 40 + k * 50, 60 + k * 3]},
            "page": 0,
            "attributes": {},
            "source": {"kind": "human"},
            "confidence": None,
        }
        for k in range(per_image)
    ]
    return orjson.dumps({"objects": objs, "classifications": {}}).decode()


def populate(data: Path, images: int, per_image: int) -> int:
    from labelhub.services.context import Actor
    from labelhub.settings import Settings
    from labelhub.wiring import build

    p = build(Settings(data_dir=data, embedded_worker=False), immediate_jobs=True)
    user = p.auth.create_user("bench", "bench password 123", is_admin=True)
    pid = p.projects.create(Actor(user.id, user.username, True), "Bench", ONTOLOGY).project.id
    text = body(per_image)
    now = "2026-01-01 00:00:00.000000"
    conn = p.deps.db.engine.raw_connection()
    try:
        cur = conn.cursor()
        step = 20_000
        for start in range(1, images + 1, step):
            ids = range(start, min(start + step, images + 1))
            cur.executemany(
                "INSERT INTO assets (id, project_id, kind, status, filename, width, height, pages, meta_json,"
                " created_at) VALUES (?, ?, 'image', 'ready', ?, 1920, 1080, 1, '{}', ?)",
                [(i, pid, f"frame_{i:07d}.jpg", now) for i in ids],
            )
            cur.executemany(
                "INSERT INTO tasks (id, project_id, asset_id, state, priority, required, open_slots, available,"
                " head_revision_id, created_at, updated_at) VALUES (?, ?, ?, 'accepted', 0, 1, 0, 0, ?, ?, ?)",
                [(i, pid, i, i, now, now) for i in ids],
            )
            cur.executemany(
                "INSERT INTO annotation_revisions (id, task_id, project_id, author_id, kind, ontology_version,"
                " object_count, body_json, created_at) VALUES (?, ?, ?, ?, 'submission', 1, ?, ?, ?)",
                [(i, i, pid, user.id, per_image, text, now) for i in ids],
            )
        conn.commit()
    finally:
        conn.close()
    p.close()
    return int(pid)


def export_child(data: str, project_id: int, fmt: str) -> None:
    """Runs in a fresh process: one export, then its figures as JSON on stdout."""
    from labelhub.core.formats import ExportOptions
    from labelhub.db.tables import Project
    from labelhub.services.exports import DbExportSource
    from labelhub.settings import Settings
    from labelhub.wiring import build

    p = build(Settings(data_dir=Path(data), embedded_worker=False), migrate=False, immediate_jobs=True)
    exporter = p.deps.formats.exporter(fmt)
    start = time.perf_counter()
    cpu0 = time.process_time()
    with tempfile.TemporaryFile() as out, p.deps.db.read() as s:
        project = s.get(Project, project_id)
        assert project is not None
        source = DbExportSource(p.deps, s, project, None)
        report = exporter.export(source, out, ExportOptions(include_media=False), lambda done, total: None)
        size = out.tell()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"seconds": seconds, "cpu_seconds": cpu, "objects": report["objects"], "bytes": size}
    print(json.dumps({**figures, "peak_rss_mb": peak}))
    p.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=100_000)
    ap.add_argument("--per-image", type=int, default=10)
    ap.add_argument("--formats", nargs="+", default=["coco", "yolo"])
    ap.add_argument("--child", nargs=3, metavar=("DATA", "PROJECT", "FORMAT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        export_child(args.child[0], int(args.child[1]), args.child[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        pid = populate(Path(tmp), args.images, args.per_image)
        total = args.images * args.per_image
        print(f"inserted {args.images:,} images, {total:,} boxes in {time.perf_counter() - t0:.1f} s", flush=True)
        print(
            f"{'format':<8} {'seconds':>8} {'CPU s':>7} {'objects':>10} {'objects/s':>10} {'per CPU s':>10}"
            f" {'MB out':>8} {'peak RSS MB':>12}"
        )
        for fmt in args.formats:
            run = subprocess.run(
                [sys.executable, __file__, "--child", tmp, str(pid), fmt], capture_output=True, text=True, check=True
            )
            r = json.loads(run.stdout.strip().splitlines()[-1])
            rate, cpu_rate = r["objects"] / r["seconds"], r["objects"] / r["cpu_seconds"]
            print(
                f"{fmt:<8} {r['seconds']:>8.1f} {r['cpu_seconds']:>7.1f} {r['objects']:>10,} {rate:>10,.0f}"
                f" {cpu_rate:>10,.0f} {r['bytes'] / 1e6:>8.1f}"
                f" {r['peak_rss_mb']:>12.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
