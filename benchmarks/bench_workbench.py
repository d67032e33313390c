"""`courtplan bench workbench` and `courtplan bench whatif`: the planner's workbench on one plan
(compare, explain, recommend, officer estimates, a 10-variant sweep), and one-change what-if
variants planned cold and warm-started from the base plan (`whatif.py`)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from benchmarks import common


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

    path = common.scenario_file(a.preset, a.seed, None)
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
    print(common.table(rows, ["step", "seconds", "note"]))
    common.save("workbench", rows, a.json)
    return rows


def bench_whatif(a: argparse.Namespace) -> list[dict[str, Any]]:
    """One-change variants planned cold and warm-started from the base plan (`whatif.py`)."""
    from benchmarks.whatif import measure
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario
    from optimizer.solver.params import SolveParams

    path = common.scenario_file(a.preset, a.seed, None)
    p = Problem.from_scenario(read_scenario(path))
    params = SolveParams(time_limit=a.time_limit, seed=a.seed)
    rows = measure(p, params, a.repeats,
                   lambda row: print(json.dumps(row, ensure_ascii=False), file=sys.stderr))
    cols = ["variant", "cold_s", "warm_s", "ratio", "cold_gap", "warm_gap", "cold_objective",
            "warm_objective", "warm_start_used", "status"]
    print(common.table(rows, cols))
    common.save("whatif", rows, a.json)
    return rows


def register(sub: Any) -> None:
    """The `workbench` and `whatif` jobs and their options."""
    wb = sub.add_parser("workbench", help="compare, explain, recommend, officers, sweep timings",
                        description="The planner's workbench on one plan: compare, explain (all "
                                    "cases), recommend, officer estimates and a 10-variant sweep.")
    common.one_plan_args(wb)
    wb.add_argument("--workers", type=common.workers_arg, default=2, help="sweep processes (2)")
    wb.set_defaults(func=bench_workbench)
    wi = sub.add_parser("whatif", help="one-change variants: cold vs warm-started from the base plan",
                        description="Seven one-change what-if variants of a plan, each planned "
                                    "cold and warm-started from the base plan, side by side.")
    common.one_plan_args(wi)
    wi.add_argument("--repeats", type=lambda t: common.integer_arg(t, "--repeats", 1, 20), default=3,
                    help="runs of each, alternating which goes first; medians (3)")
    wi.set_defaults(func=bench_whatif)
