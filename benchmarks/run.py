"""`courtplan bench gap|scale|peers|growth|workbench|whatif|outcomes|load`: benchmark tables, CSV and JSON.

The repository's scripts, not part of the product: run from a checkout, as `courtplan bench …`
(editable install) or `python -m benchmarks.run …` from the repository root.
Each scale/peers/growth measurement runs in a fresh subprocess so its peak memory is its own.
Exit codes: 0 done, 2 invalid input (arguments, missing or malformed data files).
"""

from __future__ import annotations

import argparse
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

from benchmarks.errors import BenchInputError
from optimizer.io.csv_out import write_csv

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "benchmarks" / "gap"  # beside the repository
OUT = HERE / "out"
PRESETS = ("lishui", "zhejiang", "national")
PEERS = ("cpsat", "highs", "greedy")
EXIT_INVALID = 2
GAP_DATA_HINT = ("The GAP instances (OR-Library and Yagiura files) and best_known.csv come from the "
                 "shared folder ../shared/benchmarks/gap/ beside the repository (here: {shared}); "
                 "put them there, or name them with --instances GLOB and --best-known FILE.")


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
            write_csv(f, rows, sorted({k for r in rows for k in r}))  # text never read as a formula
    print(f"\nwrote {path} and {OUT / (name + '.csv')}", file=sys.stderr)


# ---------------------------------------------------------------- GAP
def _gap_inputs(a: argparse.Namespace) -> tuple[list[Path], Path]:
    """The instance files and best_known.csv, checked: a missing one names the path and, for the
    defaults, where the data comes from."""
    hint = " " + GAP_DATA_HINT.format(shared=SHARED)
    if (a.instances is None or a.best_known is None) and not SHARED.is_dir():
        raise BenchInputError(f"no GAP data: looked in {SHARED}, which does not exist.{hint}")
    best_known = Path(a.best_known) if a.best_known is not None else SHARED / "best_known.csv"
    if not best_known.is_file():
        what = "no such file" if not best_known.exists() else "not a file"
        raise BenchInputError(f"--best-known {best_known}: {what}."
                              + (hint if a.best_known is None else ""))
    pattern = a.instances if a.instances is not None else str(SHARED / "orlib" / "gap[0-9]*.txt")
    files = [Path(p) for p in sorted(glob.glob(pattern)) if Path(p).is_file()]
    if not files:
        raise BenchInputError(f"--instances {pattern!r}: no instance file matches."
                              + (hint if a.instances is None else ""))
    return files, best_known


def bench_gap(a: argparse.Namespace) -> list[dict[str, Any]]:
    from benchmarks.gap import load_instances, solve_gap

    files, best_known = _gap_inputs(a)
    insts = load_instances(best_known, files)
    if not insts:
        names = ", ".join(str(f) for f in files[:3]) + (", …" if len(files) > 3 else "")
        raise BenchInputError(f"none of the instance files ({names}) is listed in {best_known} "
                              "(column file, relative to the CSV's folder)")
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
    for preset in a.presets:
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
    for preset in a.presets:
        _scenario_file(preset, a.seed, None)
        ours = None
        for peer in ["courtplan", *a.peers]:
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
    for n in a.cases:
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


def bench_load(a: argparse.Namespace) -> list[dict[str, Any]]:
    """The service on loopback: concurrent readers while runs solve (benchmarks/load.py)."""
    from benchmarks.load import run_load

    rows = run_load(a)
    print(_table(rows, ["database", "clients", "reads", "read_errors", "p50_ms", "p95_ms", "p99_ms",
                        "max_ms", "reads_per_s", "runs", "runs_done", "runs_checked_ok", "wall_s"]))
    print(f"run solve seconds: {rows[0]['run_seconds']}")
    _save("load", rows, a.json)
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


