"""Legal options per case: which (mode, court) the law and the scenario allow, pruned to K.

Rules (domain.md §2):
- necessity: a case with no trigger only keeps; a mode is offered only if it remedies one of the
  case's triggers; 终本 candidates (no property, no act obligation) only keep;
- 内部交叉 needs ≥ `min_internal_teams` teams; 督促 only where a deadline can help (passivity,
  or past the Art. 237 clock with property);
- 指令 targets lie in the decider's district (decider = the court one level up, itself inside
  the dispatcher's district), same level; 提级 goes exactly one level up; a designated case is
  not designated again unless `allow_redesignation`;
- 集中执行 is decided per debtor group by the common superior court: all or none of the group;
- interference cases must leave their debtor's home locality; a missed 督促 deadline forces
  指令 or 提级 (执行程序解释 Art. 12). Where no lawful move exists the case keeps and the plan
  records why.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Mode, Problem, Trigger
from optimizer.data.scenario import Weights
from optimizer.model.costs import AssetPlan, option_costs

_HARD = int(Trigger.INTERFERENCE | Trigger.DEADLINE_MISSED)


@dataclass(frozen=True)
class Options:
    """Candidate options. Individual options are rows of `case/mode/court`; concentration is
    offered per group target (`target_*`), shared by the members in `member_*`."""

    case: NDArray[np.int64]
    mode: NDArray[np.int64]
    court: NDArray[np.int64]
    terms: NDArray[np.float64]  # (options, CASE_TERMS)
    assets: AssetPlan
    target_group: NDArray[np.int64]
    target_court: NDArray[np.int64]
    target_decider: NDArray[np.int64]  # common superior court deciding the concentration
    member_case: NDArray[np.int64]
    member_target: NDArray[np.int64]
    member_terms: NDArray[np.float64]
    member_assets: AssetPlan
    lend_from: NDArray[np.int64]
    lend_to: NDArray[np.int64]
    lend_cost: NDArray[np.float64]  # per officer lent for the period
    lend_max: NDArray[np.int64]  # per lender court
    exceptions: dict[int, str]  # case index -> why no lawful move exists
    pruned: int  # candidate courts removed by the K-best pruning
    generated: int

    @cached_property
    def cost(self) -> NDArray[np.float64]:
        return self.terms.sum(axis=1)

    @cached_property
    def member_cost(self) -> NDArray[np.float64]:
        return self.member_terms.sum(axis=1)

    @cached_property
    def target_cost(self) -> NDArray[np.float64]:
        return np.bincount(self.member_target, weights=self.member_cost,
                           minlength=len(self.target_group)).astype(np.float64)


def _place_prefix(p: Problem, place: NDArray[np.int64], digits: int) -> NDArray[np.int64]:
    key = f"prefix{digits}"
    codes = p._cache.get(key)
    if codes is None:
        codes = np.array([int(c[:digits]) if c[:digits].isdigit() else -1 - i
                          for i, c in enumerate(p.place_codes)], dtype=np.int64)
        p._cache[key] = codes
    return codes[place]  # type: ignore[index]


def in_home_locality(p: Problem, case: NDArray[np.int64], court: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Does `court` sit in the home locality (county or prefecture) of the case's debtor?"""
    digits = 6 if p.scenario.rules.interference_scope == "county" else 4
    return (_place_prefix(p, p.court_place[court], digits)
            == _place_prefix(p, p.case_debtor_place[case], digits))


def _children(p: Problem) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """CSR (offsets, members) of each court's children."""
    cached = p._cache.get("children")
    if cached is not None:
        return cached  # type: ignore[return-value]
    parent = p.court_parent
    order = np.argsort(parent, kind="stable")
    sp = parent[order]
    keep = sp >= 0
    order, sp = order[keep], sp[keep]
    offsets = np.searchsorted(sp, np.arange(p.n_courts + 1))
    p._cache["children"] = (offsets, order)
    return offsets, order


def _ancestor_table(p: Problem) -> NDArray[np.int64]:
    """anc[c, l] = the ancestor of court c at level rank l (itself at its own level), or −1."""
    cached = p._cache.get("ancestors")
    if cached is not None:
        return cached  # type: ignore[return-value]
    anc = np.full((p.n_courts, 4), -1, dtype=np.int64)
    cur = np.arange(p.n_courts)
    for _ in range(4):  # at most four levels: supreme, high, intermediate, basic
        ok = cur >= 0
        anc[np.flatnonzero(ok), p.court_level[cur[ok]]] = cur[ok]
        cur = np.where(ok, p.court_parent[np.maximum(cur, 0)], -1)
    p._cache["ancestors"] = anc
    return anc


