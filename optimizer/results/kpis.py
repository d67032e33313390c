"""Key figures of a plan for the planner's dashboard (执行指挥中心)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode, Trigger
from optimizer.model.costs import ASSET_TRAVEL
from optimizer.model.options import Options, in_home_locality
from optimizer.results.evaluate import Evaluation
from optimizer.results.plan import StaffMove


def gini(x: NDArray[np.float64]) -> float:
    x = np.sort(np.asarray(x, dtype=np.float64))
    if len(x) == 0 or x.sum() <= 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def compute_kpis(p: Problem, o: Options, ev: Evaluation, capacity: NDArray[np.float64],
                 moves: tuple[StaffMove, ...]) -> dict[str, Any]:
    """Counts, travel, utilisation and fairness before and after the plan."""
    trig = p.triggers
    w = p.case_workload
    moved = ev.court != p.case_court
    dist = np.flatnonzero(p.in_district)
    with np.errstate(divide="ignore", invalid="ignore"):
        util_b = ev.load_before[dist] / (p.capacity[dist])
        util_a = ev.load_after[dist] / capacity[dist]
    t = p.travel
    app = t[p.case_applicant_place, p.court_place[ev.court]]
    interf = (trig & int(Trigger.INTERFERENCE)) != 0
    idx = np.arange(p.n_cases)
    removed = interf & ~in_home_locality(p, idx, ev.court) & in_home_locality(p, idx, p.case_court)
    grp, n_groups = p.related_groups
    concentrated = len(np.unique(grp[(ev.mode == Mode.CONCENTRATE) & (grp >= 0)]))
    overdue = (trig & int(Trigger.OVERDUE)) != 0
    kpis: dict[str, Any] = {
        "cases": int(p.n_cases),
        "cases_per_mode": {m.key: int((ev.mode == m).sum()) for m in Mode},
        "cases_moved": int(moved.sum()),
        "workload_moved": round(float(w[moved].sum()), 3),
        "art237_pool": int(overdue.sum()),
        "terminable_candidates": int((p.terminable & p.in_district[p.case_court]).sum()),
        "interference_cases": int(interf.sum()),
        "interference_removed_from_home": int(removed.sum()),
        "related_groups": int(n_groups),
        "related_groups_concentrated": int(concentrated),
        "matters_entrusted": int(ev.entrusted.sum()),
        "officers_lent": int(sum(m.officers for m in moves)),
        "applicant_travel_minutes_total": round(float(app.sum()), 1),
        "applicant_travel_minutes_max": round(float(app.max()) if len(app) else 0.0, 1),
        "asset_travel_cost": round(float(ev.case_terms[:, ASSET_TRAVEL].sum()), 1),
        "max_utilisation_before": round(float(np.nanmax(util_b)) if len(dist) else 0.0, 4),
        "max_utilisation_after": round(float(np.nanmax(util_a)) if len(dist) else 0.0, 4),
        "gini_utilisation_before": round(gini(util_b[np.isfinite(util_b)]), 4),
        "gini_utilisation_after": round(gini(util_a[np.isfinite(util_a)]), 4),
        "rule_exceptions": len(o.exceptions),
    }
    return kpis
