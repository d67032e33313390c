"""`solve(problem, params) -> Plan`: options, pieces, LP-first solve, proven bound.

Per independent piece:
1. the LP relaxation (HiGHS dual simplex). The core is a transportation problem with convex
   arc costs, so its vertices are mostly integral; if all integer columns are, the LP optimum
   is the proven optimum and nothing else runs;
2. otherwise the LP is rounded (argmax per case, groups at ≥ ½, lending floored) into a start,
   the integral part of the LP is fixed and only the fractional remainder goes to branch and
   cut (HiGHS MIP), hinted with the start;
3. if that incumbent is not within the requested gap of the LP bound, the whole piece goes to
   HiGHS MIP with the incumbent as start, for the time left; its dual bound replaces the LP's.
Pieces are independent: bounds add up. No printing; progress goes to an optional callback.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import highspy
import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Mode, Problem
from optimizer.model.linking import decide_linking, fix_linking, repair, split_linking
from optimizer.model.options import Options, build_options
from optimizer.model.rows import Model, build_model, court_components, find_pieces
from optimizer.results.build import make_plan
from optimizer.results.evaluate import Decision, Evaluation, band_penalty, evaluate
from optimizer.results.plan import Plan

Progress = Callable[[str], None]
_INT_TOL = 1e-6
# the LP is the bound: it may overrun the time limit by up to this much rather than give none
_LP_MIN_SECONDS = 60.0


@dataclass(frozen=True)
class SolveParams:
    """Validated solver parameters."""

    time_limit: float = 60.0  # seconds, whole solve
    gap: float = 1e-3  # stop once the proven relative gap is at most this
    seed: int = 0
    workers: int = 1  # processes for independent pieces

    def __post_init__(self) -> None:
        if not (self.time_limit > 0 and math.isfinite(self.time_limit)):
            raise ValueError(f"time_limit must be a positive number of seconds, got {self.time_limit}")
        if not (0 <= self.gap < 1):
            raise ValueError(f"gap must be in [0, 1), got {self.gap}")
        if self.seed < 0:
            raise ValueError(f"seed must be ≥ 0, got {self.seed}")
        if self.workers < 1:
            raise ValueError(f"workers must be ≥ 1, got {self.workers}")


@dataclass
class PieceResult:
    values: NDArray[np.float64] | None
    status: str  # optimal / within_gap / feasible / infeasible
    objective: float
    bound: float
    method: str
    seconds: float = 0.0
    steps: list[str] = field(default_factory=list)


_banner_done = False


def _new_highs() -> highspy.Highs:
    """A silent HiGHS instance (the first construction prints a banner on fd 1)."""
    global _banner_done
    if not _banner_done:
        _banner_done = True
        with open(os.devnull, "w") as null:
            saved = os.dup(1)
            try:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
    else:
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _highs_for(m: Model, time_limit: float, gap: float, seed: int,
               lower: NDArray[np.float64] | None = None,
               upper: NDArray[np.float64] | None = None,
               integer: NDArray[np.bool_] | None = None) -> highspy.Highs:
    h = _new_highs()
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", int(seed) % 2_147_483_647)
    h.setOptionValue("time_limit", max(float(time_limit), 0.05))
    h.setOptionValue("mip_rel_gap", float(gap))
    lp = highspy.HighsLp()
    lp.num_col_ = m.n_cols
    lp.num_row_ = m.n_rows
    lp.col_cost_ = m.cost
    lp.col_lower_ = m.lower if lower is None else lower
    lp.col_upper_ = m.upper if upper is None else upper
    lp.row_lower_ = m.row_lower
    lp.row_upper_ = m.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = m.a_start
    lp.a_matrix_.index_ = m.a_index
    lp.a_matrix_.value_ = m.a_value
    if integer is not None and integer.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if f else highspy.HighsVarType.kContinuous
                           for f in integer]
    h.passModel(lp)
    return h


def _outcome(h: highspy.Highs, is_mip: bool) -> tuple[str, NDArray[np.float64] | None, float, float]:
    status = h.getModelStatus()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, math.inf, math.inf
    if info.primal_solution_status != 2:  # no feasible point found in time
        return "feasible", None, math.inf, (info.mip_dual_bound if is_mip else -math.inf)
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    obj = float(info.objective_function_value)
    done = status == highspy.HighsModelStatus.kOptimal
    if not is_mip:
        return ("optimal", values, obj, obj) if done else ("feasible", values, obj, -math.inf)
    bound = float(info.mip_dual_bound)
    return ("optimal" if done else "feasible"), values, obj, min(bound, obj)


def run_highs(
    m: Model, integer: bool | NDArray[np.bool_], time_limit: float, gap: float, seed: int,
    lower: NDArray[np.float64] | None = None, upper: NDArray[np.float64] | None = None,
    start: NDArray[np.float64] | None = None,
) -> tuple[str, NDArray[np.float64] | None, float, float]:
    """(status, column values, objective, proven bound) of the model or its LP relaxation;
    `integer` True = the model's integer columns, False = LP, or a mask of columns."""
    mask = (m.integer if integer is True else np.zeros(m.n_cols, dtype=bool) if integer is False
            else m.integer & integer)
    is_mip = bool(mask.any())
    h = _highs_for(m, time_limit, gap, seed, lower, upper, mask if is_mip else None)
    if is_mip and start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    return _outcome(h, is_mip)


