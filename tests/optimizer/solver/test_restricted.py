"""The restricted MIP on the sub-model of free columns equals HiGHS on the whole model with
the same columns fixed."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.data.problem import Problem
from optimizer.solver import highs
from optimizer.solver.highs import Outcome
from optimizer.solver.params import SolveParams
from optimizer.solver.piece import PieceSettings
from optimizer.solver.points import round_lp
from optimizer.solver.restricted import run_fixed, sub_model
from optimizer.solver.solve import _build, _Reporter


@pytest.fixture(scope="module")
def model(lishui):  # type: ignore[no-untyped-def]
    su = _build(Problem.from_scenario(lishui), SolveParams(), _Reporter(None, 0.0))
    return max(su.models, key=lambda m: m.n_cols)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fixing_columns_then_solving_the_rest_is_the_whole_model_with_them_fixed(model, seed):  # type: ignore[no-untyped-def]
    lp = highs.run(model, False, 30, 0.0, 0)
    point = round_lp(model, lp.values)
    rng = np.random.default_rng(seed)
    lay = model.layout
    fix = lay.x0 + np.flatnonzero(rng.random(lay.n_x) < 0.7)
    lower, upper = model.lower.copy(), model.upper.copy()
    lower[fix] = upper[fix] = point[fix]
    cfg = PieceSettings(time_limit=30, gap=0.0, seed=0)
    reduced = run_fixed(model, lower, upper, 30, cfg, None)
    whole = highs.run(model, True, 30, 0.0, 0, lower, upper)
    assert reduced.outcome is whole.outcome is Outcome.OPTIMAL
    assert reduced.objective == pytest.approx(whole.objective, rel=1e-9, abs=1e-6)
    assert reduced.values is not None
    assert np.array_equal(reduced.values[fix], point[fix])  # the fixed columns as fixed
    assert float(model.cost @ reduced.values) == pytest.approx(reduced.objective, rel=1e-9)
    act = model.activity(reduced.values)
    assert np.all(act <= model.row_upper + 1e-6) and np.all(act >= model.row_lower - 1e-6)


def test_fixed_columns_that_break_a_row_alone_are_infeasible(model):  # type: ignore[no-untyped-def]
    lay = model.layout
    lower, upper = model.lower.copy(), model.upper.copy()
    case = int(np.flatnonzero(np.bincount(model.x_case) >= 2)[0])
    options = np.flatnonzero(model.x_case == case)
    lower[options] = upper[options] = 1.0  # every option of one case at once
    assert sub_model(model, lower, upper) is None
    res = run_fixed(model, lower, upper, 5, PieceSettings(time_limit=5, gap=0.0, seed=0), None)
    assert res.outcome is Outcome.INFEASIBLE and res.values is None
    assert lay.n_x > 0
