"""Warm starts for what-if variants (假设方案的热启动): what a solved piece leaves behind so
that a variant of it (one court's officers changed, a shock, a weight, a court barred, a case
kept…) starts where the base plan ended instead of from nothing.

A piece keeps (only when asked, `SolveParams.keep_warm_start`; in memory, never in the plan
file) the residual-capacity cuts its LP ended with (`cuts.py`), the LP's optimal basis with
those cut rows, and the lent officers of its final plan — all named by the model's column and
row keys (`Model.col_key`, `Model.row_key`: (case, mode, court) of an option, (lender,
borrower) of a loan, the case or court of a row), so they map onto a variant whose options
differ (a barred court's options gone, a kept case out of the piece).

In the variant:
- a cut is carried when it is still valid there. A residual-capacity cut depends only on one
  `coordinate_officers` row: Σ_{T} x − r·B ≤ (k − r)·q holds for every plan in which the cases
  T ⊆ X are binary, B = Σ_Z z is whole and Σ_X x ≤ k·B, with 0 < r < k, q whole and
  |T| ≤ k·q + r. So it is carried when the variant's row for the same officers Z holds every
  case of T still present (cases gone are 0, which keeps it valid) and its coefficients are
  such a cut for that row's k (`_is_residual_capacity`); otherwise it is dropped;
- the basis: each column and row takes its base status, new columns start at their lower
  bound, new rows with their slack basic; a case that lost its basic option gets its row's
  slack instead. If the count of basic variables still does not match the rows, the basis is
  dropped (the LP then starts cold, cuts and officers still carried);
- the base's officers are where the dive starts (`piece._dive_staff`'s `prefer`).
None of these decides anything: the variant's LP, cuts and dive run as in a cold solve from
that start, and when the start is far off, the cold steps follow (`piece._as_cold`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from optimizer.model.rows import ROW_FAMILIES, Model
from optimizer.solver import cuts as rc

Basis = tuple[NDArray[np.int8], NDArray[np.int8]]
_LOWER, _BASIC = 0, 1  # HiGHS basis statuses
_ONE_OPTION = ROW_FAMILIES.index("one_option")
_LOAN = 2  # the key kind of z columns (`rows._column_keys`: x, y, z, s)


@dataclass(frozen=True)
class WarmStart:
    """What a variant of the same piece starts from, in the base model's numbering."""

    col_key: NDArray[np.int64]
    row_key: NDArray[np.int64]  # the model's rows (the cut rows follow them in the basis)
    cuts: rc.Cuts
    basis: Basis | None  # columns, then the model's rows, then the cut rows
    officers: NDArray[np.float64] | None = None  # z of the piece's final plan

    def with_officers(self, m: Model, values: NDArray[np.float64] | None) -> WarmStart:
        return replace(self, officers=None if values is None else values[m.layout.z].copy())


#: a plan's warm starts, by the courts of each piece (`SearchOutcome.warm_starts`)
WarmStarts = dict[tuple[int, ...], WarmStart]


@dataclass(frozen=True)
class Carried:
    """A warm start mapped onto a variant's model."""

    model: Model  # the variant's model with the carried cuts appended
    cuts: rc.Cuts | None
    basis: Basis | None
    officers: NDArray[np.float64] | None  # per z column; NaN where the base had no such loan

    @property
    def warm(self) -> bool:
        """Did anything of the base plan carry over?"""
        return self.cuts is not None or self.basis is not None or self.officers is not None


def keep(m: Model, cuts: rc.Cuts, basis: Basis | None) -> WarmStart | None:
    """What this piece leaves for its variants (None: its model has no keys)."""
    if m.col_key is None or m.row_key is None:
        return None
    return WarmStart(m.col_key, m.row_key, cuts, basis)


