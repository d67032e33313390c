"""Cuts on whole officers: residual-capacity cuts for the officers that 协同执行 cases bring,
and mixed-integer rounding cuts on each court's load rows.

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

`load_band[j]` and `load_ceiling[j]` say Σ a·x − c·N − S ≤ b: the workload a ≥ 0 of the options
and group targets x (binary) that bring cases to court j, its staff change N = borrowed − lent
(whole officers, each carrying c = utilisation × cases per officer), its load above the target
S = Σ_b s_b ≥ 0 (none in a ceiling row). The LP lends 2.4 officers where a plan lends 2 or 3, and
so pays for 0.4 of one where a plan pays for a whole officer, the load above target, or moved
cases. With C the cases the point sends to j (x ≥ ½), complemented, and the others dropped:
c·N + S + Σ_C a·(1 − x) ≥ D = Σ_C a − b; with β = D / c and f = β − ⌊β⌋ > 0, the mixed-integer
rounding of that (Marchand and Wolsey) is

    Σ_C a·x − S − f·c·N ≤ Σ_C a − f·c·⌈β⌉

(N ≥ ⌈β⌉ keeps it from the row; N ≤ ⌊β⌋ asks S + Σ_C a·(1 − x) ≥ c·(β − N) ≥ f·c·(⌈β⌉ − N)).
On the national scenario's largest piece these lift the LP bound by 0.04 % in one round, about
half of what HiGHS's own root cuts find there.
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


@dataclass(frozen=True)
class LoadRow:
    """One court's `load_band` or `load_ceiling` row as the rounding reads it (see above)."""

    x_cols: NDArray[np.int64]  # options and group targets bringing load (binary)
    x_load: NDArray[np.float64]  # their workload a ≥ 0
    s_cols: NDArray[np.int64]  # the court's load bands (coefficient −1; none in a ceiling row)
    z_cols: NDArray[np.int64]  # loans to and from the court (whole officers)
    z_coef: NDArray[np.float64]  # −c borrowed, +c lent
    c: float
    upper: float


def load_rows(m: Model) -> list[LoadRow]:
    """The load rows of `m` with loans in them (the others hold no whole officers)."""
    fams = [m.row_family[f] for f in ("load_band", "load_ceiling") if f in m.row_family]
    if not fams or not m.layout.n_z:
        return []
    a = csr_matrix(csc_matrix((m.a_value, m.a_index, m.a_start), shape=(m.n_rows, m.n_cols)))
    lay = m.layout
    out = []
    for fam in fams:
        for r in range(fam.start, fam.stop):
            cols = a.indices[a.indptr[r]:a.indptr[r + 1]].astype(np.int64)
            vals = a.data[a.indptr[r]:a.indptr[r + 1]]
            is_z = (cols >= lay.z0) & (cols < lay.s0)
            is_x = cols < lay.z0
            if not is_z.any() or not math.isfinite(m.row_upper[r]) or (vals[is_x] < 0).any():
                continue
            c = float(np.abs(vals[is_z]).max())
            if c <= 0 or not np.allclose(np.abs(vals[is_z]), c, rtol=1e-12, atol=0):
                continue
            is_s = cols >= lay.s0
            if not np.all(vals[is_s] == -1.0):
                continue
            out.append(LoadRow(cols[is_x], vals[is_x].astype(np.float64), cols[is_s],
                               cols[is_z], vals[is_z].astype(np.float64), c,
                               float(m.row_upper[r])))
    return out


def separate_load(rows: list[LoadRow], v: NDArray[np.float64]) -> Cuts:
    """The rounding cut of each load row that the point `v` violates (see above)."""
    starts, index, value, upper = [0], [], [], []
    for row in rows:
        n_staff = -float(row.z_coef @ v[row.z_cols]) / row.c
        xv = v[row.x_cols]
        chosen = xv >= 0.5
        load_c = float(row.x_load[chosen].sum())
        beta = (load_c - row.upper) / row.c
        f = beta - math.floor(beta)
        if f < 1e-3 or f > 1 - 1e-3:
            continue
        fc = f * row.c
        rhs = load_c - fc * math.ceil(beta)
        lhs = float(row.x_load[chosen] @ xv[chosen]) - float(v[row.s_cols].sum()) - fc * n_staff
        if lhs - rhs <= _MIN_VIOLATION * max(1.0, fc):
            continue
        cols = np.r_[row.x_cols[chosen], row.s_cols, row.z_cols]
        index.append(cols)
        value.append(np.r_[row.x_load[chosen], -np.ones(len(row.s_cols)), f * row.z_coef])
        upper.append(rhs)
        starts.append(starts[-1] + len(cols))
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
