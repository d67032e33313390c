"""Residual-capacity cuts: valid for every whole-officer point, and they cut off the LP's."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from optimizer.solver.cuts import CoordinateRow, separate


def _row(n_cases: int, n_lenders: int, k: float) -> CoordinateRow:
    x = np.arange(n_cases, dtype=np.int64)
    z = np.arange(n_cases, n_cases + n_lenders, dtype=np.int64)
    return CoordinateRow(x, z, k)


@pytest.mark.parametrize(("n_cases", "k"), [(23, 10.0), (7, 3.0), (9, 2.5)])
def test_cut_removes_the_fractional_officers_and_keeps_every_whole_plan(n_cases: int,
                                                                        k: float) -> None:
    row = _row(n_cases, 2, k)
    lp = np.r_[np.ones(n_cases), n_cases / k / 2, n_cases / k / 2]  # officers n/k, fractional
    cuts = separate([row], lp)
    assert cuts.n == 1
    cols, vals = cuts.index, cuts.value

    def lhs(v: np.ndarray) -> float:
        return float(v[cols] @ vals)

    assert lhs(lp) > cuts.upper[0] + 1e-6  # the LP point is cut off
    rng = np.random.default_rng(0)
    for _ in range(3000):  # whole plans: Σ x ≤ k·(z1 + z2), officers whole
        z = rng.integers(0, 4, size=2)
        x = (rng.random(n_cases) < rng.random()).astype(float)
        on = np.flatnonzero(x)
        x[on[int(np.floor(k * z.sum())):]] = 0.0
        assert lhs(np.r_[x, z]) <= cuts.upper[0] + 1e-9


def test_no_cut_when_officers_are_whole_or_cases_few() -> None:
    row = _row(5, 1, 10.0)
    assert separate([row], np.r_[np.ones(5), 1.0]).n == 0  # one whole officer serves them
    for x in itertools.product((0.0, 1.0), repeat=5):
        assert separate([row], np.r_[x, sum(x) / 10]).n in (0, 1)
    assert separate([row], np.r_[np.ones(5), 0.5]).n == 1  # half an officer for 5 cases


def _load_row(load: np.ndarray, c: float, upper: float, bands: int, borrow: int, lend: int):
    """A court's load row over columns [x…, s…, z borrowed…, z lent…]."""
    from optimizer.solver.cuts import LoadRow

    n = len(load)
    x = np.arange(n, dtype=np.int64)
    s = np.arange(n, n + bands, dtype=np.int64)
    z = np.arange(n + bands, n + bands + borrow + lend, dtype=np.int64)
    return LoadRow(x, load.astype(float), s, z, np.r_[np.full(borrow, -c), np.full(lend, c)], c,
                   upper)


@pytest.mark.parametrize(("bands", "borrow", "lend"), [(3, 2, 0), (0, 1, 0), (2, 0, 2), (1, 1, 1)])
def test_load_rounding_cut_keeps_every_whole_plan_and_cuts_the_lp(bands, borrow, lend) -> None:
    from optimizer.solver.cuts import separate_load

    rng = np.random.default_rng(bands * 10 + borrow + lend)
    load = rng.uniform(0.5, 3.0, size=12)
    c, upper = 7.3, 9.1
    row = _load_row(load, c, upper, bands, borrow, lend)
    n_z = borrow + lend

    def net(z: np.ndarray) -> float:  # officers borrowed − lent
        return float(z[:borrow].sum() - z[borrow:].sum())

    # an LP point: every case at this court, no load above target, fractional officers
    # covering exactly what the cases bring
    need = (load.sum() - upper) / c
    z = np.zeros(n_z)
    if borrow:
        z[:borrow] = max(need, 0.0) / borrow
    if lend and need < 0:
        z[borrow:] = -need / lend
    lp = np.r_[np.ones(len(load)), np.zeros(bands), z]
    cuts = separate_load([row], lp)
    if abs(need - round(need)) > 1e-3 and (bands or borrow or lend):
        assert cuts.n == 1
    if not cuts.n:
        return
    cols, vals, ub = cuts.index, cuts.value, cuts.upper[0]
    assert float(lp[cols] @ vals) > ub + 1e-6  # the LP point is cut off
    for _ in range(4000):  # whole officers, binary cases, any load above target
        x = (rng.random(len(load)) < rng.random()).astype(float)
        zz = rng.integers(0, 4, size=n_z).astype(float)
        need_s = float(load @ x) - c * net(zz) - upper
        if bands:
            s = np.full(bands, max(need_s, 0.0) / bands) * rng.uniform(1.0, 1.5)
        elif need_s > 1e-9:
            continue  # (a ceiling row: this point breaks the row itself)
        else:
            s = np.zeros(0)
        v = np.r_[x, s, zz]
        assert float(load @ x) - c * net(zz) - s.sum() <= upper + 1e-9  # on the row
        assert float(v[cols] @ vals) <= ub + 1e-7


def test_no_load_cut_when_the_officers_are_whole() -> None:
    from optimizer.solver.cuts import separate_load

    load = np.full(10, 2.0)
    row = _load_row(load, 5.0, 10.0, 2, 1, 0)
    assert separate_load([row], np.r_[np.ones(10), 0.0, 0.0, 2.0]).n == 0  # 20 − 10 = 2 × 5


def test_load_rows_of_a_piece_with_lending(lishui) -> None:
    """The load rows of a real piece hold its loans with ±c and its bands with −1."""
    from optimizer.data.problem import Problem
    from optimizer.solver import solve as S
    from optimizer.solver.cuts import load_rows
    from optimizer.solver.params import SolveParams

    p = Problem.from_scenario(lishui)
    su = S._build(p, SolveParams(), S._Reporter(None, 0.0))
    rows = [r for m in su.models for r in load_rows(m)]
    assert rows and all(len(r.z_cols) and np.allclose(np.abs(r.z_coef), r.c) for r in rows)
    assert all((r.x_load >= 0).all() for r in rows)
