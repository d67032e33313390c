"""Processes that heal (监护), on a real `courtplan serve`: a worker killed with -9 is replaced and
its replacement takes the runs; an HTTP process killed is replaced; `serve` killed with -9 takes
its children with it, frees its port, and a new `serve` starts on that port; a child that keeps
dying is restarted after a back-off that grows."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api import supervise
from api.settings import Settings
from optimizer.data.generate import generate, to_json
from tests.api.conftest import JSON, TINY
from tests.api.served import (
    alive,
    cli,
    fill,
    make_keys,
    port_free,
    service_env,
    serving,
    small_disk,
    start,
    stop,
    wait_until,
)


@pytest.fixture()
def sqlite(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", poll_interval=0.1, lease_seconds=3, progress_interval=0.2)


def _token(env: dict[str, str], court: str = "M") -> str:
    made = cli(env, "keys", "create", "--court", court)
    assert made.returncode == 0, made.stderr
    return made.stdout.rsplit(": ", 1)[-1].strip()


def test_killed_workers_are_replaced_and_their_replacements_take_runs(sqlite: Settings, tmp_path: Path) -> None:
    env = service_env(sqlite)
    token = _token(env)
    with serving(env, tmp_path / "serve.log", workers=2) as served:
        wait_until(lambda: len(served.children()["worker"]) == 2, 30, "two workers")
        first = served.children()["worker"]
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        took = wait_until(lambda: len(served.children()["worker"]) == 2
                          and not set(served.children()["worker"]) & set(first), 10, "two new workers")
        assert took < 10
        h = {"Authorization": f"Bearer {token}"}
        sid = httpx.post(served.base + "/scenarios", content=TINY, headers={**h, **JSON}).json()["id"]
        rid = httpx.post(f"{served.base}/scenarios/{sid}/runs", json={"time_limit": 20}, headers=h).json()["id"]
        wait_until(lambda: served.get(f"/runs/{rid}", headers=h).json()["status"] == "done", 90,
                   f"run {rid} solved by a replacement worker")
        assert "ended 已退出" in served.log_text() and "SIGKILL" in served.log_text()


def test_a_killed_http_process_is_replaced(sqlite: Settings, tmp_path: Path) -> None:
    with serving(service_env(sqlite), tmp_path / "serve.log", workers=0, http_processes=2) as served:
        wait_until(lambda: len(served.children()["http"]) == 2, 30, "two HTTP processes")
        victim = served.children()["http"][0]
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: len(served.children()["http"]) == 2 and victim not in served.children()["http"],
                   15, "a new HTTP process")
        wait_until(lambda: served.get("/health").status_code == 200, 30, "the service answering")


def test_killing_serve_ends_its_children_and_frees_the_port(sqlite: Settings, tmp_path: Path) -> None:
    env = service_env(sqlite)
    served = start(env, tmp_path / "serve.log", workers=1, http_processes=2)
    try:
        wait_until(lambda: len(served.children()["http"]) == 2 and len(served.children()["worker"]) == 1,
                   30, "two HTTP processes and a worker")
        kids = [p for pids in served.children().values() for p in pids]
        served.proc.kill()  # kill -9: no `finally`, no signal handler runs in serve
        served.proc.wait()
        wait_until(lambda: not any(alive(p) for p in kids), 20, "every child of the killed serve gone")
        wait_until(lambda: port_free(served.port), 5, "the port free")
        with serving(env, tmp_path / "again.log", port=served.port, workers=0) as again:
            assert again.get("/health").status_code == 200
    finally:
        stop(served)


def test_a_second_serve_on_a_taken_port_says_so_in_one_line(sqlite: Settings, tmp_path: Path) -> None:
    env = service_env(sqlite)
    with serving(env, tmp_path / "serve.log", workers=0) as served:
        second = cli(env, "serve", "--host", "127.0.0.1", "--port", str(served.port), "--workers", "0")
        assert second.returncode == 71, second.stderr
        assert "Traceback" not in second.stderr
        line = [x for x in second.stderr.splitlines() if x.startswith("courtplan:")]
        assert line == [f"courtplan: 无法监听 cannot listen on 127.0.0.1:{served.port}: Address already in use"]
        assert served.get("/health").status_code == 200  # the first one is untouched


class _Ended:
    """A process that has already ended with `code` (poll() answers at once)."""

    pid = 4242

    def __init__(self, code: int):
        self.code = code

    def poll(self) -> int:
        return self.code


def test_a_child_that_keeps_dying_is_restarted_after_a_growing_back_off() -> None:
    starts: list[float] = []
    clock = [0.0]

    def popen(*_a: object, **_k: object) -> _Ended:
        starts.append(clock[0])
        return _Ended(1)

    slot = supervise.Slot("worker", 1, ["false"], {})
    sup = supervise.Supervisor([slot], popen=popen)  # type: ignore[arg-type]
    while clock[0] < 200:
        sup.step(clock[0])
        clock[0] += 0.01
    gaps = [round(b - a, 1) for a, b in itertools.pairwise(starts)]
    assert gaps[:7] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0]  # doubling, then capped
    assert set(gaps[7:]) == {30.0}
    # a child that lived long enough before it died is replaced at once again
    slot.started, slot.proc = clock[0] - supervise.STABLE_SECONDS, _Ended(-9)  # type: ignore[assignment]
    sup.step(clock[0])
    assert slot.proc is None and slot.due == pytest.approx(clock[0] + supervise.BACKOFF_FIRST)


def test_a_worker_started_by_a_dead_serve_does_not_run(sqlite: Settings) -> None:
    """The race the parent-death signal cannot cover: `serve` died before the child asked."""
    env = service_env(sqlite, COURTPLAN_SUPERVISOR_PID="1")  # not our parent
    done = subprocess.run(supervise.WORKER_COMMAND, env=env, capture_output=True, timeout=60)
    assert done.returncode == 0 and b"worker" not in done.stderr  # it never started its loop


@pytest.fixture()
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 MB file system of its own (tmpfs), to fill up."""
    with small_disk(tmp_path / "disk") as where:
        yield where


