"""Where the next officer helps most: per court, how much the objective falls with one more
officer; per lending pair, with one more officer lent.

Estimate (every court): one officer adds `cases_per_officer × target_utilisation` to the
court's target capacity; at the plan's loads that lowers its band penalty by
`penalty(load, staff) − penalty(load, staff + 1)` (the band slopes over that capacity). Cases
are held where the plan puts them, so the estimate is what the plan gains without moving a case.
Exact (the top courts): `Problem.replace(officers=…+1)` re-solved through the pipeline; the fall
is the plan's objective minus the variant's, with the range the two proven bounds allow.
A lending pair's estimate is the borrower's fall minus the lender's rise and the lending cost;
its exact figure re-evaluates the plan's decision with that officer lent (cases held fixed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from optimizer.law.modes import Mode, Trigger
from optimizer.model.costs import band_penalty
from optimizer.results import gate
from optimizer.results.evaluate import evaluate
from optimizer.solver.params import SolveParams
from optimizer.workbench.sweep import solve_grid
from optimizer.workbench.view import PlanView


@dataclass(frozen=True)
class CourtGain:
    court_id: str
    name: str
    officers: int
    load_after: float
    estimate: float  # objective fall with one more officer, cases held
    exact: float | None = None  # plan objective − the re-solved variant's objective
    exact_low: float | None = None  # the fall proven at least this (bounds)
    exact_high: float | None = None  # … and at most this
    status: str | None = None  # the variant's status


@dataclass(frozen=True)
class PairGain:
    from_court: str
    to_court: str
    lent_now: int
    room: bool  # may one more be lent (lender's limit, borrower's 协同 cases)?
    why_not: str | None
    estimate: float  # objective fall: borrower's relief − lender's rise − lending cost
    exact: float | None = None  # fall on re-evaluating the plan with it lent (cases held)


def _fall(v: PlanView, courts: NDArray[np.int64], change: NDArray[np.int64]) -> NDArray[np.float64]:
    """Objective fall at each of `courts` (repeats allowed: each entry on its own) if its staff
    changed by `change`, loads held."""
    p = v.p
    load = v.ev.load_after[courts]
    staff = v.ev.staff_after[courts] + change
    excess = load - p.rules.target_utilisation * p.cases_per_officer[courts] * staff
    after = np.where(p.in_district[courts], band_penalty(p, courts, excess), 0.0)
    return v.penalty_at(courts, load) - after


def court_estimates(v: PlanView) -> list[CourtGain]:
    """Every district court, largest estimated fall first."""
    p, ev = v.p, v.ev
    courts = np.flatnonzero(p.in_district)
    fall = _fall(v, courts, np.ones(len(courts), dtype=np.int64))
    order = np.argsort(-fall, kind="stable")
    names = [c.name for c in p.scenario.courts]
    return [CourtGain(p.court_ids[j], names[j], int(p.officers[j]),
                      round(float(ev.load_after[j]), 3), round(float(fall[k]), 4))
            for k, j in ((int(k), int(courts[k])) for k in order)]


def exact_courts(v: PlanView, gains: list[CourtGain], top: int = 5,
                 params: SolveParams | None = None, workers: int = 1) -> list[CourtGain]:
    """The first `top` courts re-solved with one more officer each (in parallel processes)."""
    params = params or SolveParams()
    points = [{f"officers:{g.court_id}": 1} for g in gains[:top]]
    solved = solve_grid(v.p, points, params, workers)
    a = v.plan
    out = []
    for g, (_s, plan, _t) in zip(gains[:top], solved, strict=True):
        out.append(replace(g, exact=round(a.objective - plan.objective, 4),
                           exact_low=round(a.bound - plan.objective, 4),
                           exact_high=round(a.objective - plan.bound, 4), status=plan.status))
    return out + gains[top:]


def _room(v: PlanView) -> tuple[NDArray[np.bool_], list[str | None]]:
    """Per lending pair: may one more officer be lent, and if not, why."""
    p, o, ev = v.p, v.o, v.ev
    lent_by = np.bincount(o.lend_from, weights=v.decision.lent, minlength=p.n_courts)
    short = (p.triggers & int(Trigger.UNDERSTAFFED)) != 0
    staffing = np.bincount(ev.court[(ev.mode == Mode.COORDINATE) & short], minlength=p.n_courts)
    full = lent_by[o.lend_from] >= o.lend_max[o.lend_from]
    no_cases = ev.borrowed[o.lend_to] >= staffing[o.lend_to]
    why = [("出借法院已达借调上限 the lender's limit is reached" if f else
            "借入法院没有更多因人手不足的协同执行案件 no further 协同 case at the borrower"
            if n else None) for f, n in zip(full.tolist(), no_cases.tolist(), strict=True)]
    return ~full & ~no_cases, why


def pair_estimates(v: PlanView, top_exact: int = 5) -> list[PairGain]:
    """Every lending pair, largest estimated fall first; the first `top_exact` with room are
    re-evaluated exactly (the plan's decision with that officer lent, checked by the gate)."""
    p, o = v.p, v.o
    q = np.arange(len(o.lend_from))
    gain = _fall(v, o.lend_to, np.ones(len(q), dtype=np.int64))
    loss = -_fall(v, o.lend_from, -np.ones(len(q), dtype=np.int64))
    est = gain - loss - o.lend_cost
    room, why = _room(v)
    order = np.argsort(-est, kind="stable")
    out, exact_left = [], top_exact
    for k in order.tolist():
        exact = None
        if room[k] and exact_left > 0:
            exact_left -= 1
            lent = v.decision.lent.copy()
            lent[k] += 1
            d = replace(v.decision, lent=lent)
            ev = evaluate(p, o, d)
            exact = round(v.ev.objective - ev.objective, 4) if not gate.check(p, o, d, ev) else None
        out.append(PairGain(p.court_ids[o.lend_from[k]], p.court_ids[o.lend_to[k]],
                            int(v.decision.lent[k]), bool(room[k]), why[k],
                            round(float(est[k]), 4), exact))
    return out
