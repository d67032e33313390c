"""Turn a decision and its evaluation into a `Plan`: per case, per court, staff moves, KPIs."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.courts import BASIC
from optimizer.law.modes import TRIGGER_LABELS, Mode, Situation, Trigger, basis_for
from optimizer.model.costs import CASE_TERMS
from optimizer.model.decision import Decision
from optimizer.model.options import Options
from optimizer.results.evaluate import Evaluation
from optimizer.results.kpis import compute_kpis
from optimizer.results.plan import CasePlan, CourtPlan, Plan, SolveStats, StaffMove


def _entrusted_where(p: Problem, ev: Evaluation) -> tuple[dict[int, list[str]], NDArray[np.bool_]]:
    """Entrusted asset ids per case, and per case whether one lies in another province (the
    委托执行规定 applies directly there, 参照 inside the province)."""
    asset_ids = [a.id for k in p.scenario.cases for a in k.assets]
    by_case: dict[int, list[str]] = {}
    out_of_province = np.zeros(p.n_cases, dtype=bool)
    ent = np.flatnonzero(ev.entrusted)
    for a in ent.tolist():
        by_case.setdefault(int(p.asset_case[a]), []).append(asset_ids[a])
    if len(ent):
        cases = p.asset_case[ent]
        far = ~p.tree.same_locality(p.asset_place[ent], p.court_place[ev.court[cases]], 2)
        out_of_province[cases[far]] = True
    return by_case, out_of_province


def _wishes(p: Problem, i: int) -> tuple[str, ...]:
    """The applicant's wishes, in words; an early Art. 237 request is one of them."""
    k = p.scenario.cases[i]
    out = []
    if p.early_request[i]:
        out.append("申请执行人申请上一级法院执行（未满六个月，尚不构成民事诉讼法第237条的申请）")
    if k.wish.objects_to_transfer:
        out.append("申请执行人反对变更执行法院")
    if k.wish.preferred_court:
        out.append(f"申请执行人希望由{k.wish.preferred_court}执行")
    return tuple(out)


def _case_plans(p: Problem, o: Options, ev: Evaluation) -> list[CasePlan]:
    cids = p.court_ids
    modes = list(Mode)
    trig = p.triggers
    ent_by_case, far = _entrusted_where(p, ev)
    terms = np.round(ev.case_terms, 4)
    requested = (p.case_flags & int(Trigger.REQUEST)) != 0
    missed = (trig & int(Trigger.DEADLINE_MISSED)) != 0
    short = (trig & int(Trigger.UNDERSTAFFED)) != 0
    names = [c.name for c in p.scenario.courts]
    out = []
    for i, k in enumerate(p.scenario.cases):
        reasons = tuple(label for t, label in TRIGGER_LABELS.items() if trig[i] & int(t))
        if p.terminable[i] and p.in_district[p.case_court[i]]:
            reasons = ("终本候选：无财产可供执行、无行为义务",)
        mode = modes[ev.mode[i]]
        entrusted = tuple(ent_by_case.get(i, ()))
        court, decider = int(ev.court[i]), int(ev.decider[i])
        situation = Situation(
            overdue=bool(p.overdue[i]), applied=bool(requested[i]), deadline_missed=bool(missed[i]),
            moved=court != p.case_court[i], to_decider=court == decider,
            officers=bool(short[i]), entrusted=("out" if far[i] else "in") if entrusted else "")
        out.append(CasePlan(
            case_id=k.id, mode=mode.key, court_id=cids[court], from_court_id=k.court,
            entrusted_assets=entrusted, costs=dict(zip(CASE_TERMS, terms[i].tolist(), strict=True)),
            reasons=reasons, note=o.exceptions.get(i),
            decided_by=cids[decider] if decider >= 0 else None,
            basis=basis_for(mode, situation),
            coordination=(("officers" if short[i] else "coordination")
                          if mode is Mode.COORDINATE else None),
            wishes=_wishes(p, i), court_name=names[court], from_court_name=names[p.case_court[i]],
            decided_by_name=names[decider] if decider >= 0 else None,
        ))
    return out


def make_plan(p: Problem, o: Options, d: Decision, ev: Evaluation, *, status: str,
              objective: float, bound: float, gap: float, method: str,
              stats: SolveStats) -> Plan:
    s = p.scenario
    cids = p.court_ids
    cases = _case_plans(p, o, ev)
    moved = ev.court != p.case_court
    cases_in = np.bincount(ev.court[moved], minlength=p.n_courts)
    cases_out = np.bincount(p.case_court[moved], minlength=p.n_courts)
    court_of_place = {int(pl): c for c, pl in reversed(list(enumerate(p.court_place.tolist())))
                      if p.court_level[c] == BASIC}
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
    kpis = compute_kpis(p, o, ev, capacity, moves)
    return Plan(
        scenario=s.name, plan_date=s.period.start.isoformat(), status=status,
        objective=round(objective, 4),
        bound=round(bound, 4), gap=round(gap, 8) if np.isfinite(gap) else float("inf"),
        method=method, terms={k: round(v, 4) for k, v in ev.terms.items()},
        cases=tuple(cases), courts=tuple(courts), staff_moves=moves, kpis=kpis, stats=stats,
    )
