"""The HiGHS adapter: a piece's model in, an outcome with its proven bound out.

Every HiGHS model status maps to one of four outcomes (as PuLP's `HiGHS` adapter does):
optimal (proven), infeasible (proven), stopped (a limit was reached: the best point found, if
any, and the dual bound so far), or error (HiGHS could not load or solve the model: raised).
HiGHS is created silent: the core class `highspy._Highs` prints no banner, so nothing touches
the process's file descriptors.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import highspy
import numpy as np
from numpy.typing import NDArray

from optimizer.model.rows import LinearArrays

_MS: Any = highspy.HighsModelStatus
_CB: Any = highspy.cb.HighsCallbackType
#: the core class: unlike `highspy.Highs` it prints no banner when created
CoreHighs: Any = getattr(highspy, "_Highs")  # noqa: B009 (not in highspy's type stubs)


class Outcome(Enum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    STOPPED = "stopped"
    ERROR = "error"


#: HiGHS model status → outcome. Our models have bounded columns, so "unbounded or
#: infeasible" can only be infeasible and plain "unbounded" is an error.
STATUS_MAP: dict[object, Outcome] = {
    _MS.kOptimal: Outcome.OPTIMAL,
    _MS.kModelEmpty: Outcome.OPTIMAL,
    _MS.kInfeasible: Outcome.INFEASIBLE,
    _MS.kUnboundedOrInfeasible: Outcome.INFEASIBLE,
    _MS.kTimeLimit: Outcome.STOPPED,
    _MS.kIterationLimit: Outcome.STOPPED,
    _MS.kSolutionLimit: Outcome.STOPPED,
    _MS.kObjectiveBound: Outcome.STOPPED,
    _MS.kObjectiveTarget: Outcome.STOPPED,
    _MS.kInterrupt: Outcome.STOPPED,
    _MS.kHighsInterrupt: Outcome.STOPPED,
    _MS.kMemoryLimit: Outcome.STOPPED,
    _MS.kUnknown: Outcome.STOPPED,
    _MS.kNotset: Outcome.ERROR,
    _MS.kLoadError: Outcome.ERROR,
    _MS.kModelError: Outcome.ERROR,
    _MS.kPresolveError: Outcome.ERROR,
    _MS.kSolveError: Outcome.ERROR,
    _MS.kPostsolveError: Outcome.ERROR,
    _MS.kUnbounded: Outcome.ERROR,
}
#: HiGHS basis statuses by code (lower, basic, upper, zero, nonbasic)
_BASIS_STATUS = [highspy.HighsBasisStatus(code) for code in range(5)]
_PRIMAL_FEASIBLE = 2  # HiGHS SolutionStatus kSolutionStatusFeasible


class SolverError(RuntimeError):
    """HiGHS failed on a model (a defect of the model, not of the scenario)."""


@dataclass(frozen=True)
class HighsResult:
    outcome: Outcome
    values: NDArray[np.float64] | None  # column values of the best point found, if any
    objective: float  # +inf without a point
    bound: float  # proven lower bound (−inf if none)
    status: str  # HiGHS's own model status name

    @property
    def optimal(self) -> bool:
        return self.outcome is Outcome.OPTIMAL


def new_highs(time_limit: float, gap: float, seed: int) -> Any:
    """A silent single-threaded HiGHS instance with the given limits."""
    h = CoreHighs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", int(seed) % 2_147_483_647)
    h.setOptionValue("time_limit", max(float(time_limit), 0.05))
    h.setOptionValue("mip_rel_gap", float(gap))
    return h


def load(m: LinearArrays, time_limit: float, gap: float, seed: int,
         lower: NDArray[np.float64] | None = None, upper: NDArray[np.float64] | None = None,
         integer: NDArray[np.bool_] | None = None,
         options: dict[str, Any] | None = None) -> Any:
    """HiGHS holding the model (its LP relaxation unless `integer` marks columns), with
    extra HiGHS `options` set."""
    h = new_highs(time_limit, gap, seed)
    for name, value in (options or {}).items():
        h.setOptionValue(name, value)
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
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[f] for f in integer.tolist()]
    h.passModel(lp)
    return h


def outcome(h: Any, is_mip: bool) -> HighsResult:
    """Read the result of the last run."""
    status = h.getModelStatus()
    kind = STATUS_MAP.get(status, Outcome.ERROR)
    name = str(getattr(status, "name", status))
    if kind is Outcome.ERROR:
        raise SolverError(f"HiGHS failed: {name}")
    if kind is Outcome.INFEASIBLE:
        return HighsResult(kind, None, math.inf, math.inf, name)
    info = h.getInfo()
    if info.primal_solution_status != _PRIMAL_FEASIBLE:  # no feasible point found in time
        bound = float(info.mip_dual_bound) if is_mip else -math.inf
        return HighsResult(Outcome.STOPPED, None, math.inf, bound, name)
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    obj = float(info.objective_function_value)
    if not is_mip:
        return HighsResult(kind, values, obj, obj if kind is Outcome.OPTIMAL else -math.inf, name)
    return HighsResult(kind, values, obj, min(float(info.mip_dual_bound), obj), name)


def run(m: LinearArrays, integer: bool | NDArray[np.bool_], time_limit: float, gap: float, seed: int,
        lower: NDArray[np.float64] | None = None, upper: NDArray[np.float64] | None = None,
        start: NDArray[np.float64] | None = None,
        options: dict[str, Any] | None = None,
        on_progress: Callable[[float, float], None] | None = None,
        stop_when: Callable[[float, float], bool] | None = None) -> HighsResult:
    """Solve the model or its LP relaxation; `integer` True = the model's integer columns,
    False = the LP, or a mask of columns. Branch and cut stops early once `stop_when(incumbent,
    dual bound)` says so (the caller may know a better bound than HiGHS's own)."""
    mask = (m.integer if integer is True else np.zeros(m.n_cols, dtype=bool) if integer is False
            else m.integer & integer)
    is_mip = bool(mask.any())
    h = load(m, time_limit, gap, seed, lower, upper, mask if is_mip else None, options)
    if is_mip and start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    if is_mip and (on_progress is not None or stop_when is not None):
        _watch(h, on_progress, stop_when)
    t0 = time.perf_counter()
    h.run()
    res = outcome(h, is_mip)
    if res.values is None:
        return res
    # the objective is recomputed from the point: after a warm start (setSolution) HiGHS 1.16
    # has returned the start's values while reporting a better objective it found; then the
    # same model is solved again cold, in the time left, to get that better point itself
    obj = float(m.cost @ res.values)
    left = time_limit - (time.perf_counter() - t0)
    if start is not None and res.objective < obj - 1e-6 * max(1.0, abs(obj)) and left > 0.05:
        cold = run(m, integer, left, gap, seed, lower, upper, None, options,
                   stop_when=stop_when)
        # (as good a point: the cold run's bound is its own, the warm run's came with the
        # misreport — a tiny lending piece was left at its LP bound, `feasible` at gap 0)
        if cold.values is not None and cold.objective <= obj + 1e-9 * max(1.0, abs(obj)):
            return cold
    return HighsResult(res.outcome, res.values, obj, min(res.bound, obj), res.status)


def _watch(h: Any, on_progress: Callable[[float, float], None] | None,
           stop_when: Callable[[float, float], bool] | None, every: float = 1.0) -> None:
    """Branch and cut tells its incumbent and dual bound as they move (HiGHS callbacks: each
    improving solution, and at most once a second from the periodic MIP interrupt), and is
    interrupted as soon as `stop_when` holds for them."""
    last = [-math.inf]

    def callback(kind: Any, _message: str, out: Any, inp: Any, _user: Any) -> None:
        if stop_when is not None and stop_when(float(out.mip_primal_bound),
                                               float(out.mip_dual_bound)):
            inp.user_interrupt = True
        if on_progress is None:
            return
        now = time.perf_counter()
        improving = int(kind) == int(_CB.kCallbackMipImprovingSolution)
        if not improving and now - last[0] < every:
            return
        last[0] = now
        on_progress(float(out.mip_primal_bound), float(out.mip_dual_bound))

    h.setCallback(callback, None)
    h.startCallback(_CB.kCallbackMipImprovingSolution)
    h.startCallback(_CB.kCallbackMipInterrupt)


def get_basis(h: Any) -> tuple[NDArray[np.int8], NDArray[np.int8]] | None:
    """The current basis as arrays of HiGHS basis statuses (columns, rows), if valid."""
    b = h.getBasis()
    if not b.valid:
        return None
    return (np.fromiter(map(int, b.col_status), dtype=np.int8, count=len(b.col_status)),
            np.fromiter(map(int, b.row_status), dtype=np.int8, count=len(b.row_status)))


def set_basis(h: Any, m: LinearArrays, basis: tuple[NDArray[np.int8], NDArray[np.int8]] | None) -> bool:
    """Start the LP from `basis` when it fits the model (same columns and rows); True if set."""
    if basis is None or len(basis[0]) != m.n_cols or len(basis[1]) != m.n_rows:
        return False
    b = highspy.HighsBasis()
    b.col_status = [_BASIS_STATUS[x] for x in basis[0].tolist()]
    b.row_status = [_BASIS_STATUS[x] for x in basis[1].tolist()]
    b.valid = True
    return bool(h.setBasis(b) == highspy.HighsStatus.kOk)
