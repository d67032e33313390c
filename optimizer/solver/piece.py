"""One piece, LP first: the relaxation, lent officers made whole, a restricted MIP on the
fractional remainder, and branch and cut on the whole piece only when the gap asks for it.

1. the LP relaxation (HiGHS dual simplex). The core is a transportation problem with convex
   arc costs, so its vertices are mostly integral; if all integer columns are, the LP optimum
   is the proven optimum and nothing else runs;
2. otherwise lent officers are made whole by LP diving (fix those nearest to a whole number,
   re-solve warm, repeat), the LP is rounded (argmax per case, groups at ≥ ½) into a start,
   the integral part is fixed and only the fractional cases go to a restricted MIP;
3. if that incumbent is not within the requested gap of the LP bound, the whole piece goes to
   HiGHS branch and cut with the incumbent as start, for the time left; its dual bound
   replaces the LP's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
from numpy.typing import NDArray

from optimizer.model.rows import Model
from optimizer.solver import cuts as rc
from optimizer.solver import highs
from optimizer.solver.highs import Outcome

_INT_TOL = 1e-6
#: branch and cut on a whole planning piece (with lending) from a start: HiGHS's presolve and
#: symmetry detection take 6 of 10 s on a Zhejiang piece (130,000 columns) and remove little;
#: without them the root reaches the same bound in 4 s. Pieces without lending (the GAP
#: benchmark) keep them: there presolve pays (d20100 +1.5 % → +2.4 % without it at 10 s)
_WHOLE_PIECE_MIP = {"presolve": "off", "mip_detect_symmetry": False}


@dataclass
class PieceResult:
    values: NDArray[np.float64] | None
    status: str  # optimal / within_gap / feasible / infeasible
    objective: float
    bound: float
    method: str
    seconds: float = 0.0
    steps: list[str] = field(default_factory=list)
    #: the optimal basis of the piece's LP (column and row statuses): a variant of the same
    #: shape starts its LP from it (a what-if re-solves in a few iterations)
    basis: Basis | None = None


Basis = tuple[NDArray[np.int8], NDArray[np.int8]]


def _is_integral(m: Model, v: NDArray[np.float64]) -> NDArray[np.bool_]:
    return ~m.integer | (np.abs(v - np.round(v)) <= _INT_TOL)


def _fill_bands(m: Model, v: NDArray[np.float64]) -> NDArray[np.float64]:
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
        covered[_cases_of_groups(m, chosen)] = True
    x = lp[lay.x]
    order = np.lexsort((-x, m.x_case))
    first = np.r_[True, m.x_case[order][1:] != m.x_case[order][:-1]] if lay.n_x else np.zeros(0, bool)
    pick = order[first]
    pick = pick[~covered[m.x_case[pick]]]
    v[pick] = 1.0
    # (a case that only its group can move, with the group below ½, leaves this point
    # infeasible; the caller then branches without a start)
    v[lay.z] = np.floor(lp[lay.z] + _INT_TOL)
    return _fill_bands(m, v)


def _round_staff(m: Model, lp: NDArray[np.float64]) -> NDArray[np.float64]:
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


def _dive_staff(m: Model, h: Any, lp: NDArray[np.float64],
                steps: list[str], rounds: int) -> NDArray[np.float64] | None:
    """LP diving on the lending columns: each round fixes the officers nearest to a whole
    number (at least a third of those left) and re-solves warm; the last round rounds all."""
    z, n_z = m.layout.z, m.layout.n_z
    cols = np.arange(z.start, z.stop)
    cur = lp
    fixed = np.zeros(n_z, dtype=bool)
    for r in range(rounds):
        zv = cur[z]
        dist = np.abs(zv - np.round(zv))
        fixed |= dist <= _INT_TOL
        todo = np.flatnonzero(~fixed)
        if not len(todo):
            break
        if r == rounds - 1:
            pick = todo
        else:
            order = todo[np.argsort(dist[todo], kind="stable")]
            pick = order[: max(1, len(order) // 3)]
        target = _round_staff(m, cur)
        fixed[pick] = True
        idx = cols[fixed].astype(np.int32)
        vals = np.where(np.isin(np.arange(n_z), pick), target, np.round(zv))[fixed]
        h.changeColsBounds(len(idx), idx, vals, vals)
        h.run()
        res = highs.outcome(h, False)
        if res.values is None or not res.optimal:
            steps.append(f"staff dive round {r + 1}: {res.outcome.value}")
            return None
        cur = res.values
    zv = cur[z]
    if np.any(np.abs(zv - np.round(zv)) > _INT_TOL):
        return None
    steps.append(f"lp with whole officers {float(m.cost @ cur):.2f}")
    return cur


class _TimedSteps(list[str]):
    """Steps that say when they ended (seconds since the piece started)."""

    def __init__(self, t0: float):
        super().__init__()
        self.t0 = t0

    def append(self, step: str) -> None:
        super().append(f"{step} @{time.perf_counter() - self.t0:.1f}s")


@dataclass(frozen=True)
class PieceSettings:
    """What one piece may spend (seconds) and when it may stop."""

    time_limit: float  # this piece's share
    gap: float
    seed: int
    lp_time_limit: float | None = None  # the LP (the bound) may run this long when longer
    restricted_mip_share: float = 0.5
    staff_dive_rounds: int = 6
    cut_rounds: int = 8
    #: told of each step as it ends: (what, incumbent so far or None, proven bound or None);
    #: only set when the piece runs in this process (a callable does not cross processes)
    on_step: Callable[[str, float | None, float | None], None] | None = None
    #: an LP basis to start from (`PieceResult.basis` of a piece of the same shape), or None
    basis_start: tuple[NDArray[np.int8], NDArray[np.int8]] | None = None
    #: hand the LP's optimal basis back (costs a pass over the columns: only when asked)
    keep_basis: bool = False


def solve_piece(m: Model, cfg: PieceSettings) -> PieceResult:
    """Solve one piece; stop once objective − bound ≤ gap·objective."""
    t0 = time.perf_counter()
    steps: list[str] = _TimedSteps(t0)
    h, basis = _first_lp(m, cfg, steps)
    # the branching steps get what is left of this piece's own share
    time_limit = max(cfg.time_limit, time.perf_counter() - t0 + 0.5)
    left = lambda: time_limit - (time.perf_counter() - t0)  # noqa: E731

    def done(values: NDArray[np.float64] | None, status: str, obj: float, bnd: float,
             method: str) -> PieceResult:
        return PieceResult(values, status, obj, bnd, method, time.perf_counter() - t0, steps,
                           basis)

    tell = _teller(cfg)

    lp_res = highs.outcome(h, False)
    if lp_res.outcome is Outcome.INFEASIBLE:
        steps.append("lp: infeasible")
        return done(None, "infeasible", math.inf, math.inf, "lp")
    lp = lp_res.values
    if lp is None or not lp_res.optimal:
        steps.append("lp: not solved in time")
        return done(None, "feasible", math.inf, -math.inf, "lp")
    bound = lp_res.objective
    m, lp, bound = _cut_loop(m, h, lp, bound, cfg.cut_rounds, steps)
    integral = _is_integral(m, lp)
    steps.append(f"lp {bound:.2f}, fractional integer columns {int((~integral).sum())}")
    tell("LP relaxation 线性松弛", None, bound)
    if integral.all():
        return done(_fill_bands(m, np.round(lp * m.integer) + lp * ~m.integer), "optimal",
                    bound, bound, "lp")
    method, base = "lp", lp
    if (~integral[m.layout.z]).any():
        # officers are whole people: dive — fix the lending closest to whole numbers, let the
        # cases re-balance (warm LP), repeat; then round what is left
        lp2 = _dive_staff(m, h, lp, steps, cfg.staff_dive_rounds)
        if lp2 is not None:
            base, method = lp2, "lp+staff-dive"
            integral = _is_integral(m, base)
    start = round_lp(m, base)
    best: NDArray[np.float64] | None = start if feasible(m, start) else None
    best_obj = float(m.cost @ start) if best is not None else math.inf
    steps.append(f"rounded {f'{best_obj:.2f}' if best is not None else 'infeasible'}")
    tell("rounded 取整", best_obj, bound)
    best, best_obj = _known_start(m, best, best_obj, steps)
    if not integral.all() or best is None:
        best, best_obj = _restricted_mip(m, base, integral, best, best_obj,
                                         max(left() * cfg.restricted_mip_share, 0.05), cfg, steps)
        method += "+restricted-mip"
        tell("restricted MIP 局部整数规划", best_obj, bound)
    if (best is None or best_obj - bound > cfg.gap * abs(best_obj)) and left() > 0.05:
        best, best_obj, bound = _branch_and_cut(m, cfg, best, best_obj, bound, left(), steps, tell)
        method = "lp+mip"
    if best is None:
        return done(None, "feasible", math.inf, bound, method)
    bound = min(bound, best_obj)
    return done(best, status_of(best_obj, bound, cfg.gap), best_obj, bound, method)


def _first_lp(m: Model, cfg: PieceSettings, steps: list[str]) -> tuple[Any, Basis | None]:
    """The piece's LP relaxation, from a previous basis when one fits; its basis if asked."""
    h = highs.load(m, max(cfg.time_limit, cfg.lp_time_limit or 0.0), cfg.gap, cfg.seed)
    if highs.set_basis(h, m, cfg.basis_start):
        steps.append("lp from a previous basis")
    h.run()
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h, highs.get_basis(h) if cfg.keep_basis and optimal else None