def _is_integral(m: Model, v: NDArray[np.float64]) -> NDArray[np.bool_]:
    return ~m.integer | (np.abs(v - np.round(v)) <= _INT_TOL)


def _fill_bands(m: Model, v: NDArray[np.float64]) -> NDArray[np.float64]:
    """Set the band columns to the convex split of each court's excess load."""
    v = v.copy()
    s0 = m.n_x + m.n_y + m.n_z
    v[s0:] = 0.0
    csc_cols = np.repeat(np.arange(m.n_cols), np.diff(m.a_start))
    act = np.bincount(m.a_index, weights=m.a_value * v[csc_cols], minlength=m.n_rows)
    n_courts = len(m.piece.courts)
    rhs = m.row_upper[m.load_row0:m.load_row0 + n_courts]
    rest = np.maximum(act[m.load_row0:m.load_row0 + n_courts] - rhs, 0.0)
    width = m.band_width.reshape(n_courts, m.n_bands)
    for b in range(m.n_bands):
        part = np.minimum(rest, width[:, b])
        v[s0 + np.arange(n_courts) * m.n_bands + b] = part
        rest = rest - part
    return v


def _feasible(m: Model, v: NDArray[np.float64]) -> bool:
    if np.any(v < m.lower - 1e-7) or np.any(v > m.upper + 1e-7):
        return False
    csc_cols = np.repeat(np.arange(m.n_cols), np.diff(m.a_start))
    act = np.bincount(m.a_index, weights=m.a_value * v[csc_cols], minlength=m.n_rows)
    return bool(np.all(act >= m.row_lower - 1e-6) and np.all(act <= m.row_upper + 1e-6))


def round_lp(m: Model, lp: NDArray[np.float64]) -> NDArray[np.float64]:
    """Integer point near the LP optimum: groups at ≥ ½, argmax option per case, floor lending."""
    v = np.zeros(m.n_cols)
    n_cases = len(m.piece.cases)
    covered = np.zeros(n_cases, dtype=bool)
    y = lp[m.n_x:m.n_x + m.n_y]
    if m.n_y:
        groups, inv = np.unique(m.y_group, return_inverse=True)
        total = np.bincount(inv, weights=y)
        best = np.full(len(groups), -1)
        order = np.lexsort((-y, inv))
        first = np.r_[True, inv[order][1:] != inv[order][:-1]]
        best[inv[order][first]] = order[first]
        on = total >= 0.5
        v[m.n_x + best[on]] = 1.0
        chosen = np.zeros(m.n_y, dtype=bool)
        chosen[best[on]] = True
        covered[_cases_of_groups(m, chosen)] = True
    x = lp[:m.n_x]
    order = np.lexsort((-x, m.x_case))
    first = np.r_[True, m.x_case[order][1:] != m.x_case[order][:-1]] if m.n_x else np.zeros(0, bool)
    pick = order[first]
    pick = pick[~covered[m.x_case[pick]]]
    v[pick] = 1.0
    # (a case that only its group can move, with the group below ½, leaves this point
    # infeasible; the caller then branches without a start)
    z0 = m.n_x + m.n_y
    v[z0:z0 + m.n_z] = np.floor(lp[z0:z0 + m.n_z] + _INT_TOL)
    return _fill_bands(m, v)


def _round_staff(m: Model, lp: NDArray[np.float64]) -> NDArray[np.float64]:
    """Lending rounded to the nearest whole officer; where a lender goes over its limit, the
    pairs rounded up the most are taken back first."""
    z = slice(m.n_x + m.n_y, m.n_x + m.n_y + m.n_z)
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


