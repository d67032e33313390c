"""`search(problem, params) -> SearchOutcome`: options, pieces, LP-first solve, proven bound.

1. build: legal options and costs, the independent pieces and their model arrays;
2. pass 1: every piece solved (`piece.py`), debtor groups that link pieces relaxed, so the sum
   of the pieces' proven bounds is a valid bound of the whole problem;
3. pass 2 (only with linking groups): each linking group decided once, the decision repaired,
   the pieces re-solved with it fixed in the time left;
4. then `optimizer/results/finish.py`: the rule gate checks each candidate decision from the
   decision alone; the best one that passes wins, the baseline (keep + forced moves) included.
   A plan whose decision breaks a hard rule is reported `infeasible`, never `feasible`.
Pure: no printing, no files; progress goes to an optional callback as typed events.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.vocabulary import PieceStatus
from optimizer.model.costs import band_penalty
from optimizer.model.decision import Decision, assign
from optimizer.model.linking import decide_linking, fix_linking, repair, split_linking
from optimizer.model.options import Options, build_options
from optimizer.model.pieces import Piece, court_components, find_pieces
from optimizer.model.restrictions import Restrictions, start_point
from optimizer.model.rows import Model, build_model
from optimizer.solver.baseline import baseline_decision, decision_from, fixed_shift, free_cases
from optimizer.solver.params import SolveParams
from optimizer.solver.piece import PieceResult
from optimizer.solver.progress import Phase, ProgressCallback, ProgressEvent
from optimizer.solver.schedule import run_pieces
from optimizer.solver.stats import PieceStats, SolveStats
from optimizer.solver.warm import WarmStart

BOUND_METHOD = "sum over pieces of the LP or HiGHS MIP dual bound, linking groups relaxed"


class _Reporter:
    """Sends typed progress events; pieces report the running objective and bound."""

    def __init__(self, callback: ProgressCallback | None, t0: float):
        self.callback = callback
        self.t0 = t0

    def __call__(self, phase: Phase, message: str, done: int = 0, total: int = 0,
                 results: list[PieceResult] | None = None) -> None:
        if self.callback is None:
            return
        inc = bnd = None
        if results and all(r.values is not None for r in results):
            inc = float(sum(r.objective for r in results))
            bnd = float(sum(r.bound for r in results))
        self.callback(ProgressEvent(phase, message, time.perf_counter() - self.t0, done, total,
                                    inc, bnd))

    def step(self, done: int, total: int, results: list[PieceResult], what: str,
             inc: float | None, bnd: float | None) -> None:
        """A step inside the piece being solved: its incumbent and bound on top of the pieces
        already done (unknown while any of those has none)."""
        if self.callback is None:
            return
        ok = all(r.values is not None for r in results)
        total_inc = float(sum(r.objective for r in results)) + inc if ok and inc is not None else None
        total_bnd = float(sum(r.bound for r in results)) + bnd if ok and bnd is not None else None
        self.callback(ProgressEvent(Phase.SOLVE, f"piece {done + 1}/{total}: {what}",
                                    time.perf_counter() - self.t0, done, total, total_inc,
                                    total_bnd))


@dataclass(frozen=True)
class _Setup:
    """Everything pass 1 needs: options, pieces, the baseline and the model arrays."""

    o: Options
    free: NDArray[np.bool_]
    comp: NDArray[np.int64]
    linking: NDArray[np.int64]
    o_rel: Options  # linking groups split into one copy per piece
    rel_to_orig: NDArray[np.int64]
    pieces: list[Piece]
    base: Decision
    base_courts: NDArray[np.int64]  # executing court of each case under the baseline
    base_terms: NDArray[np.float64]  # cost terms of each case under the baseline
    shift_fixed: NDArray[np.float64]  # load moved by cases without a choice
    models: list[Model]
    seconds_options: float
    seconds_build: float


def _with_start(m: Model, o: Options, r: Restrictions | None) -> Model:
    """The model with the previous plan's point as its known start (re-planning)."""
    point = start_point(r, o, m.piece.options, m.piece.targets, m.piece.lends)
    if point is None:
        return m
    v = np.zeros(m.n_cols)
    lay = m.layout
    v[lay.x], v[lay.y], v[lay.z] = point
    return replace(m, start=v)


