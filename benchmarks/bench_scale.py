"""`courtplan bench scale` and `courtplan bench peers`: the planner per preset (load, build, solve,
report; time, memory, gap), and the same scenarios solved by peers. Each measurement runs in a
fresh subprocess (`python -m benchmarks.run one …`) so its peak memory is its own."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import common


def measure_one(preset: str, seed: int, cases: int | None, time_limit: float, workers: int,
                peer: str) -> dict[str, Any]:
    """One measurement in this process (called in a subprocess)."""
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario
    from optimizer.pipeline import plan_problem
    from optimizer.solver.params import SolveParams

    path = common.scenario_file(preset, seed, cases)
    t0 = time.perf_counter()
    s = read_scenario(path)
    t_load = time.perf_counter() - t0
    t1 = time.perf_counter()
    p = Problem.from_scenario(s)
    t_problem = time.perf_counter() - t1
    row: dict[str, Any] = {"preset": preset, "seed": seed, "courts": len(s.courts),
                           "cases": len(s.cases), "peer": peer, "load_s": round(t_load, 2),
                           "problem_s": round(t_problem, 2)}
    if peer == "courtplan":
        t2 = time.perf_counter()
        plan = plan_problem(p, None, SolveParams(time_limit=time_limit, seed=seed, workers=workers))
        t_solve = time.perf_counter() - t2
        t3 = time.perf_counter()
        text = plan.to_json()
        t_report = time.perf_counter() - t3
        row.update(objective=plan.objective, bound=plan.bound, gap=plan.gap, status=plan.status,
                   build_s=round(plan.stats.seconds_options + plan.stats.seconds_build, 2),
                   solve_s=round(t_solve, 2), report_s=round(t_report, 2),
                   pieces=plan.stats.pieces, largest_piece=plan.stats.largest_piece_cases,
                   plan_mb=round(len(text.encode()) / 1e6, 1))
    else:
        from benchmarks.peers import run_peer

        row.update(run_peer(p, peer, time_limit, seed))
    row["total_s"] = round(time.perf_counter() - t0, 2)
    row["peak_mb"] = _peak_mb()
    return row


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    across exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 0)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)


def measure_in_subprocess(args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.run", "one", *args]
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                             cwd=common.HERE.parent, env={**os.environ, "PYTHONHASHSEED": "0"})
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f}s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    row: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    row["wall_s"] = round(time.perf_counter() - t0, 2)
    # CPU seconds of the measurement (user + system, its pool workers included): on a machine
    # shared with other work, wall seconds grow with the load and these do not
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    row["cpu_s"] = round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 2)
    return row


def bench_scale(a: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    print(common.machine_line())
    for preset in a.presets:
        for seed in a.seeds or [a.seed]:
            common.scenario_file(preset, seed, None)
            row = measure_in_subprocess([preset, str(seed), "-", str(a.time_limit), str(a.workers),
                                         "courtplan"], timeout=a.time_limit * 3 + 600)
            row.setdefault("preset", preset)
            row.setdefault("seed", seed)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    print(common.machine_line().replace("# machine:", "# machine at the end:"))
    print(common.table(rows, ["preset", "seed", "courts", "cases", "load_s", "problem_s", "build_s",
                              "solve_s", "report_s", "total_s", "wall_s", "cpu_s", "peak_mb",
                              "objective", "bound", "gap", "status", "pieces"]))
    common.save("scale", rows, a.json)
    return rows


def bench_peers(a: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    print(common.machine_line())
    for preset in a.presets:
        for seed in a.seeds or [a.seed]:
            rows += _peers_of(a, preset, seed)
    print(common.machine_line().replace("# machine:", "# machine at the end:"))
    print(common.table(rows, ["preset", "seed", "peer", "cases", "total_s", "cpu_s", "objective",
                              "gap", "objective_ratio", "time_ratio", "cpu_ratio", "status",
                              "peak_mb"]))
    common.save("peers", rows, a.json)
    return rows


def _peers_of(a: argparse.Namespace, preset: str, seed: int) -> list[dict[str, Any]]:
    """The planner, then each peer, on one scenario; ratios to the planner's."""
    common.scenario_file(preset, seed, None)
    rows: list[dict[str, Any]] = []
    ours = None
    for peer in ["courtplan", *a.peers]:
        row = measure_in_subprocess([preset, str(seed), "-", str(a.time_limit), "1", peer],
                                    timeout=a.time_limit * 3 + 600)
        row.setdefault("preset", preset)
        row.setdefault("seed", seed)
        row.setdefault("peer", peer)
        if peer == "courtplan":
            ours = row
        elif ours is not None and "objective" in row and "objective" in ours:
            row["objective_ratio"] = row["objective"] / ours["objective"]
            row["time_ratio"] = row["total_s"] / max(ours["total_s"], 1e-9)
            row["cpu_ratio"] = row["cpu_s"] / max(ours["cpu_s"], 1e-9)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    return rows


def register(sub: Any) -> None:
    """The `scale` and `peers` jobs and their options."""
    for name, func, short, text in (
            ("scale", bench_scale, "time, memory and gap of the planner per preset",
             "Load, build, solve and report per preset, each in its own process: seconds, peak "
             "memory, objective, bound, gap."),
            ("peers", bench_peers, "the same scenarios solved by CP-SAT, HiGHS, greedy",
             "The same scenarios, costs and rules solved by peers: objective and time ratios to "
             "the planner's.")):
        s = sub.add_parser(name, help=short, description=text)
        s.add_argument("--presets", type=common.names_arg(common.PRESETS), default=list(common.PRESETS),
                       help=f"comma-separated ({','.join(common.PRESETS)})")
        s.add_argument("--seed", type=common.seed_arg, default=1)
        s.add_argument("--seeds", type=common.seeds_arg, default=None,
                       help="several seeds, e.g. 1-10 or 1,2,3 (replaces --seed)")
        s.add_argument("--time-limit", type=common.seconds_arg, default=120.0, help="seconds per solve (120)")
        s.add_argument("--workers", type=common.workers_arg, default=2)
        s.add_argument("--json", default=None, metavar="FILE")
        if name == "peers":
            s.add_argument("--peers", type=common.names_arg(common.PEERS), default=list(common.PEERS),
                           help=f"comma-separated ({','.join(common.PEERS)})")
        s.set_defaults(func=func)