def _descendants(p: Problem, root: int) -> NDArray[np.int64]:
    """The court `root` and every court below it."""
    return np.flatnonzero(_ancestor_table(p)[:, p.court_level[root]] == root)


def _ancestors(p: Problem, c: int) -> list[int]:
    out = [c]
    while p.court_parent[out[-1]] >= 0:
        out.append(int(p.court_parent[out[-1]]))
    return out


def _top_k(key: NDArray[np.int64], cost: NDArray[np.float64], k: int) -> NDArray[np.bool_]:
    """Mask keeping the k cheapest rows of each key."""
    order = np.lexsort((cost, key))
    sk = key[order]
    first = np.r_[0, np.flatnonzero(np.diff(sk)) + 1]
    run_start = np.repeat(first, np.diff(np.r_[first, len(sk)]))
    rank = np.arange(len(sk)) - run_start
    keep = np.zeros(len(key), dtype=bool)
    keep[order[rank < k]] = True
    return keep


def build_options(p: Problem, weights: Weights | None = None) -> Options:
    s = p.scenario
    r = s.rules
    n = p.n_cases
    trig = p.triggers
    c0 = p.case_court
    movable = p.in_district[c0] & ~p.terminable
    decider = p.court_parent[c0]
    decider_ok = movable & (decider >= 0) & p.in_district[np.maximum(decider, 0)]
    has = lambda t: (trig & int(t)) != 0  # noqa: E731
    # an interference case already outside its home locality has nothing to leave
    home = in_home_locality(p, np.arange(n), c0)
    trig = np.where(has(Trigger.INTERFERENCE) & ~home, trig & ~int(Trigger.INTERFERENCE), trig)
    must_move = movable & ((trig & _HARD) != 0)
    rows: list[tuple[NDArray[np.int64], int, NDArray[np.int64]]] = []
    idx = np.arange(n)
    rows.append((idx, Mode.KEEP, c0))
    ok = movable & ~must_move & has(Trigger.PASSIVE) & (p.teams[c0] >= r.min_internal_teams)
    rows.append((idx[ok], Mode.INTERNAL, c0[ok]))
    ok = decider_ok & ~must_move & (has(Trigger.PASSIVE) | has(Trigger.OVERDUE))
    rows.append((idx[ok], Mode.SUPERVISE, c0[ok]))
    want_elevate = int(Trigger.PASSIVE | Trigger.OVERDUE | Trigger.COMPLEX | Trigger.UNDERSTAFFED
                       | Trigger.REQUEST) | _HARD
    ok = decider_ok & ((trig & want_elevate) != 0) & (p.officers[np.maximum(decider, 0)] > 0)
    rows.append((idx[ok], Mode.ELEVATE, decider[ok]))

    # 指令执行: siblings under the decider
    want_designate = int(Trigger.PASSIVE | Trigger.OVERDUE | Trigger.UNDERSTAFFED
                         | Trigger.REQUEST) | _HARD
    ok = decider_ok & ((trig & want_designate) != 0)
    if not r.allow_redesignation:
        ok &= p.case_prior != 2
    offsets, members = _children(p)
    dc = idx[ok]
    dd = decider[ok]
    cnt = offsets[dd + 1] - offsets[dd]
    d_case = np.repeat(dc, cnt)
    start = np.repeat(offsets[dd], cnt)
    d_court = members[start + np.arange(len(d_case)) - np.repeat(np.cumsum(cnt) - cnt, cnt)]
    keep = ((d_court != c0[d_case]) & (p.officers[d_court] > 0)
            & (p.court_level[d_court] == p.court_level[c0[d_case]]))
    d_case, d_court = d_case[keep], d_court[keep]

    # 协同执行 needs a court that can lend: siblings or the parent, inside the district
    lend_from, lend_to, lend_cost, lend_max = _lending_pairs(p, weights)
    can_borrow = np.zeros(p.n_courts, dtype=bool)
    can_borrow[lend_to] = True
    ok = movable & ~must_move & (has(Trigger.COMPLEX) | has(Trigger.UNDERSTAFFED)) & can_borrow[c0]
    rows.append((idx[ok], Mode.COORDINATE, c0[ok]))
    # only courts with a case to coordinate borrow
    wants = np.zeros(p.n_courts, dtype=bool)
    wants[c0[ok]] = True
    pair = wants[lend_to]
    lend_from, lend_to, lend_cost = lend_from[pair], lend_to[pair], lend_cost[pair]

    case = np.concatenate([x[0] for x in rows] + [d_case])
    mode = np.concatenate([np.full(len(x[0]), int(x[1])) for x in rows]
                          + [np.full(len(d_case), int(Mode.DESIGNATE))])
    court = np.concatenate([x[2] for x in rows] + [d_court])
    # interference: only courts outside the home locality
    interf = has(Trigger.INTERFERENCE)[case]
    legal = ~(interf & in_home_locality(p, case, court))
    # a missed deadline leaves only 指令/提级 (and 集中 below)
    missed = has(Trigger.DEADLINE_MISSED)[case]
    legal &= ~(missed & ~np.isin(mode, [Mode.DESIGNATE, Mode.ELEVATE]))
    # keep stays for now: dropped below wherever a lawful move exists
    legal |= mode == Mode.KEEP
    case, mode, court = case[legal], mode[legal], court[legal]

    terms, assets = option_costs(p, case, mode, court, weights)
    generated = len(case)
    # prune designate targets to the K cheapest per case; keep/elevate etc. always stay
    is_d = mode == Mode.DESIGNATE
    keep = ~is_d
    keep[is_d] = _top_k(case[is_d], terms[is_d].sum(axis=1), r.max_candidates)
    pruned = int((~keep).sum())

    # 集中执行 per group
    tg, tc, td, mc, mt, pruned_g, generated_g = _group_targets(p, weights, trig)
    m_terms, m_assets = option_costs(p, mc, np.full(len(mc), int(Mode.CONCENTRATE)), tc[mt],
                                     weights)
    m_keep_targets = np.ones(len(tg), dtype=bool)
    if len(tg):
        tcost = np.bincount(mt, weights=m_terms.sum(axis=1), minlength=len(tg)).astype(np.float64)
        m_keep_targets = _top_k(tg, tcost, r.max_candidates)
        pruned_g += int((~m_keep_targets).sum())
    new_index = np.cumsum(m_keep_targets) - 1
    keep_m = m_keep_targets[mt]
    sel = np.flatnonzero(keep)
    opt_assets = _subset_assets(assets, sel, len(case))
    mem_sel = np.flatnonzero(keep_m)
    m_assets2 = _subset_assets(m_assets, mem_sel, len(mc))
    case, mode, court, terms = case[sel], mode[sel], court[sel], terms[sel]
    tg, tc, td = tg[m_keep_targets], tc[m_keep_targets], td[m_keep_targets]
    mc, mt, m_terms = mc[keep_m], new_index[mt[keep_m]], m_terms[keep_m]

    # hard triggers: drop the non-moving options where a lawful move exists
    moves = np.zeros(n, dtype=bool)
    moves[case[court != c0[case]]] = True
    if len(mc):
        moves[mc[tc[mt] != c0[mc]]] = True
    exceptions: dict[int, str] = {}
    stuck = must_move & ~moves
    for i in np.flatnonzero(stuck):
        why = ("interference: no court outside the debtor's home locality can be reached by a "
               "decider inside the district" if (trig[i] & int(Trigger.INTERFERENCE))
               else "督促期满未执结: no lawful 指令/提级 target inside the district")
        exceptions[int(i)] = why
    drop = must_move[case] & moves[case] & (court == c0[case])
    if drop.any():
        sel = np.flatnonzero(~drop)
        opt_assets = _subset_assets(opt_assets, sel, len(case))
        case, mode, court, terms = case[sel], mode[sel], court[sel], terms[sel]
    # stuck cases keep, whatever their triggers ask
    stuck_rows = stuck[case] & (mode != Mode.KEEP)
    if stuck_rows.any():
        sel = np.flatnonzero(~stuck_rows)
        opt_assets = _subset_assets(opt_assets, sel, len(case))
        case, mode, court, terms = case[sel], mode[sel], court[sel], terms[sel]
    return Options(
        case=case, mode=mode, court=court, terms=terms, assets=opt_assets,
        target_group=tg, target_court=tc, target_decider=td, member_case=mc, member_target=mt,
        member_terms=m_terms, member_assets=m_assets2,
        lend_from=lend_from, lend_to=lend_to, lend_cost=lend_cost, lend_max=lend_max,
        exceptions=exceptions, pruned=pruned + pruned_g, generated=generated + generated_g,
    )


