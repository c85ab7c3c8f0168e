"""Platform-core benchmark: a real server process on loopback, SQLite and then PostgreSQL.

    .venv/bin/python bench/core.py                 # SQLite, and PostgreSQL if reachable
    .venv/bin/python bench/core.py --db sqlite     # one backend
    .venv/bin/python bench/core.py --tasks 1000000 --db postgres

Prints medians/percentiles per figure, next to the Label Studio 1.23.2 figures quoted in the
platform-core issue (measured there on this machine type; not re-measured by this script).
Every request opens a new TCP connection, as in that measurement (a client per thread with
keep-alive off: building an httpx client per request would add ~20 ms of client-side SSL set-up
that has nothing to do with the server).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("LABELHUB_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ONTOLOGY = {
    "classes": [
        {"id": "car", "tool": "bbox", "color": "#e6194b"},
        {"id": "road", "tool": "polygon", "color": "#3cb44b"},
    ],
    "classifications": [
        {"id": "weather", "kind": "radio", "required": True, "options": [{"id": "sun"}, {"id": "rain"}]}
    ],
}
LABEL_STUDIO = {
    "import tasks/s": "5,500",
    "annotations/s sequential": "16",
    "annotations/s 8 clients": "11",
    "next task p50/p95 ms": "46 / 56",
    "list page p95 ms": "370-810",
    "export objects/s": "~2,200 (24k shapes, 10.9 s)",
    "RSS at rest MB": "483 (peak)",
    "cold start s": "35",
}


def body(i: int) -> dict[str, Any]:
    objs: list[dict[str, Any]] = [
        {"id": f"b{k}", "class_id": "car", "geometry": {"type": "bbox", "xyxy": [10 + k * 40, 20, 40 + k * 40, 60]}}
        for k in range(5)
    ]
    objs.append(
        {
            "id": "p0",
            "class_id": "road",
            "geometry": {"type": "polygon", "points_xy": [[0, 400], [300, 250], [600, 400], [300, 470]]},
        }
    )
    return {"objects": objs, "classifications": {"weather": "sun" if i % 2 else "rain"}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def rss_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    def __init__(self, db: str, data: Path, processes: int = 1) -> None:
        self.data, self.port = data, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "LABELHUB_DATA_DIR": str(data), "LABELHUB_EMBEDDED_WORKER": "true"}
        self.pg_name: str | None = None
        if db == "postgres":
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            self.pg_name = f"labelhub_bench_{secrets.token_hex(4)}"
            with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'CREATE DATABASE "{self.pg_name}"'))
            self.env["LABELHUB_DATABASE_URL"] = make_url(PG_ADMIN).set(database=self.pg_name).render_as_string(False)
        run = subprocess.run(
            [BIN / "labelhub", "user", "create", "--username", "admin", "--admin"],
            input="bench password 123\n",
            text=True,
            env=self.env,
            capture_output=True,
            check=True,
        )
        assert "created" in run.stdout, run
        self.token = subprocess.run(
            [BIN / "labelhub", "token", "create", "--username", "admin"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [BIN / "labelhub", "serve", "--port", str(self.port), "--processes", str(processes)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        while True:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.02)
            if self.proc.poll() is not None:
                raise SystemExit(self.proc.stderr.read().decode() if self.proc.stderr else "server died")
        self.cold_start = time.perf_counter() - started
        self.h = {"Authorization": f"Bearer {self.token}"}

    def user(self, name: str, project: int) -> dict[str, str]:
        subprocess.run(
            [BIN / "labelhub", "user", "create", "--username", name],
            input="bench password 123\n",
            text=True,
            env=self.env,
            capture_output=True,
            check=True,
        )
        token = subprocess.run(
            [BIN / "labelhub", "token", "create", "--username", name],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        self.call("PUT", f"/projects/{project}/members", json={"username": name, "role": "labeler"})
        return {"Authorization": f"Bearer {token}"}

    _local = threading.local()

    def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0), timeout=600)
        r = client.request(method, f"{self.url}/api/v1{path}", headers=headers or self.h, **kw)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(30)
        if self.pg_name:
            from sqlalchemy import create_engine, text

            with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)'))


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def register(srv: Server, project: int, n: int, start: int = 0) -> float:
    items = [{"uri": f"https://images.example/{start + i}.jpg", "width": 640, "height": 480} for i in range(n)]
    return timed(lambda: srv.call("POST", f"/projects/{project}/assets/bulk", json={"items": items}))


def annotate(srv: Server, project: int, headers: dict[str, str], count: int, out: list[float]) -> None:
    for i in range(count):
        task = srv.call("POST", f"/projects/{project}/next-task", headers).json()["task"]["id"]
        t = time.perf_counter()
        srv.call("POST", f"/tasks/{task}/submit", headers, json={"body": body(i)})
        out.append(time.perf_counter() - t)


def _client_process(url: str, headers: dict[str, str], project: int, count: int, start: Any, out: Any) -> None:
    """One labeler in its own process, so the load generator's GIL does not cap the figure."""
    client = httpx.Client(
        base_url=f"{url}/api/v1", headers=headers, timeout=600, limits=httpx.Limits(max_keepalive_connections=0)
    )
    start.wait()
    lat = []
    for i in range(count):
        task = client.post(f"/projects/{project}/next-task").json()["task"]["id"]
        t = time.perf_counter()
        r = client.post(f"/tasks/{task}/submit", json={"body": body(i)})
        r.raise_for_status()
        lat.append(time.perf_counter() - t)
    out.put(lat)