def _build(p: Problem, params: SolveParams, say: _Reporter,
           restrictions: Restrictions | None = None, options: Options | None = None) -> _Setup:
    t0 = time.perf_counter()
    o = build_options(p, restrictions) if options is None else options
    t_options = time.perf_counter() - t0
    free = free_cases(p, o)
    comp, linking = court_components(p, o, free, params.max_piece_cases)
    o_rel, rel_to_orig = split_linking(p, o, comp, linking)
    pieces = find_pieces(p, o_rel, free, comp)
    base = baseline_decision(p, o)
    base_assigned = assign(p, o, base)
    shift_fixed = fixed_shift(p, base_assigned.court, ~free)
    models = [_with_start(build_model(p, o_rel, pc, shift_fixed), o_rel, restrictions)
              for pc in pieces]
    t_build = time.perf_counter() - t0 - t_options
    say(Phase.BUILD, f"{p.n_cases} cases, {len(o.case) + len(o.member_case)} options "
        f"({o.pruned} pruned), {int(free.sum())} free cases in {len(pieces)} pieces, "
        f"{len(linking)} debtor groups span pieces; built in {t_options + t_build:.1f}s",
        0, len(pieces))
    return _Setup(o, free, comp, linking, o_rel, rel_to_orig, pieces, base, base_assigned.court,
                  base_assigned.case_terms, shift_fixed, models, t_options, t_build)


def _pass2(p: Problem, params: SolveParams, su: _Setup, results: list[PieceResult],
           decision: Decision, deadline: float, pass1_seconds: float, say: _Reporter
           ) -> tuple[list[Decision], int]:
    """Decide each linking group once and repair; then, with the time left, re-solve the
    pieces it touches with those decisions fixed. Returns the candidate decisions (the
    repaired one first: the re-solved one must be strictly better to win)."""
    on = np.zeros(len(su.o_rel.target_group), dtype=bool)
    for m, r in zip(su.models, results, strict=True):
        if r.values is not None:
            on[m.piece.targets[np.round(r.values[m.layout.y]) > 0.5]] = True
    chosen = decide_linking(p, su.o, su.o_rel, su.linking, on)
    repaired = repair(p, su.o, decision, chosen)
    # pass 2 solves the pieces again (cold): started only when the time left would have done
    # pass 1 once more; past that its LPs run over the limit (the national scenario's did by
    # 20 s) for a plan the repair all but reaches already (`linking._shared_costs`)
    if deadline - time.perf_counter() <= max(1.0, pass1_seconds):
        return [repaired], 0
    o_fix, fixed, shift, target_orig = fix_linking(p, su.o, chosen)
    pieces2 = find_pieces(p, o_fix, free_cases(p, o_fix) & ~fixed, su.comp)
    extra = shift + fixed_shift(p, su.base_courts, ~su.free & ~fixed)
    models2 = [build_model(p, o_fix, pc, extra) for pc in pieces2]
    say(Phase.LINKING, f"{len(su.linking)} linking groups decided, {len(models2)} pieces re-solved",
        0, len(models2))
    results2 = run_pieces(models2, params, deadline,
                          lambda k, n, rs: say(Phase.LINKING, f"pass 2: piece {k}/{n} solved", k, n))
    if not all(r.values is not None for r in results2):
        return [repaired], len(models2)
    d2 = decision_from(o_fix, models2, results2, repaired, target_orig, su.o)
    return [repaired, d2], len(models2)


def _constant(p: Problem, su: _Setup) -> float:
    """The part of the objective no piece can change: fixed cases and untouched courts."""
    fixed_cost = float(su.base_terms[~su.free].sum())
    in_piece = np.zeros(p.n_courts, dtype=bool)
    for pc in su.pieces:
        in_piece[pc.courts] = True
    idle = np.flatnonzero(p.in_district & ~in_piece)
    o, lent = su.o, su.base.lent  # (a planner's fixed loans: the baseline lends them)
    staff = (p.officers + np.bincount(o.lend_to, weights=lent, minlength=p.n_courts)
             - np.bincount(o.lend_from, weights=lent, minlength=p.n_courts))
    excess = (p.open_caseload[idle] + su.shift_fixed[idle]
              - p.rules.target_utilisation * p.cases_per_officer[idle] * staff[idle])
    return fixed_cost + float(band_penalty(p, idle, excess).sum())


