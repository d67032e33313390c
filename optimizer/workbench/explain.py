"""`explain`: per case, the reasons (triggers), the decision with who decides and its legal
basis, its cost by term, and the lawful alternatives (its options from `build_options`) ranked
by their extra cost.

The extra cost is an *estimate* for every case: the option's own cost difference plus the
marginal load penalty at the receiving and releasing courts, from the plan's loads (the rest of
the plan held fixed; staff lending is not re-priced). For the cases asked, `exact_regret`
re-solves the scenario with the case forced to the alternative (its other option rows removed,
`force.py`): the objective difference from the plan is the exact regret.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from optimizer.law.errors import UserError
from optimizer.law.modes import Mode, Trigger
from optimizer.model.costs import CASE_TERMS
from optimizer.results.case_plans import basis_texts
from optimizer.solver.params import SolveParams
from optimizer.workbench.force import force_option, force_target, solve_with
from optimizer.workbench.view import PlanView

#: what can bind an alternative (Chinese first)
BINDS = {
    "ceiling": "接收法院负荷上限 the receiving court's ceiling (max_utilisation)",
    "debtor_group": "关联案件整体集中或整体不集中 the debtor group moves all or none",
    "objection": "申请执行人反对移送 the applicant objects to a transfer",
    "lending": "需借调人员（估算未计借调成本）needs lent officers (not priced in the estimate)",
}


@dataclass(frozen=True)
class Alternative:
    """One lawful option of a case other than the plan's, and what it would cost more."""

    mode: str
    court_id: str
    decided_by: str | None
    basis: str
    terms: dict[str, float]  # the option's own cost terms (for the case)
    own_change: float  # its own cost minus the case's cost in the plan (the group's, if a target)
    load_change: float  # marginal load penalty at the receiving and releasing courts
    estimate: float  # own_change + load_change
    binds: tuple[str, ...]
    group_target: bool  # a 集中执行 target: the whole debtor group moves
    row: int  # option row (or target row when group_target) in the view's options


@dataclass(frozen=True)
class Explanation:
    case_id: str
    reasons: tuple[str, ...]
    mode: str
    court_id: str
    from_court_id: str
    decided_by: str | None
    document: str
    basis: str
    costs: dict[str, float]
    cost: float
    note: str | None
    wishes: tuple[str, ...]
    alternatives: tuple[Alternative, ...]  # cheapest extra cost first


@dataclass(frozen=True)
class Regret:
    """The exact extra cost of forcing a case to an alternative: a re-solve."""

    case_id: str
    mode: str
    court_id: str
    estimate: float
    regret: float  # forced plan's objective − the plan's objective
    status: str  # the forced plan's status
    objective: float
    bound: float
    #: the range the two proven bounds allow the true regret (optimum forced − optimum of the
    #: scenario): [forced bound − plan objective, forced objective − plan bound]; one point
    #: when both solves are optimal
    regret_low: float = 0.0
    regret_high: float = 0.0

    @property
    def exact(self) -> bool:
        """Both solves proven optimal: the regret is exact, not a range."""
        return self.regret_high - self.regret_low <= 1e-6 * max(1.0, abs(self.objective))


_BIND_BITS = {name: 1 << k for k, name in enumerate(BINDS)}
_MODE_KEYS = [m.key for m in Mode]
_BIND_NAMES = [tuple(name for name, bit in _BIND_BITS.items() if mask & bit)
               for mask in range(1 << len(BINDS))]