def eight_clients(srv: Server, pid: int, prefix: str) -> str:
    """1,000 annotations from 8 concurrent labelers (each: next-task, then submit), 8 client processes."""
    import multiprocessing as mp

    heads = [srv.user(f"{prefix}{i}", pid) for i in range(8)]
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_client_process, args=(srv.url, h, pid, 125, start, out)) for h in heads]
    for p in procs:
        p.start()
    time.sleep(0.5)
    t0 = time.perf_counter()
    start.set()
    lat = [x for _ in procs for x in out.get()]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    return (
        f"{1000 / wall:,.0f} incl. next-task (submit p50 {pct(lat, 50) * 1e3:.1f} ms, p95 {pct(lat, 95) * 1e3:.1f} ms)"
    )


def bench_processes(db: str, processes: int, results: dict[str, dict[str, str]]) -> None:
    """The 8-client figure again with several API processes (``labelhub serve --processes N``)."""
    data = Path(tempfile.mkdtemp(prefix=f"labelhub-bench-{db}-p{processes}-"))
    srv = Server(db, data, processes)
    try:
        pid = srv.call("POST", "/projects", json={"name": "bench", "ontology": ONTOLOGY}).json()["id"]
        register(srv, pid, 2_000)
        results[db][f"annotations/s 8 clients, {processes} processes"] = eight_clients(srv, pid, "p")
    finally:
        srv.stop()
        shutil.rmtree(data, ignore_errors=True)


