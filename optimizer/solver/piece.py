"""One piece, LP first: the relaxation, lent officers made whole, a restricted MIP on the
fractional remainder, and branch and cut on the whole piece only when the gap asks for it.

1. the LP relaxation (HiGHS dual simplex). The core is a transportation problem with convex
   arc costs, so its vertices are mostly integral; if all integer columns are, the LP optimum
   is the proven optimum and nothing else runs;
2. otherwise lent officers are made whole by LP diving (fix those nearest to a whole number,
   re-solve warm, repeat), the LP is rounded (argmax per case, groups at ≥ ½) into a start,
   the integral part is fixed and only the fractional cases go to a restricted MIP; if that
   plan is more than half the gap above the bound, a MIP on the LP's reduced-cost
   neighbourhood of it re-decides the officers with the cases (`neighbourhood.py`); if the
   plan is still outside the gap, a second restricted MIP starts from the LP itself (its
   fractional cases, officers free);
3. if that incumbent is not within the requested gap of the LP bound, the whole piece goes to
   HiGHS branch and cut with the incumbent as start, for the time left, until the gap to the
   better of its dual bound and the LP's is met; that bound replaces the LP's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from optimizer.law.vocabulary import PieceStatus
from optimizer.model.rows import Model
from optimizer.solver import assignment, highs, warm
from optimizer.solver import cuts as rc
from optimizer.solver.highs import Outcome
from optimizer.solver.improve import improve
from optimizer.solver.neighbourhood import polish, reduced_costs
from optimizer.solver.points import INT_TOL, feasible, fill_bands, is_integral, round_lp, round_staff
from optimizer.solver.restricted import restricted_mip
from optimizer.solver.warm import Basis, WarmStart

#: branch and cut on a whole planning piece (with lending) from a start: HiGHS's presolve and
#: symmetry detection take 6 of 10 s on a Zhejiang piece (130,000 columns) and remove little;
#: without them the root reaches the same bound in 4 s. Pieces without lending (the GAP
#: benchmark) keep them: there presolve pays (d20100 +1.5 % → +2.4 % without it at 10 s)
_WHOLE_PIECE_MIP = {"presolve": "off", "mip_detect_symmetry": False,
                    "mip_heuristic_effort": 0.0, "mip_heuristic_run_feasibility_jump": False,
                    "mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False,
                    "mip_heuristic_run_root_reduced_cost": False}
#: the LP relaxation of a piece with lending: dual simplex without presolve takes half the CPU
#: time (0.55 → 0.28 s on the Zhejiang seed 3 piece, 0.94 → 0.50 s on the 30,000-case growth
#: piece, same optimum). Pieces without lending (GAP) keep presolve: their LP vertex feeds the
#: rounding, and GAP lost without it (d20100 +1.47 % → +2.15 % in one alternated run)
_PIECE_LP = {"presolve": "off"}
#: the reduced-cost neighbourhood MIP may take this many times what the LP and its cuts took
_NEIGHBOURHOOD_LP_TIMES = 1.0
#: cut rounds stop once a round lifts the bound by less than this share of the gap allowed
#: (Zhejiang: rounds 1–3 lift it by ≈ 1,500, each later one by 3–25 for ≈ 0.09 CPU s; at gap 0
#: every round runs)
_CUT_TAIL = 0.01


@dataclass
class PieceResult:
    values: NDArray[np.float64] | None
    status: PieceStatus
    objective: float
    bound: float
    method: str
    seconds: float = 0.0
    steps: list[str] = field(default_factory=list)
    #: what a what-if variant of this piece starts from (`warm.py`), when asked
    warm: WarmStart | None = None


def _dive_staff(m: Model, h: Any, lp: NDArray[np.float64],
                steps: list[str], rounds: int,
                prefer: NDArray[np.float64] | None = None) -> NDArray[np.float64] | None:
    """LP diving on the lending columns: each round fixes the officers nearest to a whole
    number (at least a third of those left) and re-solves warm; the last round rounds all.
    With `prefer` (a base plan's officers), the first round also fixes every pair whose LP
    value lies within half an officer of it, at that value: a variant dives only where its
    LP moved away from the base plan."""
    z, n_z = m.layout.z, m.layout.n_z
    cols = np.arange(z.start, z.stop)
    cur = lp
    fixed = np.zeros(n_z, dtype=bool)
    for r in range(rounds):
        zv = cur[z]
        dist = np.abs(zv - np.round(zv))
        fixed |= dist <= INT_TOL
        todo = np.flatnonzero(~fixed)
        if not len(todo):
            break
        if r == rounds - 1:
            pick = todo
        else:
            order = todo[np.argsort(dist[todo], kind="stable")]
            pick = order[: max(1, len(order) // 3)]
        target = round_staff(m, cur)
        if prefer is not None and r == 0:
            agree = np.flatnonzero(~fixed & (np.abs(zv - prefer) < 0.5))
            target[agree] = prefer[agree]
            pick = np.union1d(pick, agree)
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
    if np.any(np.abs(zv - np.round(zv)) > INT_TOL):
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
    #: rounds of cuts on top of the cuts a warm start carries
    warm_cut_rounds: int = 1
    #: told of each step as it ends: (what, incumbent so far or None, proven bound or None);
    #: only set when the piece runs in this process (a callable does not cross processes)
    on_step: Callable[[str, float | None, float | None], None] | None = None
    #: where to start (`PieceResult.warm` of the same piece in the base plan), or None
    warm_start: WarmStart | None = None
    #: hand back what a variant would start from (costs a pass over the columns: when asked)
    keep_warm_start: bool = False
    #: share of the time left before branch and cut given to the improvement phase
    #: (`improve.py`; 0 = none)
    improve_share: float = 0.0
    #: rounding cuts on the courts' load rows (`cuts.py`), with the residual-capacity cuts
    load_cuts: bool = True
    #: options beyond the LP's, as a share of the piece's cases, in the reduced-cost
    #: neighbourhood MIP after the dive (`neighbourhood.py`; 0 = none)
    neighbourhood_share: float = 0.2
    assignment_search_share: float = 0.3  # `assignment.branch_with_search` (0 = none)


def solve_piece(m: Model, cfg: PieceSettings) -> PieceResult:
    """Solve one piece; stop once objective − bound ≤ gap·objective."""
    t0 = time.perf_counter()
    steps: list[str] = _TimedSteps(t0)
    rows = rc.coordinate_rows(m) if cfg.cut_rounds else []
    start = warm.carry(m, rows, cfg.warm_start)
    m, carried = start.model, start.cuts
    h = _first_lp(m, cfg, steps, start.basis, carried)
    # the branching steps get what is left of this piece's own share
    time_limit = max(cfg.time_limit, time.perf_counter() - t0 + 0.5)
    left = lambda: time_limit - (time.perf_counter() - t0)  # noqa: E731
    kept: WarmStart | None = None  # (set once the LP and its cuts are done)

    def done(values: NDArray[np.float64] | None, status: PieceStatus, obj: float, bnd: float,
             method: str) -> PieceResult:
        return PieceResult(values, status, obj, bnd, method, time.perf_counter() - t0, steps,
                           kept.with_officers(m, values) if kept else None)

    tell = _teller(cfg)
    lp_res = highs.outcome(h, False)
    if lp_res.outcome is Outcome.INFEASIBLE:
        steps.append("lp: infeasible")
        return done(None, PieceStatus.INFEASIBLE, math.inf, math.inf, "lp")
    lp = lp_res.values
    if lp is None or not lp_res.optimal:
        steps.append("lp: not solved in time")
        return done(None, PieceStatus.FEASIBLE, math.inf, -math.inf, "lp")
    rounds = cfg.cut_rounds if carried is None else min(cfg.cut_rounds, cfg.warm_cut_rounds)
    tail = _CUT_TAIL * cfg.gap * abs(lp_res.objective)
    # a kept warm start holds no load cut (`warm.py`): they are added after it is taken
    m, lp, bound, cuts = _cut_loop(m, h, lp, lp_res.objective, rows, rounds, steps, carried,
                                   load_cuts=cfg.load_cuts and not cfg.keep_warm_start, tail=tail)
    kept = warm.keep(m, cuts, highs.get_basis(h)) if cfg.keep_warm_start else None
    if kept is not None and cfg.load_cuts:
        m, lp, bound, _ = _cut_loop(m, h, lp, bound, rows, rounds, steps, None, True, tail)
    integral = is_integral(m, lp)
    steps.append(f"lp {bound:.2f}, fractional integer columns {int((~integral).sum())}")
    tell("LP relaxation 线性松弛", None, bound)
    if integral.all():
        return done(fill_bands(m, np.round(lp * m.integer) + lp * ~m.integer), PieceStatus.OPTIMAL,
                    bound, bound, "lp")
    best, best_obj, method = _incumbent(m, h, lp, bound, cfg, steps, tell, left, start.officers,
                                        _NEIGHBOURHOOD_LP_TIMES * (time.perf_counter() - t0))
    if start.warm and (best is None or best_obj - bound > cfg.gap * abs(best_obj)) and left() > 0.05:
        # a variant far from its base: what the warm start skipped is done as a cold solve
        # does it (the remaining cut rounds, a dive from the LP's own officers) before branching
        m, lp, bound, again = _as_cold(m, h, lp, bound, rows, cfg.cut_rounds - rounds, cfg,
                                       steps, tell, left)
        if again[0] is not None and again[1] < best_obj:
            best, best_obj, method = again
    if (cfg.improve_share > 0 and best is not None and best_obj - bound > cfg.gap * abs(best_obj)
            and left() > 0.05):
        best, best_obj = improve(m, best, best_obj, left() * cfg.improve_share, cfg, steps)
        tell("improvement 改进", best_obj, bound)
    best, best_obj, bound, method = assignment.branch_with_search(  # (when the gap is still open)
        m, cfg, best, best_obj, bound, method, steps, tell, left, _branch_and_cut)
    if best is None:
        return done(None, PieceStatus.FEASIBLE, math.inf, bound, method)
    bound = min(bound, best_obj)
    return done(best, status_of(best_obj, bound, cfg.gap), best_obj, bound, method)


def _as_cold(m: Model, h: Any, lp: NDArray[np.float64], bound: float,
             rows: list[rc.CoordinateRow], rounds: int, cfg: PieceSettings, steps: list[str],
             tell: Callable[[str, float | None, float | None], None], left: Callable[[], float]
             ) -> tuple[Model, NDArray[np.float64], float,
                        tuple[NDArray[np.float64] | None, float, str]]:
    """The rest of a cold solve after a warm start fell short: officers freed again, the cut
    rounds the warm start skipped, and an incumbent dived from the LP's own officers."""
    z = np.arange(m.layout.z.start, m.layout.z.stop, dtype=np.int32)
    h.changeColsBounds(len(z), z, m.lower[z], m.upper[z])
    h.run()
    res = highs.outcome(h, False)
    if res.values is None or not res.optimal:
        return m, lp, bound, (None, math.inf, "lp")
    m, lp, bound, _ = _cut_loop(m, h, res.values, bound, rows, max(rounds, 0), steps, None)
    return m, lp, bound, _incumbent(m, h, lp, bound, cfg, steps, tell, left)


def _incumbent(m: Model, h: Any, lp: NDArray[np.float64], bound: float, cfg: PieceSettings,
               steps: list[str], tell: Callable[[str, float | None, float | None], None],
               left: Callable[[], float], carried: NDArray[np.float64] | None = None,
               neighbourhood_seconds: float = 0.0
               ) -> tuple[NDArray[np.float64] | None, float, str]:
    """A whole plan near the LP: officers made whole by diving (from the base plan's officers
    when warm-started), the LP rounded, the fractional rest by a restricted MIP; then, for at
    most `neighbourhood_seconds`, the LP's reduced-cost neighbourhood around that plan."""
    method, base = "lp", lp
    # (the neighbourhood re-decides officers: pieces without lending, GAP, go without it)
    with_neighbourhood = cfg.neighbourhood_share > 0 and neighbourhood_seconds > 0 and m.layout.n_z
    reduced = reduced_costs(h) if with_neighbourhood else None  # (the LP's: the dive moves it)
    if (~is_integral(m, lp)[m.layout.z]).any():
        # officers are whole people: dive — fix the lending closest to whole numbers (or to
        # the base plan's), let the cases re-balance (warm LP), repeat; then round the rest
        lp2 = _dive_staff(m, h, lp, steps, cfg.staff_dive_rounds, carried)
        if lp2 is None and carried is not None:  # the base's officers do not fit: afresh
            z = np.arange(m.layout.z.start, m.layout.z.stop, dtype=np.int32)
            h.changeColsBounds(len(z), z, m.lower[z], m.upper[z])
            lp2 = _dive_staff(m, h, lp, steps, cfg.staff_dive_rounds)
        if lp2 is not None:
            base, method = lp2, "lp+staff-dive"
    integral = is_integral(m, base)
    start = round_lp(m, base)
    best: NDArray[np.float64] | None = start if feasible(m, start) else None
    best_obj = float(m.cost @ start) if best is not None else math.inf
    steps.append(f"rounded {f'{best_obj:.2f}' if best is not None else 'not feasible'}")
    tell("rounded 取整", best_obj, bound)
    best, best_obj = _known_start(m, best, best_obj, steps)
    if not integral.all() or best is None:
        best, best_obj = restricted_mip(m, base, integral, best, best_obj,
                                        max(left() * cfg.restricted_mip_share, 0.05), cfg, steps)
        method += "+restricted-mip"
        tell("restricted MIP 局部整数规划", best_obj, bound)
    if reduced is not None and left() > 0.05:  # (re-decides the officers the dive fixed)
        best, best_obj, better = polish(m, lp, reduced, best, best_obj, bound, max(min(
            left() * cfg.restricted_mip_share, neighbourhood_seconds), 0.05), cfg, steps)
        method += "+neighbourhood-mip" if better else ""
        tell("neighbourhood MIP 邻域整数规划", best_obj, bound)
    if base is not lp and best_obj - bound > cfg.gap * abs(best_obj) and left() > 0.05:
        # the dive fixed officers the LP had split, and the plan built on them is still far
        # from the bound: branch instead on the cases (and officers) the LP itself left open
        # (the 30,000-case growth piece: 0.95 % above the bound after the dive's restricted
        # MIP, which branch and cut then took its whole share to repair)
        best, best_obj = restricted_mip(m, lp, is_integral(m, lp), best, best_obj,
                                        max(left() * cfg.restricted_mip_share, 0.05), cfg, steps)
        if "+restricted-mip" not in method:
            method += "+restricted-mip"
        tell("restricted MIP 局部整数规划", best_obj, bound)
    return best, best_obj, method


def _first_lp(m: Model, cfg: PieceSettings, steps: list[str], basis: Basis | None,
              carried: rc.Cuts | None) -> Any:
    """The piece's LP relaxation (with the base plan's cuts, when carried), from the base
    plan's basis when it fits."""
    h = highs.load(m, max(cfg.time_limit, cfg.lp_time_limit or 0.0), cfg.gap, cfg.seed,
                   options=_PIECE_LP if m.layout.n_z else None)
    if carried is not None:
        steps.append(f"{carried.n} cuts carried from the base plan")
    if highs.set_basis(h, m, basis):
        steps.append("lp from the base plan's basis")
    h.run()
    return h


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
    """HiGHS branch and cut on the whole piece, from the incumbent, telling its progress; it
    stops as soon as the piece's own gap is met. HiGHS alone measures its gap against its own
    dual bound, which can lag the LP bound with the officer cuts that the piece already holds
    (its root re-derives them); the piece's test takes the better of the two. (At gap 0
    HiGHS's own test suffices, and a callback on every MIP interrupt costs a Python call.)
    What kept the 30,000-case growth piece running to its limit was its incumbent, 0.95 %
    above the bound: the second restricted MIP in `_incumbent` is what shortens that one."""
    def met(inc: float, bnd: float) -> bool:
        obj = min(inc, best_obj)
        return math.isfinite(obj) and obj - max(bnd, bound) <= cfg.gap * abs(obj)

    res = highs.run(m, True, seconds, cfg.gap, cfg.seed, start=best,
                    options=_WHOLE_PIECE_MIP if best is not None and m.layout.n_z else None,
                    on_progress=(None if cfg.on_step is None else lambda inc, bnd: tell(
                        "branch and cut 分支定界", min(inc, best_obj), max(bnd, bound))),
                    stop_when=met if cfg.gap > 0 else None)
    if res.values is not None and res.objective < best_obj - 1e-9:
        best, best_obj = fill_bands(m, res.values), res.objective
    if math.isfinite(res.bound):
        bound = max(bound, res.bound)
    steps.append(f"mip {res.outcome.value} {best_obj:.2f} bound {bound:.2f}")
    return best, best_obj, bound


def _known_start(m: Model, best: NDArray[np.float64] | None, best_obj: float,
                 steps: list[str]) -> tuple[NDArray[np.float64] | None, float]:
    """Re-planning: the model's known point (the previous plan) when feasible and better."""
    if m.start is None:
        return best, best_obj
    known = fill_bands(m, m.start)
    obj = float(m.cost @ known)
    if not feasible(m, known) or obj >= best_obj - 1e-9:
        return best, best_obj
    steps.append(f"previous plan {obj:.2f}")
    return known, obj


def _cut_loop(m: Model, h: Any, lp: NDArray[np.float64], bound: float,
              rows: list[rc.CoordinateRow], rounds: int, steps: list[str],
              carried: rc.Cuts | None, load_cuts: bool = False, tail: float = 0.0
              ) -> tuple[Model, NDArray[np.float64], float, rc.Cuts]:
    """Residual-capacity cuts on the officers of 协同 cases (`cuts.py`), added to the LP while
    they cut it off and a round raises the bound by at least `tail`; returns the model with the
    cuts (the MIP steps keep them), the new LP, its bound, and all cut rows (the carried ones
    first)."""
    added: list[rc.Cuts] = []
    load = rc.load_rows(m) if load_cuts else []
    for _ in range(rounds if rows or load else 0):
        found = warm.concat([rc.separate(rows, lp), rc.separate_load(load, lp)])
        if not found.n:
            break
        rc.add_to_highs(h, found)
        added.append(found)
        h.run()
        res = highs.outcome(h, False)
        if res.values is None or not res.optimal:
            break
        gain = res.objective - bound
        lp, bound = res.values, max(bound, res.objective)
        if gain < tail:  # tailing off: the rounds after this one lift the bound still less
            break
    if added:
        steps.append(f"cuts {sum(c.n for c in added)} in {len(added)} rounds, lp {bound:.2f}")
    return (rc.with_cuts(m, added), lp, bound,
            warm.concat(([carried] if carried is not None else []) + added))


def rel_gap(obj: float, bound: float) -> float:
    if not math.isfinite(obj):
        return math.inf
    return max(obj - bound, 0.0) / max(abs(obj), 1e-9)


def status_of(obj: float, bound: float, gap: float) -> PieceStatus:
    g = rel_gap(obj, bound)
    if g <= 1e-6 or obj - bound <= 1e-6:
        return PieceStatus.OPTIMAL
    return PieceStatus.WITHIN_GAP if g <= gap else PieceStatus.FEASIBLE


