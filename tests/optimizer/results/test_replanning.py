"""Re-planning from a previous plan and conflicts named in planner words."""

from __future__ import annotations

import pytest

from optimizer.data.changes import ChangesError, ChangeSet
from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.pipeline import ChangesConflict, plan_problem
from optimizer.results.previous import ISSUED_MODES
from optimizer.solver.params import SolveParams
from tests.builders import case, scenario

FAST = SolveParams(time_limit=10, workers=1)


def _problem(**weights: float) -> Problem:
    cases = ([case(f"K{i}", "A", passive=True, filed="2025-01-01", workload=5.0 if i == 0 else 1.0)
              for i in range(4)]
             + [case("X1", "B", interference=True, debtor_id="D1"),
                case("X2", "C", passive=True, debtor_id="D1")])
    return Problem.from_scenario(parse_scenario(scenario(
        cases, weights={"mode_designate": 10.0, "unresolved_passive": 50.0, **weights})))


def _decisions(plan):
    return {c.case_id: (c.mode, c.court_id) for c in plan.cases}


def test_nothing_changed_reproduces_the_previous_plan():
    p = _problem()
    first = plan_problem(p, None, FAST)
    again = plan_problem(p, None, FAST, previous=first)
    assert _decisions(again) == _decisions(first)
    assert again.terms["stability"] == 0


def test_issued_decisions_never_change():
    p = _problem()
    first = plan_problem(p, ChangeSet.model_validate(
        {"pins": [{"case": "K0", "mode": "designate", "court": "C"}]}), FAST)
    issued = {k: v for k, v in _decisions(first).items() if v[0] in ISSUED_MODES}
    assert issued["K0"] == ("designate", "C")
    # designating to C now costs far more: without --previous K0 would stay home
    q = _problem(mode_designate=5000.0)
    assert _decisions(plan_problem(q, None, FAST))["K0"] != ("designate", "C")
    again = _decisions(plan_problem(q, None, FAST, previous=first))
    assert {k: again[k] for k in issued} == issued


def test_a_plan_of_another_scenario_is_refused():
    p = _problem()
    first = plan_problem(p, None, FAST)
    other = Problem.from_scenario(parse_scenario(scenario([case("Z1", "A")])))
    with pytest.raises(ChangesError, match=r"--previous: .*not a plan of this scenario"):
        plan_problem(other, None, FAST, previous=first)


def test_a_conflict_names_the_right_pin_and_the_ceiling():
    p = _problem()
    ch = ChangeSet.model_validate({
        "rules": {"max_utilisation": 0.1},
        "shocks": [{"court": "C", "factor": 1.19}],
        "pins": [{"case": "K1", "mode": "keep", "court": "A"},
                 {"case": "K0", "mode": "designate", "court": "C"}]})
    with pytest.raises(ChangesConflict) as e:
        plan_problem(p, ch, FAST)
    text = str(e.value)
    assert "pinning case K0 to designate@C (changes.pins[1]) exceeds C's ceiling" in text
    assert "changes.pins[0]" not in text  # the harmless pin is not blamed
    assert "raising the ceiling (max_utilisation) to 0.1" in text
