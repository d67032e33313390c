"""The HiGHS adapter: every model status has an outcome, infeasibility is reported as such,
and HiGHS stays silent."""

from __future__ import annotations

import dataclasses

import highspy
import numpy as np
import pytest

from optimizer.model.options import build_options
from optimizer.model.pieces import court_components, find_pieces
from optimizer.model.rows import build_model
from optimizer.solver import highs
from optimizer.solver.baseline import free_cases
from optimizer.solver.highs import STATUS_MAP, Outcome
from tests.builders import base_courts, case, scenario
from tests.optimizer.model.provinces import compile_


def tiny_model():
    courts = base_courts(M={"officers": 30})
    data = scenario([case("K1", "A", passive=True), case("K2", "B", complex=True)], courts,
                    weights={"mode_supervise": 40.0, "unresolved_passive": 100.0,
                             "unresolved_complex": 50.0, "mode_elevate": 80.0,
                             "mode_designate": 120.0, "mode_coordinate": 100.0})
    p = compile_(data)
    o = build_options(p)
    free = free_cases(p, o)
    comp, _ = court_components(p, o, free, 100)
    (pc,) = find_pieces(p, o, free, comp)
    return build_model(p, o, pc)


def test_status_map_covers_every_highs_model_status():
    members = set(highspy.HighsModelStatus.__members__.values())
    assert members and members <= set(STATUS_MAP)
    assert set(STATUS_MAP.values()) == set(Outcome)
    ms = highspy.HighsModelStatus
    assert STATUS_MAP[ms.kOptimal] is Outcome.OPTIMAL
    assert STATUS_MAP[ms.kInfeasible] is Outcome.INFEASIBLE
    assert STATUS_MAP[ms.kTimeLimit] is Outcome.STOPPED
    assert STATUS_MAP[ms.kSolveError] is Outcome.ERROR


@pytest.mark.parametrize("integer", [False, True])
def test_infeasible_model_is_reported_infeasible(integer):
    m = tiny_model()
    # no option may be taken, yet every case must take exactly one
    upper = m.upper.copy()
    upper[m.layout.x] = 0.0
    upper[m.layout.y] = 0.0
    res = highs.run(m, integer, 5.0, 0.0, 0, upper=upper)
    assert res.outcome is Outcome.INFEASIBLE
    assert res.values is None and res.objective == np.inf and not res.optimal


def test_infeasible_rows_are_reported_infeasible():
    m = tiny_model()
    rows = m.row_family["one_option"]
    lower = m.row_lower.copy()
    lower[rows] = 2.0  # two options per case: impossible with x ≤ 1 and one row per case…
    upper = m.row_upper.copy()
    upper[rows] = 2.0
    bad = dataclasses.replace(m, row_lower=lower, row_upper=upper,
                              upper=np.where(np.arange(m.n_cols) < m.layout.z0, 0.0, m.upper))
    assert highs.run(bad, True, 5.0, 0.0, 0).outcome is Outcome.INFEASIBLE


def test_feasible_model_is_optimal_with_a_tight_bound():
    m = tiny_model()
    for integer in (False, True):
        res = highs.run(m, integer, 5.0, 0.0, 0)
        assert res.outcome is Outcome.OPTIMAL and res.optimal
        assert res.values is not None and len(res.values) == m.n_cols
        assert float(m.cost @ res.values) == pytest.approx(res.objective)
        assert res.bound == pytest.approx(res.objective)
    # passive → supervise (40 < 100); complex: elevate 80, coordinate 100 > 50 unresolved: keep
    assert res.objective == pytest.approx(40.0 + 50.0)


def test_creating_and_running_highs_prints_nothing(capfd):
    capfd.readouterr()
    highs.new_highs(1.0, 0.0, 0)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    m = tiny_model()
    capfd.readouterr()
    highs.run(m, True, 5.0, 0.0, 0)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_cold_rerun_as_good_as_the_misreported_start_gives_its_bound():
    """A brute-force example (four cases, one debtor group): branch and cut from the restricted
    MIP's point, HiGHS 1.16 reported a better objective than the point it returned; the cold
    re-run found the same point, proven optimal, but was dropped for not being strictly better,
    and the plan ended `feasible` at the LP bound with gap 0 asked."""
    import json
    from pathlib import Path

    from optimizer.data.problem import Problem
    from optimizer.data.read import parse_scenario
    from optimizer.pipeline import solve
    from optimizer.solver.params import SolveParams

    data = json.loads((Path(__file__).parents[2] / "data" / "warm_misreport_tie.json")
                      .read_text(encoding="utf-8"))
    plan = solve(Problem.from_scenario(parse_scenario(data)), SolveParams(time_limit=20, gap=0.0))
    assert plan.objective == pytest.approx(6373.0)
    assert plan.status == "optimal" and plan.bound == pytest.approx(6373.0)