def test_a_worker_that_crashed_on_a_full_disk_is_replaced_and_the_service_heals(disk, tmp_path):
    """The issue's case: a worker crashed on a full disk (SQLite: `database or disk is full`) and
    new runs then waited forever while /health said ok. Now: it is replaced, /health/ready says
    degraded while the disk is full, and once space is freed the service takes runs again."""
    settings = Settings(data_dir=disk / "data", poll_interval=0.1, lease_seconds=3, progress_interval=0.2)
    province_token, m_token = make_keys(settings, ("C330000", False), ("M", False))
    province = to_json(generate("zhejiang", seed=1, cases=6000)).encode()
    env = service_env(settings, COURTPLAN_WORKER_BEAT_SECONDS="0.5")
    with serving(env, tmp_path / "serve.log", workers=1) as served:
        wait_until(lambda: served.get("/health/ready").status_code == 200, 60, "ready")
        m, zj = {"Authorization": f"Bearer {m_token}"}, {"Authorization": f"Bearer {province_token}"}
        tiny = httpx.post(served.base + "/scenarios", content=TINY, headers={**m, **JSON}, timeout=60).json()["id"]
        sid = httpx.post(served.base + "/scenarios", content=province, headers={**zj, **JSON},
                         timeout=120).json()["id"]
        rid = httpx.post(f"{served.base}/scenarios/{sid}/runs", json={"time_limit": 60}, headers=zj).json()["id"]
        wait_until(lambda: served.get(f"/runs/{rid}", headers=zj).json()["status"] == "running", 60, "solving")
        first = set(served.children()["worker"])
        filler = fill(disk)
        try:
            wait_until(lambda: "exit code 退出码 1" in served.log_text(), 120, "the worker crashed (disk full)")
            assert "database or disk is full" in served.log_text()
            wait_until(lambda: served.children()["worker"] and not set(served.children()["worker"]) & first,
                       15, "a new worker")
            wait_until(lambda: served.get("/health/ready").status_code == 503, 30, "degraded (disk full)")
        finally:
            filler.unlink()
        wait_until(lambda: served.get("/health/ready").status_code == 200, 30, "ready once there is space")
        again = httpx.post(f"{served.base}/scenarios/{tiny}/runs", json={"time_limit": 20}, headers=m).json()["id"]
        wait_until(lambda: served.get(f"/runs/{again}", headers=m).json()["status"] == "done", 90, "solved again")
