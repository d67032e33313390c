"""`courtplan bench load`: the service under load, on loopback only (127.0.0.1).

Starts `courtplan serve --workers 3` on a fresh data directory (SQLite unless --database-url),
stores a scenario, queues 3 runs, and has 50 concurrent clients read (the scenario list, a run's
status, a scenario) while the runs solve. Bounded: each client stops after --requests reads,
and everything stops after --max-seconds. Reports read latency percentiles and whether every
run finished with a plan the independent checker accepts.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: this benchmark never listens on or calls another address
#: a dashboard client waits this long between reads (about 3 reads a second each)
THINK_SECONDS = (0.1, 0.5)
CLI = "import sys; from optimizer.cli import main; sys.exit(main(sys.argv[1:]))"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _cli(args: list[str], env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120)
    return out.stdout


def _server(env: dict[str, str], port: int, log: Path,
            http_processes: int = 1) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", CLI, "serve", "--host", HOST, "--port", str(port),
                             "--workers", "3", "--http-processes", str(http_processes)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=log.open("wb"))
    for _ in range(300):
        try:
            if httpx.get(f"http://{HOST}:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the service did not start; see {log}")


async def _reader(client: httpx.AsyncClient, targets: list[str], requests: int, stop: asyncio.Event,
                  latencies: list[float], errors: list[str]) -> None:
    await asyncio.sleep(random.uniform(0, THINK_SECONDS[1]))  # clients do not start in step
    for _ in range(requests):
        if stop.is_set():
            return
        url = random.choice(targets)
        t0 = time.perf_counter()
        try:
            r = await client.get(url)
        except httpx.HTTPError as e:
            errors.append(f"{url}: {type(e).__name__}")
            continue
        latencies.append(time.perf_counter() - t0)
        if r.status_code != 200:
            errors.append(f"{url}: {r.status_code}")
        await asyncio.sleep(random.uniform(*THINK_SECONDS))


async def _watch_runs(client: httpx.AsyncClient, runs: list[str], stop: asyncio.Event,
                      deadline: float) -> list[dict[str, Any]]:
    while time.monotonic() < deadline:
        states = [(await client.get(f"/runs/{r}")).json() for r in runs]
        if all(s["status"] in ("done", "failed", "cancelled", "interrupted") for s in states):
            stop.set()
            return states
        await asyncio.sleep(0.5)
    stop.set()
    return [(await client.get(f"/runs/{r}")).json() for r in runs]


async def _load(base: str, token: str, scenario: bytes, a: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=a.clients + 5)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as client:
        sid = (await client.post("/scenarios", content=scenario,
                                 headers={"Content-Type": "application/json"})).json()["id"]
        runs = [(await client.post(f"/scenarios/{sid}/runs", json={
            "time_limit": a.time_limit, "seed": seed, "changes": {"weights": {"change_court": 60 + 30 * seed}}})
                 ).json()["id"] for seed in range(3)]
        targets = ["/scenarios", f"/scenarios/{sid}", *(f"/runs/{r}" for r in runs)]
        stop = asyncio.Event()
        latencies: list[float] = []
        errors: list[str] = []
        t0 = time.monotonic()
        watcher = asyncio.create_task(_watch_runs(client, runs, stop, t0 + a.max_seconds))
        await asyncio.gather(*(_reader(client, targets, a.requests, stop, latencies, errors)
                               for _ in range(a.clients)))
        states = await watcher
        plans = [(await client.get(f"/runs/{r}/plan")).json() if s["status"] == "done" else None
                 for r, s in zip(runs, states, strict=True)]
        return {"latencies": latencies, "errors": errors, "states": states, "plans": plans,
                "seconds": time.monotonic() - t0}


def _checked(scenario: bytes, plans: list[Any]) -> list[bool]:
    from optimizer.data.read import parse_scenario
    from optimizer.results.plan import Plan

    s = parse_scenario(scenario)
    try:  # the independent checker of the repository's tests, when present (a checkout)
        check_plan = importlib.import_module("tests.checker").check_plan
    except ImportError:
        def check_plan(_s: Any, p: Any) -> list[str]:
            return [] if p.status != "infeasible" and len(p.cases) == len(s.cases) else ["bad"]
    return [p is not None and not check_plan(s, Plan.from_dict(p["plan"])) for p in plans]


def run_load(a: Any) -> list[dict[str, Any]]:
    from optimizer.data.generate import generate, to_json

    scenario = to_json(generate(a.preset, seed=1, cases=a.cases)).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="courtplan-load-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COURTPLAN_DATA_DIR": str(Path(tmp) / "data"),
               "COURTPLAN_POLL_INTERVAL": "0.2"}
        if a.database_url:
            env["COURTPLAN_DATABASE_URL"] = a.database_url
        dispatcher = generate(a.preset, seed=1, cases=1)["dispatcher"]
        token = _cli(["keys", "create", "--court", dispatcher, "--label", "load"], env).split(": ")[-1].strip()
        port = _free_port()
        server = _server(env, port, Path(tmp) / "serve.log", getattr(a, "http_processes", 1))
        try:
            out = asyncio.run(_load(f"http://{HOST}:{port}", token, scenario, a))
        finally:
            server.terminate()
            server.wait(30)
    lat = sorted(out["latencies"])
    ok = _checked(scenario, out["plans"])
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return [{"database": "postgresql" if a.database_url else "sqlite", "clients": a.clients, "reads": len(lat),
             "read_errors": len(out["errors"]), "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
             "p99_ms": q[98] * 1000, "max_ms": lat[-1] * 1000, "reads_per_s": len(lat) / out["seconds"],
             "runs": len(ok), "runs_done": sum(s["status"] == "done" for s in out["states"]),
             "runs_checked_ok": sum(ok), "run_seconds": [round(s["solve_seconds"] or 0, 1) for s in out["states"]],
             "wall_s": out["seconds"]}]
