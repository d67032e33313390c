"""Key figures of a plan for the planner's dashboard (执行指挥中心), and the per-rule counts.

Cases outside the dispatcher's district are not planned and not counted (except in
`cases_outside_district`). Each count has one definition here, printed the same everywhere
(labels: `optimizer/law/vocabulary.py`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import MOVING_MODES, Mode, Trigger
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


def rule_counts(p: Problem, o: Options, ev: Evaluation) -> dict[str, int]:
    """How many planned cases each rule concerned, and what the plan did with them."""
    planned = p.in_district[p.case_court] & ~p.not_planned
    idx = np.arange(p.n_cases)
    trig = p.triggers
    exempt = np.zeros(p.n_cases, dtype=bool)
    exempt[list(o.exceptions)] = True
    interf = planned & ((p.case_flags & int(Trigger.INTERFERENCE)) != 0)
    started_home = in_home_locality(p, idx, p.case_court)
    moved = ev.court != p.case_court
    missed = planned & ((trig & int(Trigger.DEADLINE_MISSED)) != 0)
    overdue = planned & p.overdue
    applied = overdue & ((p.case_flags & int(Trigger.REQUEST)) != 0)
    coordinate = ev.mode == Mode.COORDINATE
    short = (trig & int(Trigger.UNDERSTAFFED)) != 0
    count = lambda mask: int(mask.sum())  # noqa: E731
    return {
        "interference_flagged": count(interf),
        "interference_moved_out_of_home": count(interf & started_home & moved),
        "interference_already_outside": count(interf & ~started_home),
        "interference_no_lawful_exit": count(interf & started_home & exempt),
        "deadline_missed": count(missed),
        "deadline_missed_moved": count(missed & np.isin(ev.mode, MOVING_MODES)),
        "art237_overdue": count(overdue),
        "art237_applied": count(applied),
        "art237_acted": count(overdue & (moved | (ev.mode == Mode.SUPERVISE))),
        "early_requests_as_wishes": count(planned & p.early_request),
        "watch_period": count(planned & p.watch),
        "watch_supervised": count(planned & p.watch & (ev.mode == Mode.SUPERVISE)),
        "coordinate_with_officers": count(coordinate & short),
        "coordinate_coordination_only": count(coordinate & ~short),
        "terminable_not_moved": count(p.in_district[p.case_court] & p.terminable & ~p.suspended),
        "transfer_suspended": count(p.in_district[p.case_court] & p.suspended),
        "cases_outside_district": count(~p.in_district[p.case_court]),
    }


def compute_kpis(p: Problem, o: Options, ev: Evaluation, capacity: NDArray[np.float64],
                 moves: tuple[StaffMove, ...]) -> dict[str, Any]:
    """Counts, travel, utilisation and fairness before and after the plan (planned cases and
    courts of the district only)."""
    inside = p.in_district[p.case_court]
    w = p.case_workload
    moved = ev.court != p.case_court
    dist = np.flatnonzero(p.in_district)
    with np.errstate(divide="ignore", invalid="ignore"):
        util_b = ev.load_before[dist] / (p.capacity[dist])
        util_a = ev.load_after[dist] / capacity[dist]
    app = p.travel[p.case_applicant_place, p.court_place[ev.court]][inside]
    grp, n_groups = p.related_groups
    concentrated = len(np.unique(grp[(ev.mode == Mode.CONCENTRATE) & (grp >= 0)]))
    rules = rule_counts(p, o, ev)
    return {
        "cases": int(inside.sum()),
        "cases_per_mode": {m.key: int(((ev.mode == m) & inside).sum()) for m in Mode},
        "cases_moved": int(moved.sum()),
        "workload_moved": round(float(w[moved].sum()), 3),
        "art237_pool": rules["art237_overdue"],
        "terminable_candidates": rules["terminable_not_moved"],
        "interference_cases": rules["interference_flagged"],
        "interference_removed_from_home": rules["interference_moved_out_of_home"],
        "related_groups": int(n_groups),
        "related_groups_concentrated": int(concentrated),
        "matters_entrusted": int(ev.entrusted[inside[p.asset_case]].sum()),
        "officers_lent": int(sum(m.officers for m in moves)),
        "applicant_travel_minutes_total": round(float(app.sum()), 1),
        "applicant_travel_minutes_max": round(float(app.max()) if len(app) else 0.0, 1),
        "asset_travel_cost": round(float(ev.case_terms[:, ASSET_TRAVEL].sum()), 1),
        "max_utilisation_before": round(float(np.nanmax(util_b)) if len(dist) else 0.0, 4),
        "max_utilisation_after": round(float(np.nanmax(util_a)) if len(dist) else 0.0, 4),
        "gini_utilisation_before": round(gini(util_b[np.isfinite(util_b)]), 4),
        "gini_utilisation_after": round(gini(util_a[np.isfinite(util_a)]), 4),
        "rule_exceptions": len(o.exceptions),
        "rules": rules,
        # 执转破 screening of the district's debtor groups (docs/outcomes.md)
        "bankruptcy_screening": p.screening.counts(),
    }
