"""A real worker process killed in the middle of a job: the job is retried by the next worker
and finishes, with every file imported exactly once."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import orjson
from sqlalchemy import func, select

from labelhub.db.tables import Asset, Job
from labelhub.services.context import Actor
from labelhub.wiring import build
from tests.conftest import ONTOLOGY, PASSWORD, _truncate, make_settings, png_bytes

LABELHUB = Path(sys.executable).with_name("labelhub")
FILES = 400  # enough that the first worker is still busy when it is killed


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(LABELHUB), "worker", "--threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _job(platform, job_id: str) -> Job:  # type: ignore[no-untyped-def]
    with platform.deps.db.read() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def test_killed_worker_job_is_retried_and_completes_once(tmp_path: Path, postgres_url: str | None) -> None:

    if postgres_url:
        _truncate(postgres_url)
    settings = make_settings(tmp_path / "data", postgres_url, job_stale_seconds=2)
    platform = build(settings, migrate=postgres_url is None)  # a real queue, consumed by other processes
    try:
        user = platform.auth.create_user("boss", PASSWORD, is_admin=True)
        actor = Actor(user.id, user.username, True)
        pid = platform.projects.create(actor, "crash", ONTOLOGY).project.id
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for i in range(FILES):
                zf.writestr(f"img{i:03}.png", png_bytes(32, 24, seed=i))
        buf.seek(0)
        job_id = platform.assets.import_archive(actor, pid, buf, "batch.zip")
        env = {**os.environ, "LABELHUB_DATA_DIR": str(settings.data_dir), "LABELHUB_JOB_STALE_SECONDS": "2"}
        if settings.database_url:
            env["LABELHUB_DATABASE_URL"] = settings.database_url
        if settings.queue_url:
            env["LABELHUB_QUEUE_URL"] = settings.queue_url
        first = _worker(env)
        deadline = time.monotonic() + 60
        while _job(platform, job_id).progress_done < 1:  # the first progress write comes after one file
            assert time.monotonic() < deadline and first.poll() is None, "the first worker made no progress"
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)  # a crash: no clean-up, no state change
        first.wait(10)
        crashed = _job(platform, job_id)
        assert crashed.state == "running" and crashed.attempts == 1
        time.sleep(2.5)  # let the heartbeat go stale
        second = _worker(env)  # recovers stale jobs when it starts
        try:
            while (job := _job(platform, job_id)).state not in ("succeeded", "failed"):
                assert time.monotonic() < deadline + 60, f"job stuck in {job.state}"
                time.sleep(0.1)
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(15)
        assert job.state == "succeeded" and job.attempts == 2, job.error
        result = platform.jobs.get(actor, job_id)
        report = orjson.loads(result.result_json or "{}")
        assert report["imported"] + report["duplicates"] == FILES and report["failed"] == 0
        with platform.deps.db.read() as s:
            assert s.scalar(select(func.count()).where(Asset.project_id == pid)) == FILES
            assert s.scalar(select(func.count(func.distinct(Asset.sha256))).where(Asset.project_id == pid)) == FILES
    finally:
        platform.close()