@dataclass(frozen=True)
class _Rows:
    """Alternatives (individual rows or group targets for one member), as parallel lists."""

    case: list[int]
    row: list[int]
    mode: list[int]
    court: list[str]
    decider: list[str | None]
    basis: list[str]
    terms: list[list[float]]
    own: NDArray[np.float64]
    load: NDArray[np.float64]
    binds: list[int]  # bit mask over BINDS
    group_target: bool

    @cached_property
    def _numbers(self) -> tuple[list[float], list[float], list[float]]:
        """(own, load, estimate), rounded, as Python floats."""
        return (np.round(self.own, 4).tolist(), np.round(self.load, 4).tolist(),
                np.round(self.own + self.load, 4).tolist())

    def alternative(self, k: int) -> Alternative:
        own, load, est = self._numbers
        return Alternative(
            mode=_MODE_KEYS[self.mode[k]], court_id=self.court[k], decided_by=self.decider[k],
            basis=self.basis[k], terms=dict(zip(CASE_TERMS, self.terms[k], strict=True)),
            own_change=own[k], load_change=load[k], estimate=est[k],
            binds=_BIND_NAMES[self.binds[k]], group_target=self.group_target, row=self.row[k])


def _bases(v: PlanView, case: NDArray[np.int64], mode: NDArray[np.int64],
           court: NDArray[np.int64], decider: NDArray[np.int64]) -> list[str]:
    """The legal basis of each option, from the plan's one table (entrusted matters aside)."""
    return basis_texts(v.p, case, mode, court, decider, np.zeros(len(case), dtype=np.int64))


