"""Legal options per case: which (mode, court) the law and the scenario allow, pruned to K.

Rules (docs/law.md):
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

Each individual mode has one candidate function (`CANDIDATES`): it returns the (case, court)
pairs the mode offers; the shared rules (hard triggers, pruning) are applied to all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import PRIOR_DESIGNATED, Problem
from optimizer.law.courts import INTERMEDIATE
from optimizer.law.modes import HARD_TRIGGERS, Mode, Trigger
from optimizer.model.costs import AssetPlan, option_costs

_HARD = int(HARD_TRIGGERS)


@dataclass(frozen=True)
class Options:
    """Candidate options. Individual options are rows of `case/mode/court`; concentration is
    offered per group target (`target_*`), shared by the members in `member_*`."""

    case: NDArray[np.int64]
    mode: NDArray[np.int64]
    court: NDArray[np.int64]
    decider: NDArray[np.int64]  # court deciding the option (−1 for keep)
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


def in_home_locality(p: Problem, case: NDArray[np.int64], court: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Does `court` sit in the home locality of the case's debtor (county or prefecture by
    `interference_scope`, the whole prefecture or province for a debtor registered there)?"""
    scope = 6 if p.rules.interference_scope == "county" else 4
    return p.tree.in_home_locality(p.case_debtor_place[case], p.court_place[court], scope)


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


@dataclass(frozen=True)
class _Context:
    """What every candidate function reads: the case's triggers after the home-locality
    adjustment, who may decide, and which courts can borrow officers."""

    p: Problem
    trig: NDArray[np.int64]
    interference: NDArray[np.bool_]  # flagged 不当干预 (wherever the case sits now)
    movable: NDArray[np.bool_]  # inside the district and not a 终本 candidate
    must_move: NDArray[np.bool_]  # a hard trigger forces a change of court
    decider: NDArray[np.int64]  # the court one level up, or −1
    decider_ok: NDArray[np.bool_]  # movable with a decider inside the district
    can_borrow: NDArray[np.bool_]  # per court: some lender may lend to it

    def has(self, t: Trigger | int) -> NDArray[np.bool_]:
        return (self.trig & int(t)) != 0


Triples = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]  # (case, court, decider)


def _keep(c: _Context) -> Triples:
    return np.arange(c.p.n_cases), c.p.case_court, np.full(c.p.n_cases, -1, dtype=np.int64)


def _internal(c: _Context) -> Triples:
    """Another team of the same court, decided by the court itself (its 执行局)."""
    p = c.p
    ok = (c.movable & ~c.must_move & c.has(Trigger.PASSIVE)
          & (p.teams[p.case_court] >= p.rules.min_internal_teams))
    return np.flatnonzero(ok), p.case_court[ok], p.case_court[ok]


def _supervise(c: _Context) -> Triples:
    """A 督促执行令 from the court one level up, where a deadline can help."""
    ok = c.decider_ok & ~c.must_move & (c.has(Trigger.PASSIVE) | c.has(Trigger.OVERDUE))
    return np.flatnonzero(ok), c.p.case_court[ok], c.decider[ok]


def _elevate(c: _Context) -> Triples:
    """Exactly one level up; the court above decides to execute the case itself."""
    wants = int(Mode.ELEVATE.spec.remedies) | _HARD
    ok = c.decider_ok & c.has(wants) & (c.p.officers[np.maximum(c.decider, 0)] > 0)
    return np.flatnonzero(ok), c.decider[ok], c.decider[ok]


def _coordinate(c: _Context) -> Triples:
    """Officers lent by siblings or the parent (a staff shortage needs them: the court must be
    able to borrow), or the upper court's coordination of a complex case (no officers)."""
    p = c.p
    short = c.has(Trigger.UNDERSTAFFED)
    ok = (c.movable & ~c.must_move & c.decider_ok
          & ((c.has(Trigger.COMPLEX) & ~short) | (short & c.can_borrow[p.case_court])))
    return np.flatnonzero(ok), p.case_court[ok], c.decider[ok]


