"""`courtplan bench whatif`: one-change what-if variants of a plan, each planned cold and
warm-started from the base plan (`plan_problem(…, warm_start=base)` with the base planned under
`SolveParams(keep_warm_start=True)`), side by side in one process, alternating which goes first;
medians of `--repeats`. Times are `plan_problem` from the compiled scenario: options, model,
search, rule gate and plan — what a planner waits for in the service or a sweep.

The variants are chosen from the base plan so the command works on any preset: five officers
more where load is highest, three fewer at the court lending most, a caseload shock where the
open caseload is largest, a weight and a rule changed for every case, a court barred from
receiving (the one receiving most cases), and one moved case kept where it is.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from typing import Any

from optimizer.data.changes import ChangeSet
from optimizer.data.problem import Problem
from optimizer.pipeline import plan_problem
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams


def variants(p: Problem, base: Plan) -> list[tuple[str, ChangeSet]]:
    """(name, change) of each one-change variant, picked from the base plan."""
    courts = [c for c in base.courts if c.capacity > 0]
    loaded = max(courts, key=lambda c: c.load_after / c.capacity)
    lender = max(courts, key=lambda c: (c.officers_lent, c.officers))
    biggest = max(courts, key=lambda c: c.load_before)
    receiver = max(courts, key=lambda c: c.cases_in)
    moved = next((c for c in base.cases if c.court_id != c.from_court_id), base.cases[0])
    return [
        (f"officers {loaded.court_id} +5", ChangeSet.model_validate(
            {"officers": [{"court": loaded.court_id, "add": 5}]})),
        (f"officers {lender.court_id} -3", ChangeSet.model_validate(
            {"officers": [{"court": lender.court_id, "add": -min(3, lender.officers)}]})),
        (f"shock {biggest.court_id} ×1.3", ChangeSet.model_validate(
            {"shocks": [{"court": biggest.court_id, "factor": 1.3}]})),
        ("weight applicant_travel ×2", ChangeSet(weights={
            "applicant_travel": 2 * p.scenario.weights.applicant_travel})),
        ("rule target_utilisation 0.9", ChangeSet(rules={"target_utilisation": 0.9})),
        (f"bar_receiving {receiver.court_id}", ChangeSet(bar_receiving=(receiver.court_id,))),
        (f"keep {moved.case_id}", ChangeSet(keep=(moved.case_id,))),
    ]


def _timed(fn: Any) -> tuple[float, Plan]:
    t0 = time.perf_counter()
    plan = fn()
    return time.perf_counter() - t0, plan


def measure(p: Problem, params: SolveParams, repeats: int,
            say: Any = lambda _row: None) -> list[dict[str, Any]]:
    """One row per variant: median cold and warm seconds, their ratio, gaps and objectives."""
    base = plan_problem(p, None, replace(params, keep_warm_start=True))
    rows = []
    for name, change in variants(p, base):
        cold_s, warm_s = [], []
        cold = warm = base
        for k in range(repeats):
            runs = [("cold", lambda c=change: plan_problem(p, c, params)),
                    ("warm", lambda c=change: plan_problem(p, c, params, warm_start=base))]
            for kind, fn in (runs if k % 2 == 0 else runs[::-1]):
                seconds, plan = _timed(fn)
                if kind == "cold":
                    cold_s.append(seconds)
                    cold = plan
                else:
                    warm_s.append(seconds)
                    warm = plan
        carried = any("carried from the base plan" in s or "base plan's basis" in s
                      for piece in warm.stats.pieces_detail for s in piece.steps)
        c, w = statistics.median(cold_s), statistics.median(warm_s)
        rows.append({
            "variant": name, "cold_s": round(c, 2), "warm_s": round(w, 2),
            "ratio": round(w / c, 2), "cold_gap": f"{cold.gap:.2e}", "warm_gap": f"{warm.gap:.2e}",
            "cold_objective": round(cold.objective), "warm_objective": round(warm.objective),
            "warm_start_used": "yes" if carried else "no (other columns)",
            "status": f"{cold.status}/{warm.status}"})
        say(rows[-1])
    return rows
