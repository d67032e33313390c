"""Points of a piece's model: integrality, the load bands filled in, feasibility, rounding."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from optimizer.model.rows import Model

INT_TOL = 1e-6


def is_integral(m: Model, v: NDArray[np.float64]) -> NDArray[np.bool_]:
    return ~m.integer | (np.abs(v - np.round(v)) <= INT_TOL)


def fill_bands(m: Model, v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Set the band columns to the convex split of each court's excess load."""
    v = v.copy()
    lay = m.layout
    v[lay.s] = 0.0
    band_rows = m.row_family["load_band"]
    rest = np.maximum(m.activity(v)[band_rows] - m.row_upper[band_rows], 0.0)
    width = m.band_width.reshape(lay.n_courts, lay.n_bands)
    for b in range(lay.n_bands):
        part = np.minimum(rest, width[:, b])
        v[lay.s0 + np.arange(lay.n_courts) * lay.n_bands + b] = part
        rest = rest - part
    return v


def feasible(m: Model, v: NDArray[np.float64]) -> bool:
    """Does the point satisfy every column bound and row of the model?"""
    if np.any(v < m.lower - 1e-7) or np.any(v > m.upper + 1e-7):
        return False
    act = m.activity(v)
    return bool(np.all(act >= m.row_lower - 1e-6) and np.all(act <= m.row_upper + 1e-6))


def round_lp(m: Model, lp: NDArray[np.float64]) -> NDArray[np.float64]:
    """Integer point near the LP optimum: groups at ≥ ½, argmax option per case, floor lending."""
    v = np.zeros(m.n_cols)
    n_cases = len(m.piece.cases)
    covered = np.zeros(n_cases, dtype=bool)
    lay = m.layout
    y = lp[lay.y]
    if lay.n_y:
        groups, inv = np.unique(m.y_group, return_inverse=True)
        total = np.bincount(inv, weights=y)
        best = np.full(len(groups), -1)
        order = np.lexsort((-y, inv))
        first = np.r_[True, inv[order][1:] != inv[order][:-1]]
        best[inv[order][first]] = order[first]
        on = total >= 0.5
        v[lay.y0 + best[on]] = 1.0
        chosen = np.zeros(lay.n_y, dtype=bool)
        chosen[best[on]] = True
        covered[cases_of_groups(m, chosen)] = True
    x = lp[lay.x]
    order = np.lexsort((-x, m.x_case))
    first = np.r_[True, m.x_case[order][1:] != m.x_case[order][:-1]] if lay.n_x else np.zeros(0, bool)
    pick = order[first]
    pick = pick[~covered[m.x_case[pick]]]
    v[pick] = 1.0
    # (a case that only its group can move, with the group below ½, leaves this point
    # infeasible; the caller then branches without a start)
    v[lay.z] = np.floor(lp[lay.z] + INT_TOL)
    return fill_bands(m, v)


def round_staff(m: Model, lp: NDArray[np.float64]) -> NDArray[np.float64]:
    """Lending rounded to the nearest whole officer; where a lender goes over its limit, the
    pairs rounded up the most are taken back first."""
    z = m.layout.z
    v = np.floor(lp[z] + 0.5)
    lenders, inv = np.unique(m.z_lender, return_inverse=True)
    over = np.bincount(inv, weights=v, minlength=len(lenders)) - np.bincount(
        inv, weights=m.z_cap, minlength=len(lenders)) / np.maximum(
        np.bincount(inv, minlength=len(lenders)), 1)
    for k in np.flatnonzero(over > 1e-9):
        members = np.flatnonzero(inv == k)
        extra = over[k]
        for q in members[np.argsort(lp[z][members] - v[members], kind="stable")]:
            if extra <= 1e-9:
                break
            take = min(v[q], math.ceil(extra - 1e-9))
            v[q] -= take
            extra -= take
    return v


def cases_of_groups(m: Model, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Positions (in the piece) of the cases of the group targets marked in `mask`."""
    cols = m.layout.y0 + np.flatnonzero(mask)
    if not len(cols):
        return np.zeros(0, dtype=np.int64)
    rows = np.concatenate([m.a_index[m.a_start[c]:m.a_start[c + 1]] for c in cols])
    return np.unique(rows[rows < len(m.piece.cases)]).astype(np.int64)
