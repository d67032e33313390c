"""The planning model of one independent piece, as arrays (one function per constraint family).

Columns:
- `x[o]`   binary, individual option o (keep / internal / supervise / designate / elevate /
           coordinate) of one case;
- `y[t]`   binary, group target t: every member of a debtor group goes to court t (集中执行);
- `z[p]`   integer, officers lent on pair p (协同执行);
- `s[j,b]` continuous, court j's load above its target in penalty band b (convex: rising slopes).

Rows (named after their rule so a violation can be reported by name):
- `one_option[i]`: each case takes exactly one option, its group's target counting as one;
- `load_band[j]`:  load_j − target·cpo_j·staff_j ≤ Σ_b s[j,b] (staff = own − lent + borrowed);
- `load_ceiling[j]`: load_j ≤ max(ceiling·cpo_j·staff_j, load before) when the rule is on;
- `lend_limit[k]`: officers lent by k ≤ (1 − keep share) · own officers;
- `coordinate_staff[j]`: officers borrowed ≤ number of j's 协同执行 cases (staff is lent for
  coordinated cases, at most one officer per case).
The core (one_option + load_band) is a transportation problem with convex arc costs; the other
families are what breaks the structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix

from optimizer.data.problem import Mode, Problem
from optimizer.model.options import Options


@dataclass(frozen=True)
class Piece:
    """Index sets of one independent piece of the problem."""

    cases: NDArray[np.int64]
    options: NDArray[np.int64]  # rows of Options.case
    targets: NDArray[np.int64]  # rows of Options.target_group
    lends: NDArray[np.int64]  # rows of Options.lend_from
    courts: NDArray[np.int64]  # courts whose load can change


@dataclass(frozen=True)
class Model:
    piece: Piece
    cost: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    integer: NDArray[np.bool_]
    row_lower: NDArray[np.float64]
    row_upper: NDArray[np.float64]
    row_names: tuple[str, ...]
    a_start: NDArray[np.int64]
    a_index: NDArray[np.int64]
    a_value: NDArray[np.float64]
    n_x: int
    n_y: int
    n_z: int
    band_court: NDArray[np.int64]  # court of each s column
    band_width: NDArray[np.float64]
    x_case: NDArray[np.int64]  # case position (in piece.cases) of each x column
    y_group: NDArray[np.int64]  # group of each y column
    n_bands: int
    load_row0: int  # first load_band row
    z_lender: NDArray[np.int64]  # lender court of each z column
    z_cap: NDArray[np.float64]  # that lender's limit

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)


class _Rows:
    """Collects sparse rows as (row, col, value) triplets with bounds and names."""

    def __init__(self) -> None:
        self.r: list[NDArray[np.int64]] = []
        self.c: list[NDArray[np.int64]] = []
        self.v: list[NDArray[np.float64]] = []
        self.lo: list[NDArray[np.float64]] = []
        self.hi: list[NDArray[np.float64]] = []
        self.names: list[str] = []

    @property
    def count(self) -> int:
        return len(self.names)

    def add(self, name: str, labels: NDArray[np.int64], rows: NDArray[np.int64],
            cols: NDArray[np.int64], vals: NDArray[np.float64],
            lo: NDArray[np.float64], hi: NDArray[np.float64]) -> None:
        base = self.count
        self.r.append(rows + base)
        self.c.append(cols)
        self.v.append(vals)
        self.lo.append(lo)
        self.hi.append(hi)
        self.names.extend(f"{name}[{int(x)}]" for x in labels)


def court_components(p: Problem, o: Options, free: NDArray[np.bool_],
                     max_piece_cases: int = 15_000) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(component per court, linking groups). Courts are linked by individual options and
    lending pairs (under the rules a case moves only inside its decider's district). A debtor
    group whose courts lie in several components merges them while the merged piece keeps at
    most `max_piece_cases` free cases; groups still spanning components are *linking*."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(p.n_courts))
    cur = p.case_court
    g.add_edges_from(zip(cur[o.case].tolist(), o.court.tolist(), strict=True))
    g.add_edges_from(zip(o.lend_from.tolist(), o.lend_to.tolist(), strict=True))
    comp = np.empty(p.n_courts, dtype=np.int64)
    for k, nodes in enumerate(sorted(nx.connected_components(g), key=min)):
        comp[list(nodes)] = k
    size = np.bincount(comp[cur[free]], minlength=int(comp.max()) + 1)
    root = np.arange(len(size))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = int(root[x])
        return x

    order = np.argsort(o.target_group, kind="stable")
    member_rows = np.argsort(o.target_group[o.member_target], kind="stable")
    tg_sorted = o.target_group[order]
    mg_sorted = o.target_group[o.member_target[member_rows]]
    groups = np.unique(o.target_group)
    t_lo = np.searchsorted(tg_sorted, groups)
    t_hi = np.searchsorted(tg_sorted, groups, side="right")
    m_lo = np.searchsorted(mg_sorted, groups)
    m_hi = np.searchsorted(mg_sorted, groups, side="right")
    spans = []
    for k in range(len(groups)):
        courts = np.r_[o.target_court[order[t_lo[k]:t_hi[k]]],
                       cur[o.member_case[member_rows[m_lo[k]:m_hi[k]]]]]
        parts = {find(int(c)) for c in np.unique(comp[courts])}
        if len(parts) > 1:
            spans.append((int(groups[k]), parts))
    for _grp, parts in spans:  # merge while small enough
        roots = {find(x) for x in parts}
        if len(roots) > 1 and sum(int(size[r]) for r in roots) <= max_piece_cases:
            first, *rest = sorted(roots)
            for r in rest:
                root[r] = first
                size[first] += size[r]
    comp = np.array([find(int(c)) for c in comp], dtype=np.int64)
    linking = [grp for grp, parts in spans if len({find(x) for x in parts}) > 1]
    return comp, np.array(linking, dtype=np.int64)


def find_pieces(p: Problem, o: Options, free: NDArray[np.bool_],
                comp: NDArray[np.int64]) -> list[Piece]:
    """Independent pieces, one per component holding a free case (one with more than one
    option); the other cases are constants. A group target belongs to its members' piece."""
    cur = p.case_court
    case_comp = np.where(free, comp[cur], -1)
    busy = np.zeros(int(comp.max()) + 1 if len(comp) else 0, dtype=bool)
    busy[case_comp[free]] = True
    pieces = []
    opt_comp = case_comp[o.case]
    tgt_comp = np.full(len(o.target_group), -1, dtype=np.int64)
    tgt_comp[o.member_target] = comp[cur[o.member_case]]
    lend_comp = comp[o.lend_from]
    order_c = np.argsort(case_comp, kind="stable")
    order_o = np.argsort(opt_comp, kind="stable")
    for k in np.flatnonzero(busy).tolist():
        cases = order_c[np.searchsorted(case_comp[order_c], k):
                        np.searchsorted(case_comp[order_c], k, side="right")]
        opts = order_o[np.searchsorted(opt_comp[order_o], k):
                       np.searchsorted(opt_comp[order_o], k, side="right")]
        courts = np.flatnonzero((comp == k) & p.in_district)
        pieces.append(Piece(np.sort(cases), np.sort(opts), np.flatnonzero(tgt_comp == k),
                            np.flatnonzero(lend_comp == k), courts))
    return pieces


