"""recommend: a new case's best option, priced from the plan's loads, agrees with the best
completion of the plan (everything else pinned) in the scenario with the case added."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.data.validate import ScenarioError
from optimizer.law.modes import MODE_BY_KEY, Mode
from optimizer.model.decision import Decision
from optimizer.model.options import build_options
from optimizer.results import gate
from optimizer.results.evaluate import evaluate
from optimizer.results.plan import Plan
from optimizer.workbench.recommend import recommend
from optimizer.workbench.view import view
from tests.builders import base_courts, case, scenario
from tests.conftest import plan_for
from tests.optimizer.workbench.conftest import WEIGHTS

COURTS = ("A", "B", "C")


def _pinned(p: Problem, plan: Plan) -> Decision:
    """The plan's decision over the options of `p` (which has one more case, last)."""
    o = build_options(p)
    option = np.full(p.n_cases, -1, dtype=np.int64)
    for i, c in enumerate(plan.cases):
        rows = np.flatnonzero((o.case == i) & (o.mode == MODE_BY_KEY[c.mode])
                              & (o.court == p.court_ids.index(c.court_id)))
        assert len(rows) == 1, c
        option[i] = rows[0]
    return Decision(option, np.full(len(set(o.target_group.tolist())), -1, dtype=np.int64),
                    np.zeros(len(o.lend_from), dtype=np.int64))


def _best_completion(data: dict, plan: Plan, new: dict) -> float:
    """min over the new case's options of the objective with every other case as planned."""
    w = new["workload"]
    for c in data["courts"]:
        if c["id"] == new["court"]:
            c["open_caseload"] += w
    data["cases"].append(new)
    p = Problem.from_scenario(parse_scenario(data))
    o = build_options(p)
    base = _pinned(p, plan)
    best = np.inf
    for r in np.flatnonzero(o.case == p.n_cases - 1):
        option = base.option.copy()
        option[-1] = r
        d = Decision(option, base.group_target, base.lent)
        ev = evaluate(p, o, d)
        if not gate.check(p, o, d, ev):
            best = min(best, ev.objective)
    return float(best)


case_st = st.fixed_dictionaries({
    "court": st.sampled_from(COURTS), "workload": st.sampled_from([1.0, 4.0, 12.0]),
    "passive": st.booleans(), "objects": st.booleans(), "interference": st.booleans(),
    "old": st.booleans()})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(case_st, min_size=1, max_size=5), new=case_st,
       officers=st.tuples(*[st.integers(1, 4)] * 3),
       per_officer=st.tuples(*[st.sampled_from([30.0, 50.0, 58.0, 70.0])] * 3),
       ceiling=st.sampled_from([None, 1.3]))
def test_incremental_cost_is_the_best_completion(cases, new, officers, per_officer,  # type: ignore[no-untyped-def]
                                                 ceiling) -> None:
    def make(k: int, c: dict) -> dict:
        return case(f"K{k}", c["court"], workload=c["workload"], passive=c["passive"],
                    objects=c["objects"], interference=c["interference"],
                    filed="2025-01-10" if c["old"] else "2025-12-01")

    # (the open caseload holds at least the listed cases: a file with less is refused)
    listed = {cid: sum(c["workload"] for c in cases if c["court"] == cid) for cid in COURTS}
    courts = base_courts(**{cid: {"officers": n, "open_caseload": max(x * n, listed[cid])}
                            for cid, n, x in zip(COURTS, officers, per_officer, strict=True)})
    data = scenario([make(k, c) for k, c in enumerate(cases)], courts, weights=WEIGHTS,
                    rules={"max_utilisation": ceiling})
    s, plan = plan_for(data, gap=0.0)
    p = Problem.from_scenario(s)
    v = view(p, plan)
    record = make(99, new)
    load = p.open_caseload + np.where(np.array(p.court_ids) == new["court"], new["workload"], 0)
    util = np.where(p.capacity > 0, load / np.maximum(p.capacity, 1), np.inf)
    # the new case must not change the other cases' reasons (the note says it is not priced)
    assume(np.array_equal(util > p.rules.understaffed_utilisation,
                          p.utilisation_before > p.rules.understaffed_utilisation))
    r = recommend(v, record, k=3)
    best = _best_completion(data, plan, record)
    if not r.options:
        assert best == np.inf
        return
    assert r.options[0].incremental == pytest.approx(best - plan.objective, abs=1e-3)
    assert [o.incremental for o in r.options] == sorted(o.incremental for o in r.options)


def test_a_bad_record_names_the_field() -> None:
    s, plan = plan_for(scenario([case("K1", "A")], base_courts()))
    v = view(Problem.from_scenario(s), plan)
    bad = case("N1", "Q")
    with pytest.raises(ScenarioError, match=r"case\.court N1: executing court 'Q'"):
        recommend(v, bad)
    with pytest.raises(ScenarioError, match=r"case\.workload"):
        recommend(v, {**case("N1", "A"), "workload": -1})
    with pytest.raises(ScenarioError, match="already in the scenario"):
        recommend(v, case("K1", "A"))


def test_keep_only_for_a_case_without_reasons() -> None:
    s, plan = plan_for(scenario([case("K1", "A")], base_courts()))
    r = recommend(view(Problem.from_scenario(s), plan), case("N1", "B"))
    assert [(o.mode, o.court_id) for o in r.options] == [(Mode.KEEP.key, "B")]
