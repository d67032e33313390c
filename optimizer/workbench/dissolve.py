"""`recommend` under the all-or-none rule of 集中执行: a new case of a debtor whose other cases the
plan concentrates at court T either joins them at T, or keeps apart — and then the group
dissolves: none of its cases may stay concentrated (docs/law.md rule 9), so each of the others
takes one of its own lawful options.

The price of keeping apart is exact given the rest of the plan: every combination of the other
members' individual options is evaluated with the new case's option, the loads after the plan
(the band penalty at every court they touch, jointly), the load ceilings and the lent officers
the plan has to spare for staffing 协同 (no new loan for them); the cheapest lawful combination
wins. Past `MAX_COMBINATIONS` the option is left out, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode, Trigger
from optimizer.model.costs import band_penalty
from optimizer.model.options import Options
from optimizer.workbench.view import PlanView

MAX_COMBINATIONS = 50_000


@dataclass(frozen=True)
class Group:
    """The other members of the new case's debtor group, concentrated at `target` by the plan:
    their indices in the plan's problem and in the small one, and their option rows there."""

    big: NDArray[np.int64]
    small: NDArray[np.int64]
    target: int
    rows: tuple[NDArray[np.int64], ...]


@dataclass(frozen=True)
class Priced:
    group_cost: float  # the others' own costs, after minus before
    load_cost: float  # the band penalty change at every court touched (the new case's too)
    moves: tuple[tuple[str, str, str], ...]  # (case, mode, court) the others take


def concentrated_group(v: PlanView, small: Problem, o: Options, i: int) -> Group | None:
    """The others of case `i`'s group in `small` when the plan concentrates all of them at one
    court (None otherwise: its individual options dissolve nothing)."""
    g = small.related_groups[0][i]
    if g < 0:
        return None
    members = np.flatnonzero((small.related_groups[0] == g) & (np.arange(small.n_cases) != i))
    big = np.array([v.case_index[small.case_ids[m]] for m in members.tolist()], dtype=np.int64)
    if not len(big) or not (v.ev.mode[big] == Mode.CONCENTRATE).all():
        return None
    at = np.unique(v.ev.court[big])
    if len(at) != 1:
        return None
    rows = tuple(np.flatnonzero(o.case == m) for m in members.tolist())
    return Group(big, members, int(at[0]), rows)


def related_shift(v: PlanView, small: Problem, o: Options, i: int) -> float:
    """What the debtor's other cases cost more, as planned, once the new case joins their group
    (each now counts as related: 关联案件分散多院, priced where not concentrated): the same for
    every option of the new case that keeps them as planned."""
    g = small.related_groups[0][i]
    if g < 0:
        return 0.0
    shift = 0.0
    for m in np.flatnonzero((small.related_groups[0] == g) & (np.arange(small.n_cases) != i)):
        big = v.case_index[small.case_ids[m]]
        row = np.flatnonzero((o.case == m) & (o.mode == v.ev.mode[big]) & (o.court == v.ev.court[big]))
        if len(row):
            shift += float(o.cost[row[0]] - v.case_cost[big])
    return shift


def _grid(parts: list[tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]]
          ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]] | None:
    """Every combination of one row per member: (cost, load delta per court, staffing 协同 per
    court), or None past `MAX_COMBINATIONS`."""
    cost = np.zeros(1)
    delta = np.zeros((1, parts[0][1].shape[1]))
    staffing = np.zeros((1, parts[0][1].shape[1]), dtype=np.int64)
    for c, d, s in parts:
        if len(cost) * len(c) > MAX_COMBINATIONS:
            return None
        cost = (cost[:, None] + c[None, :]).ravel()
        delta = (delta[:, None, :] + d[None, :, :]).reshape(-1, d.shape[1])
        staffing = (staffing[:, None, :] + s[None, :, :]).reshape(-1, s.shape[1])
    return cost, delta, staffing


@dataclass(frozen=True)
class NewOption:
    """The new case's option being priced: its court, its workload, an officer more lent there
    (0 or 1), whether it is a staffing 协同, and its court before the plan."""

    court: int
    workload: float
    more_staff: int
    staffing: bool
    home: int


