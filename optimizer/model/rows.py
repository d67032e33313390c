"""The planning model of one independent piece, as arrays (one function per row family).

Columns: see `layout.py` (x options, y group targets, z lent officers, s load bands).

Rows:
- `one_option[i]`: each case takes exactly one option, its group's target counting as one;
- `load_band[j]`:  load_j − target·cpo_j·staff_j ≤ Σ_b s[j,b] (staff = own − lent + borrowed);
- `load_ceiling[j]`: load_j ≤ max(ceiling·cpo_j·staff_j, load before) when the rule is on;
- `lend_limit[k]`: officers lent by k ≤ (1 − keep share) · own officers;
- `coordinate_staff[j]`: officers borrowed ≤ number of j's 协同执行 cases for lack of staff
  (officers are lent for those cases, at most one officer per case), plus the officers of a
  planner's fixed loans to j (those are lent whatever the cases; their z columns are fixed);
- `coordinate_officers[j]`: those cases ≤ `cases_per_lent_officer` × officers borrowed (协同
  brings officers: a staffing 协同 case without them would escape its price for nothing).
The core (one_option + load_band) is a transportation problem with convex arc costs; the other
families are what breaks the structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode, Trigger
from optimizer.model.layout import ColumnLayout
from optimizer.model.options import Options
from optimizer.model.pieces import Piece

ROW_FAMILIES = ("one_option", "load_band", "load_ceiling", "lend_limit", "coordinate_staff",
                "coordinate_officers")


@dataclass(frozen=True)
class LinearArrays:
    """A mixed-integer model as HiGHS reads it: column bounds, costs and integrality, row
    bounds, the matrix column-wise. A piece's `Model`, or a sub-model of some of its columns
    (the restricted MIP's)."""

    cost: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    integer: NDArray[np.bool_]
    row_lower: NDArray[np.float64]
    row_upper: NDArray[np.float64]
    a_start: NDArray[np.int64]
    a_index: NDArray[np.int64]
    a_value: NDArray[np.float64]

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)


@dataclass(frozen=True)
class Model(LinearArrays):
    """One piece's mixed-integer model in HiGHS's column-wise form, with what its columns and
    rows mean."""

    piece: Piece
    layout: ColumnLayout
    row_family: dict[str, slice]  # rows of each family
    band_width: NDArray[np.float64]
    x_case: NDArray[np.int64]  # case position (in piece.cases) of each x column
    y_group: NDArray[np.int64]  # group of each y column
    z_lender: NDArray[np.int64]  # lender court of each z column
    z_cap: NDArray[np.float64]  # that lender's limit
    start: NDArray[np.float64] | None = None  # a known point (re-planning's warm start)
    #: what each column and each row (before any cut rows) is about, the same in every
    #: variant of the piece (`_column_keys`, `_Rows.add`): a what-if's warm start maps by them
    col_key: NDArray[np.int64] | None = None
    row_key: NDArray[np.int64] | None = None

    def activity(self, v: NDArray[np.float64]) -> NDArray[np.float64]:
        """Row activities A·v."""
        cols = np.repeat(np.arange(self.n_cols), np.diff(self.a_start))
        act = np.bincount(self.a_index, weights=self.a_value * v[cols], minlength=self.n_rows)
        return act.astype(np.float64)


@dataclass
class _Rows:
    """Collects sparse rows as (row, col, value) triplets with bounds, by family."""

    r: list[NDArray[np.int64]] = field(default_factory=list)
    c: list[NDArray[np.int64]] = field(default_factory=list)
    v: list[NDArray[np.float64]] = field(default_factory=list)
    lo: list[NDArray[np.float64]] = field(default_factory=list)
    hi: list[NDArray[np.float64]] = field(default_factory=list)
    family: dict[str, slice] = field(default_factory=dict)
    keys: list[NDArray[np.int64]] = field(default_factory=list)
    count: int = 0

    def add(self, name: str, entity: NDArray[np.int64], rows: NDArray[np.int64],
            cols: NDArray[np.int64], vals: NDArray[np.float64], lo: NDArray[np.float64],
            hi: NDArray[np.float64]) -> None:
        """Rows of family `name`, one per `entity` (the case or court each row is about)."""
        n_rows = len(entity)
        self.keys.append(_key(ROW_FAMILIES.index(name), entity))
        self.r.append(rows + self.count)
        self.c.append(cols)
        self.v.append(vals)
        self.lo.append(lo)
        self.hi.append(hi)
        self.family[name] = slice(self.count, self.count + n_rows)
        self.count += n_rows


