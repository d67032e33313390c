"""The backlog projection: closed forms, conservation, the three-month gate, the plan's effects
(moves keep their age, lent officers, 执转破 leaving) and plan − no plan = 0 for an empty plan."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.data.outcome_defaults import AGES, DEFAULTS
from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.data.validate_outcomes import add_months
from optimizer.outcomes.calibrate import calibrate, with_plan
from optimizer.outcomes.model import DONE, OTHER, ZHONGBEN, Inputs, run
from optimizer.outcomes.projection import project, to_dict
from optimizer.pipeline import plan_problem
from optimizer.results.plan import StaffMove
from tests.builders import case, scenario
from tests.screening_scenarios import SCENARIOS


def _inputs(n: int = 1, months: int = 24, *, stock: np.ndarray | None = None, filings: float = 0.0,
            lam: float = 0.2, hz: float = 0.0, w: float = 0.0, capacity: float = 1e12,
            z: float = 0.0, r: float = 0.0) -> Inputs:
    x = np.zeros((n, 2, AGES)) if stock is None else stock.astype(float)
    return Inputs(stock=x, filings=np.full((n, months), filings), no_property_share=np.full(n, w),
                  property_rate=np.full(n, lam), zhongben_rate=np.full(n, hz),
                  done_share=np.full(n, 0.6), capacity=np.full((n, months), capacity),
                  zhongben_stock=np.full(n, z), restoration_rate=np.full(n, r),
                  retirement_rate=1 / 60, held=np.zeros_like(x), suspended=np.zeros(n))


def _at(pending: float, age: int = 0, cohort: int = 0) -> np.ndarray:
    x = np.zeros((1, 2, AGES))
    x[0, cohort, age] = pending
    return x


def test_steady_state_pending_is_inflow_over_exit_rate() -> None:
    a, h = 120.0, 0.25
    r = run(_inputs(stock=_at(a / h, 3), filings=a, lam=h))
    assert np.allclose(r.pending[0], a / h)  # P* = A / h, held every month
    p0 = 100.0  # from elsewhere: P(t) = P* + (P0 − P*)(1 − h)^t
    r = run(_inputs(stock=_at(p0), filings=a, lam=h))
    t = np.arange(r.pending.shape[1])
    assert np.allclose(r.pending[0], a / h + (p0 - a / h) * (1 - h) ** t)


def test_a_capacity_bound_court_falls_by_capacity_minus_inflow() -> None:
    a, c = 50.0, 80.0
    r = run(_inputs(stock=_at(2000.0, 4), filings=a, lam=0.5, capacity=c))
    bound = 0.5 * r.pending[0, :-1] > c  # while demand exceeds capacity
    assert bound[:10].all()
    steps = np.diff(r.pending[0])[bound]
    assert np.allclose(steps, a - c)


def test_no_zhongben_exit_before_three_months() -> None:
    r = run(_inputs(stock=_at(100.0, 0, cohort=1), lam=0.0, hz=0.6))
    assert np.all(r.exits[0, ZHONGBEN, :3] == 0) and r.exits[0, ZHONGBEN, 3] == pytest.approx(60)
    assert np.all(r.exits[0, [DONE, OTHER], :] == 0)


def _conserved(r, inp: Inputs) -> None:
    flows = r.filings + r.restorations + r.returned - r.exits.sum(axis=1)
    assert np.allclose(np.diff(r.pending, axis=1), flows, atol=1e-6)
    assert (r.pending >= -1e-9).all() and (r.exits >= -1e-9).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 18), st.floats(0, 500), st.floats(0.01, 0.95),
       st.floats(0, 0.95), st.floats(0, 0.9), st.floats(0, 400), st.floats(0, 5000),
       st.floats(0, 0.05), st.integers(0, 2**31 - 1))
def test_random_histories_conserve_cases_every_month(n, months, filings, lam, hz, w, cap, z, r,
                                                     seed) -> None:
    rng = np.random.default_rng(seed)
    stock = rng.uniform(0, 300, size=(n, 2, AGES))
    inp = _inputs(n, months, stock=stock, filings=filings, lam=lam, hz=hz, w=w, capacity=cap,
                  z=z, r=r)
    inp = replace(inp, held=rng.uniform(0, 5, size=stock.shape))
    res = run(inp)
    _conserved(res, inp)
    gate = np.zeros((n, 2, AGES))
    gate[:, 1, :3] = stock[:, 1, :3]  # only the young cases without property: no 终本 at first
    young = run(replace(inp, stock=gate, filings=np.zeros_like(inp.filings),
                        restoration_rate=np.zeros(n), held=np.zeros_like(gate)))
    assert np.all(young.exits[:, ZHONGBEN, :1] == 0)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60), st.integers(0, 40),
                          st.integers(0, 40), st.integers(0, 1500)), min_size=1, max_size=14),
       st.integers(0, 200))
def test_projection_from_random_court_histories(months_data, restored) -> None:
    raw = scenario([case("K1", "A", filed="2025-03-01"), case("K2", "B", assets=[])])
    raw["history"] = [{"court": "A", "months": [
        {"month": f"{add_months(dt.date(2025, 12, 1), i + 1 - len(months_data)):%Y-%m}",
         "filed": f, "restored": min(restored, f), "closed_done": d, "closed_terminated": zb,
         "closed_other": o, "pending_end": pe} for i, (f, d, zb, o, pe) in enumerate(months_data)]}]
    p = Problem.from_scenario(parse_scenario(raw))
    pr = project(p, None, months=12)
    for r in (pr.plan, pr.none, pr.plan_low, pr.plan_high):
        assert np.isfinite(r.pending).all()
        _conserved(r, None)  # type: ignore[arg-type]
    assert pr.from_history.tolist() == [False, True, False, False]  # M, A, B, C


def _lishui() -> tuple[Problem, object]:
    s = parse_scenario(SCENARIOS["enterprise_zhongben_no_consent"][0])
    p = Problem.from_scenario(s)
    return p, plan_problem(p)


def test_plan_minus_no_plan_is_zero_for_an_empty_plan() -> None:
    p, plan = _lishui()
    empty = replace(plan, cases=tuple(replace(c, court_id=c.from_court_id, note=None)
                                      for c in plan.cases), staff_moves=())
    pr = project(p, empty)
    d = to_dict(pr)
    assert all(v == 0 for series in d["district"]["difference"].values() for v in series)
    assert np.array_equal(pr.plan.pending, pr.none.pending)


def test_moved_cases_keep_their_age_and_lent_officers_add_capacity() -> None:
    raw = scenario([case("K1", "A", filed="2025-05-20", passive=True),
                    case("K2", "B", filed="2025-12-20")])
    p = Problem.from_scenario(parse_scenario(raw))
    c = calibrate(p, 12)
    plan = plan_problem(p)
    rows = {p.court_ids[j]: i for i, j in enumerate(c.courts.tolist())}
    moved = replace(plan, cases=tuple(replace(k, court_id="C") if k.case_id == "K1" else k
                                      for k in plan.cases),
                    staff_moves=(StaffMove("B", "A", 2),))
    inp = with_plan(c, p, moved)
    age = 7  # filed 2025-05-20, plan date 2026-01-01
    delta = inp.stock - c.inputs.stock
    assert delta[rows["A"], 0, age] == -1 and delta[rows["C"], 0, age] == 1
    assert np.count_nonzero(delta) == 2
    q = c.per_officer[rows["B"]]
    assert inp.capacity[rows["A"], 0] - c.inputs.capacity[rows["A"], 0] == pytest.approx(
        2 * q * DEFAULTS.lent_efficiency)
    assert inp.capacity[rows["B"], 0] - c.inputs.capacity[rows["B"], 0] == pytest.approx(-2 * q)
    assert np.array_equal(inp.capacity[:, 6:], c.inputs.capacity[:, 6:])  # the period: 6 months


def test_transfer_groups_leave_and_some_come_back() -> None:
    s = parse_scenario(copy.deepcopy(SCENARIOS["transfer_debtor_consent"][0]))
    p = Problem.from_scenario(s)
    pr = project(p, plan_problem(p))
    assert pr.suspended_cases == 2
    diff = pr.plan.pending.sum(0) - pr.none.pending.sum(0)
    assert diff[0] == pytest.approx(-2)
    assert pr.plan.returned.sum() == pytest.approx(2 * (1 - DEFAULTS.acceptance_share))
    zb = pr.plan.zhongben_stock[:, 0].sum() - pr.none.zhongben_stock[:, 0].sum()
    assert zb == pytest.approx(-DEFAULTS.acceptance_share)  # its listed 终本 case leaves the 终本库


def test_a_what_if_shows_its_projected_effect_in_compare_and_sweep() -> None:
    from optimizer.data.changes import ChangeSet
    from optimizer.workbench.compare import compare
    from optimizer.workbench.sweep import parse_axis, sweep

    raw = scenario([case(f"K{i}", "A", filed="2025-05-01", passive=True) for i in range(6)],
                   rules={"max_utilisation": None})
    p = Problem.from_scenario(parse_scenario(raw))
    base = plan_problem(p)
    assert base.kpis["projection"]["pending_12m"]["plan"] >= 0
    variant = plan_problem(p, ChangeSet.model_validate({"officers": [{"court": "A", "add": 10}]}))
    d = compare(base, variant)
    assert "projection.pending_12m.plan" in d.kpis
    rows = sweep(p, [parse_axis("officers:A=0,20")])
    assert all("kpi.projection.pending_12m.difference" in r for r in rows)


def test_project_applies_the_plans_what_if_like_the_plan_did(tmp_path) -> None:
    import json

    from optimizer.cli import main
    from optimizer.data.changes import ChangeSet
    from tests.builders import base_courts

    courts = base_courts(A={"officers": 2, "open_caseload": 200.0})  # short of staff: capacity binds
    raw = scenario([case(f"K{i}", "A", filed="2025-09-01") for i in range(3)], courts)
    (tmp_path / "s.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    p = Problem.from_scenario(parse_scenario(raw))
    plan = plan_problem(p, ChangeSet.model_validate({"officers": [{"court": "A", "add": 5}]}))
    (tmp_path / "plan.json").write_text(plan.to_json(), encoding="utf-8")
    common = ["project", str(tmp_path / "plan.json"), "--scenario", str(tmp_path / "s.json")]
    assert main([*common, "--officers", "A=+5", "--out", str(tmp_path / "with.json")]) == 0
    assert main([*common, "--out", str(tmp_path / "base.json")]) == 0
    with_change = json.loads((tmp_path / "with.json").read_text(encoding="utf-8"))
    without = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))
    assert with_change["kpis"] == plan.kpis["projection"]
    assert without["kpis"] != plan.kpis["projection"]  # five more officers close more
