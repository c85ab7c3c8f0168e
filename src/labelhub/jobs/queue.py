"""The job queue on Huey: embedded (a SQLite file, worker threads in the server process) or Redis.

Huey carries only job ids.  ``run`` is the callable a worker invokes with an id (normally
``JobService.run``); ``periodic`` runs every minute on a worker (lease expiry, stale-job recovery).
In ``immediate`` mode (tests, the CLI's inline mode) Huey runs each job as it is enqueued.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.consumer import Consumer

log = logging.getLogger("labelhub.queue")


class HueyQueue:
    def __init__(
        self, url: str, run: Callable[[str], None], periodic: Callable[[], None], *, immediate: bool = False
    ) -> None:
        self.url = url
        self.huey = _make_huey(url, immediate)
        self._run = run
        self._periodic = periodic

        @self.huey.task(name="labelhub.run_job", retries=0)  # type: ignore[untyped-decorator]
        def run_job(job_id: str) -> None:
            self._run(job_id)

        @self.huey.periodic_task(crontab(minute="*"), name="labelhub.maintenance")  # type: ignore[untyped-decorator]
        def maintenance() -> None:
            self._periodic()

        self._task = run_job
        self._consumer: Consumer | None = None
        self._thread: threading.Thread | None = None

    def enqueue(self, job_id: str) -> None:
        self._task(job_id)

    def describe(self) -> str:
        return ("immediate " if self.huey.immediate else "") + type(self.huey).__name__ + f" ({self.url.split('?')[0]})"

    def start_consumer(self, workers: int = 2) -> None:
        """Worker threads inside this process (the embedded set-up); stop with ``stop_consumer``."""
        consumer = self.huey.create_consumer(
            workers=workers, worker_type="thread", periodic=True, max_delay=1.0, check_worker_health=False
        )
        # Huey's start() installs its own SIGINT/SIGTERM handlers, which would stop uvicorn from
        # shutting down; keep the host process's handlers (only the main thread may touch them).
        main = threading.current_thread() is threading.main_thread()
        kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)} if main else {}
        consumer.start()
        for signum, handler in kept.items():
            signal.signal(signum, handler)
        self._consumer = consumer

    def stop_consumer(self) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None

    def run_forever(self, workers: int = 2) -> None:
        """The ``labelhub worker`` process: blocks, handles SIGINT/SIGTERM."""
        self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True, max_delay=1.0).run()


def _make_huey(url: str, immediate: bool) -> Huey:
    kwargs: dict[str, Any] = {"immediate": immediate, "results": False, "utc": True}
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("labelhub", url=url, **kwargs)
    if url.startswith("sqlite:///"):
        return SqliteHuey("labelhub", filename=url[len("sqlite:///") :], **kwargs)
    if url == "memory://":
        return SqliteHuey("labelhub", filename=":memory:", **{**kwargs, "immediate": True})
    raise ValueError(f"queue URL must start with redis://, rediss:// or sqlite:///, got {url!r}")


__all__ = ["HueyQueue"]
