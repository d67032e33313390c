"""`explain --exact` on a small generated scenario solved to proven optimality: for cases of every
mode — members of concentrated groups among them — the exact regret of each of its cheapest
alternatives equals the planner's own pinned re-solve (`--pin CASE=mode@court`, gap 0), and
`explain` answers for every case of every debtor group (a pin of one member to 集中执行 pulls its
whole group; it once crashed the model build)."""

from __future__ import annotations

import pytest

from optimizer.data.changes import ChangeSet, Pin
from optimizer.data.generate import generate
from optimizer.data.problem import Problem
from optimizer.data.scenario import Scenario
from optimizer.law.modes import Mode
from optimizer.pipeline import plan_problem
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams
from optimizer.workbench.explain import exact_regret, explain
from optimizer.workbench.view import PlanView, view
from tests.checker import check_plan

EXACT = SolveParams(gap=0.0, time_limit=60)


@pytest.fixture(scope="module")
def solved() -> tuple[Problem, Plan, PlanView]:
    s = Scenario.model_validate(generate("lishui", seed=1, cases=300))
    p = Problem.from_scenario(s)
    plan = plan_problem(p, None, EXACT)
    assert plan.status == "optimal" and not check_plan(s, plan)
    return p, plan, view(p, plan)


def _sample(plan: Plan, v: PlanView) -> list[str]:
    """Two cases of every mode that have an alternative (members of concentrated groups among
    them)."""
    has_alternative = {e.case_id for e in explain(v) if e.alternatives}
    out: list[str] = []
    for mode in Mode:
        ids = sorted(c.case_id for c in plan.cases
                     if c.mode == mode.key and c.case_id in has_alternative)
        out += ids[:1] + ids[-1:] if len(ids) > 1 else ids
    return list(dict.fromkeys(out))


def test_the_sample_has_every_mode_and_group_members(solved) -> None:  # type: ignore[no-untyped-def]
    _, plan, v = solved
    sample = set(_sample(plan, v))
    modes = {c.mode for c in plan.cases if c.case_id in sample}
    assert modes == {m.key for m in Mode}
    assert sum(c.mode == "concentrate" for c in plan.cases) >= 2


@pytest.mark.parametrize("k", range(14))
def test_exact_regret_equals_the_pinned_re_solve(solved, k: int) -> None:  # type: ignore[no-untyped-def]
    p, plan, v = solved
    sample = _sample(plan, v)
    if k >= len(sample):
        pytest.skip("fewer sampled cases")
    case_id = sample[k]
    (e,) = explain(v, [case_id])
    assert e.alternatives, case_id
    for alt in e.alternatives[:2]:
        regret = exact_regret(v, case_id, alt, EXACT)
        pinned = plan_problem(p, ChangeSet(pins=(Pin(case=case_id, mode=alt.mode,
                                                     court=alt.court_id),)), EXACT)
        assert regret.status == pinned.status == "optimal"
        assert regret.regret == pytest.approx(pinned.objective - plan.objective, abs=1e-3)
        assert regret.regret_low == pytest.approx(regret.regret_high, abs=1e-3)
        assert regret.regret >= -1e-3  # the plan is optimal: no alternative is cheaper
        got = {c.case_id: (c.mode, c.court_id) for c in pinned.cases}
        assert got[case_id] == (alt.mode, alt.court_id)


def test_explain_answers_for_every_member_of_every_group(solved) -> None:  # type: ignore[no-untyped-def]
    p, _, v = solved
    members = [p.case_ids[i] for i in range(p.n_cases) if p.related_groups[0][i] >= 0]
    assert members
    for e in explain(v, members):
        for alt in e.alternatives[:1]:
            r = exact_regret(v, e.case_id, alt, EXACT)
            assert r.status == "optimal" and r.regret >= -1e-3, (e.case_id, alt)
