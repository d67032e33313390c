"""A piece stops branching once its own gap is met, and tries a second restricted MIP from the
LP when the officer dive leaves it far from the bound."""

from __future__ import annotations

import time

import numpy as np

from benchmarks.gap import GapInstance, gap_model
from optimizer.data.problem import Problem
from optimizer.solver import highs, piece
from optimizer.solver.params import SolveParams
from optimizer.solver.piece import PieceSettings, _branch_and_cut, solve_piece
from optimizer.solver.solve import _build, _Reporter


def _hard_gap(agents: int = 10, jobs: int = 100, seed: int = 3) -> GapInstance:
    """A Yagiura type-D generalised assignment problem (costs fall as weights rise, capacity
    tight): HiGHS does not close its gap on one of this size in a minute."""
    rng = np.random.default_rng(seed)
    weight = rng.integers(1, 101, size=(agents, jobs))
    cost = 111 - weight + rng.integers(-10, 11, size=(agents, jobs))
    capacity = np.floor(0.8 * weight.sum(axis=1) / agents).astype(np.int64)
    return GapInstance("d-like", cost.astype(np.float64), weight.astype(np.float64), capacity)


def test_highs_branch_and_cut_is_interrupted_when_told_to_stop():
    m = gap_model(_hard_gap())
    t0 = time.perf_counter()
    res = highs.run(m, True, 30.0, 0.0, 0, stop_when=lambda inc, bnd: inc < float("inf"))
    assert time.perf_counter() - t0 < 10.0
    assert res.values is not None and res.status == "kInterrupt"


def test_branch_and_cut_stops_once_the_pieces_own_bound_meets_the_gap():
    """The piece's bound (its LP with cuts) can be ahead of HiGHS's own dual bound: once the
    incumbent is within the gap of it, branch and cut ends instead of running its share."""
    m = gap_model(_hard_gap())
    first = highs.run(m, True, 1.0, 0.0, 0)
    assert first.values is not None
    bound = first.objective * (1 - 5e-4)  # the piece already knows the gap is 0.05 %
    cfg = PieceSettings(time_limit=30.0, gap=1e-3, seed=0)
    t0 = time.perf_counter()
    best, obj, proven = _branch_and_cut(m, cfg, first.values, first.objective, bound, 30.0, [],
                                        lambda *_: None)
    assert time.perf_counter() - t0 < 10.0
    assert best is not None and obj <= first.objective + 1e-9 and proven >= bound


def test_a_dive_far_from_the_bound_is_followed_by_a_restricted_mip_from_the_lp(lishui, monkeypatch):  # type: ignore[no-untyped-def]
    su = _build(Problem.from_scenario(lishui), SolveParams(), _Reporter(None, 0.0))
    m = max(su.models, key=lambda m: m.n_cols)
    assert m.layout.n_z  # the piece lends officers: its incumbent comes from a dive
    bases: list[np.ndarray] = []
    real = piece.restricted_mip

    def spy(m, base, *args, **kwargs):  # type: ignore[no-untyped-def]
        bases.append(base.copy())
        return real(m, base, *args, **kwargs)

    monkeypatch.setattr(piece, "restricted_mip", spy)
    r = solve_piece(m, PieceSettings(time_limit=20.0, gap=1e-9, seed=0, cut_rounds=0))
    assert r.values is not None
    assert len(bases) == 2  # after the dive's, one from the LP itself
    z = m.layout.z
    lp_officers_fractional = np.abs(bases[1][z] - np.round(bases[1][z])) > 1e-6
    assert lp_officers_fractional.any() and not np.array_equal(bases[0], bases[1])


def test_the_improvement_phase_betters_a_bad_start_and_stays_feasible():
    import dataclasses

    from optimizer.solver.improve import improve
    from optimizer.solver.points import feasible

    m = gap_model(_hard_gap())
    worst = highs.run(dataclasses.replace(m, cost=-m.cost), True, 1.0, 0.0, 0)  # a bad plan
    assert worst.values is not None
    start_obj = float(m.cost @ worst.values)
    steps: list[str] = []
    best, obj = improve(m, worst.values, start_obj, 3.0, PieceSettings(time_limit=3.0, gap=0.0,
                                                                       seed=0), steps)
    assert feasible(m, best) and abs(float(m.cost @ best) - obj) < 1e-6
    assert obj < start_obj * 0.9 and steps[-1].startswith("improvement")


def test_improve_share_is_checked():
    import pytest

    from optimizer.solver.params import ParamsError

    with pytest.raises(ParamsError, match="improve_share"):
        SolveParams(improve_share=1.5)
