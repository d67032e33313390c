"""Residual-capacity cuts for the officers that 协同执行 cases bring.

`coordinate_officers[j]` says Σ x_i ≤ k·B_j: borrower j's staffing 协同 cases x_i (binary) need
B_j = Σ_l z_lj officers borrowed (whole people), each serving k cases. The LP relaxation borrows
n_j / k officers — 2.3 for 23 cases — and so pays for 0.3 of an officer where a plan pays for a
whole one: on Zhejiang that alone is ≈ 0.1 % of the objective, the whole gap the solver has to
close. For any set T of those cases with t = |T| = k·q + r (q whole, 0 < r < k),

    Σ_{i∈T} x_i − r·B_j ≤ (k − r)·q

is valid (B_j ≥ q + 1: the left side is at most t − r·(q + 1) = (k − r)·q; B_j ≤ q: Σ_T x ≤ k·B_j,
so the left side is at most (k − r)·B_j ≤ (k − r)·q), and it cuts off the LP point above. The
most violated one for q = ⌊B_j*⌋ takes the cases with x_i* above the fraction B_j* − q, largest
first (Magnanti, Mirchandani and Vachani's residual capacity inequality).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csc_matrix, csr_matrix, vstack

from optimizer.model.rows import Model

_MIN_VIOLATION = 1e-4


@dataclass(frozen=True)
class CoordinateRow:
    """One borrower's `coordinate_officers` row: its case columns, its officer columns, k."""

    x_cols: NDArray[np.int64]
    z_cols: NDArray[np.int64]
    k: float


@dataclass(frozen=True)
class Cuts:
    """Cut rows in CSR form, each `Σ value·column ≤ upper`."""

    start: NDArray[np.int64]
    index: NDArray[np.int64]
    value: NDArray[np.float64]
    upper: NDArray[np.float64]

    @property
    def n(self) -> int:
        return len(self.upper)


def coordinate_rows(m: Model) -> list[CoordinateRow]:
    """The `coordinate_officers` rows of `m` that have cases and officers to link."""
    fam = m.row_family.get("coordinate_officers")
    if fam is None or fam.stop <= fam.start:
        return []
    a = csr_matrix(csc_matrix((m.a_value, m.a_index, m.a_start), shape=(m.n_rows, m.n_cols)))
    out = []
    for r in range(fam.start, fam.stop):
        cols = a.indices[a.indptr[r]:a.indptr[r + 1]].astype(np.int64)
        vals = a.data[a.indptr[r]:a.indptr[r + 1]]
        x_cols, z_cols = cols[vals > 0], cols[vals < 0]
        if len(x_cols) and len(z_cols):
            out.append(CoordinateRow(x_cols, z_cols, float(-vals[vals < 0][0])))
    return out


def separate(rows: list[CoordinateRow], v: NDArray[np.float64]) -> Cuts:
    """The most violated residual-capacity cut of each borrower at the point `v` (none where
    the point satisfies them all)."""
    starts, index, value, upper = [0], [], [], []
    for row in rows:
        b = float(v[row.z_cols].sum())
        q = math.floor(b + 1e-9)
        f = b - q
        if f < 1e-6:
            continue
        k = row.k
        t_min, t_max = math.floor(k * q) + 1, math.ceil(k * (q + 1)) - 1
        xv = v[row.x_cols]
        order = np.argsort(-xv, kind="stable")
        t = min(int((xv > f).sum()), t_max)
        if t < t_min or t < 1:
            continue
        r = t - k * q
        if not 0 < r < k:
            continue
        tt = order[:t]
        violation = float(xv[tt].sum()) - r * b - (k - r) * q
        if violation <= _MIN_VIOLATION:
            continue
        index += [row.x_cols[tt], row.z_cols]
        value += [np.ones(t), np.full(len(row.z_cols), -r)]
        upper.append((k - r) * q)
        starts.append(starts[-1] + t + len(row.z_cols))
    if not upper:
        return Cuts(np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    return Cuts(np.asarray(starts, np.int64), np.concatenate(index).astype(np.int64),
                np.concatenate(value), np.asarray(upper, np.float64))


def add_to_highs(h: object, cuts: Cuts) -> None:
    """Append the cut rows to a loaded HiGHS instance (its basis stays warm)."""
    h.addRows(cuts.n, np.full(cuts.n, -np.inf), cuts.upper,  # type: ignore[attr-defined]
              len(cuts.index), cuts.start[:-1].astype(np.int32), cuts.index.astype(np.int32),
              cuts.value)


def with_cuts(m: Model, cuts: list[Cuts]) -> Model:
    """`m` with the cut rows appended (family `residual_capacity`), for the MIP steps."""
    cuts = [c for c in cuts if c.n]
    if not cuts:
        return m
    a = csc_matrix((m.a_value, m.a_index, m.a_start), shape=(m.n_rows, m.n_cols))
    extra = [csr_matrix((c.value, c.index, c.start), shape=(c.n, m.n_cols)) for c in cuts]
    full = csc_matrix(vstack([a, *extra], format="csc"))
    full.sort_indices()
    n_new = sum(c.n for c in cuts)
    upper = np.concatenate([c.upper for c in cuts])
    family = {**m.row_family, "residual_capacity": slice(m.n_rows, m.n_rows + n_new)}
    return replace(m, row_lower=np.r_[m.row_lower, np.full(n_new, -np.inf)],
                   row_upper=np.r_[m.row_upper, upper], row_family=family,
                   a_start=full.indptr.astype(np.int64), a_index=full.indices.astype(np.int64),
                   a_value=full.data.astype(np.float64))
