"""Local search for assignment pieces (指派型子问题的局部搜索): a tabu search with shift and swap
moves over capacity rows, for pieces that are a pure generalized assignment.

A piece qualifies (`assignment_view`) when its model is nothing but x columns in [0, 1], each
case taking exactly one (`one_option` rows) and ≤ rows with non-negative weights in which each
column appears at most once (the courts' hard load ceilings, 办案能力上限) — no group targets,
no lent officers, no load bands. That is the generalized assignment problem (GAP); a piece of
the court plan with lending, 集中执行 groups or penalty bands does not qualify and never reaches
this module.

The search (after Yagiura, Ibaraki & Glover's tabu search for the GAP, without its ejection
chains): the incumbent's cases move one at a time (shift) or two at once between their courts
(swap); capacity may be exceeded at a price per unit of excess that each court adapts (raised
while the court is over, lowered while it is not), so the search crosses infeasible ground
between feasible points; a case that left a court may not return there for a few moves
(tabu), unless that gives a feasible point better than the best; after a few hundred moves
without a better point the search goes back to its best one with a few cases thrown to
random courts. Moves are scored for all cases at once with numpy; only feasible points are
kept, so what comes back is never worse than the start nor infeasible.

In a piece (`piece.solve_piece`) it runs around HiGHS branch and cut: briefly before (a better
start prunes more) and after (from branch and cut's incumbent). Alone, it stalls near 1 %
above the best-known values of Yagiura's type-D instances; branch and cut alone, 0.6–1.5 %;
the two together are in benchmarks/README.md. (OR-Tools CP-SAT with one worker, hinted with
the incumbent, and the court-subset sub-MIPs of `improve.py` from its result, were tried in
its place and found less: same file.)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from optimizer.model.rows import Model
from optimizer.solver.points import feasible

if TYPE_CHECKING:
    from optimizer.solver.piece import PieceSettings

Point = NDArray[np.float64]
Tell = Callable[[str, float | None, float | None], None]
#: `piece._branch_and_cut`: (model, settings, incumbent, its objective, bound, seconds, steps,
#: tell) → (incumbent, its objective, bound)
BranchAndCut = Callable[["Model", "PieceSettings", Point | None, float, float, float, list[str], Tell],
                        tuple[Point | None, float, float]]

#: a swap is scored for at most this many cases (drawn afresh each move) against all others:
#: scoring every pair costs n² per move (1.4 ms at 200 cases); 64 rows kept the result within
#: the noise on d10100–e20100 at 3 s and let 1,600-case pieces move as often
_SWAP_SAMPLE = 64
#: how fast a court's price of excess load moves each move: up while over, down while not
#: (1.08 / 0.96 let the search wander infeasible for hundreds of moves on d20100; 1.5 / 0.9
#: kept it from crossing)
_PRICE_UP, _PRICE_DOWN = 1.2, 0.98
#: moves without a better feasible point after which the search goes back to its best point
_RESTART_AFTER = 400
#: of the local search's time around branch and cut, the share it gets before (the rest after):
#: one run each at shares 0.2–0.7 on d10100–e20100, and 2/5 before against 0 or all before
#: (benchmarks/README.md)
BEFORE_BRANCHING = 0.4
#: the search before branch and cut ends after this many moves in a row without a better
#: point (its gains come within the first few thousand moves; the time it does not use goes
#: to branch and cut, which needs it on the 5- and 10-court instances)
PATIENCE_BEFORE_BRANCHING = 2000
#: share of the cases moved at random when the search goes back to its best point
_KICK = 0.05
#: tabu tenure, as shares of the number of cases (drawn anew for each move)
_TENURE = (1 / 40, 1 / 10)


@dataclass(frozen=True)
class AssignmentView:
    """A piece read as a generalized assignment: `option[j, i]` is the column that puts case j
    at capacity row i (−1: none; of several, the cheapest), with its cost and weight."""

    option: NDArray[np.int64]  # (cases, rows) column index or −1
    cost: NDArray[np.float64]  # (cases, rows), +inf where there is no option
    weight: NDArray[np.float64]  # (cases, rows)
    capacity: NDArray[np.float64]  # (rows,), +inf for the row of columns in no capacity row

    @property
    def n_cases(self) -> int:
        return int(self.option.shape[0])

    @property
    def n_rows(self) -> int:
        return int(self.option.shape[1])

    def agents_of(self, v: NDArray[np.float64]) -> NDArray[np.int64] | None:
        """The row each case's chosen column lies in, or None when `v` is not one whole
        option per case among the view's columns."""
        chosen = v > 0.5
        has = self.option >= 0
        hit = np.zeros_like(has)
        hit[has] = chosen[self.option[has]]
        if np.any(hit.sum(axis=1) != 1):
            return None
        at = hit.argmax(axis=1).astype(np.int64)
        if int(chosen.sum()) != self.n_cases:  # a chosen column the view does not hold
            return None
        return at

    def point(self, agents: NDArray[np.int64], n_cols: int) -> NDArray[np.float64]:
        """The model's point of an assignment."""
        v = np.zeros(n_cols)
        v[self.option[np.arange(self.n_cases), agents]] = 1.0
        return v

    def cost_of(self, agents: NDArray[np.int64]) -> float:
        return float(self.cost[np.arange(self.n_cases), agents].sum())

    def fits(self, agents: NDArray[np.int64]) -> bool:
        load = np.bincount(agents, weights=self.weight[np.arange(self.n_cases), agents],
                           minlength=self.n_rows)
        return bool(np.all(load <= self.capacity + 1e-9))