@dataclass(frozen=True)
class _Ctx:
    """What the row families of one piece share."""

    p: Problem
    o: Options
    pc: Piece
    lay: ColumnLayout
    court_pos: NDArray[np.int64]  # court → position in pc.courts, or −1
    case_pos: NDArray[np.int64]  # case → position in pc.cases, or −1
    load_x: NDArray[np.float64]  # workload of each x column's case
    load_y: NDArray[np.float64]  # workload of each y column's group
    base: NDArray[np.float64]  # fixed load per piece court (its cases taken out)


def build_model(p: Problem, o: Options, piece: Piece,
                extra_load: NDArray[np.float64] | None = None) -> Model:
    """Model arrays of one piece. `extra_load` adds fixed load per court (cases fixed
    elsewhere that move in or out); targets outside the piece carry no load here (that only
    happens in the relaxation of linking groups, where dropping it keeps a valid bound)."""
    r, w = p.rules, p.weights
    cases, opts, tgts, lends, courts = (piece.cases, piece.options, piece.targets, piece.lends,
                                        piece.courts)
    slopes = np.asarray(w.load_slopes, dtype=np.float64)
    lay = ColumnLayout(len(opts), len(tgts), len(lends), len(courts), len(slopes))
    court_pos = np.full(p.n_courts, -1, dtype=np.int64)
    court_pos[courts] = np.arange(len(courts))
    case_pos = np.full(p.n_cases, -1, dtype=np.int64)
    case_pos[cases] = np.arange(len(cases))

    # objective: option costs, group costs, lending travel, band slopes
    own_cap = p.capacity[courts]
    band_width = np.tile(np.r_[np.full(lay.n_bands - 1, r.load_band_width), np.inf], len(courts))
    band_width = band_width * np.repeat(own_cap, lay.n_bands)
    band_width[np.isnan(band_width)] = np.inf
    target_cost = o.target_cost[tgts] if lay.n_y else np.zeros(0)
    cost = np.concatenate([o.cost[opts], target_cost, o.lend_cost[lends],
                           np.tile(slopes, len(courts))])
    upper = np.concatenate([np.ones(lay.n_x + lay.n_y), o.lend_max[o.lend_from[lends]].astype(float),
                            band_width])
    integer = np.r_[np.ones(lay.n_discrete, dtype=bool), np.zeros(lay.n_s, dtype=bool)]
    lower = np.zeros(lay.n_cols)
    fixed = _fixed_loans(o, lends)
    z_fixed = lay.z0 + np.flatnonzero(fixed >= 0)
    lower[z_fixed] = upper[z_fixed] = fixed[fixed >= 0]

    load_y = (np.bincount(o.member_target, weights=p.case_workload[o.member_case],
                          minlength=len(o.target_group))[tgts] if lay.n_y else np.zeros(0))
    base = (p.open_caseload[courts] - np.bincount(
        court_pos[p.case_court[cases]], weights=p.case_workload[cases], minlength=len(courts)))
    if extra_load is not None:
        base = base + extra_load[courts]
    ctx = _Ctx(p, o, piece, lay, court_pos, case_pos, p.case_workload[o.case[opts]],
               load_y.astype(np.float64), base.astype(np.float64))
    rows = _Rows()
    _one_option(rows, ctx)
    _load_band(rows, ctx)
    if r.max_utilisation is not None:
        _load_ceiling(rows, ctx, r.max_utilisation)
    _lend_limit(rows, ctx)
    _coordinate_staff(rows, ctx)

    a = coo_matrix((np.concatenate(rows.v), (np.concatenate(rows.r), np.concatenate(rows.c))),
                   shape=(rows.count, lay.n_cols)).tocsc()
    a.sum_duplicates()
    return Model(
        piece=piece, layout=lay, cost=cost, lower=lower, upper=upper,
        integer=integer, row_lower=np.concatenate(rows.lo), row_upper=np.concatenate(rows.hi),
        row_family=rows.family, a_start=a.indptr.astype(np.int64),
        a_index=a.indices.astype(np.int64), a_value=a.data.astype(np.float64),
        band_width=band_width, x_case=case_pos[o.case[opts]], y_group=o.target_group[tgts],
        z_lender=o.lend_from[lends], z_cap=o.lend_max[o.lend_from[lends]].astype(np.float64),
        col_key=_column_keys(p, o, piece, lay), row_key=np.concatenate(rows.keys),
    )