def _designate(c: _Context) -> Triples:
    """Another court of the same level in the district of a superior court (执行工作规定
    Art. 74 ¶2): the siblings and the nearest others; the lowest common superior of the two
    courts decides and must lie inside the dispatcher's district."""
    p = c.p
    wants = int(Mode.DESIGNATE.spec.remedies) | _HARD
    ok = c.movable & c.has(wants)
    if not p.rules.allow_redesignation:
        ok &= p.case_prior != PRIOR_DESIGNATED
    offsets, targets = _designation_targets(p)
    dc = np.flatnonzero(ok)
    c0 = p.case_court[dc]
    cnt = offsets[c0 + 1] - offsets[c0]
    d_case = np.repeat(dc, cnt)
    pos = np.repeat(offsets[c0], cnt) + np.arange(len(d_case)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    d_court = targets[pos]
    decider = p.tree.lowest_common_superior(p.case_court[d_case], d_court)
    keep = (decider >= 0) & p.in_district[np.maximum(decider, 0)]
    return d_case[keep], d_court[keep], decider[keep]


def _designation_targets(p: Problem) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """CSR (offsets, targets) per court: the same-level courts with officers inside the
    district that a case there may be designated to — its siblings first, then the
    `max_candidates` nearest others (a province or the country has too many to cost all)."""
    k = p.rules.max_candidates
    open_ = p.in_district & (p.officers > 0)
    lists: list[NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)] * p.n_courts
    for level in np.unique(p.court_level[p.in_district]).tolist():
        src = np.flatnonzero(p.in_district & (p.court_level == level))
        tgt = np.flatnonzero(open_ & (p.court_level == level))
        if not len(tgt) or not len(src):
            continue
        minutes = p.travel[np.ix_(p.court_place[src], p.court_place[tgt])]
        minutes[src[:, None] == tgt[None, :]] = np.inf  # never the court itself
        near = np.argsort(minutes, axis=1, kind="stable")[:, :k]
        for row, c in enumerate(src.tolist()):
            sib = tgt[(p.court_parent[tgt] == p.court_parent[c]) & (tgt != c)]
            others = tgt[near[row]]
            others = others[np.isfinite(minutes[row, near[row]])]
            lists[c] = np.concatenate([sib, others[~np.isin(others, sib)]])
    counts = np.array([len(x) for x in lists], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(counts)].astype(np.int64)
    return offsets, (np.concatenate(lists) if counts.sum() else np.zeros(0, dtype=np.int64))


#: The candidate function of each individual mode, in the order their rows are laid out
#: (concentration is offered per debtor group, below).
CANDIDATES: tuple[tuple[Mode, Callable[[_Context], Triples]], ...] = (
    (Mode.KEEP, _keep), (Mode.INTERNAL, _internal), (Mode.SUPERVISE, _supervise),
    (Mode.ELEVATE, _elevate), (Mode.COORDINATE, _coordinate), (Mode.DESIGNATE, _designate),
)


def _context(p: Problem, lend_to: NDArray[np.int64]) -> _Context:
    c0 = p.case_court
    trig = p.triggers
    movable = p.in_district[c0] & ~p.terminable
    decider = p.court_parent[c0]
    decider_ok = movable & (decider >= 0) & p.in_district[np.maximum(decider, 0)]
    # an interference case already outside its home locality has nothing to leave (it may
    # stay), but wherever it moves, it may not go back there (see `_lawful`)
    home = in_home_locality(p, np.arange(p.n_cases), c0)
    interf = (trig & int(Trigger.INTERFERENCE)) != 0
    trig = np.where(interf & ~home, trig & ~int(Trigger.INTERFERENCE), trig)
    can_borrow = np.zeros(p.n_courts, dtype=bool)
    can_borrow[lend_to] = True
    return _Context(p, trig, interf & movable, movable, movable & ((trig & _HARD) != 0), decider,
                    decider_ok, can_borrow)