def assignment_view(m: Model) -> AssignmentView | None:
    """The piece as a generalized assignment, or None when it is not one (see the module)."""
    lay = m.layout
    if lay.n_y or lay.n_z or lay.n_s or lay.n_x == 0 or m.n_cols != lay.n_x:
        return None
    if not (m.integer.all() and np.all(m.lower == 0) and np.all(m.upper == 1)):
        return None
    n_cases = len(m.piece.cases)
    one = m.row_family.get("one_option", slice(0, 0))
    if (one.start, one.stop) != (0, n_cases):
        return None
    if not (np.all(m.row_lower[:n_cases] == 1) and np.all(m.row_upper[:n_cases] == 1)):
        return None
    rest_lo, rest_hi = m.row_lower[n_cases:], m.row_upper[n_cases:]
    if np.any(np.isfinite(rest_lo)) or not np.all(np.isfinite(rest_hi)):
        return None
    col = np.repeat(np.arange(m.n_cols), np.diff(m.a_start))
    row, val = m.a_index, m.a_value
    in_one = row < n_cases
    # each column: coefficient 1 in its own case's row, and in no other case's row
    if (np.count_nonzero(in_one) != m.n_cols or np.any(val[in_one] != 1)
            or np.any(row[in_one] != m.x_case[col[in_one]])):
        return None
    cap_col, cap_row, cap_val = col[~in_one], row[~in_one] - n_cases, val[~in_one]
    if np.any(cap_val < 0) or len(np.unique(cap_col)) != len(cap_col):
        return None
    n_cap = m.n_rows - n_cases
    agent = np.full(m.n_cols, n_cap, dtype=np.int64)  # n_cap: in no capacity row
    weight = np.zeros(m.n_cols)
    agent[cap_col], weight[cap_col] = cap_row, cap_val
    n_agents = n_cap + int(np.any(agent == n_cap))
    option = np.full((n_cases, n_agents), -1, dtype=np.int64)
    # of several columns for one (case, row), the cheapest (the first in this order)
    order = np.lexsort((m.cost, agent, m.x_case))
    _, first = np.unique(m.x_case[order] * n_agents + agent[order], return_index=True)
    cheapest = order[first]
    option[m.x_case[cheapest], agent[cheapest]] = cheapest
    has = option >= 0
    cost = np.full(option.shape, np.inf)
    cost[has] = m.cost[option[has]]
    w = np.zeros(option.shape)
    w[has] = weight[option[has]]
    capacity = np.r_[rest_hi, np.full(n_agents - n_cap, np.inf)]
    return AssignmentView(option, cost, w, capacity)


def tabu_search(view: AssignmentView, start: NDArray[np.int64], seconds: float, seed: int,
                max_moves: int | None = None, patience: int | None = None) -> NDArray[np.int64]:
    """The best feasible assignment found from `start` (feasible) in `seconds` or `max_moves`
    moves, or once `patience` moves in a row found no better point; `start` itself when nothing
    better is found. Deterministic for a fixed seed when stopped by `max_moves` or `patience`."""
    t_end = time.perf_counter() + seconds
    if view.n_rows < 2 or not np.isfinite(view.cost).any():
        return start.copy()
    walk = _Walk(view, start, np.random.default_rng(seed))
    since_best = fruitless = 0
    while ((max_moves is None or walk.move < max_moves) and (patience is None or fruitless < patience)
           and time.perf_counter() < t_end):
        if not walk.step():
            break
        since_best, fruitless = since_best + 1, fruitless + 1
        if walk.keep_if_best():
            since_best = fruitless = 0
        elif since_best >= _RESTART_AFTER:
            walk.restart()
            since_best = 0
    return walk.best


