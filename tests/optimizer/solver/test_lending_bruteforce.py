"""协同 brings force to the court that lacks it: on random small scenarios with courts short of
staff, the solver's optimum equals the best plan enumerated over *every* sibling-or-parent loan
(not the model's lending pairs), kept only where the rules of docs/law.md rule 10 hold:

- no court both lends and borrows; a court short of staff lends none, nor one whose cases
  receive lent officers;
- a borrower's staffing 协同 cases need one officer per `cases_per_lent_officer`, on net
  borrowing; officers are borrowed only for them;
- each lender keeps `lending_min_keep_share` of its officers and lies in the district of the
  borrower's court one level up (a sibling or that court).

The plans the solver returns are also checked by the independent checker (which checks the same
rules from the plan file)."""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.law.modes import Mode, Trigger
from optimizer.model.decision import Decision
from optimizer.model.options import Options, build_options
from optimizer.pipeline import solve
from optimizer.results.evaluate import evaluate
from optimizer.solver.params import SolveParams
from tests.builders import base_courts, case, scenario
from tests.checker import check_plan
from tests.optimizer.solver.test_bruteforce import within_ceilings

PLACES = ["331102", "331121", "331122"]


@st.composite
def short_staffed(draw):
    """Three basic courts under M, some of them short of staff (utilisation above 1.1), the
    others with officers to lend; cases that may be coordinated."""
    courts = base_courts(
        M={"officers": draw(st.sampled_from([0, 2, 4])), "open_caseload": 0.0},
        **{c: {"officers": draw(st.integers(2, 6)), "cases_per_officer": 2.0,
               "open_caseload": float(draw(st.integers(4, 16)))} for c in "ABC"})
    cases = [case(f"K{i}", draw(st.sampled_from("ABC")), workload=1.0,
                  complex=draw(st.booleans()), passive=draw(st.booleans()),
                  debtor_place=draw(st.sampled_from(PLACES)))
             for i in range(draw(st.integers(1, 4)))]
    weights = {"applicant_travel": 1.0, "mode_coordinate": float(draw(st.sampled_from([10, 90]))),
               "mode_supervise": 40.0, "mode_designate": 120.0, "mode_elevate": 220.0,
               "change_court": 60.0, "unresolved_passive": 400.0,
               "unresolved_complex": float(draw(st.sampled_from([0, 500]))),
               "unresolved_understaffed": float(draw(st.sampled_from([150, 900]))),
               "load_slopes": draw(st.sampled_from([[0.0], [30.0, 120.0, 400.0]])),
               "officer_lending": 1.0, "officer_lending_fixed": float(draw(st.sampled_from([5, 50])))}
    rules = {"lending_min_keep_share": 0.5,
             "cases_per_lent_officer": float(draw(st.sampled_from([1, 2]))),
             "max_utilisation": draw(st.sampled_from([None, 3.0]))}
    return scenario(cases, courts, weights=weights, rules=rules)


def every_loan(p: Problem, o: Options) -> Options:
    """`o` with a lending pair for every sibling or parent of every court, at the product's
    cost per officer (travel × `officer_lending` + `officer_lending_fixed`) and each lender's
    keep-share limit alone: the rules below decide which loans may happen."""
    w, r = p.weights, p.rules
    inside = np.flatnonzero(p.in_district)
    pairs = [(f, t) for t in inside for f in inside
             if f != t and p.court_parent[t] >= 0
             and (p.court_parent[f] == p.court_parent[t] or f == p.court_parent[t])]
    f = np.array([a for a, _ in pairs], dtype=np.int64)
    t = np.array([b for _, b in pairs], dtype=np.int64)
    cost = (w.officer_lending * p.travel[p.court_place[f], p.court_place[t]].astype(np.float64)
            + w.officer_lending_fixed)
    limit = np.floor(p.officers * (1.0 - r.lending_min_keep_share) + 1e-9).astype(np.int64)
    return replace(o, lend_from=f, lend_to=t, lend_cost=cost, lend_max=limit, lend_fixed=None)


def lawful_lending(p: Problem, o: Options, ev, lent: np.ndarray) -> bool:
    """The rules of lending, written from docs/law.md rule 10."""
    short_court = p.utilisation_before > p.rules.understaffed_utilisation
    staffing_case = (ev.mode == Mode.COORDINATE) & ((p.triggers & int(Trigger.UNDERSTAFFED)) != 0)
    staffing = np.bincount(ev.court[staffing_case], minlength=p.n_courts)
    k = p.rules.cases_per_lent_officer
    out, got = ev.lent_out, ev.borrowed
    return bool(np.all(out <= o.lend_max)
                and not np.any((out > 0) & (got > 0))
                and not np.any((out > 0) & short_court)
                and not np.any((out > 0) & (staffing > 0))
                and np.all(got <= staffing)
                and np.all((staffing == 0) | (staffing <= k * (got - out) + 1e-9)))


def brute_force(p: Problem) -> float:
    o = every_loan(p, build_options(p))
    short_case = (p.triggers & int(Trigger.UNDERSTAFFED)) != 0
    staffing_rows = np.bincount(o.court[(o.mode == Mode.COORDINATE) & short_case[o.case]],
                                minlength=p.n_courts)
    per_case = [np.flatnonzero(o.case == i).tolist() for i in range(p.n_cases)]
    # a loan to a court with no staffing 协同 option can never be lawful: not enumerated
    amounts = [range(min(int(o.lend_max[o.lend_from[q]]), int(staffing_rows[o.lend_to[q]])) + 1)
               for q in range(len(o.lend_from))]
    count = math.prod(len(a) for a in amounts) * math.prod(max(len(r), 1) for r in per_case)
    assume(count <= 20_000 and not len(o.target_group))
    best = math.inf
    for osel in itertools.product(*per_case):
        for zsel in itertools.product(*amounts):
            lent = np.array(zsel, dtype=np.int64)
            d = Decision(np.array(osel, dtype=np.int64), np.zeros(0, dtype=np.int64), lent)
            ev = evaluate(p, o, d)
            if lawful_lending(p, o, ev, lent) and within_ceilings(p, ev):
                best = min(best, ev.objective)
    return best


@settings(max_examples=int(os.environ.get("COURTPLAN_BRUTE_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(short_staffed())
def test_lending_optimum_equals_brute_force_over_every_loan(data):
    s = parse_scenario(data)
    p = Problem.from_scenario(s)
    expected = brute_force(p)
    plan = solve(p, SolveParams(time_limit=20, gap=0.0))
    assert math.isfinite(expected)  # keeping every case is always lawful here
    assert plan.status == "optimal", (plan.status, data)
    assert math.isclose(plan.objective, expected, rel_tol=1e-6, abs_tol=1e-4), (
        plan.objective, expected, plan.method, data)
    assert not check_plan(s, plan)
    lent = {m.from_court for m in plan.staff_moves}
    borrowed = {m.to_court for m in plan.staff_moves}
    assert not lent & borrowed
