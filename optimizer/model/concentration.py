"""集中执行: the targets of each debtor group (all its related cases to one court, or none),
decided by the common superior of the group's courts, under the hard rules on targets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import PRIOR_DESIGNATED, Problem
from optimizer.law.modes import Mode, Trigger
from optimizer.model.context import Context, in_home_locality, top_k
from optimizer.model.costs import AssetPlan, option_costs


@dataclass(frozen=True)
class Groups:
    tg: NDArray[np.int64]
    tc: NDArray[np.int64]
    td: NDArray[np.int64]
    mc: NDArray[np.int64]
    mt: NDArray[np.int64]
    terms: NDArray[np.float64]
    assets: AssetPlan
    pruned: int


def concentration(p: Problem, c: Context) -> Groups:
    """集中执行 targets per debtor group, costed and pruned to the K cheapest per group."""
    tg, tc, td, mc, mt = _group_targets(p, c)
    m_terms, m_assets = option_costs(p, mc, np.full(len(mc), int(Mode.CONCENTRATE)), tc[mt])
    keep_t = np.ones(len(tg), dtype=bool)
    if len(tg):
        tcost = np.bincount(mt, weights=m_terms.sum(axis=1), minlength=len(tg)).astype(np.float64)
        keep_t = top_k(tg, tcost, p.rules.max_candidates)
    new_index = np.cumsum(keep_t) - 1
    keep_m = keep_t[mt]
    assets = m_assets.subset(np.flatnonzero(keep_m), len(mc))
    return Groups(tg[keep_t], tc[keep_t], td[keep_t], mc[keep_m], new_index[mt[keep_m]],
                   m_terms[keep_m], assets, int((~keep_t).sum()))


def _group_targets(
    p: Problem, c: Context,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64],
           NDArray[np.int64]]:
    """(target_group, target_court, target_decider, member_case, member_target)."""
    grp, n_groups = p.related_groups
    k_best = p.rules.max_candidates
    tg: list[int] = []
    tc: list[int] = []
    td: list[int] = []
    mc: list[NDArray[np.int64]] = []
    mt: list[NDArray[np.int64]] = []
    if n_groups == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e, e
    order = np.argsort(grp, kind="stable")
    sg = grp[order]
    bounds = np.searchsorted(sg, np.arange(n_groups + 1))
    missed = c.has(Trigger.DEADLINE_MISSED)
    designated = (p.case_prior == PRIOR_DESIGNATED) & (not p.rules.allow_redesignation)
    for g in range(n_groups):
        members = order[bounds[g]:bounds[g + 1]]
        courts = np.unique(p.case_court[members])
        chains = [p.tree.chain(int(c)) for c in courts]
        common = set(chains[0]).intersection(*map(set, chains[1:]))
        lca = next(c for c in chains[0] if c in common)
        # the decider is a common *superior* of every member's court
        decider = lca if lca not in courts else int(p.court_parent[lca])
        if decider < 0 or not p.in_district[decider]:
            continue
        cand = p.tree.descendants(decider)
        cand = cand[p.officers[cand] > 0]
        if len(cand) > 2 * k_best:
            # a wide district (a province, the country): look only at the courts holding the
            # cases, the decider, and those nearest to the group's courts
            near = p.travel[np.ix_(p.court_place[cand], p.court_place[courts])].sum(axis=1)
            keep = np.isin(cand, courts) | (cand == decider)
            keep[np.argsort(near, kind="stable")[: 2 * k_best]] = True
            cand = cand[keep]
        cand = _lawful_group_targets(p, c, members, cand, missed, designated)
        for t in cand:
            tg.append(g)
            tc.append(int(t))
            td.append(decider)
            mc.append(members)
            mt.append(np.full(len(members), len(tg) - 1))
    if not tg:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e, e
    return np.array(tg), np.array(tc), np.array(td), np.concatenate(mc), np.concatenate(mt)


def _lawful_group_targets(p: Problem, c: Context, members: NDArray[np.int64],
                          cand: NDArray[np.int64], missed: NDArray[np.bool_],
                          designated: NDArray[np.bool_]) -> NDArray[np.int64]:
    """The hard rules on a group's targets: never into the home locality of an interference
    member; away from a member's court whose 督促 deadline was missed; never down a level
    (级别管辖: not below the highest court holding a member); a member designated once is not
    designated again (no ping-pong: the group may only gather at its court)."""
    courts = p.case_court[members]
    cand = cand[p.court_level[cand] <= p.court_level[courts].min()]
    for m in members[c.interference[members]]:
        cand = cand[~in_home_locality(p, np.full(len(cand), m), cand)]
    for m in members[missed[members]]:
        cand = cand[cand != p.case_court[m]]
    held = np.unique(courts[designated[members]])
    if len(held):
        cand = cand[np.isin(cand, held)] if len(held) == 1 else cand[:0]
    return cand
