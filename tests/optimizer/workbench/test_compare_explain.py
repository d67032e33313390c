"""compare and explain: the diff of a plan with itself is empty; an exact regret is the
objective difference of the forced re-solve; estimates are exact where loads cost nothing."""

from __future__ import annotations

import pytest

from optimizer.data.problem import Problem
from optimizer.pipeline import Changes, plan_problem
from optimizer.solver.params import SolveParams
from optimizer.workbench.compare import compare
from optimizer.workbench.explain import exact_regret, explain
from optimizer.workbench.force import force_option, solve_with
from optimizer.workbench.view import PlanMismatch, view
from optimizer.workbench.whynot import why_not
from tests.builders import case, scenario
from tests.conftest import plan_for
from tests.optimizer.workbench.conftest import loaded

EXACT = SolveParams(time_limit=30.0, gap=0.0)


@pytest.fixture(scope="module")
def solved():  # type: ignore[no-untyped-def]
    s, plan = plan_for(loaded(), gap=0.0)
    return view(Problem.from_scenario(s), plan)


def test_compare_with_itself_is_empty(solved) -> None:  # type: ignore[no-untyped-def]
    d = compare(solved.plan, solved.plan)
    assert d.is_empty and not d.cases and not d.courts and d.objective.change == 0


def test_compare_with_a_variant_lists_what_changed(solved) -> None:  # type: ignore[no-untyped-def]
    b = plan_problem(solved.p, Changes(weights={"mode_supervise": 1000.0}), EXACT)
    d = compare(solved.plan, b)
    assert not d.is_empty
    assert d.objective.change == pytest.approx(b.objective - solved.plan.objective)
    by_a = {c.case_id: c for c in solved.plan.cases}
    changed = {c.case_id for c in b.cases
               if (c.mode, c.court_id) != (by_a[c.case_id].mode, by_a[c.case_id].court_id)}
    assert changed and {c.case_id for c in d.cases} == changed
    assert all(c.mode_a == "supervise" and c.mode_b != "supervise" for c in d.cases)
    assert d.terms["mode"].change == pytest.approx(b.terms["mode"] - solved.plan.terms["mode"])


def test_view_reproduces_the_plans_objective(solved) -> None:  # type: ignore[no-untyped-def]
    assert solved.ev.objective == pytest.approx(solved.plan.objective, abs=1e-3)


def test_a_plan_of_another_scenario_is_refused(solved) -> None:  # type: ignore[no-untyped-def]
    other = Problem.from_scenario(plan_for(scenario([case("Z1", "A")]))[0])
    with pytest.raises(PlanMismatch, match="cases"):
        view(other, solved.plan)


def test_exact_regret_is_the_forced_resolve(solved) -> None:  # type: ignore[no-untyped-def]
    e = explain(solved, ["K0"])[0]
    assert e.mode == "supervise" and e.alternatives
    for alt in e.alternatives:
        r = exact_regret(solved, "K0", alt, EXACT)
        forced = solve_with(solved.p, force_option(solved.p, solved.o, 0, alt.row), EXACT)
        k0 = forced.cases[0]
        assert (k0.mode, k0.court_id) == (alt.mode, alt.court_id)  # the force holds
        assert r.regret == pytest.approx(forced.objective - solved.plan.objective, abs=1e-6)
        assert r.regret >= -1e-6  # the plan is optimal: forcing costs, never gains


def test_estimates_are_exact_when_loads_cost_nothing() -> None:
    s, plan = plan_for(loaded({"load_slopes": [0.0, 0.0, 0.0]}), gap=0.0)
    v = view(Problem.from_scenario(s), plan)
    for e in explain(v, ["K1", "K6"]):
        for alt in e.alternatives:
            assert alt.load_change == 0
            assert exact_regret(v, e.case_id, alt, EXACT).regret == pytest.approx(alt.estimate,
                                                                                   abs=1e-3)


def test_alternatives_are_ranked_and_exclude_the_decision(solved) -> None:  # type: ignore[no-untyped-def]
    for e in explain(solved):
        est = [a.estimate for a in e.alternatives]
        assert est == sorted(est)
        assert (e.mode, e.court_id) not in {(a.mode, a.court_id) for a in e.alternatives}


def test_objection_binds_a_transfer(solved) -> None:  # type: ignore[no-untyped-def]
    e = explain(solved, ["K6"])[0]
    moves = [a for a in e.alternatives if a.court_id != "A"]
    assert moves and all("objection" in a.binds for a in moves)


def test_why_not_names_the_rule(solved) -> None:  # type: ignore[no-untyped-def]
    home = why_not(solved, "K5", "A")  # interference: the debtor's home county
    assert not home.lawful and home.rule == "home_locality" and "第74条" in home.article
    assert "237" not in home.article  # the home-locality rule does not rest on Art. 237
    level = why_not(solved, "K0", "M")  # M has no officers
    assert level.rule == "no_officers"
    lawful = why_not(solved, "K0", "B")
    assert lawful.lawful and lawful.estimate == lawful.alternatives[0].estimate
    with pytest.raises(ValueError, match="court 'Q'"):
        why_not(solved, "K0", "Q")
