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
