"""Restrictions from a planner's changes: each applied exactly in the plan, each refused cleanly
(the error names the change and, for a pin, the rule), and the rule gate catches a broken one."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from optimizer.data.changes import ChangesError, ChangeSet
from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.model.decision import Decision
from optimizer.model.options import build_options
from optimizer.model.restrictions import restrictions_from
from optimizer.pipeline import plan_problem
from optimizer.results import gate
from optimizer.results.evaluate import evaluate
from optimizer.solver.params import SolveParams
from tests.builders import case, scenario
from tests.checker import check_plan

FAST = SolveParams(time_limit=10, workers=1)


@pytest.fixture(scope="module")
def problem() -> Problem:
    cases = ([case(f"K{i}", "A", passive=True, filed="2025-01-01") for i in range(4)]
             + [case("X1", "B", interference=True, debtor_id="D1"),
                case("X2", "C", passive=True, debtor_id="D1"),
                case("P1", "B", passive=True, filed="2025-01-01")])
    return Problem.from_scenario(parse_scenario(scenario(
        cases, weights={"mode_designate": 10.0, "unresolved_passive": 50.0,
                        "change_court": 1.0})))


def _plan(p: Problem, data: dict) -> dict[str, tuple[str, str]]:
    plan = plan_problem(p, ChangeSet.model_validate(data), FAST)
    assert plan.status != "infeasible"
    assert not check_plan(ChangeSet.model_validate(data).apply(p).scenario, plan)
    return {c.case_id: (c.mode, c.court_id) for c in plan.cases}


def test_pin_keep_forbid_applied(problem):
    free = _plan(problem, {})
    assert free["K0"] != ("designate", "C")
    got = _plan(problem, {"pins": [{"case": "K0", "mode": "designate", "court": "C"}],
                          "keep": ["K1"], "forbid": [{"case": "K2", "court": free["K2"][1]}]})
    assert got["K0"] == ("designate", "C")
    assert got["K1"][1] == "A"
    assert got["K2"][1] != free["K2"][1]


def test_bars_applied(problem):
    free = _plan(problem, {})
    targets = {court for m, court in free.values() if m != "keep"} - {"A"}
    assert targets
    barred = sorted(targets)[0]
    got = _plan(problem, {"bar_receiving": [barred]})
    moved_in = [k for k, (m, c) in got.items() if c == barred and m in ("designate", "elevate",
                                                                        "concentrate")]
    assert all(problem.scenario.cases[[x.id for x in problem.scenario.cases].index(k)].court
               == barred for k in moved_in)
    got = _plan(problem, {"bar_executing": ["A"]})
    assert all(got[f"K{i}"][1] != "A" for i in range(4))  # A's cases all leave
    assert all(c != "A" for _, c in got.values())


def test_concentration_orders_applied(problem):
    assert all(_plan(problem, {"concentrate": ["D1"]})[k][0] == "concentrate" for k in ("X1", "X2"))
    assert all(_plan(problem, {"never_concentrate": ["D1"]})[k][0] != "concentrate"
               for k in ("X1", "X2"))


def test_fixed_loan_lent_exactly():
    cases = [case(f"K{i}", "A", complex=True) for i in range(3)]
    p = Problem.from_scenario(parse_scenario(scenario(cases)))
    plan = plan_problem(p, ChangeSet.model_validate({"loans": [{"from": "B", "to": "A",
                                                                "officers": 2}]}), FAST)
    assert [(m.from_court, m.to_court, m.officers) for m in plan.staff_moves] == [("B", "A", 2)]
    a = next(c for c in plan.courts if c.court_id == "A")
    assert a.officers_borrowed == 2


@pytest.mark.parametrize("data, message", [
    ({"pins": [{"case": "K0", "mode": "elevate", "court": "C"}]},
     "changes.pins[0]: case K0 may not be elevated to C: 提级执行 goes exactly one level up "
     "(执行程序解释第11条第2款)"),
    ({"pins": [{"case": "K0", "mode": "designate", "court": "M"}]},
     "changes.pins[0]: case K0 may not be designated to M: 指令执行 goes to a court of the same level"),
    ({"pins": [{"case": "X1", "mode": "keep", "court": "B"}]},
     "changes.pins[0]: case X1 may not be kept at B: 不当干预"),
    ({"keep": ["X1"]}, "changes.keep[0]: case X1 may not stay at B: 不当干预"),
    ({"loans": [{"from": "A", "to": "M", "officers": 1}]}, "changes.loans[0]: A may not lend to M"),
    ({"loans": [{"from": "B", "to": "A", "officers": 19}]}, "changes.loans[0]: B may lend at most 3"),
    ({"concentrate": ["D-K0"]}, "changes.concentrate[0]: debtor D-K0: it has no lawful 集中执行 target"),
])
def test_unlawful_changes_refused_naming_the_change(problem, data, message):
    with pytest.raises(ChangesError) as e:
        plan_problem(problem, ChangeSet.model_validate(data), FAST)
    assert str(e.value).startswith(message)


def test_gate_flags_a_broken_pin(problem):
    ch = ChangeSet.model_validate({"pins": [{"case": "K0", "mode": "designate", "court": "C"}]})
    r = restrictions_from(problem, ch)
    o = build_options(problem, r)
    k0 = 0
    assert set(o.court[o.case == k0].tolist()) == {problem.court_ids.index("C")}
    # a decision keeping K0 (its pinned row replaced by a keep row of the unrestricted options)
    free = build_options(problem)
    keep_row = int(np.flatnonzero((free.case == k0) & (free.mode == 0))[0])
    option = np.full(problem.n_cases, -1)
    for i in range(problem.n_cases):
        rows = np.flatnonzero(free.case == i)
        option[i] = rows[0] if len(rows) else -1
    option[k0] = keep_row
    d = Decision(option, np.full(len(free.target_group) and int(free.target_group.max()) + 1, -1),
                 np.zeros(len(free.lend_from), dtype=np.int64))
    pinned = replace(free, restrictions=r)
    broken = gate.check(problem, pinned, d, evaluate(problem, pinned, d))
    assert any("K0" in b and "pinned" in b for b in broken)
    assert not any("pinned" in b for b in gate.check(problem, free, d, evaluate(problem, free, d)))


def test_travel_times_not_recomputed(problem, monkeypatch):
    import optimizer.data.problem as problem_module

    def boom(*_a, **_k):
        raise AssertionError("travel times recomputed")

    monkeypatch.setattr(problem_module, "travel_minutes", boom)
    ch = ChangeSet.model_validate({"officers": [{"court": "C", "add": 5}],
                                   "shocks": [{"court": "A", "factor": 1.5}],
                                   "weights": {"applicant_travel": 2.0},
                                   "pins": [{"case": "K0", "mode": "designate", "court": "C"}]})
    q = ch.apply(problem)
    assert q.travel is problem.travel
    plan_problem(problem, ch, FAST)