@dataclass(frozen=True)
class SearchOutcome:
    """What the search found: candidate decisions (best first by the search's own order), the
    baseline, and the proven bound of the whole problem. The rule gate and the plan come next
    (`optimizer/results/finish.py`)."""

    problem: Problem
    options: Options
    candidates: list[Decision]  # the repaired decision first; a re-solved one must beat it
    baseline: Decision  # keep every case the rules allow, plus the moves they force
    bound: float  # proven lower bound (sum over pieces + the constant part)
    complete: bool  # every piece found a point (else some kept their baseline)
    infeasible: bool  # some piece was proven infeasible
    method: str
    stats: SolveStats
    started: float  # time.perf_counter() at the start
    #: what a what-if variant starts from, by the courts of each piece
    #: (`SolveParams.keep_warm_start`)
    warm_starts: dict[tuple[int, ...], WarmStart] = field(default_factory=dict)


def search(problem: Problem, params: SolveParams | None = None,
           progress: ProgressCallback | None = None,
           restrictions: Restrictions | None = None,
           options: Options | None = None,
           warm_starts: dict[tuple[int, ...], WarmStart] | None = None) -> SearchOutcome:
    """Search for a plan of `problem`'s cases (under a planner's `restrictions`, with the
    previous plan they carry as warm start; `warm_starts`: the base plan's pieces', for a
    what-if variant). Pure: no printing, no files. `options` replaces
    `build_options(problem, restrictions)` (a subset of its rows, e.g. a case forced to one
    option)."""
    params = params or SolveParams()
    t0 = time.perf_counter()
    deadline = t0 + params.time_limit
    say = _Reporter(progress, t0)
    su = _build(problem, params, say, restrictions, options)
    pass1_deadline = (deadline if not len(su.linking)
                      else t0 + params.time_limit * params.linking_pass1_share)
    t_pass1 = time.perf_counter()
    results = run_pieces(su.models, params, pass1_deadline,
                         lambda k, n, rs: say(Phase.SOLVE, f"piece {k}/{n} solved", k, n, rs),
                         say.step if progress is not None else None,
                         [warm_start_for(m, warm_starts or {}) for m in su.models])
    decision = decision_from(su.o_rel, su.models, results, su.base, su.rel_to_orig, su.o)
    candidates, n_pass2 = [decision], 0
    if len(su.linking):
        candidates, n_pass2 = _pass2(problem, params, su, results, decision, deadline,
                                     time.perf_counter() - t_pass1, say)
    method = "+".join(sorted({r.method for r in results})) or "fixed"
    if len(su.linking):
        method += "+linking-groups-fixed"
    t_solve = time.perf_counter() - t0 - su.seconds_options - su.seconds_build
    return SearchOutcome(
        problem=problem, options=su.o, candidates=candidates, baseline=su.base,
        bound=_constant(problem, su) + sum(r.bound for r in results),
        complete=all(r.values is not None for r in results),
        infeasible=any(r.status == PieceStatus.INFEASIBLE for r in results), method=method,
        stats=_stats(params, su, results, n_pass2, t0, t_solve), started=t0,
        warm_starts={tuple(m.piece.courts.tolist()): r.warm
                     for m, r in zip(su.models, results, strict=True) if r.warm is not None})


def warm_start_for(m: Model, warm_starts: dict[tuple[int, ...], WarmStart]) -> WarmStart | None:
    """The base plan's warm start of the piece sharing most courts with this one (a variant's
    pieces may differ from the base's: a barred court, a case kept; `warm.carry` maps what
    still fits by column and row keys)."""
    best, shared = None, 0
    for courts, start in warm_starts.items():
        n = int(np.isin(m.piece.courts, courts).sum())
        if n > shared:
            best, shared = start, n
    return best


def _stats(params: SolveParams, su: _Setup, results: list[PieceResult], n_pass2: int,
           t0: float, t_solve: float) -> SolveStats:
    detail = tuple(PieceStats(len(m.piece.cases), m.n_cols, r.status, r.method,
                              round(r.seconds, 2), tuple(r.steps))
                   for m, r in zip(su.models, results, strict=True))
    return SolveStats(
        seconds_options=round(su.seconds_options, 3), seconds_build=round(su.seconds_build, 3),
        seconds_solve=round(t_solve, 3), seconds_total=round(time.perf_counter() - t0, 3),
        options=int(len(su.o.case) + len(su.o.member_case)), options_pruned=su.o.pruned,
        free_cases=int(su.free.sum()), pieces=len(su.pieces),
        largest_piece_cases=int(max((len(pc.cases) for pc in su.pieces), default=0)),
        linking_groups=len(su.linking), pieces_resolved_after_linking=n_pass2,
        pieces_by_method={m: sum(r.method == m for r in results)
                          for m in sorted({r.method for r in results})},
        pieces_detail=detail, bound_method=BOUND_METHOD, seed=params.seed,
        time_limit=params.time_limit, gap_limit=params.gap)