_MAX_BANDS = 1 << 10  # (a band's key: court × this + band, whatever the number of bands)


def _key(kind: int, value: NDArray[np.int64]) -> NDArray[np.int64]:
    """A key that names a column or row across variants of a piece: its kind, then what it
    is about (`value` < 2^56)."""
    return (np.int64(kind) << np.int64(56)) | value.astype(np.int64)


def _column_keys(p: Problem, o: Options, piece: Piece, lay: ColumnLayout) -> NDArray[np.int64]:
    """x: (case, mode, court) of the option; y: (debtor, court) of the group target; z:
    (lender, borrower); s: (court, band). Option and target rows are numbered anew in every
    variant; these keys are not."""
    nc = np.int64(p.n_courts)
    opts, tgts, lends = piece.options, piece.targets, piece.lends
    x = (o.case[opts].astype(np.int64) * 16 + o.mode[opts]) * nc + o.court[opts]
    first = np.full(len(o.target_group), p.n_cases, dtype=np.int64)
    np.minimum.at(first, o.member_target, o.member_case)
    debtor = p.case_debtor[np.minimum(first[tgts], max(p.n_cases - 1, 0))].astype(np.int64)
    y = debtor * nc + o.target_court[tgts]
    z = o.lend_from[lends].astype(np.int64) * nc + o.lend_to[lends]
    s = np.repeat(piece.courts.astype(np.int64), lay.n_bands) * _MAX_BANDS + np.tile(
        np.arange(lay.n_bands, dtype=np.int64), len(piece.courts))
    return np.concatenate([_key(k, v) for k, v in enumerate((x, y, z, s))])


def _fixed_loans(o: Options, lends: NDArray[np.int64]) -> NDArray[np.int64]:
    """Officers a planner fixed on each of the piece's lending pairs (−1: the model chooses)."""
    if o.lend_fixed is None:
        return np.full(len(lends), -1, dtype=np.int64)
    return o.lend_fixed[lends]


def _one_option(rows: _Rows, c: _Ctx) -> None:
    """one_option[i]: Σ x[o of i] + Σ y[t of i's group] = 1."""
    o, pc = c.o, c.pc
    r_x = c.case_pos[o.case[pc.options]]
    t_pos = np.full(len(o.target_group), -1, dtype=np.int64)
    t_pos[pc.targets] = np.arange(len(pc.targets))
    sel = t_pos[o.member_target] >= 0
    r_y = c.case_pos[o.member_case[sel]]
    c_y = c.lay.y0 + t_pos[o.member_target[sel]]
    n = len(pc.cases)
    rows.add("one_option", pc.cases, np.r_[r_x, r_y], np.r_[c.lay.x0 + np.arange(c.lay.n_x), c_y],
             np.ones(c.lay.n_x + len(r_y)), np.ones(n), np.ones(n))


def _staff_terms(c: _Ctx, factor: NDArray[np.float64]) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Row/col/value of −factor_j·(borrowed_j − lent_j) for each lending column."""
    lf, lt = c.o.lend_from[c.pc.lends], c.o.lend_to[c.pc.lends]
    cols = c.lay.z0 + np.arange(len(c.pc.lends))
    rows = np.r_[c.court_pos[lt], c.court_pos[lf]]
    vals = np.r_[-factor[c.court_pos[lt]], factor[c.court_pos[lf]]]
    return rows, np.r_[cols, cols], vals


def _load_terms(c: _Ctx, factor: NDArray[np.float64]) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Row/col/value of load_j − factor_j·staff_change_j: the options and targets that bring
    load to a piece court, and the lending columns that change its staff."""
    rx = c.court_pos[c.o.court[c.pc.options]]
    ry = c.court_pos[c.o.target_court[c.pc.targets]]
    yc = c.lay.y0 + np.flatnonzero(ry >= 0)
    zr, zc, zv = _staff_terms(c, factor)
    return (np.r_[rx, ry[ry >= 0], zr], np.r_[c.lay.x0 + np.arange(len(rx)), yc, zc],
            np.r_[c.load_x, c.load_y[ry >= 0], zv])