# ---------------------------------------------------------------- workbench
def bench_workbench(a: argparse.Namespace) -> list[dict[str, Any]]:
    """The workbench on one zhejiang plan: compare, explain (all cases, estimates), recommend,
    officer estimates, and a 10-variant sweep (5 officer counts × 2 weights) on `--workers`."""
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario
    from optimizer.pipeline import Changes, plan_problem
    from optimizer.solver.params import SolveParams
    from optimizer.workbench.compare import compare
    from optimizer.workbench.explain import explain
    from optimizer.workbench.officers import court_estimates, pair_estimates
    from optimizer.workbench.recommend import recommend
    from optimizer.workbench.sweep import parse_axis, sweep
    from optimizer.workbench.view import view

    path = _scenario_file(a.preset, a.seed, None)
    params = SolveParams(time_limit=a.time_limit, seed=a.seed)
    p = Problem.from_scenario(read_scenario(path))
    plan = plan_problem(p, None, params)
    other = plan_problem(p, Changes(weights={"applicant_travel": 2.0}), params)
    rows: list[dict[str, Any]] = []

    def timed(what: str, fn: Any, note: str = "") -> Any:
        t0 = time.perf_counter()
        out = fn()
        rows.append({"step": what, "seconds": round(time.perf_counter() - t0, 3), "note": note})
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
        return out

    d = timed("compare (plan vs applicant_travel=2)", lambda: compare(plan, other))
    rows[-1]["note"] = f"{len(d.cases)} cases changed"
    v = timed("view (options + evaluation)", lambda: view(p, plan))
    ex = timed("explain all cases (estimates)", lambda: explain(v))
    rows[-1]["note"] = f"{len(ex)} cases, {sum(len(e.alternatives) for e in ex)} alternatives"
    new = {**json.loads(p.scenario.cases[0].model_dump_json()), "id": "NEW-1", "debtor_id": "NEW"}
    timed("recommend one new case", lambda: recommend(v, new, 5))
    gains = timed("officer estimates (courts + lending pairs)",
                  lambda: (court_estimates(v), pair_estimates(v, 0)))[0]
    axes = [parse_axis(f"officers:{gains[0].court_id}=0,2,4,6,8"),
            parse_axis("weight:applicant_travel=1,2")]
    for warm in (False, True):
        table = timed(f"sweep 10 variants on {a.workers} workers, {'warm' if warm else 'cold'}",
                      lambda w=warm: sweep(path, axes, params, a.workers, warm=w))
        rows[-1]["note"] = ", ".join(sorted({str(r["status"]) for r in table})) + (
            f"; objective {min(r['objective'] for r in table):,.0f}–"
            f"{max(r['objective'] for r in table):,.0f}")
    print(_table(rows, ["step", "seconds", "note"]))
    _save("workbench", rows, a.json)
    return rows


def bench_whatif(a: argparse.Namespace) -> list[dict[str, Any]]:
    """One-change variants planned cold and warm-started from the base plan (`whatif.py`)."""
    from benchmarks.whatif import measure
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario
    from optimizer.solver.params import SolveParams

    path = _scenario_file(a.preset, a.seed, None)
    p = Problem.from_scenario(read_scenario(path))
    params = SolveParams(time_limit=a.time_limit, seed=a.seed)
    rows = measure(p, params, a.repeats,
                   lambda row: print(json.dumps(row, ensure_ascii=False), file=sys.stderr))
    cols = ["variant", "cold_s", "warm_s", "ratio", "cold_gap", "warm_gap", "cold_objective",
            "warm_objective", "warm_start_used", "status"]
    print(_table(rows, cols))
    _save("whatif", rows, a.json)
    return rows


def bench_outcomes(a: argparse.Namespace) -> list[dict[str, Any]]:
    """执转破 screening and the projection against their budgets (`outcomes.py`)."""
    from benchmarks.outcomes import measure
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario

    p = Problem.from_scenario(read_scenario(_scenario_file(a.preset, a.seed, None)))
    print(f"{a.preset} seed {a.seed}: {p.n_courts:,} courts, {int(p.in_district.sum()):,} in the "
          f"district, {p.n_cases:,} cases", file=sys.stderr)
    rows = measure(p, a.repeats)
    print(_table(rows, ["step", "seconds", "budget", "within_budget"]))
    _save("outcomes", rows, a.json)
    return rows