def _dive_staff(m: Model, h: highspy.Highs, lp: NDArray[np.float64],
                steps: list[str], rounds: int = 6) -> NDArray[np.float64] | None:
    """LP diving on the lending columns: each round fixes the officers nearest to a whole
    number (at least a third of those left) and re-solves warm; the last round rounds all."""
    z0 = m.n_x + m.n_y
    cols = np.arange(z0, z0 + m.n_z)
    cur = lp
    fixed = np.zeros(m.n_z, dtype=bool)
    for r in range(rounds):
        zv = cur[z0:z0 + m.n_z]
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
        vals = np.where(np.isin(np.arange(m.n_z), pick), target, np.round(zv))[fixed]
        h.changeColsBounds(len(idx), idx, vals, vals)
        h.run()
        st, nxt, _, _ = _outcome(h, False)
        if nxt is None or st != "optimal":
            steps.append(f"staff dive round {r + 1}: {st}")
            return None
        cur = nxt
    zv = cur[z0:z0 + m.n_z]
    if np.any(np.abs(zv - np.round(zv)) > _INT_TOL):
        return None
    steps.append(f"lp with whole officers {float(m.cost @ cur):.2f}")
    return cur


def solve_piece(m: Model, time_limit: float, gap: float, seed: int,
                lp_time_limit: float | None = None) -> PieceResult:
    """Solve one piece; stop once objective − bound ≤ gap·objective. The LP (the bound) may
    use `lp_time_limit` when that is longer: without it there is no bound."""
    t0 = time.perf_counter()
    steps: list[str] = []
    h = _highs_for(m, max(time_limit, lp_time_limit or 0.0), gap, seed)
    h.run()
    # the branching steps get what is left of this piece's own share
    time_limit = max(time_limit, time.perf_counter() - t0 + 0.5)
    left = lambda: time_limit - (time.perf_counter() - t0)  # noqa: E731
    status, lp, lp_obj, _ = _outcome(h, False)
    if status == "infeasible":
        return PieceResult(None, "infeasible", math.inf, math.inf, "lp", time.perf_counter() - t0,
                           ["lp: infeasible"])
    if lp is None or status != "optimal":
        return PieceResult(None, "feasible", math.inf, -math.inf, "lp",
                           time.perf_counter() - t0, ["lp: not solved in time"])
    bound = lp_obj
    integral = _is_integral(m, lp)
    steps.append(f"lp {lp_obj:.2f}, fractional integer columns {int((~integral).sum())}")
    if integral.all():
        return PieceResult(_fill_bands(m, np.round(lp * m.integer) + lp * ~m.integer), "optimal",
                           lp_obj, lp_obj, "lp", time.perf_counter() - t0, steps)
    method = "lp"
    base = lp
    z = slice(m.n_x + m.n_y, m.n_x + m.n_y + m.n_z)
    if (~integral[z]).any():
        # officers are whole people: dive — fix the lending closest to whole numbers, let the
        # cases re-balance (warm LP), repeat; then round what is left
        lp2 = _dive_staff(m, h, lp, steps)
        if lp2 is not None:
            base = lp2
            integral = _is_integral(m, base)
            method = "lp+staff-dive"
    start = round_lp(m, base)
    best: NDArray[np.float64] | None = start if _feasible(m, start) else None
    best_obj = float(m.cost @ start) if best is not None else math.inf
    steps.append(f"rounded {f'{best_obj:.2f}' if best is not None else 'infeasible'}")
    if not integral.all() or best is None:
        # fix what the relaxation decided integrally; branch only on the rest
        lower, upper = m.lower.copy(), m.upper.copy()
        case_frac = np.zeros(len(m.piece.cases), dtype=bool)
        np.logical_or.at(case_frac, m.x_case, ~integral[:m.n_x])
        y_frac = ~integral[m.n_x:m.n_x + m.n_y]
        frac_groups = np.unique(m.y_group[y_frac])
        free_case = case_frac.copy()
        free_case[_cases_of_groups(m, np.isin(m.y_group, frac_groups))] = True
        ix = np.flatnonzero(~free_case[m.x_case])
        iy = m.n_x + np.flatnonzero(~np.isin(m.y_group, frac_groups))
        for idx in (ix, iy):  # lending stays free: officers re-balance with the cases
            lower[idx] = upper[idx] = np.round(base[idx])
        st, vals, obj, _ = run_highs(m, True, max(left() * 0.5, 0.05), gap, seed, lower, upper,
                                     best if best is not None else None)
        if vals is not None and obj < best_obj:
            best, best_obj = _fill_bands(m, vals), obj
        steps.append(f"restricted mip ({int(free_case.sum())} free cases) {st} {best_obj:.2f}")
        method += "+restricted-mip"
    if (best is None or best_obj - bound > gap * abs(best_obj)) and left() > 0.05:
        st, vals, obj, mip_bound = run_highs(m, True, left(), gap, seed, start=best)
        if vals is not None and obj < best_obj - 1e-9:
            best, best_obj = _fill_bands(m, vals), obj
        if math.isfinite(mip_bound):
            bound = max(bound, mip_bound)
        method = "lp+mip"
        steps.append(f"mip {st} {best_obj:.2f} bound {bound:.2f}")
    if best is None:
        return PieceResult(None, "feasible", math.inf, bound, method, time.perf_counter() - t0, steps)
    bound = min(bound, best_obj)
    return PieceResult(best, _status(best_obj, bound, gap), best_obj, bound, method,
                       time.perf_counter() - t0, steps)


