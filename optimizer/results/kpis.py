"""Key figures of a plan for the planner's dashboard (执行指挥中心), and the per-rule counts.

Cases outside the dispatcher's district are not planned and not counted (except in
`cases_outside_district`). Each count has one definition here, printed the same everywhere.
"""

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

#: Chinese and English labels of the per-rule counts (`kpis["rules"]`)
RULE_LABELS = {
    "interference_flagged": "不当干预案件 interference cases (flagged, planned)",
    "interference_moved_out_of_home": "  已移出属地 moved out of the debtor's home locality",
    "interference_already_outside": "  原已在属地外（可留） already outside it (may stay)",
    "interference_no_lawful_exit": "  无合法去处、留原院 no lawful exit: kept, with the reason",
    "deadline_missed": "督促期满未执结 supervision deadline missed",
    "deadline_missed_moved": "  已提级/指令/集中 elevated, designated or concentrated",
    "art237_overdue": "超六个月（第237条）overdue past the Art. 237 clock",
    "art237_applied": "  申请执行人已申请 the applicant applied",
    "art237_acted": "  已督促/变更执行法院 supervised or moved",
    "early_requests_as_wishes": "未满六个月的申请（列为意愿）early requests shown as wishes",
    "watch_period": "逾督促观察期、未满六个月（第74条第1款）past the watch period, within six months",
    "watch_supervised": "  已督促 supervised",
    "coordinate_with_officers": "协同执行·派员 协同 with lent officers",
    "coordinate_coordination_only": "协同执行·协调 协同 by coordination only",
    "terminable_not_moved": "终本候选（不移送）终本 candidates, not moved",
    "transfer_suspended": "执转破中止执行（不移送、不集中、不派员）suspended for bankruptcy review",
    "cases_outside_district": "辖区外案件（不规划）cases outside the district, not planned",
}


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
        "deadline_missed_moved": count(missed & np.isin(ev.mode, [Mode.DESIGNATE, Mode.ELEVATE,
                                                                   Mode.CONCENTRATE])),
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
    }