def _positions(keys: NDArray[np.int64], of: NDArray[np.int64]) -> NDArray[np.int64]:
    """Position in `keys` of each key in `of` (−1 where absent)."""
    if not len(keys):
        return np.full(len(of), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    at = np.minimum(np.searchsorted(keys[order], of), len(keys) - 1)
    return np.where(keys[order][at] == of, order[at], -1).astype(np.int64)


def carry(m: Model, rows: list[rc.CoordinateRow], warm: WarmStart | None) -> Carried:
    """The base's warm start mapped onto the variant's model `m` (its coordinate `rows`)."""
    if warm is None or m.col_key is None or m.row_key is None:
        return Carried(m, None, None, None)
    to_variant = _positions(m.col_key, warm.col_key)  # base column → variant column
    kept, cuts = _valid_cuts(rows, warm, to_variant)
    model = rc.with_cuts(m, [cuts])
    z = m.layout.z
    officers = None
    if warm.officers is not None and len(warm.officers) and m.layout.n_z:
        base_z = np.flatnonzero((warm.col_key >> 56) == _LOAN)
        at = _positions(warm.col_key[base_z], m.col_key[z])
        whole = np.clip(np.round(warm.officers[np.maximum(at, 0)]), m.lower[z], m.upper[z])
        officers = np.where(at >= 0, whole, np.nan)
    basis = _basis(m, model, warm, kept)
    return Carried(model, cuts if cuts.n else None, basis, officers)


def _valid_cuts(rows: list[rc.CoordinateRow], warm: WarmStart, to_variant: NDArray[np.int64]
                ) -> tuple[NDArray[np.int64], rc.Cuts]:
    """(which base cuts are carried, those cuts in the variant's columns). Each is checked
    against the variant's own row, coefficients included: a cut from a damaged or foreign
    warm-start file that is not a residual-capacity cut of that row is dropped, so it can never
    lift the bound above the optimum."""
    by_officers = {tuple(np.sort(r.z_cols).tolist()): r for r in rows}
    kept, parts = [], []
    c = warm.cuts
    for j in range(c.n):
        cols, vals = c.index[c.start[j]:c.start[j + 1]], c.value[c.start[j]:c.start[j + 1]]
        mapped = to_variant[cols]
        z_cols = mapped[vals < 0]
        row = by_officers.get(tuple(np.sort(z_cols).tolist())) if (z_cols >= 0).all() else None
        x_cols = mapped[(vals > 0) & (mapped >= 0)]
        if row is None or not np.isin(x_cols, row.x_cols).all() or not _is_residual_capacity(
                vals, float(c.upper[j]), len(x_cols), len(np.unique(x_cols)), row):
            continue
        keep_terms = mapped >= 0
        parts.append(rc.Cuts(np.array([0, int(keep_terms.sum())], np.int64), mapped[keep_terms],
                             vals[keep_terms], c.upper[j:j + 1]))
        kept.append(j)
    return np.asarray(kept, dtype=np.int64), concat(parts)


def _is_residual_capacity(vals: NDArray[np.float64], upper: float, n_x: int, n_unique: int,
                          row: rc.CoordinateRow) -> bool:
    """Is Σ_T x − r·B ≤ upper, with the variant's cases T (n_x of them), one of `row`'s valid
    cuts: x coefficients 1 on distinct cases, one −r on each officer column with 0 < r < k, and
    upper = (k − r)·q for a whole q ≥ 0 with |T| ≤ k·q + r (`cuts.py`)?"""
    k = row.k
    x_vals, z_vals = vals[vals > 0], vals[vals < 0]
    if not (len(z_vals) == len(row.z_cols) and n_x == n_unique and np.all(x_vals == 1.0)
            and np.all(z_vals == z_vals[0])):
        return False
    r = -float(z_vals[0])
    if not (0 < r < k and math.isfinite(upper)):
        return False
    q = upper / (k - r)
    return q >= 0 and abs(q - round(q)) <= 1e-9 and n_x <= k * round(q) + r + 1e-9


def _basis(m: Model, with_cuts: Model, warm: WarmStart, kept_cuts: NDArray[np.int64]
           ) -> Basis | None:
    """The base's basis on the variant's columns and rows (see the module's docstring)."""
    if warm.basis is None or m.col_key is None or m.row_key is None:
        return None
    base_cols, base_rows = warm.basis
    n_model_rows = len(warm.row_key)
    col_from = _positions(warm.col_key, m.col_key)
    cols = np.where(col_from >= 0, base_cols[np.maximum(col_from, 0)], _LOWER).astype(np.int8)
    row_from = _positions(warm.row_key, m.row_key)
    model_rows = np.where(row_from >= 0, base_rows[np.maximum(row_from, 0)], _BASIC)
    rows = np.r_[model_rows, base_rows[n_model_rows + kept_cuts]].astype(np.int8)
    deficit = with_cuts.n_rows - int((cols == _BASIC).sum() + (rows == _BASIC).sum())
    if deficit > 0:  # a case whose basic option is gone: its row's slack takes its place
        basic_x = (cols[m.layout.x] == _BASIC).astype(np.float64)
        has_basic = np.bincount(m.x_case, weights=basic_x, minlength=len(m.piece.cases)) > 0
        option_rows = np.flatnonzero((m.row_key >> 56) == _ONE_OPTION)  # one per case, first
        lost = option_rows[~has_basic[option_rows] & (rows[option_rows] != _BASIC)]
        rows[lost[:deficit]] = _BASIC
        deficit -= len(lost[:deficit])
    return (cols, rows) if deficit == 0 else None


def concat(parts: list[rc.Cuts]) -> rc.Cuts:
    """One set of cut rows from several (in order)."""
    parts = [c for c in parts if c.n]
    if not parts:
        return rc.Cuts(np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    offsets = np.cumsum([0] + [len(c.index) for c in parts[:-1]])
    start = np.concatenate([parts[0].start[:1]]
                           + [c.start[1:] + off for c, off in zip(parts, offsets, strict=True)])
    return rc.Cuts(start.astype(np.int64), np.concatenate([c.index for c in parts]),
                   np.concatenate([c.value for c in parts]),
                   np.concatenate([c.upper for c in parts]))
