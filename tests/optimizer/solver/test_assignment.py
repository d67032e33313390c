"""The local search of pure assignment pieces (`solver/assignment.py`): which pieces qualify,
never a worse or infeasible point, the optimum of small instances, determinism."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.gap import GapInstance, gap_model
from optimizer.data.problem import Problem
from optimizer.solver.assignment import AssignmentView, assignment_view, local_search, tabu_search
from optimizer.solver.params import ParamsError, SolveParams
from optimizer.solver.piece import PieceSettings, solve_piece
from optimizer.solver.points import feasible
from optimizer.solver.solve import _build, _Reporter


def _gap(cost: list[list[float]], weight: list[list[float]], capacity: list[float]) -> GapInstance:
    return GapInstance("tiny", np.array(cost, dtype=np.float64), np.array(weight, dtype=np.float64),
                       np.array(capacity, dtype=np.float64))


def _d_like(agents: int, jobs: int, seed: int) -> GapInstance:
    """Yagiura type D: costs fall as weights rise, capacity at 80 % of the average load."""
    rng = np.random.default_rng(seed)
    weight = rng.integers(1, 101, size=(agents, jobs))
    cost = 111 - weight + rng.integers(-10, 11, size=(agents, jobs))
    capacity = np.floor(0.8 * weight.sum(axis=1) / agents)
    return GapInstance("d-like", cost.astype(np.float64), weight.astype(np.float64), capacity)


def _brute_force(g: GapInstance) -> float:
    best = math.inf
    jobs = np.arange(g.n)
    for agents in itertools.product(range(g.m), repeat=g.n):
        a = np.array(agents)
        load = np.bincount(a, weights=g.weight[a, jobs], minlength=g.m)
        if np.all(load <= g.capacity):
            best = min(best, float(g.cost[a, jobs].sum()))
    return best


def test_a_gap_piece_is_an_assignment_and_reads_back_its_points():
    g = _d_like(4, 12, 1)
    m = gap_model(g)
    view = assignment_view(m)
    assert view is not None and (view.n_cases, view.n_rows) == (12, 4)
    np.testing.assert_array_equal(view.cost, g.cost.T)
    np.testing.assert_array_equal(view.weight, g.weight.T)
    agents = np.arange(12) % 4
    point = view.point(agents, m.n_cols)
    np.testing.assert_array_equal(view.agents_of(point), agents)
    assert view.cost_of(agents) == pytest.approx(float(m.cost @ point))
    assert view.agents_of(np.zeros(m.n_cols)) is None  # a case without an option


def test_a_court_plan_piece_is_not_an_assignment(lishui):  # type: ignore[no-untyped-def]
    su = _build(Problem.from_scenario(lishui), SolveParams(), _Reporter(None, 0.0))
    assert su.models and all(assignment_view(m) is None for m in su.models)


def test_a_row_that_is_not_a_capacity_makes_the_piece_no_assignment():
    m = gap_model(_d_like(3, 6, 2))
    assert assignment_view(dataclasses.replace(m, a_value=np.where(m.a_index >= 6, -m.a_value,
                                                                   m.a_value))) is None
    lower = m.row_lower.copy()
    lower[-1] = 1.0  # a court that must take work: a ≥ row
    assert assignment_view(dataclasses.replace(m, row_lower=lower)) is None
    assert assignment_view(dataclasses.replace(m, upper=np.full(m.n_cols, 2.0))) is None


def test_only_a_swap_improves_this_start_and_the_search_finds_it():
    """Two courts full to the last unit: no case can move alone, swapping cases 0 and 2
    saves 8 (the optimum, 4, by hand)."""
    g = _gap(cost=[[5, 1, 1, 9], [1, 9, 5, 1]], weight=[[2, 3, 2, 3], [2, 3, 2, 3]],
             capacity=[5, 5])
    view = assignment_view(gap_model(g))
    assert view is not None
    start = np.array([0, 0, 1, 1])  # cost 5 + 1 + 5 + 1 = 12
    assert view.fits(start) and view.cost_of(start) == 12
    found = tabu_search(view, start, 10.0, seed=0, max_moves=50)
    assert view.fits(found) and view.cost_of(found) == 4 == _brute_force(g)


def test_the_search_leaves_an_optimal_start_alone():
    g = _gap(cost=[[1, 1, 9], [9, 9, 1]], weight=[[1, 1, 1], [1, 1, 1]], capacity=[2, 1])
    view = assignment_view(gap_model(g))
    assert view is not None
    start = np.array([0, 0, 1])
    np.testing.assert_array_equal(tabu_search(view, start, 10.0, seed=0, max_moves=200), start)


@st.composite
def _tiny_gap_with_start(draw: st.DrawFn) -> tuple[GapInstance, np.ndarray]:
    agents, jobs = draw(st.integers(2, 3)), draw(st.integers(2, 6))
    cost = draw(st.lists(st.lists(st.integers(0, 30), min_size=jobs, max_size=jobs),
                         min_size=agents, max_size=agents))
    weight = np.array(draw(st.lists(st.lists(st.integers(1, 9), min_size=jobs, max_size=jobs),
                                    min_size=agents, max_size=agents)), dtype=np.float64)
    start = np.array(draw(st.lists(st.integers(0, agents - 1), min_size=jobs, max_size=jobs)))
    load = np.bincount(start, weights=weight[start, np.arange(jobs)], minlength=agents)
    slack = np.array(draw(st.lists(st.integers(0, 4), min_size=agents, max_size=agents)))
    return _gap(cost, weight.tolist(), (load + slack).tolist()), start


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tiny_gap_with_start(), st.integers(0, 3))
def test_never_worse_nor_infeasible_and_optimal_on_tiny_gaps(case, seed):  # type: ignore[no-untyped-def]
    g, start = case
    view = assignment_view(gap_model(g))
    assert view is not None
    found = tabu_search(view, start, 10.0, seed=seed, max_moves=300)
    assert view.fits(found)
    assert view.cost_of(found) <= view.cost_of(start) + 1e-9
    assert view.cost_of(found) == pytest.approx(_brute_force(g))


def test_the_same_seed_gives_the_same_assignment():
    g = _d_like(8, 80, 5)
    m = gap_model(g)
    view = assignment_view(m)
    assert view is not None
    start = solve_piece(m, PieceSettings(time_limit=2.0, gap=0.0, seed=0,
                                         assignment_search_share=0.0)).values
    assert start is not None
    agents = view.agents_of(start)
    assert agents is not None
    runs = [tabu_search(view, agents, 60.0, seed=s, max_moves=400) for s in (7, 7, 8)]
    np.testing.assert_array_equal(runs[0], runs[1])
    assert view.fits(runs[0]) and view.cost_of(runs[0]) <= view.cost_of(agents)


def test_local_search_betters_a_poor_point_of_the_model_and_keeps_it_feasible():
    g = _d_like(10, 100, 3)
    m = gap_model(g)
    view = assignment_view(m)
    assert isinstance(view, AssignmentView)
    poor = solve_piece(dataclasses.replace(m, cost=-m.cost),
                       PieceSettings(time_limit=1.0, gap=0.0, seed=0,
                                     assignment_search_share=0.0)).values  # the dearest plan
    assert poor is not None and feasible(m, poor)
    poor_obj = float(m.cost @ poor)
    steps: list[str] = []
    best, obj = local_search(m, view, poor, poor_obj, 1.0, 0, steps)
    assert feasible(m, best) and obj == pytest.approx(float(m.cost @ best))
    assert obj < poor_obj * 0.8 and steps[-1].startswith("local search")


def test_a_gap_piece_runs_the_local_search_around_branch_and_cut():
    m = gap_model(_d_like(10, 100, 3))
    r = solve_piece(m, PieceSettings(time_limit=3.0, gap=0.0, seed=0))
    assert r.values is not None and feasible(m, r.values)
    assert sum(s.startswith("local search") for s in r.steps) >= 1
    assert "local-search" in r.method


def test_assignment_search_share_is_checked():
    with pytest.raises(ParamsError, match="assignment_search_share"):
        SolveParams(assignment_search_share=1.0)