def _load_band(rows: _Rows, c: _Ctx) -> None:
    """load_band[j]: load_j − τ·cpo_j·staff_j − Σ_b s[j,b] ≤ 0."""
    m, n_b = c.lay.n_courts, c.lay.n_bands
    tau_cpo = c.p.rules.target_utilisation * c.p.cases_per_officer[c.pc.courts]
    lr, lc, lv = _load_terms(c, tau_cpo)
    sr = np.repeat(np.arange(m), n_b)
    sc = c.lay.s0 + np.arange(m * n_b)
    rhs = tau_cpo * c.p.officers[c.pc.courts] - c.base
    rows.add("load_band", c.pc.courts, np.r_[lr, sr], np.r_[lc, sc], np.r_[lv, -np.ones(m * n_b)],
             np.full(m, -np.inf), rhs)


def _load_ceiling(rows: _Rows, c: _Ctx, ceiling: float) -> None:
    """load_ceiling[j]: load_j − c·cpo_j·staff_j ≤ max(0, load_before_j − c·cpo_j·own_j)."""
    m = c.lay.n_courts
    c_cpo = ceiling * c.p.cases_per_officer[c.pc.courts]
    lr, lc, lv = _load_terms(c, c_cpo)
    own = c_cpo * c.p.officers[c.pc.courts]
    rhs = np.maximum(own, c.p.open_caseload[c.pc.courts]) - c.base
    rows.add("load_ceiling", c.pc.courts, lr, lc, lv, np.full(m, -np.inf), rhs)


def _lend_limit(rows: _Rows, c: _Ctx) -> None:
    """lend_limit[k]: Σ officers lent by k ≤ floor((1 − keep share)·own)."""
    lf = c.o.lend_from[c.pc.lends]
    lenders, pos = np.unique(lf, return_inverse=True)
    rows.add("lend_limit", lenders, pos, c.lay.z0 + np.arange(len(lf)), np.ones(len(lf)),
             np.full(len(lenders), -np.inf), c.o.lend_max[lenders].astype(float))


def _staffing_coordinate(c: _Ctx, borrowers: NDArray[np.int64]
                         ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(x column positions, borrower position) of the 协同执行 options at borrowing courts
    whose case is short of staff (those need lent officers)."""
    o, pc = c.o, c.pc
    bpos = np.full(c.p.n_courts, -1, dtype=np.int64)
    bpos[borrowers] = np.arange(len(borrowers))
    short = (c.p.triggers[o.case[pc.options]] & int(Trigger.UNDERSTAFFED)) != 0
    is_c = (o.mode[pc.options] == Mode.COORDINATE) & short
    cx = np.flatnonzero(is_c & (bpos[o.court[pc.options]] >= 0))
    return cx, bpos[o.court[pc.options[cx]]]


def _coordinate_staff(rows: _Rows, c: _Ctx) -> None:
    """coordinate_staff[j]: borrowed_j − j's staffing 协同执行 cases ≤ 0;
    coordinate_officers[j]: j's staffing 协同执行 cases − k·borrowed_j ≤ 0."""
    lt = c.o.lend_to[c.pc.lends]
    borrowers, pos = np.unique(lt, return_inverse=True)
    if not len(borrowers):
        return
    cx, crow = _staffing_coordinate(c, borrowers)
    zc = c.lay.z0 + np.arange(len(lt))
    n_b = len(borrowers)
    fixed_in = np.bincount(pos, weights=np.maximum(_fixed_loans(c.o, c.pc.lends), 0),
                           minlength=n_b).astype(np.float64)
    rows.add("coordinate_staff", borrowers, np.r_[pos, crow], np.r_[zc, c.lay.x0 + cx],
             np.r_[np.ones(len(lt)), -np.ones(len(cx))], np.full(n_b, -np.inf), fixed_in)
    k = c.p.rules.cases_per_lent_officer
    rows.add("coordinate_officers", borrowers, np.r_[crow, pos], np.r_[c.lay.x0 + cx, zc],
             np.r_[np.ones(len(cx)), np.full(len(lt), -k)], np.full(n_b, -np.inf), np.zeros(n_b))