def _lawful(c: _Context, case: NDArray[np.int64], mode: NDArray[np.int64],
            court: NDArray[np.int64]) -> NDArray[np.bool_]:
    """The hard rules on individual options (keep stays for now; dropped later wherever a
    lawful move exists)."""
    # an interference case never sits in its debtor's home locality after the plan, wherever
    # it starts (staying put is lawful only outside it); keep survives below as the fallback
    legal = ~(c.interference[case] & in_home_locality(c.p, case, court))
    missed = c.has(Trigger.DEADLINE_MISSED)[case]
    legal &= ~(missed & ~np.isin(mode, [Mode.DESIGNATE, Mode.ELEVATE]))
    return legal | (mode == Mode.KEEP)


def build_options(p: Problem) -> Options:
    """Every lawful option of every case, with its costs; lending pairs for 协同执行."""
    lend_from, lend_to, lend_cost, lend_max = _lending_pairs(p)
    c = _context(p, lend_to)
    rows = [(mode, *fn(c)) for mode, fn in CANDIDATES]
    # only courts with a case to coordinate for lack of staff borrow
    coord_case, coord_court = next((cs, ct) for mode, cs, ct, _ in rows if mode == Mode.COORDINATE)
    wants = np.zeros(p.n_courts, dtype=bool)
    wants[coord_court[c.has(Trigger.UNDERSTAFFED)[coord_case]]] = True
    pair = wants[lend_to]
    lend_from, lend_to, lend_cost = lend_from[pair], lend_to[pair], lend_cost[pair]

    case = np.concatenate([cs for _, cs, _, _ in rows])
    mode = np.concatenate([np.full(len(cs), int(m)) for m, cs, _, _ in rows])
    court = np.concatenate([ct for _, _, ct, _ in rows])
    decider = np.concatenate([d for _, _, _, d in rows])
    legal = _lawful(c, case, mode, court)
    case, mode, court, decider = case[legal], mode[legal], court[legal], decider[legal]
    terms, assets = option_costs(p, case, mode, court)
    # cases outside the district are constants of nobody's plan: they cost nothing
    terms[~p.in_district[p.case_court[case]]] = 0.0
    # prune designate targets to the K cheapest per case; keep/elevate etc. always stay
    is_d = mode == Mode.DESIGNATE
    keep = ~is_d
    keep[is_d] = _top_k(case[is_d], terms[is_d].sum(axis=1), p.rules.max_candidates)
    pruned = int((~keep).sum())
    sel = np.flatnonzero(keep)
    ind = _Individual(case[sel], mode[sel], court[sel], decider[sel], terms[sel],
                      _subset_assets(assets, sel, len(case)))
    grp = _concentration(p, c)
    ind, exceptions = _apply_hard_triggers(c, ind, grp)
    return Options(
        case=ind.case, mode=ind.mode, court=ind.court, decider=ind.decider, terms=ind.terms,
        assets=ind.assets,
        target_group=grp.tg, target_court=grp.tc, target_decider=grp.td, member_case=grp.mc,
        member_target=grp.mt, member_terms=grp.terms, member_assets=grp.assets,
        lend_from=lend_from, lend_to=lend_to, lend_cost=lend_cost, lend_max=lend_max,
        exceptions=exceptions, pruned=pruned + grp.pruned,
    )


@dataclass(frozen=True)
class _Individual:
    case: NDArray[np.int64]
    mode: NDArray[np.int64]
    court: NDArray[np.int64]
    decider: NDArray[np.int64]
    terms: NDArray[np.float64]
    assets: AssetPlan

    def subset(self, rows: NDArray[np.int64]) -> _Individual:
        return _Individual(self.case[rows], self.mode[rows], self.court[rows], self.decider[rows],
                           self.terms[rows], _subset_assets(self.assets, rows, len(self.case)))