class _Walk:
    """The tabu search's state: the current assignment with its loads and cost, each court's
    price of excess load, the tabu marks (the move until which case j may not return to court
    i), and the best feasible assignment so far."""

    def __init__(self, view: AssignmentView, start: NDArray[np.int64],
                 rng: np.random.Generator) -> None:
        self.view, self.rng = view, rng
        n, m = view.n_cases, view.n_rows
        self.cases = np.arange(n)
        allowed = np.isfinite(view.cost)
        # the price of a unit of excess load starts at the spread of costs per unit of weight
        self.unit = max(float(np.ptp(view.cost[allowed]))
                        / max(float(np.mean(view.weight[allowed])), 1e-9), 1e-6)
        self.tenure = (max(3, int(n * _TENURE[0])), max(8, int(n * _TENURE[1])))
        self.tabu_until = np.zeros((n, m), dtype=np.int64)
        self.best, self.best_cost = start.copy(), view.cost_of(start)
        self.move = 0
        self._start_from(self.best)

    def _start_from(self, agents: NDArray[np.int64]) -> None:
        self.cur = agents.copy()
        self.cur_cost = self.view.cost_of(self.cur)
        self.load = np.bincount(self.cur, weights=self.view.weight[self.cases, self.cur],
                                minlength=self.view.n_rows)
        self.price = np.full(self.view.n_rows, self.unit)

    def step(self) -> bool:
        """Make the best admissible shift or swap; False when nothing can move at all."""
        self.move += 1
        over = np.maximum(self.load - self.view.capacity, 0.0)
        shift, j1, i1 = self._best_shift(over)
        swap, j2, k2 = self._best_swap(over)
        if not (math.isfinite(shift) or math.isfinite(swap)):
            if self.tabu_until.max() <= self.move:
                return False
            self.tabu_until[:] = 0
            return True
        moves = [(j1, i1)] if shift <= swap else [(j2, int(self.cur[k2])), (k2, int(self.cur[j2]))]
        for j, to in moves:  # (case, the court it goes to)
            frm = int(self.cur[j])
            self.tabu_until[j, frm] = self.move + int(self.rng.integers(self.tenure[0],
                                                                        self.tenure[1] + 1))
            self.load[frm] -= self.view.weight[j, frm]
            self.load[to] += self.view.weight[j, to]
            self.cur_cost += self.view.cost[j, to] - self.view.cost[j, frm]
            self.cur[j] = to
        over_now = self.load - self.view.capacity > 1e-9
        self.price = np.maximum(np.where(over_now, self.price * _PRICE_UP,
                                         self.price * _PRICE_DOWN), self.unit * 1e-3)
        return True

    def _best_shift(self, over: NDArray[np.float64]) -> tuple[float, int, int]:
        """Score of the best shift j → i and (j, i): j's court sheds w (its excess may fall),
        i takes w' (its excess may rise), each at its court's price."""
        cost, weight, cap, cur = self.view.cost, self.view.weight, self.view.capacity, self.cur
        here_cost, here_w = cost[self.cases, cur], weight[self.cases, cur]
        from_over = np.maximum(self.load[cur] - here_w - cap[cur], 0.0) - over[cur]
        to_over = np.maximum(self.load[None, :] + weight - cap[None, :], 0.0) - over[None, :]
        shift_cost = cost - here_cost[:, None]
        shift = shift_cost + (self.price[cur] * from_over)[:, None] + self.price[None, :] * to_over
        shift[self.cases, cur] = np.inf
        # a tabu move is still taken when it gives a feasible point better than the best
        aspire = ((float(over.sum()) + from_over[:, None] + to_over <= 1e-9)
                  & (self.cur_cost + shift_cost < self.best_cost - 1e-9))
        shift[(self.tabu_until > self.move) & ~aspire] = np.inf
        j, i = np.unravel_index(int(np.argmin(shift)), shift.shape)
        return float(shift[j, i]), int(j), int(i)

    def _best_swap(self, over: NDArray[np.float64]) -> tuple[float, int, int]:
        """Score of the best swap j ↔ k between two courts and (j, k), for a sample of cases j
        against every case k."""
        cost, weight, cap, cur = self.view.cost, self.view.weight, self.view.capacity, self.cur
        n = self.view.n_cases
        here_cost, here_w = cost[self.cases, cur], weight[self.cases, cur]
        pick = (self.cases if n <= _SWAP_SAMPLE
                else self.rng.choice(n, size=_SWAP_SAMPLE, replace=False))
        a_j = cur[pick]
        swap_cost = (cost[pick][:, cur] + cost[:, a_j].T
                     - here_cost[pick][:, None] - here_cost[None, :])
        j_over = (np.maximum(self.load[a_j][:, None] - here_w[pick][:, None] + weight[:, a_j].T
                             - cap[a_j][:, None], 0.0) - over[a_j][:, None])
        k_over = (np.maximum(self.load[cur][None, :] - here_w[None, :] + weight[pick][:, cur]
                             - cap[cur][None, :], 0.0) - over[cur][None, :])
        swap = swap_cost + self.price[a_j][:, None] * j_over + self.price[cur][None, :] * k_over
        swap[(a_j[:, None] == cur[None, :]) | ~np.isfinite(swap_cost)] = np.inf
        aspire = ((float(over.sum()) + j_over + k_over <= 1e-9)
                  & (self.cur_cost + swap_cost < self.best_cost - 1e-9))
        tabu = self.tabu_until > self.move
        swap[(tabu[pick][:, cur] | tabu[:, a_j].T) & ~aspire] = np.inf
        p, k = np.unravel_index(int(np.argmin(swap)), swap.shape)
        return float(swap[p, k]), int(pick[p]), int(k)

    def keep_if_best(self) -> bool:
        """Keep the current assignment when it is feasible and better than the best."""
        if np.any(self.load - self.view.capacity > 1e-9) or self.cur_cost >= self.best_cost - 1e-9:
            return False
        self.best, self.best_cost = self.cur.copy(), self.view.cost_of(self.cur)
        self.cur_cost = self.best_cost
        return True

    def restart(self) -> None:
        """Back to the best point with a few of its cases thrown to random courts (the search
        repairs the excess; without the kick it falls back into the same basin), prices afresh."""
        agents = self.best.copy()
        allowed = np.isfinite(self.view.cost)
        kicked = self.rng.choice(self.view.n_cases, size=max(2, int(self.view.n_cases * _KICK)),
                                 replace=False)
        for j in kicked:
            agents[j] = self.rng.choice(np.flatnonzero(allowed[j]))
        self._start_from(agents)


