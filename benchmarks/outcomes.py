"""`courtplan bench outcomes`: the 执转破 screening and the backlog projection of a preset
(national: 3,216 courts), against their budgets (screening ≤ 2 s, projection of 12 months ≤ 1 s).

Screening: `screen(scenario, …)` on the read scenario with the problem's debtor and court numbers
(as `Problem.screening` does in a run; the case columns already gathered by the read).
Projection: `project(problem, plan, 12)` — calibration, the plan's moves, loans and suspensions,
and six runs (plan and no plan, each with its band) — on a plan that moves one in-district case
in twenty to another court of its level and lends officers between forty pairs of courts (made
up: planning the national preset takes minutes, and the projection's cost does not depend on how
the plan was found). Medians of `repeats`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from optimizer.data.problem import Problem
from optimizer.data.screening import screen
from optimizer.outcomes.calibrate import calibrate
from optimizer.outcomes.projection import project
from optimizer.results.plan import CasePlan, Plan, StaffMove

SCREENING_BUDGET, PROJECTION_BUDGET = 2.0, 1.0


def made_up_plan(p: Problem, seed: int = 1) -> Plan:
    """A plan of `p` without solving: every twentieth in-district case to another district court
    of its level, forty loans between district courts."""
    rng = np.random.default_rng(seed)
    inside = np.flatnonzero(p.in_district)
    to = p.case_court.copy()
    for i in np.flatnonzero(p.in_district[p.case_court])[::20].tolist():
        same = inside[p.court_level[inside] == p.court_level[p.case_court[i]]]
        to[i] = int(rng.choice(same))
    ids = p.court_ids
    cases = tuple(CasePlan(cid, "keep" if t == f else "designate", ids[t], ids[f], (), {}, ())
                  for cid, t, f in zip(p.case_ids, to.tolist(), p.case_court.tolist(), strict=True))
    pairs = rng.choice(inside, size=(40, 2)) if len(inside) > 1 else np.zeros((0, 2), int)
    moves = tuple(StaffMove(ids[a], ids[b], 1) for a, b in pairs.tolist() if a != b)
    return Plan(p.scenario.name, p.scenario.period.start.isoformat(), "feasible", 0.0, 0.0, 0.0,
                "made up for the benchmark", {}, cases, (), moves)


def _median(f: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(p: Problem, repeats: int = 5) -> list[dict[str, Any]]:
    """One row per step, with its budget where it has one."""
    plan = made_up_plan(p)
    s = p.scenario
    rows: list[dict[str, Any]] = [
        {"step": "screening 执转破筛查", "seconds": _median(
            lambda: screen(s, p.case_debtor, p.case_court), repeats),
         "budget": SCREENING_BUDGET},
        {"step": "calibration 校准 (12 months)", "seconds": _median(lambda: calibrate(p, 12), repeats),
         "budget": None},
        {"step": "projection 预测 (12 months, plan and none, bands)",
         "seconds": _median(lambda: project(p, plan, 12), repeats), "budget": PROJECTION_BUDGET},
        {"step": "projection 预测 (60 months)", "seconds": _median(lambda: project(p, plan, 60),
                                                                  repeats), "budget": None},
    ]
    for r in rows:
        seconds, budget = float(r["seconds"]), r["budget"]
        r["within_budget"] = "" if budget is None else seconds <= float(budget)
        r["seconds"] = round(seconds, 3)
    return rows


def _identity(_p: Problem, plan: Plan) -> Plan:
    return plan


def plan_time_side_by_side(p: Problem, repeats: int, time_limit: float = 60.0
                           ) -> list[dict[str, Any]]:
    """`plan_problem` with the projection hook (`pipeline.with_projection`) and with the hook
    replaced by the identity, alternating which goes first; one row per solve."""
    import optimizer.pipeline as pipeline
    from optimizer.solver.params import SolveParams

    real = pipeline.with_projection
    rows = []
    try:
        for r in range(repeats):
            for hook in (("with", "without") if r % 2 == 0 else ("without", "with")):
                pipeline.with_projection = real if hook == "with" else _identity  # type: ignore[assignment]
                fresh = Problem.from_scenario(p.scenario)  # cold caches, as a run
                t0 = time.perf_counter()
                plan = pipeline.plan_problem(fresh, params=SolveParams(time_limit=time_limit,
                                                                       seed=1))
                rows.append({"step": f"plan {hook} projection", "seconds":
                             round(time.perf_counter() - t0, 2), "budget": None,
                             "within_budget": "", "objective": round(plan.objective)})
    finally:
        pipeline.with_projection = real
    return rows