@dataclass(frozen=True)
class _Groups:
    tg: NDArray[np.int64]
    tc: NDArray[np.int64]
    td: NDArray[np.int64]
    mc: NDArray[np.int64]
    mt: NDArray[np.int64]
    terms: NDArray[np.float64]
    assets: AssetPlan
    pruned: int


def _concentration(p: Problem, c: _Context) -> _Groups:
    """集中执行 targets per debtor group, costed and pruned to the K cheapest per group."""
    tg, tc, td, mc, mt = _group_targets(p, c)
    m_terms, m_assets = option_costs(p, mc, np.full(len(mc), int(Mode.CONCENTRATE)), tc[mt])
    keep_t = np.ones(len(tg), dtype=bool)
    if len(tg):
        tcost = np.bincount(mt, weights=m_terms.sum(axis=1), minlength=len(tg)).astype(np.float64)
        keep_t = _top_k(tg, tcost, p.rules.max_candidates)
    new_index = np.cumsum(keep_t) - 1
    keep_m = keep_t[mt]
    assets = _subset_assets(m_assets, np.flatnonzero(keep_m), len(mc))
    return _Groups(tg[keep_t], tc[keep_t], td[keep_t], mc[keep_m], new_index[mt[keep_m]],
                   m_terms[keep_m], assets, int((~keep_t).sum()))


def _apply_hard_triggers(c: _Context, ind: _Individual, grp: _Groups
                         ) -> tuple[_Individual, dict[int, str]]:
    """Cases a hard trigger forces to move lose their non-moving options wherever a lawful
    move exists; the others (stuck) keep, with the reason recorded."""
    c0 = c.p.case_court
    moves = np.zeros(c.p.n_cases, dtype=bool)
    moves[ind.case[ind.court != c0[ind.case]]] = True
    if len(grp.mc):
        moves[grp.mc[grp.tc[grp.mt] != c0[grp.mc]]] = True
    stuck = c.must_move & ~moves
    exceptions: dict[int, str] = {}
    for i in np.flatnonzero(stuck):
        why = ("interference: no court outside the debtor's home locality can be reached by a "
               "decider inside the district" if (c.trig[i] & int(Trigger.INTERFERENCE))
               else "督促期满未执结: no lawful 指令/提级 target inside the district")
        exceptions[int(i)] = why
    drop = c.must_move[ind.case] & moves[ind.case] & (ind.court == c0[ind.case])
    if drop.any():
        ind = ind.subset(np.flatnonzero(~drop))
    # stuck cases keep, whatever their triggers ask
    stuck_rows = stuck[ind.case] & (ind.mode != Mode.KEEP)
    if stuck_rows.any():
        ind = ind.subset(np.flatnonzero(~stuck_rows))
    return ind, exceptions


def _subset_assets(a: AssetPlan, rows: NDArray[np.int64], n_old: int) -> AssetPlan:
    """Keep the asset pairs of the selected option rows (ascending), renumbered."""
    new = np.full(n_old, -1, dtype=np.int64)
    new[rows] = np.arange(len(rows))
    mapped = new[a.pair_option]
    keep = mapped >= 0
    return AssetPlan(mapped[keep], a.pair_asset[keep], a.entrusted[keep])


def _group_targets(
    p: Problem, c: _Context,
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


def _lawful_group_targets(p: Problem, c: _Context, members: NDArray[np.int64],
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


def _lending_pairs(
    p: Problem,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
    """Allowed (lender, borrower) pairs: siblings or the parent, both inside the district;
    the K nearest lenders per borrower. Lenders keep `lending_min_keep_share` of their staff."""
    w, r = p.weights, p.rules
    lend_max = np.floor(p.officers * (1.0 - r.lending_min_keep_share) + 1e-9).astype(np.int64)
    lend_max[~p.in_district] = 0
    parent = p.court_parent
    pairs_f, pairs_t = [], []
    for j in np.flatnonzero(p.in_district & (p.court_level >= INTERMEDIATE)):
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