def local_search(m: Model, view: AssignmentView, best: NDArray[np.float64], best_obj: float,
                 seconds: float, seed: int, steps: list[str], patience: int | None = None
                 ) -> tuple[NDArray[np.float64], float]:
    """`tabu_search` on a piece's point: the better of its result and `best` (a point of the
    model, feasible), checked against the model's own rows before it is taken."""
    start = view.agents_of(best)
    if start is None or not view.fits(start) or seconds <= 0:
        return best, best_obj
    found = tabu_search(view, start, seconds, seed, patience=patience)
    point = view.point(found, m.n_cols)
    obj = float(m.cost @ point)
    if obj < best_obj - 1e-9 and feasible(m, point):
        best, best_obj = point, obj
    steps.append(f"local search {best_obj:.2f}")
    return best, best_obj



def branch_with_search(m: Model, cfg: PieceSettings, best: Point | None, best_obj: float,
                       bound: float, method: str, steps: list[str], tell: Tell,
                       left: Callable[[], float], branch_and_cut: BranchAndCut
                       ) -> tuple[Point | None, float, float, str]:
    """Branch and cut for the time left, when the gap is still open; a piece that is a pure
    assignment (the GAP) also gets the tabu search around it, `cfg.assignment_search_share` of
    the time in all: before it (a better start prunes more; `BEFORE_BRANCHING` of that share,
    ending early when stalled) and after it (from branch and cut's incumbent, for what is left)."""
    open_gap = lambda: best is None or best_obj - bound > cfg.gap * abs(best_obj)  # noqa: E731
    if not open_gap() or left() <= 0.05:
        return best, best_obj, bound, method
    share = cfg.assignment_search_share if best is not None else 0.0
    view = assignment_view(m) if share > 0 else None
    if view is not None and best is not None:
        best, best_obj = local_search(m, view, best, best_obj, left() * share * BEFORE_BRANCHING,
                                      cfg.seed, steps, PATIENCE_BEFORE_BRANCHING)
        method += "+local-search"
        tell("local search 局部搜索", best_obj, bound)
    if open_gap() and left() > 0.05:
        seconds = left() * (1 - share) if view is not None else left()
        best, best_obj, bound = branch_and_cut(m, cfg, best, best_obj, bound, seconds, steps, tell)
        method = "lp+mip" + ("+local-search" if view is not None else "")
    if view is not None and best is not None and open_gap() and left() > 0.05:
        best, best_obj = local_search(m, view, best, best_obj, left(), cfg.seed + 1, steps)
        tell("local search 局部搜索", best_obj, bound)
    return best, best_obj, bound, method
