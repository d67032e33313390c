"""The improvement phase (改进阶段): large-neighbourhood search on sub-MIPs around the incumbent.

Each round frees the cases that the incumbent places at a few courts chosen at random and lets
them move among those courts only; every other column is fixed at the incumbent (lending and
groups included), and the small sub-MIP is solved by HiGHS from the incumbent
(`restricted.run_fixed`, which hands HiGHS only the free columns). A better point replaces the
incumbent. The neighbourhood grows when a round is solved to optimality without gain, and
shrinks when it runs out of time; the phase ends after `_STALL_ROUNDS` rounds in a row without
gain. Off unless asked (`SolveParams.improve_share`): the one-run
comparison in benchmarks/README.md decides where it pays.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csc_matrix

from optimizer.model.rows import Model
from optimizer.solver.highs import Outcome
from optimizer.solver.points import fill_bands
from optimizer.solver.restricted import run_fixed

if TYPE_CHECKING:
    from optimizer.solver.piece import PieceSettings

_ROUND_SECONDS = 1.0  # one sub-MIP at most this long
#: rounds in a row without a better point after which the phase ends (on the Zhejiang seed 9
#: piece 81 rounds in 28 s found nothing: its rounded plan is already locally optimal, the gap
#: there is in the bound)
_STALL_ROUNDS = 8


def court_rows(m: Model) -> NDArray[np.int64]:
    """For each x column, the load row (band or ceiling) where it weighs most: the court where
    that option puts the case's work (−1: none)."""
    lay = m.layout
    none = slice(0, 0)
    rows = np.r_[np.arange(m.n_rows)[m.row_family.get("load_band", none)],
                 np.arange(m.n_rows)[m.row_family.get("load_ceiling", none)]]
    a = csc_matrix((m.a_value, m.a_index, m.a_start), shape=(m.n_rows, m.n_cols))
    load = abs(a[rows][:, lay.x]).tocsc()
    out = np.full(lay.n_x, -1, dtype=np.int64)
    has = np.diff(load.indptr) > 0
    out[has] = rows[np.asarray(load[:, has].argmax(axis=0)).ravel()]
    return out


def improve(m: Model, best: NDArray[np.float64], best_obj: float, seconds: float,
            cfg: PieceSettings, steps: list[str]) -> tuple[NDArray[np.float64], float]:
    """Large-neighbourhood search from `best` for `seconds`; the best point found."""
    t_end = time.perf_counter() + seconds
    lay = m.layout
    court = court_rows(m)
    courts = np.unique(court[court >= 0])
    if len(courts) < 2:
        return best, best_obj
    rng = np.random.default_rng(cfg.seed)
    size, rounds, gains, stalled = 2, 0, 0, 0
    while (left := t_end - time.perf_counter()) > 0.05 and stalled < _STALL_ROUNDS:
        rounds, stalled = rounds + 1, stalled + 1
        chosen = rng.choice(courts, size=min(size, len(courts)), replace=False)
        at_chosen = np.isin(court, chosen)
        x = best[lay.x] > 0.5
        free_case = np.zeros(len(m.piece.cases), dtype=bool)
        free_case[m.x_case[x & at_chosen]] = True
        lower, upper = best.copy(), best.copy()
        movable = free_case[m.x_case] & at_chosen
        idx = lay.x0 + np.flatnonzero(movable)
        lower[idx], upper[idx] = m.lower[idx], m.upper[idx]
        lower[lay.s], upper[lay.s] = m.lower[lay.s], m.upper[lay.s]
        res = run_fixed(m, lower, upper, min(left, _ROUND_SECONDS), cfg, best)
        if res.values is not None and res.objective < best_obj - 1e-9:
            best, best_obj, gains, stalled = fill_bands(m, res.values), res.objective, gains + 1, 0
        elif res.outcome is Outcome.OPTIMAL:
            size = min(size + 1, len(courts))
        else:
            size = max(size - 1, 2)
    steps.append(f"improvement {rounds} rounds, {gains} better, {best_obj:.2f}")
    return best, best_obj
