"""What `courtplan serve`, `courtplan worker` and `courtplan keys` do (the CLI parses the
arguments and prints; these functions return values)."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from api.db.models import ApiKey, utcnow
from api.jobs import Worker, die_with_parent
from api.main import create_app, open_service
from api.security import new_key
from api.settings import Settings

log = logging.getLogger("courtplan.service")
WORKER_COMMAND = [sys.executable, "-c", "import sys; from optimizer.cli import main; sys.exit(main(['worker']))"]


def _die_with_parent() -> None:
    """Worker children get SIGTERM when `serve` ends, however it ends (uvicorn re-raises the
    signal that stopped it, so a `finally` in the parent may never run)."""
    die_with_parent(signal.SIGTERM)


@contextlib.contextmanager
def _children(count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    procs = [subprocess.Popen(WORKER_COMMAND, preexec_fn=_die_with_parent) for _ in range(count)]
    try:
        yield procs
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


@contextlib.contextmanager
def _metrics_folder(http_processes: int) -> Iterator[None]:
    """Several HTTP processes count request latencies into one private folder (prometheus_client's
    multiprocess mode), set before they start so that each imports the client in that mode."""
    if http_processes <= 1:
        yield
        return
    folder = tempfile.mkdtemp(prefix="courtplan-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    try:
        yield
    finally:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        shutil.rmtree(folder, ignore_errors=True)


def serve(host: str, port: int, workers: int, http_processes: int = 1) -> int:
    import uvicorn

    settings = Settings()
    service = open_service(settings)  # migrates before anything else touches the database
    log.info("data 数据: %s (COURTPLAN_DATA_DIR / COURTPLAN_DATABASE_URL)", settings.where())
    log.info("workers 求解进程: %d%s", workers, "" if workers else
             " — runs stay queued until a `courtplan worker` runs against this database")
    access_log = settings.access_log == "text"  # (json: api/metrics.py writes the line)
    with _children(workers), _metrics_folder(http_processes):
        if http_processes > 1:  # each process opens the (already migrated) database itself
            service.engine.dispose()
            uvicorn.run("api.main:create_app", factory=True, workers=http_processes, host=host,
                        port=port, log_level="info", timeout_keep_alive=30, access_log=access_log)
        else:
            uvicorn.run(create_app(service=service), host=host, port=port, log_level="info",
                        timeout_keep_alive=30, access_log=access_log)
    return 0


def _stop_on_sigterm(worker: Worker) -> None:
    def handler(_signum: int, _frame: Any) -> None:
        worker.stopping = True
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handler)


def work(once: bool = False, idle_exit: float | None = None) -> int:
    settings = Settings()
    service = open_service(settings)
    worker = Worker(settings, service.engine)
    log.info("worker %s: data 数据: %s", worker.name, settings.where())
    _stop_on_sigterm(worker)
    return worker.run(once=once, idle_exit=idle_exit)


def create_key(court: str, admin: bool, label: str) -> tuple[str, str]:
    service = open_service(Settings())
    with service.writes.begin() as s:
        row, token = new_key(s, court, admin, label)
        return row.id, token


def list_keys() -> list[dict[str, Any]]:
    service = open_service(Settings())
    with service.reads() as s:
        return [{"id": k.id, "court": k.court, "admin": k.admin, "label": k.label,
                 "created_at": k.created_at, "revoked_at": k.revoked_at}
                for k in s.scalars(select(ApiKey).order_by(ApiKey.created_at))]


def revoke_key(key_id: str) -> bool:
    service = open_service(Settings())
    with service.writes.begin() as s:
        row = s.get(ApiKey, key_id)
        if row is None:
            return False
        row.revoked_at = row.revoked_at or utcnow()
        return True