def _teller(cfg: PieceSettings) -> Callable[[str, float | None, float | None], None]:
    """Tells `cfg.on_step` of a step, with non-finite numbers as unknown (None)."""
    def tell(what: str, incumbent: float | None, proven: float | None) -> None:
        if cfg.on_step is not None:
            finite = lambda x: x if x is not None and math.isfinite(x) else None  # noqa: E731
            cfg.on_step(what, finite(incumbent), finite(proven))
    return tell


def _branch_and_cut(m: Model, cfg: PieceSettings, best: NDArray[np.float64] | None,
                    best_obj: float, bound: float, seconds: float, steps: list[str],
                    tell: Callable[[str, float | None, float | None], None]
                    ) -> tuple[NDArray[np.float64] | None, float, float]:
    """HiGHS branch and cut on the whole piece, from the incumbent, telling its progress."""
    res = highs.run(m, True, seconds, cfg.gap, cfg.seed, start=best,
                    options=_WHOLE_PIECE_MIP if best is not None and m.layout.n_z else None,
                    on_progress=(None if cfg.on_step is None else lambda inc, bnd: tell(
                        "branch and cut 分支定界", min(inc, best_obj), max(bnd, bound))))
    if res.values is not None and res.objective < best_obj - 1e-9:
        best, best_obj = _fill_bands(m, res.values), res.objective
    if math.isfinite(res.bound):
        bound = max(bound, res.bound)
    steps.append(f"mip {res.outcome.value} {best_obj:.2f} bound {bound:.2f}")
    return best, best_obj, bound


