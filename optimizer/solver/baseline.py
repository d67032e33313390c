"""Decisions that need no solver: which cases have a choice, the baseline plan (keep every
case the rules allow, plus the moves they force), and merging pieces' answers."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode
from optimizer.model.decision import Decision
from optimizer.model.options import Options
from optimizer.model.rows import Model
from optimizer.solver.piece import PieceResult


def free_cases(p: Problem, o: Options) -> NDArray[np.bool_]:
    """Cases with a choice: more than one option, counting each of its group's targets — and
    every member of a group one of whose members has a choice (a target is all or none: its
    column counts in each member's row, so no member may be left out of the piece)."""
    n_opt = np.bincount(o.case, minlength=p.n_cases)
    n_targets = np.bincount(o.member_case, minlength=p.n_cases)
    free = (n_opt + n_targets) > 1
    if len(o.member_case):
        t_free = np.bincount(o.member_target, weights=free[o.member_case],
                             minlength=len(o.target_group)) > 0
        free[o.member_case[t_free[o.member_target]]] = True
    return free


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
    # a planner's fixed loans are lent whatever the cases do
    lent = (np.maximum(o.lend_fixed, 0) if o.lend_fixed is not None
            else np.zeros(len(o.lend_from), dtype=np.int64))
    return Decision(option, group_target, lent.astype(np.int64))


def decision_from(o: Options, models: list[Model], results: list[PieceResult], base: Decision,
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
        pc, lay = m.piece, m.layout
        x_on = np.flatnonzero(v[lay.x] > 0.5)
        option[pc.cases] = -1
        option[o.case[pc.options[x_on]]] = pc.options[x_on]
        rows = pc.targets if target_orig is None else target_orig[pc.targets]
        group_target[orig.target_group[rows]] = -1
        y_on = rows[np.flatnonzero(v[lay.y] > 0.5)]
        group_target[orig.target_group[y_on]] = y_on
        lent[pc.lends] = v[lay.z].astype(np.int64)
    return Decision(option, group_target, lent)


