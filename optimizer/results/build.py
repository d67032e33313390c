"""Turn a decision and its evaluation into a `Plan` with the KPIs of domain.md §5."""

from __future__ import annotations

from typing import Any

import numpy as np

from optimizer.data.problem import TRIGGER_LABELS, Mode, Problem, Trigger
from optimizer.model.costs import CASE_TERMS
from optimizer.model.options import Options, in_home_locality
from optimizer.results.evaluate import Decision, Evaluation
from optimizer.results.plan import CasePlan, CourtPlan, Plan, StaffMove

# document and legal basis per mode (domain.md §2; domain-research.md §1)
BASIS = {
    Mode.KEEP: "",
    Mode.INTERNAL: "内部交叉：本院决定更换执行团队",
    Mode.SUPERVISE: "督促执行令（民事诉讼法第237条；执行程序解释第10、11条）",
    Mode.DESIGNATE: "指令执行裁定（民事诉讼法第237条；执行程序解释第11条；法发〔2024〕9号）",
    Mode.ELEVATE: "提级执行裁定（民事诉讼法第237条；执行程序解释第11条；法发〔2024〕9号）",
    Mode.CONCENTRATE: "集中执行决定（法发〔2024〕9号 三；执行工作若干问题的规定第13、14条）",
    Mode.COORDINATE: "协同执行调度（法发〔2000〕3号 第4条；执行工作若干问题的规定第74条）",
}
ENTRUST_BASIS = "；事项委托经执行指挥中心平台办理（委托执行若干问题的规定第2、4条）"


def gini(x: np.ndarray) -> float:
    x = np.sort(np.asarray(x, dtype=np.float64))
    if len(x) == 0 or x.sum() <= 0:
        return 0.0
    n = len(x)
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


def _decider(p: Problem, mode: Mode, before: int) -> str | None:
    """Who decides: the court itself for 内部交叉, the court one level up for 督促/指令/提级/协同
    (集中执行: see the group's target)."""
    if mode == Mode.KEEP:
        return None
    if mode == Mode.INTERNAL:
        return p.court_ids[before]
    up = int(p.court_parent[before])
    return p.court_ids[up] if up >= 0 else None


def make_plan(p: Problem, o: Options, d: Decision, ev: Evaluation, *, status: str,
              objective: float, bound: float, gap: float, method: str,
              stats: dict[str, Any]) -> Plan:
    s = p.scenario
    cids = p.court_ids
    modes = list(Mode)
    trig = p.triggers
    asset_ids = [a.id for k in s.cases for a in k.assets]
    ent_by_case: dict[int, list[str]] = {}
    for a in np.flatnonzero(ev.entrusted):
        ent_by_case.setdefault(int(p.asset_case[a]), []).append(asset_ids[a])
    cases = []
    terms = np.round(ev.case_terms, 4)
    grp = p.related_groups()[0]
    group_target = d.group_target
    for i, k in enumerate(s.cases):
        reasons = tuple(label for t, label in TRIGGER_LABELS.items() if trig[i] & int(t))
        if p.terminable[i] and p.in_district[p.case_court[i]]:
            reasons = ("终本候选：无财产可供执行、无行为义务",)
        mode = modes[ev.mode[i]]
        entrusted = tuple(ent_by_case.get(i, ()))
        cases.append(CasePlan(
            case_id=k.id, mode=mode.key, court_id=cids[ev.court[i]],
            from_court_id=k.court, entrusted_assets=entrusted,
            costs=dict(zip(CASE_TERMS, terms[i].tolist(), strict=True)),
            reasons=reasons, note=o.exceptions.get(i),
            decided_by=(p.court_ids[int(o.target_decider[group_target[grp[i]]])]
                        if mode == Mode.CONCENTRATE else _decider(p, mode, int(p.case_court[i]))),
            basis=BASIS[mode] + (ENTRUST_BASIS if entrusted else ""),
        ))
    moved = ev.court != p.case_court
    w = p.case_workload
    cases_in = np.bincount(ev.court[moved], minlength=p.n_courts)
    cases_out = np.bincount(p.case_court[moved], minlength=p.n_courts)
    court_of_place = {int(pl): c for c, pl in reversed(list(enumerate(p.court_place.tolist())))
                      if p.court_level[c] == 3}
    recv = np.zeros(p.n_courts, dtype=np.int64)
    for a in np.flatnonzero(ev.entrusted):
        c = court_of_place.get(int(p.asset_place[a]))
        if c is not None:
            recv[c] += 1
    capacity = ev.staff_after * p.cases_per_officer
    courts = [
        CourtPlan(
            court_id=cids[j], name=s.courts[j].name,
            load_before=round(float(ev.load_before[j]), 3), load_after=round(float(ev.load_after[j]), 3),
            capacity=round(float(capacity[j]), 3), officers=int(p.officers[j]),
            officers_lent=int(ev.lent_out[j]), officers_borrowed=int(ev.borrowed[j]),
            cases_in=int(cases_in[j]), cases_out=int(cases_out[j]), matters_received=int(recv[j]),
        )
        for j in np.flatnonzero(p.in_district)
    ]
    moves = tuple(
        StaffMove(cids[o.lend_from[q]], cids[o.lend_to[q]], int(d.lent[q]))
        for q in np.flatnonzero(d.lent > 0)
    )
    # KPIs (domain.md §5)
    dist = np.flatnonzero(p.in_district)
    with np.errstate(divide="ignore", invalid="ignore"):
        util_b = ev.load_before[dist] / (p.capacity[dist])
        util_a = ev.load_after[dist] / capacity[dist]
    t = p.travel
    app = t[p.case_applicant_place, p.court_place[ev.court]]
    interf = (trig & int(Trigger.INTERFERENCE)) != 0
    idx = np.arange(p.n_cases)
    removed = interf & ~in_home_locality(p, idx, ev.court) & in_home_locality(p, idx, p.case_court)
    grp, n_groups = p.related_groups()
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
        "asset_travel_cost": round(float(ev.case_terms[:, 1].sum()), 1),
        "max_utilisation_before": round(float(np.nanmax(util_b)) if len(dist) else 0.0, 4),
        "max_utilisation_after": round(float(np.nanmax(util_a)) if len(dist) else 0.0, 4),
        "gini_utilisation_before": round(gini(util_b[np.isfinite(util_b)]), 4),
        "gini_utilisation_after": round(gini(util_a[np.isfinite(util_a)]), 4),
        "rule_exceptions": len(o.exceptions),
    }
    return Plan(
        scenario=s.name, status=status, objective=round(objective, 4),
        bound=round(bound, 4), gap=round(gap, 8) if np.isfinite(gap) else float("inf"),
        method=method, terms={k: round(v, 4) for k, v in ev.terms.items()},
        cases=tuple(cases), courts=tuple(courts), staff_moves=moves, kpis=kpis, stats=stats,
    )