def price(v: PlanView, small: Problem, o: Options, grp: Group, x: NewOption,
          spare: NDArray[np.float64]) -> Priced | str:
    """The cheapest lawful way for the others (options `o` of the `small` problem) to go their
    own ways beside the new option."""
    p, ev = v.p, v.ev
    courts = np.unique(np.r_[[x.court, grp.target], *[o.court[r] for r in grp.rows]])
    col = {int(c): j for j, c in enumerate(courts.tolist())}
    short = ((o.mode == Mode.COORDINATE)
             & ((small.triggers[o.case] & int(Trigger.UNDERSTAFFED)) != 0)).astype(np.int64)
    parts = []
    for m, rows in zip(grp.big.tolist(), grp.rows, strict=True):
        w = float(p.case_workload[m])
        d = np.zeros((len(rows), len(courts)))
        d[np.arange(len(rows)), [col[int(c)] for c in o.court[rows].tolist()]] += w
        d[:, col[grp.target]] -= w
        s = np.zeros((len(rows), len(courts)), dtype=np.int64)
        s[np.arange(len(rows)), [col[int(c)] for c in o.court[rows].tolist()]] = short[rows]
        parts.append((o.cost[rows] - float(v.case_cost[m]), d, s))
    grid = _grid(parts)
    if grid is None:
        return (f"关联案件过多，无法不重解而计价 too many related cases to price without a re-solve "
                f"(> {MAX_COMBINATIONS:,} combinations)")
    cost, delta, staffing = grid
    delta[:, col[x.court]] += x.workload
    staff = ev.staff_after[courts].astype(np.float64)
    staff[col[x.court]] += x.more_staff
    load = ev.load_after[courts][None, :] + delta
    ok = _within_ceilings(p, courts, load, staff, x)
    room = spare[courts].copy()
    room[col[x.court]] += p.rules.cases_per_lent_officer * x.more_staff - x.staffing
    ok &= (staffing <= room[None, :] + 1e-9).all(axis=1)
    if not ok.any():
        return "其他关联案件无合法去处 the others have no lawful way to go apart (ceilings, officers)"
    pen = _penalty(p, courts, load, staff) - _penalty(p, courts, ev.load_after[courts][None, :],
                                                      ev.staff_after[courts].astype(np.float64))
    total = np.where(ok, cost + pen, np.inf)
    best = int(np.argmin(total))
    picks = np.unravel_index(best, [len(r) for r in grp.rows])
    moves = tuple((p.case_ids[m], Mode(int(o.mode[r[k]])).key, p.court_ids[int(o.court[r[k]])])
                  for m, r, k in zip(grp.big.tolist(), grp.rows, picks, strict=True))
    return Priced(float(cost[best]), float(pen[best]), moves)


def _within_ceilings(p: Problem, courts: NDArray[np.int64], load: NDArray[np.float64],
                     staff: NDArray[np.float64], x: NewOption) -> NDArray[np.bool_]:
    """Combinations whose loads stay under every court's ceiling (or no worse than before)."""
    c = p.rules.max_utilisation
    if c is None:
        return np.ones(len(load), dtype=bool)
    before = p.open_caseload[courts] + np.where(courts == x.home, x.workload, 0.0)
    limit = np.maximum(c * p.cases_per_officer[courts] * staff, before)
    return np.asarray((load <= limit[None, :] + 1e-6).all(axis=1), dtype=bool)


def _penalty(p: Problem, courts: NDArray[np.int64], load: NDArray[np.float64],
             staff: NDArray[np.float64]) -> NDArray[np.float64]:
    """Band penalty summed over `courts` for each row of `load` (combinations × courts)."""
    load = np.broadcast_to(load, (max(len(load), 1), len(courts)))
    flat = np.tile(courts, len(load))
    excess = (load - p.rules.target_utilisation * p.cases_per_officer[courts] * staff).ravel()
    pen = np.where(p.in_district[flat], band_penalty(p, flat, excess), 0.0)
    return pen.reshape(len(load), len(courts)).sum(axis=1)