def _subset_assets(a: AssetPlan, rows: NDArray[np.int64], n_old: int) -> AssetPlan:
    """Keep the asset pairs of the selected option rows (ascending), renumbered."""
    new = np.full(n_old, -1, dtype=np.int64)
    new[rows] = np.arange(len(rows))
    mapped = new[a.pair_option]
    keep = mapped >= 0
    return AssetPlan(mapped[keep], a.pair_asset[keep], a.entrusted[keep])


def _group_targets(
    p: Problem, weights: Weights | None, trig: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64],
           NDArray[np.int64], int, int]:
    """(target_group, target_court, target_decider, member_case, member_target, pruned,
    generated)."""
    grp, n_groups = p.related_groups()
    k_best = p.scenario.rules.max_candidates
    tg: list[int] = []
    tc: list[int] = []
    td: list[int] = []
    mc: list[NDArray[np.int64]] = []
    mt: list[NDArray[np.int64]] = []
    if n_groups == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e, e, 0, 0
    order = np.argsort(grp, kind="stable")
    sg = grp[order]
    bounds = np.searchsorted(sg, np.arange(n_groups + 1))
    interf = (trig & int(Trigger.INTERFERENCE)) != 0
    missed = (trig & int(Trigger.DEADLINE_MISSED)) != 0
    for g in range(n_groups):
        members = order[bounds[g]:bounds[g + 1]]
        courts = np.unique(p.case_court[members])
        chains = [_ancestors(p, int(c)) for c in courts]
        common = set(chains[0]).intersection(*map(set, chains[1:]))
        lca = next(c for c in chains[0] if c in common)
        # the decider is a common *superior* of every member's court
        decider = lca if lca not in courts else int(p.court_parent[lca])
        if decider < 0 or not p.in_district[decider]:
            continue
        cand = _descendants(p, decider)
        cand = cand[p.officers[cand] > 0]
        if len(cand) > 2 * k_best:
            # a wide district (a province, the country): look only at the courts holding the
            # cases, the decider, and those nearest to the group's courts
            near = p.travel[np.ix_(p.court_place[cand], p.court_place[courts])].sum(axis=1)
            keep = np.isin(cand, courts) | (cand == decider)
            keep[np.argsort(near, kind="stable")[: 2 * k_best]] = True
            cand = cand[keep]
        for m in members[interf[members]]:
            cand = cand[~in_home_locality(p, np.full(len(cand), m), cand)]
        for m in members[missed[members]]:
            cand = cand[cand != p.case_court[m]]
        for c in cand:
            tg.append(g)
            tc.append(int(c))
            td.append(decider)
            mc.append(members)
            mt.append(np.full(len(members), len(tg) - 1))
    if not tg:
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e, e, 0, 0
    return (np.array(tg), np.array(tc), np.array(td), np.concatenate(mc), np.concatenate(mt), 0,
            int(sum(len(m) for m in mc)))