# ---------------------------------------------------------------- arguments
def _seconds(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (math.isfinite(v) and v > 0):
        raise argparse.ArgumentTypeError(f"{text!r}: the time limit must be a positive number of seconds")
    return v


def _integer(text: str, what: str, low: int, high: int | None = None) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if v < low or (high is not None and v > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise argparse.ArgumentTypeError(f"{text!r}: {what} must be {bound}")
    return v


def _seed(text: str) -> int:
    return _integer(text, "the seed", 0, 2**31 - 1)  # the solvers' seeds are 32-bit


def _workers(text: str) -> int:
    return _integer(text, "workers", 1)


def _limit(text: str) -> int:
    return _integer(text, "the instance count", 0)


def _names(allowed: tuple[str, ...]) -> Any:
    def parse(text: str) -> list[str]:
        names = [x.strip() for x in text.split(",") if x.strip()]
        bad = [x for x in names if x not in allowed]
        if bad or not names:
            raise argparse.ArgumentTypeError(f"{text!r}: expected a comma-separated list of {', '.join(allowed)}")
        return names
    return parse


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected case counts such as 1000,3000") from None
    if any(x <= 0 for x in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: case counts must be positive")
    return sizes


def _one_plan_args(p: argparse.ArgumentParser) -> None:
    """The options of a benchmark on one plan: which scenario, how long each solve may take."""
    p.add_argument("--preset", choices=PRESETS, default="zhejiang")
    p.add_argument("--seed", type=_seed, default=1)
    p.add_argument("--time-limit", type=_seconds, default=60.0, help="seconds per solve (60)")
    p.add_argument("--json", default=None, metavar="FILE")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="courtplan bench",
        description="Benchmarks of the planner: each prints a table and writes JSON and CSV under "
                    "benchmarks/out/. The repository's scripts: run from a checkout.",
        epilog="`courtplan bench WHAT --help` for each one's options; see benchmarks/README.md. "
               "Exit codes: 0 done, 2 invalid input.")
    sub = ap.add_subparsers(dest="what", required=True,
                            metavar="{gap,scale,peers,growth,workbench,whatif,outcomes,load}",
                            title="benchmarks")
    g = sub.add_parser("gap", help="GAP instances against their best-known values",
                       description="GAP instances (OR-Library, Yagiura) through the planner's engine, "
                                   "against the best-known values of best_known.csv.",
                       epilog=GAP_DATA_HINT.format(shared=SHARED))
    g.add_argument("--instances", default=None, metavar="GLOB",
                   help="instance files (default: orlib/gap[0-9]*.txt in the shared GAP folder)")
    g.add_argument("--best-known", default=None, metavar="FILE",
                   help="best_known.csv naming the instances (default: the shared GAP folder's)")
    g.add_argument("--time-limit", type=_seconds, default=10.0, help="seconds per instance (10)")
    g.add_argument("--seed", type=_seed, default=0)
    g.add_argument("--limit", type=_limit, default=0, help="only the first N instances (0: all)")
    g.add_argument("--json", default=None, metavar="FILE")
    g.set_defaults(func=bench_gap)
    for name, func, short, text in (
            ("scale", bench_scale, "time, memory and gap of the planner per preset",
             "Load, build, solve and report per preset, each in its own process: seconds, peak "
             "memory, objective, bound, gap."),
            ("peers", bench_peers, "the same scenarios solved by CP-SAT, HiGHS, greedy",
             "The same scenarios, costs and rules solved by peers: objective and time ratios to "
             "the planner's.")):
        s = sub.add_parser(name, help=short, description=text)
        s.add_argument("--presets", type=_names(PRESETS), default=list(PRESETS),
                       help=f"comma-separated ({','.join(PRESETS)})")
        s.add_argument("--seed", type=_seed, default=1)
        s.add_argument("--time-limit", type=_seconds, default=120.0, help="seconds per solve (120)")
        s.add_argument("--workers", type=_workers, default=2)
        s.add_argument("--json", default=None, metavar="FILE")
        if name == "peers":
            s.add_argument("--peers", type=_names(PEERS), default=list(PEERS),
                           help=f"comma-separated ({','.join(PEERS)})")
        s.set_defaults(func=func)
    gr = sub.add_parser("growth", help="time and memory as cases and courts grow",
                        description="Time and memory as cases and courts grow: fitted log-log "
                                    "exponents and benchmarks/out/growth.png.")
    gr.add_argument("--cases", type=_sizes, default=[1000, 3000, 10000, 30000, 100000, 300000],
                    help="comma-separated case counts (1000,3000,10000,30000,100000,300000)")
    gr.add_argument("--seed", type=_seed, default=1)
    gr.add_argument("--time-limit", type=_seconds, default=120.0, help="seconds per solve (120)")
    gr.add_argument("--workers", type=_workers, default=2)
    gr.add_argument("--json", default=None, metavar="FILE")
    gr.set_defaults(func=bench_growth)
    wb = sub.add_parser("workbench", help="compare, explain, recommend, officers, sweep timings",
                        description="The planner's workbench on one plan: compare, explain (all "
                                    "cases), recommend, officer estimates and a 10-variant sweep.")
    _one_plan_args(wb)
    wb.add_argument("--workers", type=_workers, default=2, help="sweep processes (2)")
    wb.set_defaults(func=bench_workbench)
    wi = sub.add_parser("whatif", help="one-change variants: cold vs warm-started from the base plan",
                        description="Seven one-change what-if variants of a plan, each planned "
                                    "cold and warm-started from the base plan, side by side.")
    _one_plan_args(wi)
    wi.add_argument("--repeats", type=lambda t: _integer(t, "--repeats", 1, 20), default=3,
                    help="runs of each, alternating which goes first; medians (3)")
    wi.set_defaults(func=bench_whatif)
    oc = sub.add_parser("outcomes", help="执转破 screening and the backlog projection vs budgets",
                        description="Screening (≤ 2 s) and the 12-month projection (≤ 1 s) of a "
                                    "preset, medians of --repeats.")
    oc.add_argument("--preset", choices=PRESETS, default="national")
    oc.add_argument("--seed", type=_seed, default=1)
    oc.add_argument("--repeats", type=lambda t: _integer(t, "--repeats", 1, 50), default=5)
    oc.add_argument("--json", default=None, metavar="FILE")
    oc.set_defaults(func=bench_outcomes)
    lo = sub.add_parser("load", help="the HTTP service: concurrent reads while 3 runs solve (loopback)",
                        description="Starts `courtplan serve --workers 3` on 127.0.0.1 with a fresh data "
                                    "directory, queues 3 runs, and has concurrent clients read while they "
                                    "solve: read latency percentiles, and every run's plan checked.")
    lo.add_argument("--clients", type=lambda t: _integer(t, "--clients", 1, 500), default=50)
    lo.add_argument("--requests", type=lambda t: _integer(t, "--requests", 1, 100_000), default=400,
                    help="reads per client at most (400)")
    lo.add_argument("--max-seconds", type=_seconds, default=180.0, help="stop after this long (180)")
    lo.add_argument("--preset", choices=PRESETS, default="lishui")
    lo.add_argument("--cases", type=lambda t: _integer(t, "--cases", 1, 100_000), default=1500)
    lo.add_argument("--time-limit", type=_seconds, default=60.0, help="seconds per run (60)")
    lo.add_argument("--database-url", default=None,
                    help="an empty PostgreSQL database instead of SQLite (its tables are made there)")
    lo.add_argument("--http-processes", type=lambda t: _integer(t, "--http-processes", 1, 64),
                    default=2, help="processes answering HTTP (courtplan serve --http-processes, 2)")
    lo.add_argument("--json", default=None, metavar="FILE")
    lo.set_defaults(func=bench_load)
    return ap


def _one(argv: Sequence[str]) -> int:
    """`one PRESET SEED CASES|- TIME_LIMIT WORKERS PEER`: one measurement, for `_subprocess`."""
    one = argparse.ArgumentParser(prog="courtplan bench one")
    one.add_argument("preset")
    one.add_argument("seed", type=int)
    one.add_argument("cases")
    one.add_argument("time_limit", type=float)
    one.add_argument("workers", type=int)
    one.add_argument("peer")
    a = one.parse_args(argv)
    row = measure_one(a.preset, a.seed, None if a.cases == "-" else int(a.cases),
                      a.time_limit, a.workers, a.peer)
    print(json.dumps(row, ensure_ascii=False, default=float))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Usage mistakes exit 2 through argparse; invalid data files exit 2 with the file named."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["one"]:  # internal: not listed in the usage
        return _one(args[1:])
    a = build_parser().parse_args(args)
    try:
        a.func(a)
    except BenchInputError as e:
        print(f"courtplan bench: {e}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as e:  # an unreadable data file, an unwritable --json path
        print(f"courtplan bench: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return EXIT_INVALID
    return 0


if __name__ == "__main__":
    sys.exit(main())