def _known_start(m: Model, best: NDArray[np.float64] | None, best_obj: float,
                 steps: list[str]) -> tuple[NDArray[np.float64] | None, float]:
    """Re-planning: the model's known point (the previous plan) when feasible and better."""
    if m.start is None:
        return best, best_obj
    known = _fill_bands(m, m.start)
    obj = float(m.cost @ known)
    if not feasible(m, known) or obj >= best_obj - 1e-9:
        return best, best_obj
    steps.append(f"previous plan {obj:.2f}")
    return known, obj


def _cut_loop(m: Model, h: Any, lp: NDArray[np.float64], bound: float, rounds: int,
              steps: list[str]) -> tuple[Model, NDArray[np.float64], float]:
    """Residual-capacity cuts on the officers of 协同 cases (`cuts.py`), added to the LP while
    they cut it off; returns the model with the cuts (the MIP steps keep them) and the new LP."""
    rows = rc.coordinate_rows(m) if rounds else []
    added: list[rc.Cuts] = []
    for _ in range(rounds if rows else 0):
        found = rc.separate(rows, lp)
        if not found.n:
            break
        rc.add_to_highs(h, found)
        added.append(found)
        h.run()
        res = highs.outcome(h, False)
        if res.values is None or not res.optimal:
            break
        lp, bound = res.values, max(bound, res.objective)
    if added:
        steps.append(f"cuts {sum(c.n for c in added)} in {len(added)} rounds, lp {bound:.2f}")
    return rc.with_cuts(m, added), lp, bound


def _restricted_mip(m: Model, base: NDArray[np.float64], integral: NDArray[np.bool_],
                    best: NDArray[np.float64] | None, best_obj: float, seconds: float,
                    cfg: PieceSettings, steps: list[str]
                    ) -> tuple[NDArray[np.float64] | None, float]:
    """Fix what the relaxation decided integrally; branch only on the rest (lending stays free:
    officers re-balance with the cases)."""
    lay = m.layout
    lower, upper = m.lower.copy(), m.upper.copy()
    case_frac = np.zeros(len(m.piece.cases), dtype=bool)
    np.logical_or.at(case_frac, m.x_case, ~integral[lay.x])
    frac_groups = np.unique(m.y_group[~integral[lay.y]])
    free_case = case_frac.copy()
    free_case[_cases_of_groups(m, np.isin(m.y_group, frac_groups))] = True
    ix = lay.x0 + np.flatnonzero(~free_case[m.x_case])
    iy = lay.y0 + np.flatnonzero(~np.isin(m.y_group, frac_groups))
    for idx in (ix, iy):
        lower[idx] = upper[idx] = np.round(base[idx])
    res = highs.run(m, True, seconds, cfg.gap, cfg.seed, lower, upper, start=best)
    if res.values is not None and res.objective < best_obj:
        best, best_obj = _fill_bands(m, res.values), res.objective
    steps.append(f"restricted mip ({int(free_case.sum())} free cases) {res.outcome.value} "
                 f"{best_obj:.2f}")
    return best, best_obj


def _cases_of_groups(m: Model, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    n_cases = len(m.piece.cases)
    out = []
    for c in m.layout.y0 + np.flatnonzero(mask):
        rows = m.a_index[m.a_start[c]:m.a_start[c + 1]]
        out.append(rows[rows < n_cases])
    return np.unique(np.concatenate(out)) if out else np.zeros(0, dtype=np.int64)


def rel_gap(obj: float, bound: float) -> float:
    if not math.isfinite(obj):
        return math.inf
    return max(obj - bound, 0.0) / max(abs(obj), 1e-9)


def status_of(obj: float, bound: float, gap: float) -> str:
    g = rel_gap(obj, bound)
    if g <= 1e-6 or obj - bound <= 1e-6:
        return "optimal"
    return "within_gap" if g <= gap else "feasible"


