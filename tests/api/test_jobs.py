"""Runs in real worker processes: cancel stops the solver within 2 s; a worker killed with
-9 mid-run loses nothing stored, its run is marked interrupted and can be requeued."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api import crud
from api.jobs import Worker
from api.security import Principal, new_key
from optimizer.data.generate import generate
from optimizer.data.read import parse_scenario
from tests.api.conftest import auth, store

ROOT = Path(__file__).resolve().parents[2]
LONG = {"time_limit": 120, "gap": 0}  # a 6,000-case province takes ~20 s: long enough to interrupt


@pytest.fixture(scope="module")
def province():
    return parse_scenario(generate("zhejiang", seed=1, cases=6000))


def start_worker(settings, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COURTPLAN_DATA_DIR": str(settings.data_dir),
           "COURTPLAN_LEASE_SECONDS": str(settings.lease_seconds), "COURTPLAN_POLL_INTERVAL": "0.1",
           "COURTPLAN_PROGRESS_INTERVAL": "0.2"}
    if settings.database_url:
        env["COURTPLAN_DATABASE_URL"] = settings.database_url
    return subprocess.Popen([sys.executable, "-c", "import sys; from optimizer.cli import main; "
                             "sys.exit(main(['worker']))"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=log.open("wb"))


def wait_for(client, token, rid, statuses, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        run = client.get(f"/runs/{rid}", headers=auth(token)).json()
        if run["status"] in statuses:
            return run
        time.sleep(0.05)
    pytest.fail(f"run {rid} still {run['status']} after {seconds} s")


def solver_pid(log: Path) -> int:
    for _ in range(100):
        m = re.search(r"solving in process (\d+)", log.read_text())
        if m:
            return int(m.group(1))
        time.sleep(0.05)
    pytest.fail("the worker never said which process solves")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as f:  # a zombie has stopped solving
        return f.read().split(") ")[1].startswith("Z")


def long_run(client, service, province) -> tuple[str, str]:
    with service.writes.begin() as s:
        _, token = new_key(s, province.dispatcher, False)
    with service.writes.begin() as s:
        sid = crud.store_scenario(s, Principal("test", province.dispatcher, False), province).scenario_id
    rid = client.post(f"/scenarios/{sid}/runs", json=LONG, headers=auth(token)).json()["id"]
    return token, rid


def test_cancel_stops_the_solver_within_two_seconds(client, service, province, tmp_path):
    token, rid = long_run(client, service, province)
    log = tmp_path / "worker.log"
    worker = start_worker(service.settings, log)
    try:
        wait_for(client, token, rid, {"running"}, 60)
        pid = solver_pid(log)
        time.sleep(1.0)  # well into the solve
        t0 = time.monotonic()
        assert client.post(f"/runs/{rid}/cancel", headers=auth(token)).status_code == 202
        run = wait_for(client, token, rid, {"cancelled", "done", "failed"}, 2.0)
        took = time.monotonic() - t0
        assert run["status"] == "cancelled" and took < 2.0, (run["status"], took)
        assert gone(pid)
    finally:
        worker.terminate()
        worker.wait(10)


def test_kill_9_mid_run_loses_nothing_and_the_run_can_be_requeued(client, keys, service, province, tmp_path):
    sid = store(client, keys.m)["id"]
    done = client.post(f"/scenarios/{sid}/runs", json={}, headers=auth(keys.m)).json()["id"]
    Worker(service.settings, service.engine).run(once=True)
    plan_before = client.get(f"/runs/{done}/plan", headers=auth(keys.m)).json()
    token, rid = long_run(client, service, province)
    log = tmp_path / "worker.log"
    worker = start_worker(service.settings, log)
    wait_for(client, token, rid, {"running"}, 60)
    pid = solver_pid(log)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    assert client.get(f"/runs/{rid}", headers=auth(token)).json()["status"] == "running"  # lease holds
    restarted = start_worker(service.settings, tmp_path / "worker2.log")
    try:
        run = wait_for(client, token, rid, {"interrupted"}, service.settings.lease_seconds + 10)
        assert "lease" in run["error"][0]["message"] and run["attempts"] == 1
        deadline = time.monotonic() + 5
        while not gone(pid) and time.monotonic() < deadline:  # the solver died with its worker
            time.sleep(0.05)
        assert gone(pid)
        assert client.get(f"/runs/{done}/plan", headers=auth(keys.m)).json() == plan_before
        assert client.get("/scenarios", headers=auth(keys.m)).json()["total"] == 1
        assert client.post(f"/runs/{rid}/requeue", headers=auth(token)).json()["status"] == "queued"
        again = wait_for(client, token, rid, {"running"}, 30)  # the restarted worker takes it
        assert again["attempts"] == 2
        client.post(f"/runs/{rid}/cancel", headers=auth(token))
        wait_for(client, token, rid, {"cancelled"}, 5)
    finally:
        restarted.terminate()
        restarted.wait(10)