def build_model(p: Problem, o: Options, piece: Piece,
                extra_load: NDArray[np.float64] | None = None) -> Model:
    """Model arrays of one piece. `extra_load` adds fixed load per court (cases fixed
    elsewhere that move in or out); targets outside the piece carry no load here (that only
    happens in the relaxation of linking groups, where dropping it keeps a valid bound)."""
    s = p.scenario
    r, w = s.rules, s.weights
    cases, opts, tgts, lends, courts = (piece.cases, piece.options, piece.targets, piece.lends,
                                        piece.courts)
    n_x, n_y, n_z = len(opts), len(tgts), len(lends)
    slopes = np.asarray(w.load_slopes, dtype=np.float64)
    n_b = len(slopes)
    court_pos = np.full(p.n_courts, -1, dtype=np.int64)
    court_pos[courts] = np.arange(len(courts))
    case_pos = np.full(p.n_cases, -1, dtype=np.int64)
    case_pos[cases] = np.arange(len(cases))
    x0, y0, z0, s0 = 0, n_x, n_x + n_y, n_x + n_y + n_z
    n_cols = s0 + n_b * len(courts)

    # objective: option costs, group costs, lending travel, band slopes
    own_cap = p.capacity[courts]
    band_court = np.repeat(courts, n_b)
    band_width = np.tile(np.r_[np.full(n_b - 1, r.load_band_width), np.inf], len(courts))
    band_width = band_width * np.repeat(own_cap, n_b)
    band_width[np.isnan(band_width)] = np.inf
    target_cost = o.target_cost[tgts] if n_y else np.zeros(0)
    cost = np.concatenate([o.cost[opts], target_cost, o.lend_cost[lends],
                           np.tile(slopes, len(courts))])
    lower = np.zeros(n_cols)
    upper = np.concatenate([np.ones(n_x + n_y), o.lend_max[o.lend_from[lends]].astype(float),
                            band_width])
    integer = np.r_[np.ones(n_x + n_y + n_z, dtype=bool), np.zeros(n_b * len(courts), dtype=bool)]

    rows = _Rows()
    _one_option(rows, p, o, piece, case_pos, x0, y0)
    load_row0 = rows.count
    load_w_x = p.case_workload[o.case[opts]]
    group_load = (np.bincount(o.member_target, weights=p.case_workload[o.member_case],
                              minlength=len(o.target_group))[tgts] if n_y else np.zeros(0)
                  ).astype(np.float64)
    base = (p.open_caseload[courts] - np.bincount(
        court_pos[p.case_court[cases]], weights=p.case_workload[cases], minlength=len(courts))
            ).astype(np.float64)
    if extra_load is not None:
        base = base + extra_load[courts]
    _load_band(rows, p, o, piece, court_pos, load_w_x, group_load, base, x0, y0, z0, s0, n_b)
    if r.max_utilisation is not None:
        _load_ceiling(rows, p, o, piece, court_pos, load_w_x, group_load, base, x0, y0, z0)
    _lend_limit(rows, o, piece, z0)
    _coordinate_staff(rows, p, o, piece, court_pos, load_w_x, x0, z0)

    a = coo_matrix((np.concatenate(rows.v), (np.concatenate(rows.r), np.concatenate(rows.c))),
                   shape=(rows.count, n_cols)).tocsc()
    a.sum_duplicates()
    return Model(
        piece=piece, cost=cost, lower=lower, upper=upper, integer=integer,
        row_lower=np.concatenate(rows.lo), row_upper=np.concatenate(rows.hi),
        row_names=tuple(rows.names), a_start=a.indptr.astype(np.int64),
        a_index=a.indices.astype(np.int64), a_value=a.data.astype(np.float64),
        n_x=n_x, n_y=n_y, n_z=n_z, band_court=band_court, band_width=band_width,
        x_case=case_pos[o.case[opts]], y_group=o.target_group[tgts], n_bands=n_b,
        load_row0=load_row0, z_lender=o.lend_from[lends],
        z_cap=o.lend_max[o.lend_from[lends]].astype(np.float64),
    )


