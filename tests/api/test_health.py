"""Health that tells the truth (健康检查): `/health/live` answers while the process runs;
`/health/ready` answers 503 with the problem when no worker is alive, a run has waited too long or
the database does not answer, and `/health` says `degraded` then; `/metrics` counts the workers
alive. On both back ends, in-process and against a real `courtplan serve` whose worker is killed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from api.db.models import Run, WorkerBeat, utcnow
from api.jobs import Worker
from api.main import create_app, open_service
from api.settings import Settings
from tests.api.conftest import auth, store
from tests.api.served import CLI, ROOT, service_env, serving, wait_until
from tests.api.test_metrics import TOKEN, sample


def test_no_worker_alive_is_degraded_and_a_heartbeat_makes_it_ready(client, service):
    assert client.get("/health/live").json() == {"status": "ok"}
    r = client.get("/health/ready")
    assert r.status_code == 503
    assert r.json()["status"] == "degraded" and r.json()["checks"]["workers_alive"] == 0
    assert any("没有存活的求解进程 no worker is alive" in p for p in r.json()["problems"])
    legacy = client.get("/health")
    assert legacy.status_code == 200 and legacy.json()["status"] == "degraded"

    worker = Worker(service.settings, service.engine)
    worker.heartbeat(force=True)
    r = client.get("/health/ready")
    assert r.status_code == 200, r.json()
    assert r.json() == {"status": "ok", "problems": [], "checks": {
        "database": True, "workers_alive": 1, "queued": 0, "oldest_queued_seconds": 0.0}}
    assert client.get("/health").json()["status"] == "ok"

    # three beats without a renewal: the worker counts as dead
    old = utcnow() - dt.timedelta(seconds=3 * service.settings.worker_beat_seconds + 1)
    with service.writes.begin() as s:
        s.execute(update(WorkerBeat).values(beat_at=old))
    assert client.get("/health/ready").status_code == 503


def test_a_run_waiting_past_the_threshold_is_degraded(client, service, keys):
    Worker(service.settings, service.engine).heartbeat(force=True)
    sid = store(client, keys.m)["id"]
    rid = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 5}, headers=auth(keys.m)).json()["id"]
    assert client.get("/health/ready").status_code == 200  # queued, but not for long
    waited = service.settings.queue_wait_seconds + 60
    with service.writes.begin() as s:
        s.execute(update(Run).where(Run.id == rid).values(created_at=utcnow() - dt.timedelta(seconds=waited)))
    r = client.get("/health/ready")
    assert r.status_code == 503
    assert r.json()["checks"]["queued"] == 1 and r.json()["checks"]["oldest_queued_seconds"] >= waited
    assert any("运行排队过久" in p for p in r.json()["problems"])


def test_a_worker_that_stops_cleanly_takes_its_heartbeat_away(client, service):
    worker = Worker(service.settings, service.engine)
    assert worker.run(once=True) == 0  # nothing queued: it beat, looked, and stopped
    with service.reads() as s:
        assert s.scalar(select(func.count()).select_from(WorkerBeat)) == 0


def test_metrics_count_the_workers_alive(service):
    service.settings.metrics_token = TOKEN
    with TestClient(create_app(service=service)) as c:
        assert sample(c.get("/metrics", headers=auth(TOKEN)).text, "courtplan_workers_alive") == 0
        Worker(service.settings, service.engine, name="host-a:1").heartbeat(force=True)
        Worker(service.settings, service.engine, name="host-b:1").heartbeat(force=True)
        assert sample(c.get("/metrics", headers=auth(TOKEN)).text, "courtplan_workers_alive") == 2


def test_an_unreachable_database_is_degraded_not_an_error(tmp_path):
    """PostgreSQL on a port where nothing listens: an answer within the connect timeout."""
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://courtplan@127.0.0.1:9/courtplan")
    with TestClient(create_app(service=open_service(settings, run_migrations=False))) as c:
        t0 = time.monotonic()
        r = c.get("/health/ready")
        assert time.monotonic() - t0 < 10
        assert r.status_code == 503 and r.json()["checks"] is None
        assert r.json()["problems"][0].startswith("数据库无法连接 the database does not answer")
        assert c.get("/health").status_code == 200 and c.get("/health").json()["status"] == "degraded"
        assert c.get("/health/live").status_code == 200


def test_a_killed_worker_makes_a_real_service_degraded(settings, tmp_path):
    """`serve --workers 0` with one `courtplan worker` beside it (as under systemd): ready while
    the worker runs; kill -9 the worker and within three beats /health/ready says so."""
    env = service_env(settings, COURTPLAN_WORKER_BEAT_SECONDS="0.5")
    with serving(env, tmp_path / "serve.log", workers=0) as served:
        assert served.get("/health/ready").status_code == 503
        worker = subprocess.Popen([sys.executable, "-c", CLI, "worker"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=(tmp_path / "worker.log").open("wb"))
        try:
            wait_until(lambda: served.get("/health/ready").status_code == 200, 60, "ready with a worker")
            assert served.get("/health/ready").json()["checks"]["workers_alive"] == 1
            os.kill(worker.pid, signal.SIGKILL)
            # three beats (1.5 s), plus what a shared, busy machine adds
            wait_until(lambda: served.get("/health/ready").status_code == 503, 3 * 0.5 + 5, "degraded")
            assert served.get("/health").json()["status"] == "degraded"
        finally:
            worker.kill()
            worker.wait()


def test_a_real_serve_with_workers_is_ready(tmp_path):
    env = service_env(Settings(data_dir=tmp_path / "data", poll_interval=0.1), COURTPLAN_WORKER_BEAT_SECONDS="1")
    with serving(env, tmp_path / "serve.log", workers=2) as served:
        wait_until(lambda: served.get("/health/ready").status_code == 200, 60, "ready")
        wait_until(lambda: served.get("/health/ready").json()["checks"]["workers_alive"] == 2, 10, "2 workers")
