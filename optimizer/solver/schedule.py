"""Running independent pieces: largest first, time shares proportional to size, in a process
pool when asked and worth it, or on a Ray cluster (`SolveParams.ray_address`, or the setting
`COURTPLAN_RAY_ADDRESS`). Bounds of independent pieces add up."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace

from optimizer.model.rows import Model
from optimizer.solver.executors import executor_for, ray_address
from optimizer.solver.params import SolveParams
from optimizer.solver.piece import PieceResult, PieceSettings, solve_piece
from optimizer.solver.warm import WarmStart

#: called after each piece: (pieces done, pieces total, results so far)
PieceDone = Callable[[int, int, list[PieceResult]], None]
#: called as a step of a piece solved in this process ends: (pieces done, pieces total,
#: results so far, what, the piece's incumbent or None, its proven bound or None)
PieceStep = Callable[[int, int, list[PieceResult], str, float | None, float | None], None]


def _settings(params: SolveParams, share: float, left: float,
              warm: WarmStart | None = None) -> PieceSettings:
    """A piece gets its share, never past the deadline; its LP may take `lp_min_seconds`."""
    return PieceSettings(
        time_limit=max(min(share, left), 0.1), gap=params.gap, seed=params.seed,
        lp_time_limit=max(left, params.lp_min_seconds),
        restricted_mip_share=params.restricted_mip_share,
        staff_dive_rounds=params.staff_dive_rounds, cut_rounds=params.cut_rounds,
        warm_cut_rounds=params.warm_cut_rounds,
        warm_start=warm, keep_warm_start=params.keep_warm_start,
        improve_share=params.improve_share, load_cuts=params.load_cuts,
        neighbourhood_share=params.neighbourhood_share,
        assignment_search_share=params.assignment_search_share)


def _job(args: tuple[Model, SolveParams, float, float, WarmStart | None]) -> PieceResult:
    """Worker entry: its share of time, never past the wall-clock deadline."""
    m, params, share, wall_deadline, warm = args
    left = max(wall_deadline - time.time(), 0.1)
    return solve_piece(m, _settings(params, share, left, warm))


def run_pieces(models: list[Model], params: SolveParams, deadline: float,
               on_done: PieceDone | None = None,
               on_step: PieceStep | None = None,
               warm_starts: list[WarmStart | None] | None = None) -> list[PieceResult]:
    """Solve pieces, largest first, each with a time share proportional to its size (so the
    large ones cannot starve the rest). `deadline` is on the `time.perf_counter` clock."""
    jobs = sorted(range(len(models)), key=lambda k: -models[k].n_cols)
    results: list[PieceResult | None] = [None] * len(models)
    budget = max(deadline - time.perf_counter(), 0.1)
    total = float(sum(m.n_cols for m in models)) or 1.0
    address = ray_address(params.ray_address) if models else None
    workers = min(params.workers, len(models)) if len(models) > 1 else 1
    pool: Executor | None = None
    if address:  # a Ray cluster: as many at once as it has CPUs
        pool, slots = executor_for(workers, address)
        workers = max(min(slots, len(models)), 1)
    elif workers > 1:
        pool, workers = executor_for(workers, None)
    share = {k: max(params.piece_share * budget * workers * models[k].n_cols / total, 0.5)
             for k in jobs}

    def done(n_done: int) -> None:
        if on_done is not None:
            on_done(n_done, len(models), [r for r in results if r is not None])

    if pool is not None:
        wall_deadline = time.time() + budget
        with pool:
            futs = {k: pool.submit(_job, (models[k], params, share[k], wall_deadline,
                                          warm_starts[k] if warm_starts else None))
                    for k in jobs}
            for n_done, k in enumerate(jobs, 1):
                results[k] = futs[k].result()
                done(n_done)
    else:
        for n_done, k in enumerate(jobs, 1):
            left = max(deadline - time.perf_counter(), 0.1)
            cfg = _settings(params, share[k], left, warm_starts[k] if warm_starts else None)
            if on_step is not None:
                cfg = replace(cfg, on_step=_forward(on_step, n_done - 1, len(models),
                                                    [r for r in results if r is not None]))
            results[k] = solve_piece(models[k], cfg)
            done(n_done)
    return [r for r in results if r is not None]


def _forward(on_step: PieceStep, done: int, total: int, so_far: list[PieceResult]
             ) -> Callable[[str, float | None, float | None], None]:
    def told(what: str, inc: float | None, bnd: float | None) -> None:
        on_step(done, total, so_far, what, inc, bnd)
    return told
