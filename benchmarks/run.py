"""`courtplan bench gap|scale|peers|growth`: benchmark tables, CSV and JSON.

Each scale/peers/growth measurement runs in a fresh subprocess so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "benchmarks" / "gap"
OUT = HERE / "out"


def _table(rows: list[dict[str, Any]], cols: list[str]) -> str:
    def fmt(v: Any) -> str:
        if isinstance(v, float):
            if math.isnan(v) or math.isinf(v):
                return str(v)
            return f"{v:.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
        return str(v)

    cells = [[fmt(r.get(c, "")) for c in cols] for r in rows]
    w = [max(len(c), *(len(x[i]) for x in cells)) if cells else len(c) for i, c in enumerate(cols)]
    lines = ["| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(cols)) + " |",
             "|" + "|".join("-" * (x + 2) for x in w) + "|"]
    lines += ["| " + " | ".join(x[i].rjust(w[i]) for i in range(len(cols))) + " |" for x in cells]
    return "\n".join(lines)


def _save(name: str, rows: list[dict[str, Any]], json_path: str | None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = Path(json_path) if json_path else OUT / f"{name}.json"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if rows:
        with (OUT / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            keys = sorted({k for r in rows for k in r})
            w = csv.DictWriter(f, fieldnames=keys)
            w.writeheader()
            w.writerows(rows)
    print(f"\nwrote {path} and {OUT / (name + '.csv')}", file=sys.stderr)


# ---------------------------------------------------------------- GAP
def bench_gap(a: argparse.Namespace) -> list[dict[str, Any]]:
    from benchmarks.gap import load_instances, solve_gap

    files = [Path(p) for p in sorted(glob.glob(a.instances))]
    if not files:
        raise SystemExit(f"no instance file matches {a.instances!r}")
    insts = load_instances(Path(a.best_known), files)
    if a.limit:
        insts = insts[: a.limit]
    rows = []
    for g, ref in insts:
        r = solve_gap(g, a.time_limit, a.seed)
        best = float(ref["best_known"])
        row = {"instance": g.name, "m": g.m, "n": g.n, "objective": r["objective"],
               "bound": round(float(r["bound"]), 3), "seconds": round(float(r["seconds"]), 3),
               "best_known": best, "gap_to_best_known": (float(r["objective"]) - best) / best,
               "status": r["status"], "method": r["method"]}
        rows.append(row)
        print(f"{g.name:>10} {row['objective']:>10} best {best:>8.0f} "
              f"{row['gap_to_best_known']:+.4%} {row['seconds']:.2f}s", file=sys.stderr)
    print(_table(rows, ["instance", "m", "n", "objective", "bound", "seconds", "best_known",
                        "gap_to_best_known", "status"]))
    _save("gap", rows, a.json)
    return rows


# ---------------------------------------------------------------- scale / peers / growth
def _scenario_file(preset: str, seed: int, cases: int | None) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{preset}-{seed}{'' if cases is None else f'-{cases}'}.json"
    if not path.exists():
        from optimizer.data.generate import generate, to_json

        path.write_text(to_json(generate(preset, seed=seed, cases=cases)), encoding="utf-8")
    return path


def measure_one(preset: str, seed: int, cases: int | None, time_limit: float, workers: int,
                peer: str) -> dict[str, Any]:
    """One measurement in this process (called in a subprocess)."""
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario
    from optimizer.pipeline import plan_problem
    from optimizer.solver.params import SolveParams

    path = _scenario_file(preset, seed, cases)
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


def _subprocess(args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.run", "one", *args]
    t0 = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                             cwd=HERE.parent, env={**os.environ, "PYTHONHASHSEED": "0"})
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f}s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    row: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    row["wall_s"] = round(time.perf_counter() - t0, 2)
    return row


def bench_scale(a: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for preset in a.presets.split(","):
        _scenario_file(preset, a.seed, None)
        row = _subprocess([preset, str(a.seed), "-", str(a.time_limit), str(a.workers), "courtplan"],
                          timeout=a.time_limit * 3 + 600)
        row.setdefault("preset", preset)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    print(_table(rows, ["preset", "courts", "cases", "load_s", "problem_s", "build_s", "solve_s",
                        "report_s", "total_s", "wall_s", "peak_mb", "objective", "bound", "gap",
                        "status", "pieces"]))
    _save("scale", rows, a.json)
    return rows


def bench_peers(a: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for preset in a.presets.split(","):
        _scenario_file(preset, a.seed, None)
        ours = None
        for peer in ["courtplan", *a.peers.split(",")]:
            row = _subprocess([preset, str(a.seed), "-", str(a.time_limit), "1", peer],
                              timeout=a.time_limit * 3 + 600)
            row.setdefault("preset", preset)
            row.setdefault("peer", peer)
            if peer == "courtplan":
                ours = row
            elif ours is not None and "objective" in row and "objective" in ours:
                row["objective_ratio"] = row["objective"] / ours["objective"]
                row["time_ratio"] = row["total_s"] / max(ours["total_s"], 1e-9)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    print(_table(rows, ["preset", "peer", "cases", "total_s", "objective", "gap",
                        "objective_ratio", "time_ratio", "status", "peak_mb"]))
    _save("peers", rows, a.json)
    return rows


def bench_growth(a: argparse.Namespace) -> list[dict[str, Any]]:
    import numpy as np

    rows = []
    for n in [int(x) for x in a.cases.split(",")]:
        _scenario_file("national", a.seed, n)
        row = _subprocess(["national", str(a.seed), str(n), str(a.time_limit), str(a.workers),
                           "courtplan"], timeout=a.time_limit * 3 + 900)
        row.update(axis="cases", size=n)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    for preset, n in [("lishui", 1500), ("zhejiang", 15000), ("national", 15000)]:
        _scenario_file(preset, a.seed, n)
        row = _subprocess([preset, str(a.seed), str(n), str(a.time_limit), str(a.workers),
                           "courtplan"], timeout=a.time_limit * 3 + 900)
        row.update(axis="courts", size=row.get("courts", 0))
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    fits = {}
    for axis in ("cases", "courts"):
        pts = [(r["size"], r["total_s"], r["peak_mb"]) for r in rows
               if r.get("axis") == axis and "total_s" in r and r["size"]]
        if len(pts) >= 2:
            x = np.log([p[0] for p in pts])
            fits[axis] = {"time_exponent": float(np.polyfit(x, np.log([p[1] for p in pts]), 1)[0]),
                          "memory_exponent": float(np.polyfit(x, np.log([p[2] for p in pts]), 1)[0])}
    print(_table(rows, ["axis", "size", "courts", "cases", "total_s", "solve_s", "peak_mb", "gap"]))
    print("fitted exponents (log-log slope):", json.dumps(fits))
    _plot(rows, fits)
    _save("growth", [*rows, {"fits": fits}], a.json)
    return rows


def _plot(rows: list[dict[str, Any]], fits: dict[str, Any]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no plot", file=sys.stderr)
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, axis in zip(axes, ("cases", "courts"), strict=True):
        pts = sorted((r["size"], r["total_s"], r["peak_mb"]) for r in rows
                     if r.get("axis") == axis and "total_s" in r)
        if not pts:
            continue
        ax.loglog([p[0] for p in pts], [p[1] for p in pts], "o-", label="time (s)")
        ax.loglog([p[0] for p in pts], [p[2] / 1000 for p in pts], "s--", label="peak memory (GB)")
        f = fits.get(axis, {})
        ax.set_title(f"{axis}: time ~ n^{f.get('time_exponent', float('nan')):.2f}")
        ax.set_xlabel(axis)
        ax.legend()
    fig.tight_layout()
    OUT.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT / "growth.png", dpi=110)
    print(f"wrote {OUT / 'growth.png'}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="courtplan bench")
    sub = ap.add_subparsers(dest="what", required=True)
    g = sub.add_parser("gap", help="GAP instances against best-known values")
    g.add_argument("--instances", default=str(SHARED / "orlib" / "gap[0-9]*.txt"))
    g.add_argument("--best-known", default=str(SHARED / "best_known.csv"))
    g.add_argument("--time-limit", type=float, default=10.0)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--limit", type=int, default=0, help="only the first N instances")
    g.add_argument("--json", default=None)
    g.set_defaults(func=bench_gap)
    for name, func, default_presets in (("scale", bench_scale, "lishui,zhejiang,national"),
                                        ("peers", bench_peers, "lishui,zhejiang,national")):
        s = sub.add_parser(name)
        s.add_argument("--presets", default=default_presets)
        s.add_argument("--seed", type=int, default=1)
        s.add_argument("--time-limit", type=float, default=120.0)
        s.add_argument("--workers", type=int, default=2)
        s.add_argument("--json", default=None)
        if name == "peers":
            s.add_argument("--peers", default="cpsat,highs,greedy")
        s.set_defaults(func=func)
    gr = sub.add_parser("growth")
    gr.add_argument("--cases", default="1000,3000,10000,30000,100000,300000")
    gr.add_argument("--seed", type=int, default=1)
    gr.add_argument("--time-limit", type=float, default=120.0)
    gr.add_argument("--workers", type=int, default=2)
    gr.add_argument("--json", default=None)
    gr.set_defaults(func=bench_growth)
    one = sub.add_parser("one", help=argparse.SUPPRESS)
    one.add_argument("preset")
    one.add_argument("seed", type=int)
    one.add_argument("cases")
    one.add_argument("time_limit", type=float)
    one.add_argument("workers", type=int)
    one.add_argument("peer")
    a = ap.parse_args(argv)
    if a.what == "one":
        row = measure_one(a.preset, a.seed, None if a.cases == "-" else int(a.cases),
                          a.time_limit, a.workers, a.peer)
        print(json.dumps(row, ensure_ascii=False, default=float))
        return 0
    a.func(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
