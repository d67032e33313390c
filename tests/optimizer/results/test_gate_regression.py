"""A hard rule broken behind a `feasible` status (found in review): debtor groups that link
pieces are decided from the relaxed copies and repaired outside HiGHS; nothing checked the
repaired decision against the load ceilings. Every decision now passes the rule gate."""

from __future__ import annotations

from typing import Any

from tests.builders import case, scenario, two_prefecture_courts
from tests.checker import check_plan
from tests.conftest import plan_for


def ceiling_behind_linking_group() -> dict[str, Any]:
    """Two prefectures share debtor D1 (K1 at A, K2 at C). Both relaxed copies like court C
    best (K1's applicant prefers it), but C is exactly at its ceiling (max_utilisation 1.0),
    so concentrating there would push it over."""
    courts = two_prefecture_courts(C={"open_caseload": 1200.0})
    ks = [case("K1", "A", debtor_id="D1", preferred="C"), case("K2", "C", debtor_id="D1"),
          case("K3", "B"), case("K4", "D")]
    w = {"mode_concentrate": 100.0, "change_court": 50.0, "unresolved_related": 300.0,
         "mode_supervise": 40.0, "unresolved_passive": 400.0, "preferred_court_bonus": 80.0}
    return scenario(ks, courts, weights=w, dispatcher="H", rules={"max_utilisation": 1.0})


def test_repaired_linking_decision_may_not_break_a_ceiling():
    # pieces forced small, so D1's group links two pieces and is relaxed then repaired
    s, plan = plan_for(ceiling_behind_linking_group(), max_piece_cases=1)
    assert plan.stats.linking_groups == 1
    assert not check_plan(s, plan)
    k2_court = next(c.court_id for c in plan.cases if c.case_id == "K1")
    assert k2_court != "C"  # C is at its ceiling: nothing may be concentrated there
    # the rejected decision is recorded, and the plan is honest about what it is
    assert any("ceiling" in v for v in plan.stats.rule_violations)
    assert plan.status in ("optimal", "within_gap", "feasible")


def test_gate_flags_a_decider_the_law_does_not_empower():
    """Who decides is a hard rule (规范性): the gate reads it from the decision and the mode's spec."""
    import dataclasses

    import numpy as np

    from optimizer.data.problem import Problem
    from optimizer.data.read import parse_scenario
    from optimizer.law.modes import Mode
    from optimizer.model.decision import Decision
    from optimizer.model.options import build_options
    from optimizer.results import gate
    from optimizer.results.evaluate import evaluate
    from tests.builders import scenario as make

    p = Problem.from_scenario(parse_scenario(make([case("K1", "A", passive=True)])))
    o = build_options(p)
    row = int(np.flatnonzero((o.case == 0) & (o.mode == Mode.DESIGNATE))[0])
    d = Decision(np.array([row]), np.zeros(0, dtype=np.int64), np.zeros(len(o.lend_from), dtype=np.int64))
    assert not gate.check(p, o, d, evaluate(p, o, d))
    # the designation decided by the case's own court (not a superior): flagged
    wrong = o.decider.copy()
    wrong[row] = p.case_court[0]
    o_bad = dataclasses.replace(o, decider=wrong)
    assert any("does not empower" in v for v in gate.check(p, o_bad, d, evaluate(p, o_bad, d)))
