"""Turn a decision and its evaluation into a `Plan`: per case, per court, staff moves, KPIs."""

from __future__ import annotations

import numpy as np

from optimizer.data.problem import Problem
from optimizer.law.courts import BASIC
from optimizer.law.modes import ENTRUST_BASIS, TRIGGER_LABELS, Decider, Mode
from optimizer.model.costs import CASE_TERMS
from optimizer.model.decision import Decision
from optimizer.model.options import Options
from optimizer.results.evaluate import Evaluation
from optimizer.results.kpis import compute_kpis
from optimizer.results.plan import CasePlan, CourtPlan, Plan, SolveStats, StaffMove


def _decider(p: Problem, mode: Mode, before: int) -> str | None:
    """Who decides an individual mode (集中执行: the group's target records it)."""
    who = mode.spec.decider
    if who is Decider.NONE:
        return None
    if who is Decider.SELF:
        return p.court_ids[before]
    up = int(p.court_parent[before])
    return p.court_ids[up] if up >= 0 else None


def make_plan(p: Problem, o: Options, d: Decision, ev: Evaluation, *, status: str,
              objective: float, bound: float, gap: float, method: str,
              stats: SolveStats) -> Plan:
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
    grp = p.related_groups[0]
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
            basis=mode.spec.basis + (ENTRUST_BASIS if entrusted else ""),
        ))
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
        scenario=s.name, status=status, objective=round(objective, 4),
        bound=round(bound, 4), gap=round(gap, 8) if np.isfinite(gap) else float("inf"),
        method=method, terms={k: round(v, 4) for k, v in ev.terms.items()},
        cases=tuple(cases), courts=tuple(courts), staff_moves=moves, kpis=kpis, stats=stats,
    )
