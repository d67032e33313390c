"""The restricted MIP: what the relaxation decided integrally is fixed, only the rest branches.

HiGHS would remove the fixed columns in its presolve, but only after the whole piece (130,000
columns on Zhejiang) has been passed to it and copied; here the fixed columns are folded into
the row bounds first and HiGHS gets the sub-model of the free columns only (a few thousand),
which takes a tenth of the time.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csc_matrix

from optimizer.model.rows import LinearArrays, Model
from optimizer.solver import highs
from optimizer.solver.highs import HighsResult, Outcome
from optimizer.solver.points import cases_of_groups, fill_bands

if TYPE_CHECKING:
    from optimizer.solver.piece import PieceSettings

_ROW_TOL = 1e-6


def sub_model(m: Model, lower: NDArray[np.float64], upper: NDArray[np.float64]
              ) -> tuple[LinearArrays, NDArray[np.bool_], NDArray[np.float64]] | None:
    """(the sub-model of the free columns, which columns those are, the full point with the
    fixed values), or None when the fixed columns alone already break a row."""
    free = lower < upper
    fixed_point = np.where(free, 0.0, lower)
    a = csc_matrix((m.a_value, m.a_index, m.a_start), shape=(m.n_rows, m.n_cols))
    shift = a @ fixed_point
    sub = a[:, np.flatnonzero(free)]
    used = np.diff(sub.tocsr().indptr) > 0
    # a row none of whose columns is free is a constant: it must hold as it is
    lo, hi = m.row_lower[~used], m.row_upper[~used]
    if np.any(shift[~used] < lo - _ROW_TOL) or np.any(shift[~used] > hi + _ROW_TOL):
        return None
    sub = csc_matrix(sub[np.flatnonzero(used)])
    sub.sort_indices()
    return LinearArrays(
        cost=m.cost[free], lower=lower[free], upper=upper[free], integer=m.integer[free],
        row_lower=m.row_lower[used] - shift[used], row_upper=m.row_upper[used] - shift[used],
        a_start=sub.indptr.astype(np.int64), a_index=sub.indices.astype(np.int64),
        a_value=sub.data.astype(np.float64)), free, fixed_point


def run_fixed(m: Model, lower: NDArray[np.float64], upper: NDArray[np.float64], seconds: float,
              cfg: PieceSettings, start: NDArray[np.float64] | None,
              options: dict[str, Any] | None = None) -> HighsResult:
    """HiGHS branch and cut on the model with some columns fixed (lower = upper), as the
    sub-model of the others (with extra HiGHS `options`); the result is a point of the whole
    model."""
    reduced = sub_model(m, lower, upper)
    if reduced is None:
        return HighsResult(Outcome.INFEASIBLE, None, math.inf, math.inf, "fixed columns break a row")
    sub, free, point = reduced
    constant = float(m.cost @ point)
    fits = start is not None and bool(np.all(np.abs(start[~free] - point[~free]) <= 1e-9))
    res = highs.run(sub, True, seconds, cfg.gap, cfg.seed,
                    start=start[free] if fits and start is not None else None, options=options)
    if res.values is None:
        return HighsResult(res.outcome, None, res.objective, res.bound + constant, res.status)
    full = point.copy()
    full[free] = res.values
    return HighsResult(res.outcome, full, res.objective + constant, res.bound + constant,
                       res.status)


def restricted_mip(m: Model, base: NDArray[np.float64], integral: NDArray[np.bool_],
                   best: NDArray[np.float64] | None, best_obj: float, seconds: float,
                   cfg: PieceSettings, steps: list[str]
                   ) -> tuple[NDArray[np.float64] | None, float]:
    """Fix what the relaxation decided integrally; branch only on the rest (lending stays free:
    officers re-balance with the cases). Returns the better of its point and `best`."""
    lay = m.layout
    lower, upper = m.lower.copy(), m.upper.copy()
    case_frac = np.zeros(len(m.piece.cases), dtype=bool)
    np.logical_or.at(case_frac, m.x_case, ~integral[lay.x])
    frac_groups = np.unique(m.y_group[~integral[lay.y]])
    free_case = case_frac.copy()
    free_case[cases_of_groups(m, np.isin(m.y_group, frac_groups))] = True
    ix = lay.x0 + np.flatnonzero(~free_case[m.x_case])
    iy = lay.y0 + np.flatnonzero(~np.isin(m.y_group, frac_groups))
    for idx in (ix, iy):
        lower[idx] = upper[idx] = np.round(base[idx])
    res = run_fixed(m, lower, upper, seconds, cfg, best)
    if res.values is not None and res.objective < best_obj:
        best, best_obj = fill_bands(m, res.values), res.objective
    steps.append(f"restricted mip ({int(free_case.sum())} free cases) {res.outcome.value} "
                 f"{best_obj:.2f}")
    return best, best_obj
