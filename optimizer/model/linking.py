"""Debtor groups that link independent pieces (集中执行 across districts).

Relaxation, for the bound: each linking group is split into one copy per piece holding its
members; a copy's target outside the piece carries no load there, and costs the copy its
members' share of the whole group's cost there (`_shared_costs`). Dropping the copies'
consistency and that load (the penalty is non-decreasing) can only lower the optimum, so the sum
of the pieces' bounds stays a valid lower bound of the whole problem.

Fixing, for the plan: each linking group is decided once (a target or none) from the copies'
choices; its members then become constants whose moved load is passed to the pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode, Trigger
from optimizer.model.costs import AssetPlan
from optimizer.model.decision import Decision
from optimizer.model.options import Options


def split_linking(p: Problem, o: Options, comp: NDArray[np.int64],
                  linking: NDArray[np.int64]) -> tuple[Options, NDArray[np.int64]]:
    """Options where every linking group is replaced by one copy per piece of its members, and
    the original target row of each of their target rows."""
    if not len(linking):
        return o, np.arange(len(o.target_group))
    is_link_t = np.isin(o.target_group, linking)
    is_link_m = is_link_t[o.member_target]
    n_groups = int(o.target_group.max()) + 1
    keep_t = np.flatnonzero(~is_link_t)
    new_t = np.full(len(o.target_group), -1, dtype=np.int64)
    new_t[keep_t] = np.arange(len(keep_t))
    tg, tc, td = [o.target_group[keep_t]], [o.target_court[keep_t]], [o.target_decider[keep_t]]
    mc, mt, mterms = [o.member_case[~is_link_m]], [new_t[o.member_target[~is_link_m]]], \
        [o.member_terms[~is_link_m]]
    n_t = len(keep_t)
    rows = np.flatnonzero(is_link_m)
    piece_of = comp[p.case_court[o.member_case[rows]]]
    key = o.target_group[o.member_target[rows]] * (int(comp.max()) + 1) + piece_of
    copies, copy_of_row = np.unique(key, return_inverse=True)
    # one new group per (group, piece); one new target per (copy, original target)
    pair = copy_of_row * len(o.target_group) + o.member_target[rows]
    pairs, pair_of_row = np.unique(pair, return_inverse=True)
    pair_copy = pairs // len(o.target_group)
    pair_target = pairs % len(o.target_group)
    tg.append(n_groups + pair_copy)
    tc.append(o.target_court[pair_target])
    td.append(o.target_decider[pair_target])
    mc.append(o.member_case[rows])
    mt.append(n_t + pair_of_row)
    mterms.append(_shared_costs(p, o, rows, pair_copy, pair_of_row, pair_target))
    del copies
    empty = AssetPlan(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
                      np.zeros(0, dtype=bool))
    o_rel = replace(o, target_group=np.concatenate(tg), target_court=np.concatenate(tc),
                    target_decider=np.concatenate(td),
                    member_case=np.concatenate(mc), member_target=np.concatenate(mt),
                    member_terms=np.concatenate(mterms), member_assets=empty)
    return o_rel, np.r_[keep_t, pair_target]


def _shared_costs(p: Problem, o: Options, rows: NDArray[np.int64],
                  pair_copy: NDArray[np.int64], pair_of_row: NDArray[np.int64],
                  pair_target: NDArray[np.int64]) -> NDArray[np.float64]:
    """The member terms of the copies' targets, shifted (on the first term) so that copy X
    pays c_X(t) = none_X + α_X·(cost(t) − N) at target t: none_X its members' cheapest own
    options, N the sum of none over the copies offering t, α_X its share of t's members.

    The copies' costs at a target add up to the group's cost there, so every consistent plan
    costs what it did and the bound holds. Left with only its members' own costs, the copy in
    one piece concentrates at its members' court and the copy in the other piece at theirs, a
    plan no decision can make (national seed 1: the 793 linking groups' relaxed costs 2.79 M
    against 2.86 M for the best single decision of each). With these costs each copy's best is
    none_X + α_X·min(0, cost(t*) − N), which adds up to min(N, cost(t*)): the group's own
    optimum, loads aside (the Lagrangian split that closes the relaxation of one group).
    Where a member can only move by concentration (no own option), the copies pay their shares
    α_X·cost(t)."""
    own_best = np.full(p.n_cases, np.inf)
    np.minimum.at(own_best, o.case, o.cost)
    members = o.member_case[rows]
    n_copies = int(pair_copy.max()) + 1 if len(pair_copy) else 0
    row_copy = pair_copy[pair_of_row]
    # each member once per copy (a member has a row per target)
    first = np.unique(row_copy * np.int64(p.n_cases) + members, return_index=True)[1]
    none = np.bincount(row_copy[first], weights=np.where(np.isfinite(own_best[members[first]]),
                                                          own_best[members[first]], 0.0),
                       minlength=n_copies)
    stuck = np.bincount(row_copy[first], weights=~np.isfinite(own_best[members[first]]),
                        minlength=n_copies) > 0
    n_rows = np.bincount(pair_of_row, minlength=len(pair_target)).astype(np.float64)
    n_target = np.bincount(o.member_target[rows], minlength=len(o.target_group))[pair_target]
    alpha = n_rows / n_target
    none_sum = np.bincount(pair_target, weights=none[pair_copy], minlength=len(o.target_group))
    any_stuck = np.bincount(pair_target, weights=stuck[pair_copy],
                            minlength=len(o.target_group)) > 0
    cost = o.target_cost[pair_target]
    pay = np.where(any_stuck[pair_target], alpha * cost,
                   none[pair_copy] + alpha * (cost - none_sum[pair_target]))
    own = np.bincount(pair_of_row, weights=o.member_cost[rows], minlength=len(pair_target))
    terms = o.member_terms[rows].copy()
    terms[:, 0] += ((pay - own) / n_rows)[pair_of_row]
    return terms


@dataclass(frozen=True)
class _ByGroup:
    """The target rows and the members of each debtor group of some options, by slicing once
    sorted (a scan of every target and member row per group took 2–3 s for the national
    scenario's 793 linking groups)."""

    targets: NDArray[np.int64]  # target rows, by group (ascending within a group)
    target_group: NDArray[np.int64]  # their groups, sorted
    member_rows: NDArray[np.int64]  # member rows, by group
    member_group: NDArray[np.int64]  # their groups, sorted
    member_case: NDArray[np.int64]

    @classmethod
    def of(cls, o: Options) -> _ByGroup:
        t_order = np.argsort(o.target_group, kind="stable")
        m_group = o.target_group[o.member_target]
        m_order = np.argsort(m_group, kind="stable")
        return cls(t_order, o.target_group[t_order], m_order, m_group[m_order], o.member_case)

    def rows(self, g: int) -> NDArray[np.int64]:
        lo, hi = np.searchsorted(self.target_group, [g, g + 1])
        return self.targets[lo:hi]

    def members(self, g: int) -> NDArray[np.int64]:
        lo, hi = np.searchsorted(self.member_group, [g, g + 1])
        return np.unique(self.member_case[self.member_rows[lo:hi]])


def decide_linking(p: Problem, o: Options, o_rel: Options, linking: NDArray[np.int64],
                   rel_target_on: NDArray[np.bool_]) -> dict[int, int]:
    """Linking group → chosen target row of `o` (−1 = not concentrated). Candidates are the
    targets some copy chose, and none; the cheapest by the members' own costs wins. A group
    with a member that only concentration can move is always concentrated."""
    has_own = np.zeros(p.n_cases, dtype=bool)
    has_own[o.case] = True
    keep_cost = np.full(p.n_cases, np.inf)
    np.minimum.at(keep_cost, o.case, o.cost)  # cheapest individual option per case
    by_group = _ByGroup.of(o)
    picked = _picked_courts(p, o, o_rel, rel_target_on)
    chosen: dict[int, int] = {}
    tcost = o.target_cost
    for g in linking.tolist():
        rows = by_group.rows(g)
        members = by_group.members(g)
        picked_courts = picked.get(g, set())
        cand = [t for t in rows.tolist() if o.target_court[t] in picked_courts] or rows.tolist()
        best_t = min(cand, key=lambda t: tcost[t])
        none_ok = bool(has_own[members].all())
        none_cost = float(keep_cost[members].sum()) if none_ok else np.inf
        chosen[g] = best_t if tcost[best_t] < none_cost or not none_ok else -1
    return chosen


def _picked_courts(p: Problem, o: Options, o_rel: Options, rel_target_on: NDArray[np.bool_]
                   ) -> dict[int, set[int]]:
    """Per group of `o`, the courts its copies in `o_rel` chose (copies carry group ids beyond
    o's groups; a case belongs to one debtor group, so a copy's members name its group)."""
    n_groups = int(o.target_group.max()) + 1
    case_group = np.full(p.n_cases, -1, dtype=np.int64)
    case_group[o.member_case] = o.target_group[o.member_target]
    rel_group = np.full(len(o_rel.target_group), -1, dtype=np.int64)
    rel_group[o_rel.member_target] = case_group[o_rel.member_case]
    on = np.flatnonzero(rel_target_on & (o_rel.target_group >= n_groups))
    picked: dict[int, set[int]] = {}
    for g, court in zip(rel_group[on].tolist(), o_rel.target_court[on].tolist(), strict=True):
        picked.setdefault(g, set()).add(court)
    return picked


def repair(p: Problem, o: Options, d: Decision, chosen: dict[int, int]) -> Decision:
    """Make a decision from the relaxed pieces consistent: each linking group takes its chosen
    target (all members) or none (members that followed a copy take their cheapest option that
    needs no lent officer: officers are decided with the pieces, not here)."""
    option, group_target = d.option.copy(), d.group_target.copy()
    cheapest = np.full(p.n_cases, -1, dtype=np.int64)
    short = (p.triggers[o.case] & int(Trigger.UNDERSTAFFED)) != 0
    usable = np.flatnonzero(~((o.mode == Mode.COORDINATE) & short))
    if len(usable):
        order = usable[np.lexsort((o.cost[usable], o.case[usable]))]
        first = np.r_[True, o.case[order][1:] != o.case[order][:-1]]
        cheapest[o.case[order[first]]] = order[first]
    by_group = _ByGroup.of(o)
    for g, t in chosen.items():
        members = by_group.members(g)
        group_target[g] = t
        if t >= 0:
            option[members] = -1
        else:
            lost = members[option[members] < 0]
            option[lost] = cheapest[lost]
    return Decision(option, group_target, d.lent)


def fix_linking(p: Problem, o: Options, chosen: dict[int, int]
                ) -> tuple[Options, NDArray[np.bool_], NDArray[np.float64], NDArray[np.int64]]:
    """(options without the linking groups, cases fixed by a concentration, load shift per
    court those fixed cases cause)."""
    groups = np.array(list(chosen), dtype=np.int64)
    drop_t = np.isin(o.target_group, groups)
    keep_t = np.flatnonzero(~drop_t)
    new_t = np.full(len(o.target_group), -1, dtype=np.int64)
    new_t[keep_t] = np.arange(len(keep_t))
    keep_m = ~drop_t[o.member_target]
    fixed = np.zeros(p.n_cases, dtype=bool)
    shift = np.zeros(p.n_courts)
    for t in chosen.values():
        if t < 0:
            continue
        members = o.member_case[o.member_target == t]
        fixed[members] = True
        w = p.case_workload[members]
        np.add.at(shift, p.case_court[members], -w)
        shift[o.target_court[t]] += w.sum()
    keep_rows = np.flatnonzero(keep_m)
    remap = np.full(len(o.member_case), -1, dtype=np.int64)
    remap[keep_rows] = np.arange(len(keep_rows))
    a = o.member_assets
    sel = remap[a.pair_option] >= 0
    assets = AssetPlan(remap[a.pair_option[sel]], a.pair_asset[sel], a.entrusted[sel])
    o_fix = replace(o, target_group=o.target_group[keep_t], target_court=o.target_court[keep_t],
                    target_decider=o.target_decider[keep_t],
                    member_case=o.member_case[keep_m], member_target=new_t[o.member_target[keep_m]],
                    member_terms=o.member_terms[keep_m], member_assets=assets)
    return o_fix, fixed, shift, keep_t
