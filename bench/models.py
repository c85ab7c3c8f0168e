"""Models benchmark: Auto Detect latency with the built-in document-layout model, pre-labeling
throughput, and the AI report over a large project.

    .venv/bin/python bench/models.py                       # defaults below
    .venv/bin/python bench/models.py --pages 10 --report-tasks 2000    # quicker

Prints figures; passes or fails nothing.  Runs in-process on SQLite (the platform the tests use).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from PIL import Image, ImageDraw
from sqlalchemy import update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def page_png(seed: int) -> bytes:
    img = Image.new("RGB", (1240, 1754), "white")  # an A4 page at 150 dpi
    d = ImageDraw.Draw(img)
    top = 80 + seed * 2  # every page different (uploads refuse duplicates)
    d.rectangle([100, top, 1100, top + 50], fill="black")
    for y in range(top + 120, top + 700, 28):
        d.line([100, y, 1100, y], fill="black", width=10)
    d.rectangle([100, 900, 1100, 1500], outline="black", width=3)
    for x in range(100, 1100, 125):
        d.line([x, 900, x, 1500], fill="black", width=2)
    for y in range(900, 1500, 60):
        d.line([100, y, 1100, y], fill="black", width=2)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20, help="pages for Auto Detect and pre-labeling")
    ap.add_argument("--report-tasks", type=int, default=5000, help="finished tasks in the AI-report project")
    args = ap.parse_args()

    from labelhub.core.models import ImageInput, ModelKind, ModelSpec
    from labelhub.services.context import Actor
    from labelhub.services.revisions import add_revision
    from labelhub.settings import Settings
    from labelhub.wiring import build

    with tempfile.TemporaryDirectory() as tmp:
        p = build(Settings(data_dir=Path(tmp), embedded_worker=False), immediate_jobs=True)
        admin = p.auth.create_user("admin", "correct horse battery staple", is_admin=True)
        actor = Actor(admin.id, admin.username, True)

        # 1. Auto Detect latency, model loaded (first call reported apart)
        spec = ModelSpec(ModelKind.BUILTIN, "document-layout")
        t0 = time.perf_counter()
        detector = p.models.loader.load(spec)
        load_s = time.perf_counter() - t0
        pages = [page_png(i) for i in range(args.pages)]
        times = []
        for data in pages:
            t0 = time.perf_counter()
            detector.detect(ImageInput(data, "p.png", 1240, 1754, "image/png"))
            times.append(time.perf_counter() - t0)
        print(f"document-layout load: {load_s * 1000:.0f} ms")
        print(
            f"document-layout detect, 1240x1754 page: p50 {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {pct(times, 0.95) * 1000:.0f} ms over {len(times)} pages"
        )

        # 2. pre-labeling throughput through the job (ingest, model, revisions)
        from labelhub.services.ingest import ingest

        ontology = {"classes": [{"id": "table", "tool": "document_region"}, {"id": "text", "tool": "document_region"}]}
        pid = p.projects.create(actor, "bench", ontology).project.id
        for i, data in enumerate(pages):
            ingest(p.deps, pid, admin.id, io.BytesIO(data), f"p{i}.png")
        model = p.models.register(actor, name="layout", kind="builtin", uri="document-layout")
        p.models.attach(actor, pid, model.id, {"table": "table", "text": "text"}, 0.3)
        t0 = time.perf_counter()
        job = p.prelabel.start(actor, pid, model.id)
        dt = time.perf_counter() - t0
        done = p.jobs.get(actor, job.id)
        result = orjson.loads(done.result_json or "{}")
        print(
            f"pre-label job: {result.get('tasks_prelabeled')} pages, {result.get('objects')} objects in {dt:.1f} s "
            f"= {args.pages / dt:.2f} pages/s (one worker thread)"
        )

        # 3. the AI report over a large project: 10 suggestions per task, a third edited
        pid2 = p.projects.create(actor, "report", {"classes": [{"id": "car", "tool": "bbox"}]}).project.id
        from labelhub.db.tables import Asset, Task

        n = args.report_tasks
        with p.deps.db.write() as s:
            assets = [Asset(project_id=pid2, filename=f"{i}.png", width=1000, height=1000) for i in range(n)]
            s.add_all(assets)
            s.flush()
            tasks = [Task(project_id=pid2, asset_id=a.id, state="submitted", available=0) for a in assets]
            s.add_all(tasks)
            s.flush()
            src = {"kind": "model", "name": "det", "version": "1"}
            for t in tasks:
                sug: list[dict[str, Any]] = [
                    {
                        "id": f"s{k}",
                        "class_id": "car",
                        "page": 0,
                        "geometry": {"type": "bbox", "xyxy": [k * 50, 10, k * 50 + 40, 60]},
                        "attributes": {},
                        "source": src,
                        "confidence": 0.9,
                    }
                    for k in range(10)
                ]
                final = [dict(o) for o in sug[:9]]
                for o in final[:3]:
                    o["geometry"] = {"type": "bbox", "xyxy": [o["geometry"]["xyxy"][0] + 15, 10, 0, 60]}
                    o["geometry"]["xyxy"][2] = o["geometry"]["xyxy"][0] + 40
                pre = add_revision(
                    s,
                    task_id=t.id,
                    project_id=pid2,
                    author_id=None,
                    kind="prelabel",
                    parent_id=None,
                    ontology_version=1,
                    body={"objects": sug, "classifications": {}},
                )
                sub = add_revision(
                    s,
                    task_id=t.id,
                    project_id=pid2,
                    author_id=admin.id,
                    kind="submission",
                    parent_id=pre.id,
                    ontology_version=1,
                    body={"objects": final, "classifications": {}},
                )
                s.execute(update(Task).where(Task.id == t.id).values(head_revision_id=sub.id))
        t0 = time.perf_counter()
        rep = p.ai_report.report(actor, pid2)
        dt = time.perf_counter() - t0
        print(
            f"AI report: {n} tasks, {rep['total']['suggestions']} suggestions classified in {dt:.2f} s "
            f"= {rep['total']['suggestions'] / dt:,.0f} suggestions/s"
        )
        p.close()


if __name__ == "__main__":
    main()