def _cases_of_groups(m: Model, mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    n_cases = len(m.piece.cases)
    out = []
    for c in m.n_x + np.flatnonzero(mask):
        rows = m.a_index[m.a_start[c]:m.a_start[c + 1]]
        out.append(rows[rows < n_cases])
    return np.unique(np.concatenate(out)) if out else np.zeros(0, dtype=np.int64)


def _rel_gap(obj: float, bound: float) -> float:
    if not math.isfinite(obj):
        return math.inf
    return max(obj - bound, 0.0) / max(abs(obj), 1e-9)


def _status(obj: float, bound: float, gap: float) -> str:
    g = _rel_gap(obj, bound)
    if g <= 1e-6 or obj - bound <= 1e-6:
        return "optimal"
    return "within_gap" if g <= gap else "feasible"


def _solve_piece_job(args: tuple[Model, float, float, float, int]) -> PieceResult:
    """Worker entry: its share of time, never past the wall-clock deadline."""
    m, share, deadline, gap, seed = args
    left = max(deadline - time.time(), 0.1)
    return solve_piece(m, max(min(share, left), 0.1), gap, seed,
                       lp_time_limit=max(left, _LP_MIN_SECONDS))


def _within_ceilings(p: Problem, ev: Evaluation) -> bool:
    c = p.scenario.rules.max_utilisation
    if c is None:
        return True
    limit = np.maximum(c * p.cases_per_officer * ev.staff_after, ev.load_before)
    return bool(np.all(ev.load_after[p.in_district] <= limit[p.in_district] + 1e-6))


def free_cases(p: Problem, o: Options) -> NDArray[np.bool_]:
    """Cases with a choice: more than one option, counting each of its group's targets."""
    n_opt = np.bincount(o.case, minlength=p.n_cases)
    n_targets = np.bincount(o.member_case, minlength=p.n_cases)
    return (n_opt + n_targets) > 1


def fixed_shift(p: Problem, court_after: NDArray[np.int64], fixed: NDArray[np.bool_]
                ) -> NDArray[np.float64]:
    """Load each court gains (or loses) from cases without a choice that must move."""
    w = p.case_workload[fixed]
    gained = np.bincount(court_after[fixed], weights=w, minlength=p.n_courts)
    lost = np.bincount(p.case_court[fixed], weights=w, minlength=p.n_courts)
    return (gained - lost).astype(np.float64)


def baseline_decision(p: Problem, o: Options) -> Decision:
    """Keep every case where the rules allow it; otherwise its cheapest lawful option, or its
    group's cheapest concentration where only that can move it."""
    option = np.full(p.n_cases, -1, dtype=np.int64)
    group_target = np.full(int(o.target_group.max()) + 1 if len(o.target_group) else 0, -1)
    if len(o.case):
        order = np.lexsort((o.cost, o.mode != Mode.KEEP, o.case))  # keep first, then cheapest
        first = np.r_[True, o.case[order][1:] != o.case[order][:-1]]
        option[o.case[order[first]]] = order[first]
    for i in np.flatnonzero(option < 0):
        rows = np.flatnonzero(o.member_case == i)
        if not len(rows):
            continue
        t = o.member_target[rows[np.argmin(o.target_cost[o.member_target[rows]])]]
        g = o.target_group[t]
        if group_target[g] < 0:
            group_target[g] = t
    on = np.zeros(len(o.target_group), dtype=bool)
    on[group_target[group_target >= 0]] = True
    option[o.member_case[on[o.member_target]]] = -1
    return Decision(option, group_target, np.zeros(len(o.lend_from), dtype=np.int64))


def _decision_from(o: Options, models: list[Model], results: list[PieceResult], base: Decision,
                   target_orig: NDArray[np.int64] | None = None,
                   orig: Options | None = None) -> Decision:
    """Merge the pieces' answers (built from options `o`) into a decision over the original
    options `orig` (default `o`); `target_orig` maps `o`'s target rows to `orig`'s."""
    orig = orig or o
    option = base.option.copy()
    group_target = base.group_target.copy()
    lent = base.lent.copy()
    for m, r in zip(models, results, strict=True):
        if r.values is None:
            continue
        v = np.round(r.values)
        pc = m.piece
        x_on = np.flatnonzero(v[:m.n_x] > 0.5)
        option[pc.cases] = -1
        option[o.case[pc.options[x_on]]] = pc.options[x_on]
        rows = pc.targets if target_orig is None else target_orig[pc.targets]
        group_target[orig.target_group[rows]] = -1
        y_on = rows[np.flatnonzero(v[m.n_x:m.n_x + m.n_y] > 0.5)]
        group_target[orig.target_group[y_on]] = y_on
        lent[pc.lends] = v[m.n_x + m.n_y:m.n_x + m.n_y + m.n_z].astype(np.int64)
    return Decision(option, group_target, lent)


def _run_pieces(models: list[Model], params: SolveParams, deadline: float, say: Progress,
                label: str) -> list[PieceResult]:
    """Solve pieces, largest first, each with a time share proportional to its size (so the
    large ones cannot starve the rest); in a process pool when asked and worth it."""
    jobs = sorted(range(len(models)), key=lambda k: -models[k].n_cols)
    results: list[PieceResult | None] = [None] * len(models)
    step = max(1, len(models) // 10)
    budget = max(deadline - time.perf_counter(), 0.1)
    total = float(sum(m.n_cols for m in models)) or 1.0
    workers = min(params.workers, len(models)) if len(models) > 1 else 1
    # 0.8: pieces overrun their share a little (the LP must finish); keep room for that
    share = {k: max(0.8 * budget * workers * models[k].n_cols / total, 0.5) for k in jobs}
    if workers > 1:
        wall_deadline = time.time() + budget
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futs = {k: pool.submit(_solve_piece_job,
                                   (models[k], share[k], wall_deadline, params.gap, params.seed))
                    for k in jobs}
            for n_done, k in enumerate(jobs, 1):
                results[k] = futs[k].result()
                if n_done % step == 0 or n_done == len(jobs):
                    say(f"{label}: piece {n_done}/{len(models)} solved")
    else:
        for n_done, k in enumerate(jobs, 1):
            left = max(deadline - time.perf_counter(), 0.1)
            results[k] = solve_piece(models[k], min(share[k], left), params.gap, params.seed,
                                     lp_time_limit=max(left, _LP_MIN_SECONDS))
            if len(models) > 3 and (n_done % step == 0 or n_done == len(jobs)):
                say(f"{label}: piece {n_done}/{len(models)} solved")
    return [r for r in results if r is not None]


def solve(problem: Problem, params: SolveParams | None = None,
          progress: Progress | None = None) -> Plan:
    """Plan the cross-execution of `problem`'s cases. Pure: no printing, no files."""
    params = params or SolveParams()
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    deadline = t0 + params.time_limit
    o = build_options(problem)
    t_options = time.perf_counter() - t0
    free = free_cases(problem, o)
    comp, linking = court_components(problem, o, free)
    # pass 1 (the bound): linking groups relaxed into one copy per piece
    o_rel, rel_to_orig = split_linking(problem, o, comp, linking)
    pieces = find_pieces(problem, o_rel, free, comp)
    base = baseline_decision(problem, o)
    base_ev = evaluate(problem, o, base)
    shift_fixed = fixed_shift(problem, base_ev.court, ~free)
    models = [build_model(problem, o_rel, pc, shift_fixed) for pc in pieces]
    t_build = time.perf_counter() - t0 - t_options
    say(f"{problem.n_cases} cases, {len(o.case) + len(o.member_case)} options "
        f"({o.pruned} pruned), {int(free.sum())} free cases in {len(pieces)} pieces, "
        f"{len(linking)} debtor groups span pieces; built in {t_options + t_build:.1f}s")
    results = _run_pieces(models, params, deadline if not len(linking) else
                          t0 + params.time_limit * 0.85, say, "pass 1")
    bound_pieces = sum(r.bound for r in results)
    detail = [{"cases": len(m.piece.cases), "columns": m.n_cols, "status": r.status,
               "method": r.method, "seconds": round(r.seconds, 2), "steps": r.steps}
              for m, r in zip(models, results, strict=True)]
    decision = _decision_from(o_rel, models, results, base, rel_to_orig, o)
    n_pass2 = 0
    if len(linking):
        # the plan: decide each linking group once and repair; then, with the time left,
        # re-solve the pieces it touches with those decisions fixed, and keep the better plan
        on = np.zeros(len(o_rel.target_group), dtype=bool)
        for m, r in zip(models, results, strict=True):
            if r.values is not None:
                on[m.piece.targets[np.round(r.values[m.n_x:m.n_x + m.n_y]) > 0.5]] = True
        chosen = decide_linking(problem, o, o_rel, linking, on)
        decision = repair(problem, o, decision, chosen)
        o_fix, fixed, shift, target_orig = fix_linking(problem, o, chosen)
        free_fix = free_cases(problem, o_fix) & ~fixed
        pieces2 = find_pieces(problem, o_fix, free_fix, comp)
        if deadline - time.perf_counter() > 1.0:
            extra = shift + fixed_shift(problem, base_ev.court, ~free & ~fixed)
            models2 = [build_model(problem, o_fix, pc, extra) for pc in pieces2]
            n_pass2 = len(models2)
            say(f"pass 2: {len(linking)} linking groups decided, {n_pass2} pieces re-solved")
            results2 = _run_pieces(models2, params, deadline, say, "pass 2")
            if all(r.values is not None for r in results2):
                d2 = _decision_from(o_fix, models2, results2, decision, target_orig, o)
                if evaluate(problem, o, d2).objective < evaluate(problem, o, decision).objective:
                    decision = d2
    ev = evaluate(problem, o, decision)
    t_solve = time.perf_counter() - t0 - t_options - t_build

    # bound: constants (fixed cases, untouched courts) + each piece's proven bound (pass 1)
    fixed_cost = float(base_ev.case_terms[~free].sum())
    in_piece = np.zeros(problem.n_courts, dtype=bool)
    for pc in pieces:
        in_piece[pc.courts] = True
    idle = np.flatnonzero(problem.in_district & ~in_piece)
    tau = problem.scenario.rules.target_utilisation
    idle_excess = (problem.open_caseload[idle] + shift_fixed[idle]
                   - tau * problem.capacity[idle])
    constant = fixed_cost + float(band_penalty(problem, idle, idle_excess).sum())
    infeasible = any(r.status == "infeasible" for r in results)
    bound = constant + bound_pieces
    objective = ev.objective
    method = "+".join(sorted({r.method for r in results})) or "fixed"
    if len(linking):
        method += "+linking-groups-fixed"
    if base_ev.objective < objective - 1e-6 and not infeasible and _within_ceilings(problem, base_ev):
        decision, ev, objective = base, base_ev, base_ev.objective  # never worse than baseline
        method += "+baseline"
    bound = min(bound, objective) if math.isfinite(bound) else bound
    gap = _rel_gap(objective, bound) if math.isfinite(bound) else math.inf
    if infeasible:
        status = "infeasible"
    elif any(r.values is None for r in results) or not math.isfinite(bound):
        status = "feasible"  # some piece kept its baseline
    else:
        status = _status(objective, bound, params.gap)
    stats = {
        "seconds_options": round(t_options, 3), "seconds_build": round(t_build, 3),
        "seconds_solve": round(t_solve, 3), "seconds_total": round(time.perf_counter() - t0, 3),
        "options": int(len(o.case) + len(o.member_case)), "options_pruned": o.pruned,
        "free_cases": int(free.sum()), "pieces": len(pieces),
        "largest_piece_cases": int(max((len(pc.cases) for pc in pieces), default=0)),
        "linking_groups": len(linking), "pieces_resolved_after_linking": n_pass2,
        "pieces_by_method": {m: sum(r.method == m for r in results)
                             for m in sorted({r.method for r in results})},
        "pieces_detail": detail,
        "bound_method": "sum over pieces of the LP or HiGHS MIP dual bound, linking groups relaxed",
        "baseline_objective": base_ev.objective, "seed": params.seed,
        "time_limit": params.time_limit, "gap_limit": params.gap,
    }
    return make_plan(problem, o, decision, ev, status=status, objective=objective, bound=bound,
                     gap=gap, method=method, stats=stats)