def _one_option(rows: _Rows, p: Problem, o: Options, pc: Piece, case_pos: NDArray[np.int64],
                x0: int, y0: int) -> None:
    """one_option[i]: Σ x[o of i] + Σ y[t of i's group] = 1."""
    n_x = len(pc.options)
    r_x = case_pos[o.case[pc.options]]
    t_pos = np.full(len(o.target_group), -1, dtype=np.int64)
    t_pos[pc.targets] = np.arange(len(pc.targets))
    sel = t_pos[o.member_target] >= 0
    r_y = case_pos[o.member_case[sel]]
    c_y = y0 + t_pos[o.member_target[sel]]
    n = len(pc.cases)
    rows.add("one_option", pc.cases, np.r_[r_x, r_y], np.r_[x0 + np.arange(n_x), c_y],
             np.ones(n_x + len(r_y)), np.ones(n), np.ones(n))


def _staff_terms(o: Options, pc: Piece, court_pos: NDArray[np.int64], z0: int,
                 factor: NDArray[np.float64]) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Row/col/value of −factor_j·(borrowed_j − lent_j) for each lending column."""
    lf, lt = o.lend_from[pc.lends], o.lend_to[pc.lends]
    cols = z0 + np.arange(len(pc.lends))
    rows = np.r_[court_pos[lt], court_pos[lf]]
    vals = np.r_[-factor[court_pos[lt]], factor[court_pos[lf]]]
    return rows, np.r_[cols, cols], vals


def _load_band(rows: _Rows, p: Problem, o: Options, pc: Piece, court_pos: NDArray[np.int64],
               load_w_x: NDArray[np.float64], group_load: NDArray[np.float64],
               base: NDArray[np.float64], x0: int, y0: int, z0: int, s0: int, n_b: int) -> None:
    """load_band[j]: load_j − τ·cpo_j·staff_j − Σ_b s[j,b] ≤ 0."""
    r = p.scenario.rules
    m = len(pc.courts)
    tau_cpo = r.target_utilisation * p.cases_per_officer[pc.courts]
    rx = court_pos[o.court[pc.options]]
    ry = court_pos[o.target_court[pc.targets]]
    yc = y0 + np.flatnonzero(ry >= 0)
    zr, zc, zv = _staff_terms(o, pc, court_pos, z0, tau_cpo)
    sr = np.repeat(np.arange(m), n_b)
    sc = s0 + np.arange(m * n_b)
    rhs = tau_cpo * p.officers[pc.courts] - base
    rows.add("load_band", pc.courts,
             np.r_[rx, ry[ry >= 0], zr, sr], np.r_[x0 + np.arange(len(rx)), yc, zc, sc],
             np.r_[load_w_x, group_load[ry >= 0], zv, -np.ones(m * n_b)],
             np.full(m, -np.inf), rhs)


def _load_ceiling(rows: _Rows, p: Problem, o: Options, pc: Piece, court_pos: NDArray[np.int64],
                  load_w_x: NDArray[np.float64], group_load: NDArray[np.float64],
                  base: NDArray[np.float64], x0: int, y0: int, z0: int) -> None:
    """load_ceiling[j]: load_j − c·cpo_j·staff_j ≤ max(0, load_before_j − c·cpo_j·own_j)."""
    c = p.scenario.rules.max_utilisation
    assert c is not None
    m = len(pc.courts)
    c_cpo = c * p.cases_per_officer[pc.courts]
    rx = court_pos[o.court[pc.options]]
    ry = court_pos[o.target_court[pc.targets]]
    yc = y0 + np.flatnonzero(ry >= 0)
    zr, zc, zv = _staff_terms(o, pc, court_pos, z0, c_cpo)
    own = c_cpo * p.officers[pc.courts]
    rhs = np.maximum(own, p.open_caseload[pc.courts]) - base
    rows.add("load_ceiling", pc.courts, np.r_[rx, ry[ry >= 0], zr],
             np.r_[x0 + np.arange(len(rx)), yc, zc],
             np.r_[load_w_x, group_load[ry >= 0], zv], np.full(m, -np.inf), rhs)


def _lend_limit(rows: _Rows, o: Options, pc: Piece, z0: int) -> None:
    """lend_limit[k]: Σ officers lent by k ≤ floor((1 − keep share)·own)."""
    lf = o.lend_from[pc.lends]
    lenders, pos = np.unique(lf, return_inverse=True)
    rows.add("lend_limit", lenders, pos, z0 + np.arange(len(lf)), np.ones(len(lf)),
             np.full(len(lenders), -np.inf), o.lend_max[lenders].astype(float))


def _coordinate_staff(rows: _Rows, p: Problem, o: Options, pc: Piece,
                      court_pos: NDArray[np.int64], load_w_x: NDArray[np.float64],
                      x0: int, z0: int) -> None:
    """coordinate_staff[j]: borrowed_j − number of j's 协同执行 cases ≤ 0."""
    lt = o.lend_to[pc.lends]
    borrowers, pos = np.unique(lt, return_inverse=True)
    if not len(borrowers):
        return
    bpos = np.full(p.n_courts, -1, dtype=np.int64)
    bpos[borrowers] = np.arange(len(borrowers))
    is_c = o.mode[pc.options] == Mode.COORDINATE
    cx = np.flatnonzero(is_c & (bpos[o.court[pc.options]] >= 0))
    rows.add("coordinate_staff", borrowers,
             np.r_[pos, bpos[o.court[pc.options[cx]]]],
             np.r_[z0 + np.arange(len(lt)), x0 + cx],
             np.r_[np.ones(len(lt)), -np.ones(len(cx))],
             np.full(len(borrowers), -np.inf), np.zeros(len(borrowers)))