def bench(db: str, total_tasks: int, results: dict[str, dict[str, str]]) -> None:
    data = Path(tempfile.mkdtemp(prefix=f"labelhub-bench-{db}-"))
    srv = Server(db, data)
    r: dict[str, str] = {}
    try:
        r["cold start s"] = f"{srv.cold_start:.2f}"
        time.sleep(1.0)
        r["RSS at rest MB"] = f"{rss_mb(srv.proc.pid, 'VmRSS'):.0f}"
        pid = srv.call("POST", "/projects", json={"name": "bench", "ontology": ONTOLOGY}).json()["id"]
        runs = [register(srv, pid, 10_000, k * 10_000) for k in range(3)]
        r["import tasks/s"] = f"{10_000 / statistics.median(runs):,.0f} (median of 3 x 10,000)"
        # annotations: 1,000 by one client, then 1,000 by 8 concurrent clients
        seq: list[float] = []
        one = srv.user("seq", pid)
        wall = timed(lambda: annotate(srv, pid, one, 1000, seq))
        r["annotations/s sequential"] = (
            f"{1000 / sum(seq):,.0f} submit-only; {1000 / wall:,.0f} with next-task "
            f"(submit p50 {pct(seq, 50) * 1e3:.1f} ms)"
        )
        r["annotations/s 8 clients"] = eight_clients(srv, pid, "c")
        # grow to the target size, then latency of next-task and list pages
        have = 30_000
        while have < total_tasks:
            n = min(10_000, total_tasks - have)
            register(srv, pid, n, have)
            have += n
        skipper = srv.user("skipper", pid)
        nxt = []
        for _ in range(200):
            t = time.perf_counter()
            task = srv.call("POST", f"/projects/{pid}/next-task", skipper).json()["task"]["id"]
            nxt.append(time.perf_counter() - t)
            srv.call("POST", f"/tasks/{task}/skip", skipper, json={"reason": "bench"})
        r["next task p50/p95 ms"] = f"{pct(nxt, 50) * 1e3:.1f} / {pct(nxt, 95) * 1e3:.1f} ({have:,} tasks)"
        from labelhub.services.pagination import encode_cursor

        first = srv.call("GET", f"/projects/{pid}/tasks", params={"limit": 100}).json()["items"][0]["id"]
        for label, params in (
            ("first", {"limit": 100}),
            ("deep", {"limit": 100, "cursor": encode_cursor(first + have - 500)}),
        ):
            lat = [timed(lambda p=params: srv.call("GET", f"/projects/{pid}/tasks", params=p)) for _ in range(200)]
            r[f"list page ({label}) p50/p95 ms"] = f"{pct(lat, 50) * 1e3:.1f} / {pct(lat, 95) * 1e3:.1f}"
        r["list page p95 ms"] = (
            r.pop("list page (first) p50/p95 ms").split("/ ")[1]
            + " first, "
            + r.pop("list page (deep) p50/p95 ms").split("/ ")[1]
            + " deep"
        )
        # native export of 100,000 annotations (7 objects each), inserted in bulk beforehand
        n_ann = bulk_annotations(srv, pid, 100_000)
        job = srv.call("POST", f"/projects/{pid}/exports", json={"format": "native", "include_media": False}).json()
        t = time.perf_counter()
        while (j := srv.call("GET", f"/jobs/{job['id']}").json())["state"] not in ("succeeded", "failed"):
            time.sleep(0.05)
        seconds = time.perf_counter() - t
        objects = j["result"]["report"]["objects"] if j["state"] == "succeeded" else 0
        r["export objects/s"] = (
            f"{objects / seconds:,.0f} ({j['result']['report']['revisions']:,} annotations, "
            f"{objects:,} objects, {seconds:.1f} s, {j['result']['bytes'] / 1e6:.0f} MB)"
        )
        assert n_ann
        r["peak RSS MB"] = f"{rss_mb(srv.proc.pid, 'VmHWM'):.0f}"
    finally:
        srv.stop()
        shutil.rmtree(data, ignore_errors=True)
    results[db] = r


def bulk_annotations(srv: Server, project: int, n: int) -> int:
    """Insert n submitted revisions straight into the database (the API path is measured above)."""
    import orjson
    from sqlalchemy import create_engine, insert, select, update

    from labelhub.db.tables import AnnotationRevision, Task, utcnow

    url = srv.env.get("LABELHUB_DATABASE_URL") or f"sqlite:///{srv.data / 'labelhub.db'}"
    engine = create_engine(url)
    text = orjson.dumps(body(0)).decode()
    with engine.begin() as c:
        ids = list(
            c.scalars(
                select(Task.id).where(Task.project_id == project, Task.state == "queued").order_by(Task.id).limit(n)
            )
        )
        now = utcnow()
        for k in range(0, len(ids), 10_000):
            chunk = ids[k : k + 10_000]
            c.execute(
                insert(AnnotationRevision),
                [
                    {
                        "task_id": t,
                        "project_id": project,
                        "author_id": 1,
                        "kind": "submission",
                        "parent_id": None,
                        "ontology_version": 1,
                        "object_count": 6,
                        "body_json": text,
                        "created_at": now,
                    }
                    for t in chunk
                ],
            )
            c.execute(update(Task).where(Task.id.in_(chunk)).values(state="submitted", available=0, open_slots=0))
    engine.dispose()
    return len(ids)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--tasks", type=int, default=130_000, help="tasks in the project for the latency figures")
    ap.add_argument("--processes", type=int, default=2, help="also measure 8 clients with this many API processes")
    args = ap.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results: dict[str, dict[str, str]] = {}
    for db in dbs:
        print(f"running {db} ...", file=sys.stderr, flush=True)
        bench(db, args.tasks, results)
        if args.processes > 1:
            bench_processes(db, args.processes, results)
    keys = list(LABEL_STUDIO) + [k for k in next(iter(results.values())) if k not in LABEL_STUDIO]
    width = max(len(k) for k in keys)
    print(f"\n{'figure':<{width}} | " + " | ".join(f"labelhub {db}" for db in dbs) + " | Label Studio 1.23.2 (quoted)")
    for k in keys:
        cells = [results[db].get(k, "-") for db in dbs]
        print(f"{k:<{width}} | " + " | ".join(cells) + f" | {LABEL_STUDIO.get(k, '-')}")


if __name__ == "__main__":
    main()