def _lending_pairs(
    p: Problem, weights: Weights | None,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
    """Allowed (lender, borrower) pairs: siblings or the parent, both inside the district;
    the K nearest lenders per borrower. Lenders keep `lending_min_keep_share` of their staff."""
    w = weights or p.scenario.weights
    r = p.scenario.rules
    lend_max = np.floor(p.officers * (1.0 - r.lending_min_keep_share) + 1e-9).astype(np.int64)
    lend_max[~p.in_district] = 0
    parent = p.court_parent
    pairs_f, pairs_t = [], []
    for j in np.flatnonzero(p.in_district & (p.court_level >= 2)):
        pj = parent[j]
        if pj < 0:
            continue
        lenders = np.flatnonzero((parent == pj) & (lend_max > 0))
        lenders = lenders[lenders != j]
        if p.in_district[pj] and lend_max[pj] > 0:
            lenders = np.r_[lenders, pj]
        if not len(lenders):
            continue
        minutes = p.travel[p.court_place[lenders], p.court_place[j]]
        lenders = lenders[np.argsort(minutes, kind="stable")[: r.max_candidates]]
        pairs_f.append(lenders)
        pairs_t.append(np.full(len(lenders), j))
    if not pairs_f:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0), lend_max
    f = np.concatenate(pairs_f)
    t = np.concatenate(pairs_t)
    cost = (w.officer_lending * p.travel[p.court_place[f], p.court_place[t]].astype(np.float64)
            + w.officer_lending_fixed)
    return f, t, cost, lend_max
