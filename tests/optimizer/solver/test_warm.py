"""Warm starts of what-if variants (`solver/warm.py`): what a base plan carries over is valid in
the variant, or it is not carried."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from optimizer.data.changes import ChangeSet, OfficerChange, Shock
from optimizer.data.generate import generate
from optimizer.data.problem import Problem
from optimizer.data.scenario import Scenario
from optimizer.pipeline import apply_changes, plan_problem
from optimizer.solver import cuts as rc
from optimizer.solver import warm
from optimizer.solver.params import SolveParams
from optimizer.solver.solve import _build, _Reporter


@pytest.fixture(scope="module")
def zhejiang_small() -> Problem:
    """A Zhejiang of 3,000 cases: officers are lent, so the LP gets residual-capacity cuts."""
    return Problem.from_scenario(Scenario.model_validate(generate("zhejiang", seed=2, cases=3000)))


@pytest.fixture(scope="module")
def base_plan(zhejiang_small: Problem):  # type: ignore[no-untyped-def]
    return plan_problem(zhejiang_small, None, SolveParams(keep_warm_start=True, time_limit=60))


def _model(p: Problem):  # type: ignore[no-untyped-def]
    su = _build(p, SolveParams(), _Reporter(None, 0.0))
    assert len(su.models) == 1
    return su.models[0]


def test_the_base_keeps_its_cuts_basis_and_officers_in_memory_only(base_plan) -> None:  # type: ignore[no-untyped-def]
    (start,) = base_plan.warm_starts.values()
    assert start.cuts.n > 0 and start.basis is not None and start.officers is not None
    assert len(start.basis[1]) > start.cuts.n  # the model's rows and the cut rows
    assert "warm_starts" not in base_plan.to_json()


@pytest.mark.parametrize("change", [
    ChangeSet(officers=(OfficerChange(court="C330102", add=4),)),
    ChangeSet(shocks=(Shock(court="C330381", factor=1.5),)),
    ChangeSet(weights={"applicant_travel": 2.0}),
    ChangeSet(rules={"cases_per_lent_officer": 25}),
    ChangeSet(bar_receiving=("C330102",)),
], ids=["officers", "shock", "weight", "cases-per-officer", "barred"])
def test_a_warm_variant_and_its_cold_solve_bound_each_other(zhejiang_small, base_plan,  # type: ignore[no-untyped-def]
                                                           change: ChangeSet) -> None:
    # a carried cut that is not valid in the variant would lift the warm bound above the cold
    # plan's objective (an objective no valid bound can exceed), and vice versa
    params = SolveParams(time_limit=60)
    cold = plan_problem(zhejiang_small, change, params)
    hot = plan_problem(zhejiang_small, change, params, warm_start=base_plan)
    tol = 1e-7 * abs(cold.objective)
    assert hot.bound <= cold.objective + tol
    assert cold.bound <= hot.objective + tol
    assert hot.gap <= params.gap and cold.gap <= params.gap
    assert hot.terms.get("stability", 0.0) == 0.0
    steps = " ".join(hot.stats.pieces_detail[0].steps)
    carried = "cuts carried from the base plan" in steps
    # (with another k only the cuts that are residual-capacity cuts for that k too are carried:
    # those with q = 0; the bound check above is what shows them valid)
    assert carried or "cases_per_lent_officer" in change.rules
    assert hot.status != "infeasible" and cold.status != "infeasible"


def test_cuts_are_carried_only_into_the_same_coordinate_rows(zhejiang_small, base_plan) -> None:  # type: ignore[no-untyped-def]
    (start,) = base_plan.warm_starts.values()
    same = _model(zhejiang_small)
    carried = warm.carry(same, rc.coordinate_rows(same), start)
    assert carried.cuts is not None and carried.cuts.n == start.cuts.n
    assert carried.basis is not None and carried.model.n_rows == same.n_rows + start.cuts.n
    other_k = apply_changes(zhejiang_small, ChangeSet(rules={"cases_per_lent_officer": 3}))
    changed = _model(other_k)
    rows = rc.coordinate_rows(changed)
    carried = warm.carry(changed, rows, start)
    assert carried.cuts is None or carried.cuts.n < start.cuts.n  # not all hold for k = 3 (r ≥ 3)
    _holds_for_whole_plans(carried.cuts, rows)


def _holds_for_whole_plans(cuts: rc.Cuts | None, rows: list[rc.CoordinateRow]) -> None:
    """Every cut holds at random whole points of its row (x binary, Σ x ≤ k·B, B whole)."""
    rng = np.random.default_rng(0)
    for j in range(cuts.n if cuts is not None else 0):
        assert cuts is not None
        idx = cuts.index[cuts.start[j]:cuts.start[j + 1]]
        val = cuts.value[cuts.start[j]:cuts.start[j + 1]]
        row = next(r for r in rows if np.isin(idx, np.r_[r.x_cols, r.z_cols]).all())
        for _ in range(300):
            v = {int(c): 0.0 for c in np.r_[row.x_cols, row.z_cols]}
            officers = rng.integers(0, 4, size=len(row.z_cols))
            on = rng.permutation(row.x_cols)[: min(len(row.x_cols), int(row.k * officers.sum()))]
            on = on[: rng.integers(0, len(on) + 1)]
            v.update({int(c): 1.0 for c in on})
            v.update({int(c): float(n) for c, n in zip(row.z_cols, officers, strict=True)})
            assert sum(v[int(c)] * a for c, a in zip(idx, val, strict=True)) <= cuts.upper[j] + 1e-9


def test_a_forged_cut_is_not_carried(zhejiang_small, base_plan) -> None:  # type: ignore[no-untyped-def]
    # Σ_X x − B ≤ 0 on a real row (every case, one officer each) is no residual-capacity cut
    (start,) = base_plan.warm_starts.values()
    m = _model(zhejiang_small)
    rows = rc.coordinate_rows(m)
    row = max(rows, key=lambda r: len(r.x_cols))
    forged = rc.Cuts(np.array([0, len(row.x_cols) + len(row.z_cols)]),
                     np.r_[row.x_cols, row.z_cols], np.r_[np.ones(len(row.x_cols)),
                                                          -np.ones(len(row.z_cols))], np.zeros(1))
    carried = warm.carry(m, rows, replace(start, cuts=forged, basis=None))
    assert carried.cuts is None
    _holds_for_whole_plans(warm.carry(m, rows, start).cuts, rows)  # the genuine ones hold


def test_a_barred_court_keeps_the_rest_of_the_warm_start(zhejiang_small, base_plan) -> None:  # type: ignore[no-untyped-def]
    # the barred court's options are gone: the columns and rows that remain map by their keys
    (start,) = base_plan.warm_starts.values()
    receiver = max(base_plan.courts, key=lambda c: c.cases_in).court_id
    barred = _model_under(zhejiang_small, ChangeSet(bar_receiving=(receiver,)))
    assert barred.n_cols < len(start.col_key)
    carried = warm.carry(barred, rc.coordinate_rows(barred), start)
    assert carried.officers is not None and carried.cuts is not None
    if carried.basis is not None:  # as many basic variables as rows
        cols, rows = carried.basis
        assert int((cols == 1).sum() + (rows == 1).sum()) == carried.model.n_rows
    rows = rc.coordinate_rows(barred)
    for j in range(carried.cuts.n):  # each carried cut lies on one coordinate row
        idx = carried.cuts.index[carried.cuts.start[j]:carried.cuts.start[j + 1]]
        assert any(np.isin(idx, np.r_[r.x_cols, r.z_cols]).all() for r in rows)


def _model_under(p: Problem, change: ChangeSet):  # type: ignore[no-untyped-def]
    from optimizer.model.restrictions import restrictions_from

    r = restrictions_from(p, change)
    su = _build(p, SolveParams(), _Reporter(None, 0.0), r)
    return su.models[0]


def test_concatenated_cuts_keep_every_row() -> None:
    a = rc.Cuts(np.array([0, 2, 3]), np.array([0, 5, 1]), np.array([1.0, -2.0, 1.0]),
                np.array([4.0, 1.0]))
    b = rc.Cuts(np.array([0, 2]), np.array([2, 3]), np.array([1.0, -3.0]), np.array([7.0]))
    both = warm.concat([a, rc.Cuts(np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0),
                                   np.zeros(0)), b])
    assert both.n == 3
    rows = [(both.index[s:e].tolist(), both.value[s:e].tolist())
            for s, e in zip(both.start[:-1], both.start[1:], strict=True)]
    assert rows == [([0, 5], [1.0, -2.0]), ([1], [1.0]), ([2, 3], [1.0, -3.0])]
    assert both.upper.tolist() == [4.0, 1.0, 7.0]


def test_a_warm_variant_separates_its_own_load_cuts(zhejiang_small, base_plan) -> None:  # type: ignore[no-untyped-def]
    # the base keeps no load cut (valid for its officer counts only), but the variant rounds
    # its own load rows as a cold solve does: its LP bound is the higher for them
    change = ChangeSet(officers=(OfficerChange(court="C330102", add=4),))
    bounds = []
    for load_cuts in (False, True):
        hot = plan_problem(zhejiang_small, change, SolveParams(time_limit=60, load_cuts=load_cuts),
                           warm_start=base_plan)
        (lp, *_) = (m for s in hot.stats.pieces_detail[0].steps
                    if (m := re.match(r"lp ([0-9.]+), fractional", s)))
        bounds.append(float(lp.group(1)))
    assert bounds[1] > bounds[0] + 1.0


def test_a_piece_keeping_a_warm_start_still_rounds_its_load_rows(zhejiang_small) -> None:  # type: ignore[no-untyped-def]
    # (the service keeps a warm start for every run: its plans get the load cuts too, while
    # what it keeps for variants holds none)
    bounds = []
    for load_cuts in (False, True):
        plan = plan_problem(zhejiang_small, None, SolveParams(time_limit=60, load_cuts=load_cuts,
                                                              keep_warm_start=True))
        (lp, *_) = (m for s in plan.stats.pieces_detail[0].steps
                    if (m := re.match(r"lp ([0-9.]+), fractional", s)))
        bounds.append(float(lp.group(1)))
        (start,) = plan.warm_starts.values()
        assert start.basis is not None and len(start.basis[1]) == len(start.row_key) + start.cuts.n
    assert bounds[1] > bounds[0] + 1.0