def _over_ceiling(v: PlanView, case: NDArray[np.int64], to: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Would moving the case alone to `to` take `to` above its ceiling?"""
    p, ev = v.p, v.ev
    c = p.rules.max_utilisation
    if c is None:
        return np.zeros(len(case), dtype=bool)
    limit = np.maximum(c * p.cases_per_officer[to] * ev.staff_after[to], ev.load_before[to])
    return (ev.court[case] != to) & (ev.load_after[to] + p.case_workload[case] > limit + 1e-6)


def _bind_mask(v: PlanView, case: NDArray[np.int64], mode: NDArray[np.int64],
               court: NDArray[np.int64], ceiling: NDArray[np.bool_], group: bool) -> list[int]:
    p = v.p
    mask = ceiling * _BIND_BITS["ceiling"]
    mask |= (group | (v.target_of_case[case] >= 0)) * _BIND_BITS["debtor_group"]
    mask |= (p.case_objects[case] & (court != p.case_court[case])) * _BIND_BITS["objection"]
    short = (p.triggers[case] & int(Trigger.UNDERSTAFFED)) != 0
    mask |= ((mode == Mode.COORDINATE) & short) * _BIND_BITS["lending"]
    return np.asarray(mask, dtype=np.int64).tolist()


def _rows(v: PlanView, case: NDArray[np.int64], row: NDArray[np.int64], mode: NDArray[np.int64],
          court: NDArray[np.int64], decider: NDArray[np.int64], terms: NDArray[np.float64],
          own: NDArray[np.float64], load: NDArray[np.float64], group: bool) -> _Rows:
    ids = v.p.court_ids
    ceiling = (np.zeros(len(case), dtype=bool) if group else _over_ceiling(v, case, court))
    return _Rows(case.tolist(), row.tolist(), mode.tolist(), [ids[c] for c in court.tolist()],
                 [ids[d] if d >= 0 else None for d in decider.tolist()],
                 _bases(v, case, mode, court, decider), np.round(terms, 4).tolist(), own, load,
                 _bind_mask(v, case, mode, court, ceiling, group), group)


def _individual(v: PlanView, rows: NDArray[np.int64]) -> _Rows:
    o = v.o
    case = o.case[rows]
    own = o.cost[rows] - v.case_cost[case]
    load = v.load_delta_cost(case, o.court[rows])
    return _rows(v, case, rows, o.mode[rows], o.court[rows], o.decider[rows], o.terms[rows],
                 own, load, group=False)


def _target_estimate(v: PlanView, t: int) -> tuple[float, float]:
    """(own change, load change) of moving a whole debtor group to target `t`."""
    o, p, ev = v.o, v.p, v.ev
    members = o.member_case[o.member_target == t]
    own = float(o.target_cost[t] - v.case_cost[members].sum())
    w = p.case_workload[members]
    delta = (np.bincount(np.full(len(members), o.target_court[t]), weights=w, minlength=p.n_courts)
             - np.bincount(ev.court[members], weights=w, minlength=p.n_courts))
    courts = np.flatnonzero(np.abs(delta) > 1e-12)
    load = ev.load_after[courts]
    change = v.penalty_at(courts, load + delta[courts]) - v.penalty_at(courts, load)
    return own, float(change.sum())


def _group(v: PlanView, want: NDArray[np.bool_]) -> _Rows:
    """The concentration targets open to the wanted cases' debtor groups (other than the
    plan's), one alternative per (member, target); the estimate moves the whole group."""
    o = v.o
    m = np.flatnonzero(want[o.member_case] & (v.target_of_case[o.member_case] != o.member_target))
    targets = np.unique(o.member_target[m])
    est = {t: _target_estimate(v, t) for t in targets.tolist()}
    mt = o.member_target[m]
    own = np.array([est[t][0] for t in mt.tolist()])
    load = np.array([est[t][1] for t in mt.tolist()])
    return _rows(v, o.member_case[m], mt, np.full(len(m), int(Mode.CONCENTRATE)),
                 o.target_court[mt], o.target_decider[mt], o.member_terms[m], own, load,
                 group=True)


def explain(v: PlanView, cases: list[str] | None = None) -> list[Explanation]:
    """Explanations of the given case ids (all cases when None), alternatives by estimate."""
    idx = (np.arange(v.p.n_cases) if cases is None
           else np.array([_index(v, c) for c in cases], dtype=np.int64))
    o = v.o
    want = np.zeros(v.p.n_cases, dtype=bool)
    want[idx] = True
    rows = np.flatnonzero(want[o.case] & (np.arange(len(o.case)) != v.row_of_case[o.case]))
    alts = [_individual(v, rows), _group(v, want)]
    case = np.concatenate([np.asarray(r.case, dtype=np.int64) for r in alts])
    source = np.repeat([0, 1], [len(r.case) for r in alts])
    at = np.concatenate([np.arange(len(r.case)) for r in alts])
    order = np.lexsort((np.concatenate([r.own + r.load for r in alts]), case))
    starts = np.searchsorted(case[order], np.arange(v.p.n_cases + 1))
    by_id = {c.case_id: c for c in v.plan.cases}
    out = []
    src, pos = source[order].tolist(), at[order].tolist()
    for i in idx.tolist():
        ranked = tuple(alts[src[k]].alternative(pos[k]) for k in range(starts[i], starts[i + 1]))
        cp = by_id[v.p.case_ids[i]]
        out.append(Explanation(
            case_id=cp.case_id, reasons=cp.reasons, mode=cp.mode, court_id=cp.court_id,
            from_court_id=cp.from_court_id, decided_by=cp.decided_by,
            document=Mode(int(v.ev.mode[i])).spec.document, basis=cp.basis, costs=cp.costs,
            cost=round(float(v.case_cost[i]), 4), note=cp.note, wishes=cp.wishes,
            alternatives=ranked))
    return out


def _index(v: PlanView, case_id: str) -> int:
    i = v.case_index.get(case_id)
    if i is None:
        raise UserError(f"case '{case_id}' is not in the scenario")
    return i


def exact_regret(v: PlanView, case_id: str, alt: Alternative,
                 params: SolveParams | None = None) -> Regret:
    """Re-solve with the case forced to `alt`: the objective difference from the plan."""
    i = _index(v, case_id)
    forced = (force_target(v.p, v.o, i, alt.row) if alt.group_target
              else force_option(v.p, v.o, i, alt.row))
    plan = solve_with(v.p, forced, params)
    base = v.plan
    return Regret(case_id, alt.mode, alt.court_id, alt.estimate,
                  round(plan.objective - base.objective, 4), plan.status, plan.objective,
                  plan.bound, regret_low=round(min(plan.bound, plan.objective) - base.objective, 4),
                  regret_high=round(plan.objective - min(base.bound, base.objective), 4))
