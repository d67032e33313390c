"""Legal options per case: which (mode, court) the law and the scenario allow, pruned to K.

Rules (docs/law.md):
- necessity: a case with no trigger only keeps; a mode is offered only if it remedies one of the
  case's triggers; 终本 candidates (no property, no act obligation) only keep;
- 内部交叉 needs ≥ `min_internal_teams` teams; 督促 only where a deadline can help (passivity,
  past the Art. 237 clock with property, or past the planner's watch period);
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
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import PRIOR_DESIGNATED, Problem
from optimizer.law.courts import HIGH
from optimizer.law.modes import HARD_TRIGGERS, Mode, Trigger
from optimizer.model.concentration import Groups, concentration
from optimizer.model.context import Context, build_context, in_home_locality, top_k
from optimizer.model.costs import STABILITY, AssetPlan, option_costs
from optimizer.model.lending import lending_pairs
from optimizer.model.restrictions import BARRED_AS, Restrictions, empty

__all__ = ["CANDIDATES", "Options", "build_options", "in_home_locality"]
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
    lend_fixed: NDArray[np.int64] | None = None  # officers fixed per pair (−1: free)
    restrictions: Restrictions | None = None  # the planner's restrictions applied

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


Triples = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]  # (case, court, decider)


def _keep(c: Context) -> Triples:
    return np.arange(c.p.n_cases), c.p.case_court, np.full(c.p.n_cases, -1, dtype=np.int64)


def _internal(c: Context) -> Triples:
    """Another team of the same court, decided by the court itself (its 执行局)."""
    p = c.p
    ok = (c.movable & ~c.must_move & c.has(Trigger.PASSIVE)
          & (p.teams[p.case_court] >= p.rules.min_internal_teams))
    return np.flatnonzero(ok), p.case_court[ok], p.case_court[ok]


def _supervise(c: Context) -> Triples:
    """A 督促执行令 from the court one level up, where a deadline can help."""
    ok = c.decider_ok & ~c.must_move & c.has(Trigger.PASSIVE | Trigger.OVERDUE | Trigger.WATCH)
    return np.flatnonzero(ok), c.p.case_court[ok], c.decider[ok]


def _elevate(c: Context) -> Triples:
    """Exactly one level up; the court above decides to execute the case itself."""
    wants = int(Mode.ELEVATE.spec.opened_by) | _HARD
    ok = c.decider_ok & c.has(wants) & (c.p.officers[np.maximum(c.decider, 0)] > 0)
    return np.flatnonzero(ok), c.decider[ok], c.decider[ok]


def _coordinate(c: Context) -> Triples:
    """Officers lent by siblings or the parent (a staff shortage needs them: the court must be
    able to borrow), or the upper court's coordination of a complex case (no officers)."""
    p = c.p
    short = c.has(Trigger.UNDERSTAFFED)
    ok = (c.movable & ~c.must_move & c.decider_ok
          & ((c.has(Trigger.COMPLEX) & ~short) | (short & c.can_borrow[p.case_court])))
    return np.flatnonzero(ok), p.case_court[ok], c.decider[ok]


def _designate(c: Context) -> Triples:
    """Another court of the same level in the district of a superior court (执行工作规定
    Art. 74 ¶2): the lowest common superior of the two courts decides and must lie inside the
    dispatcher's district. Candidates: the siblings and the nearest others of the same province;
    across provinces only for an interference case whose debtor's home is the whole province
    (nothing inside it is lawful). The K cheapest are kept (`rules.max_candidates`)."""
    p = c.p
    wants = int(Mode.DESIGNATE.spec.opened_by) | _HARD
    ok = c.movable & c.has(wants)
    if not p.rules.allow_redesignation:
        ok &= p.case_prior != PRIOR_DESIGNATED
    province_home = c.interference & (p.tree.place_digits[p.case_debtor_place] <= 2)
    near = _expand(np.flatnonzero(ok), p.case_court, *_designation_targets(p, wide=False))
    far = np.flatnonzero(ok & province_home)  # rare: build the other provinces' lists only then
    wide = (_expand(far, p.case_court, *_designation_targets(p, wide=True)) if len(far)
            else (far, far))
    d_case, d_court = (np.r_[near[0], wide[0]], np.r_[near[1], wide[1]])
    decider = p.tree.lowest_common_superior(p.case_court[d_case], d_court)
    keep = (decider >= 0) & p.in_district[np.maximum(decider, 0)]
    return d_case[keep], d_court[keep], decider[keep]


def _expand(cases: NDArray[np.int64], court_of: NDArray[np.int64], offsets: NDArray[np.int64],
            targets: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(case, target) pairs: every case with every target listed for its court (CSR)."""
    c0 = court_of[cases]
    cnt = offsets[c0 + 1] - offsets[c0]
    case = np.repeat(cases, cnt)
    pos = np.repeat(offsets[c0], cnt) + np.arange(len(case)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return case, targets[pos]


def _designation_targets(p: Problem, wide: bool) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """CSR (offsets, targets) per court: same-level courts with officers inside the district.
    Narrow: its siblings, then the `max_candidates` nearest others of the same province (a
    province or the country has too many to cost all). Wide: the nearest of other provinces."""
    k = p.rules.max_candidates
    open_ = p.in_district & (p.officers > 0)
    province = p.tree.ancestors[:, HIGH]
    lists: list[NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)] * p.n_courts
    for level in np.unique(p.court_level[p.in_district]).tolist():
        src = np.flatnonzero(p.in_district & (p.court_level == level))
        tgt = np.flatnonzero(open_ & (p.court_level == level))
        if not len(tgt) or not len(src):
            continue
        minutes = p.travel[np.ix_(p.court_place[src], p.court_place[tgt])]
        same = province[src][:, None] == province[tgt][None, :]
        minutes[(src[:, None] == tgt[None, :]) | (same if wide else ~same)] = np.inf
        near = np.argsort(minutes, axis=1, kind="stable")[:, :k]
        for row, c in enumerate(src.tolist()):
            others = tgt[near[row]][np.isfinite(minutes[row, near[row]])]
            sib = (tgt[(p.court_parent[tgt] == p.court_parent[c]) & (tgt != c)] if not wide
                   else np.zeros(0, dtype=np.int64))
            lists[c] = np.concatenate([sib, others[~np.isin(others, sib)]])
    counts = np.array([len(x) for x in lists], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(counts)].astype(np.int64)
    return offsets, (np.concatenate(lists) if counts.sum() else np.zeros(0, dtype=np.int64))


#: The candidate function of each individual mode, in the order their rows are laid out
#: (concentration is offered per debtor group, below).
CANDIDATES: tuple[tuple[Mode, Callable[[Context], Triples]], ...] = (
    (Mode.KEEP, _keep), (Mode.INTERNAL, _internal), (Mode.SUPERVISE, _supervise),
    (Mode.ELEVATE, _elevate), (Mode.COORDINATE, _coordinate), (Mode.DESIGNATE, _designate),
)


def _lawful(c: Context, case: NDArray[np.int64], mode: NDArray[np.int64],
            court: NDArray[np.int64]) -> NDArray[np.bool_]:
    """The hard rules on individual options (keep stays for now; dropped later wherever a
    lawful move exists)."""
    # an interference case never sits in its debtor's home locality after the plan, wherever
    # it starts (staying put is lawful only outside it); keep survives below as the fallback
    legal = ~(c.interference[case] & in_home_locality(c.p, case, court))
    missed = c.has(Trigger.DEADLINE_MISSED)[case]
    legal &= ~(missed & ~np.isin(mode, [Mode.DESIGNATE, Mode.ELEVATE]))
    return legal | (mode == Mode.KEEP)


def build_options(p: Problem, restrictions: Restrictions | None = None) -> Options:
    """Every lawful option of every case, with its costs; lending pairs for 协同执行. With
    `restrictions` (a planner's changes), only the options they leave."""
    r = restrictions or empty(p)
    lend_from, lend_to, lend_cost, lend_max = lending_pairs(p)
    c = _restrict_context(build_context(p, lend_to), r)
    rows = [(mode, *fn(c)) for mode, fn in CANDIDATES]
    # only courts with a case to coordinate for lack of staff borrow (or a fixed loan's)
    coord_case, coord_court = next((cs, ct) for mode, cs, ct, _ in rows if mode == Mode.COORDINATE)
    wants = np.zeros(p.n_courts, dtype=bool)
    wants[coord_court[c.has(Trigger.UNDERSTAFFED)[coord_case]]] = True
    wants[r.loan_to] = True
    # a court that borrows lends none: only a fixed loan's borrower could be both
    pair = wants[lend_to] & ~np.isin(lend_from, r.loan_to)
    lend_from, lend_to, lend_cost = lend_from[pair], lend_to[pair], lend_cost[pair]

    ind, pruned, law_moves = _individual(c, r, rows)
    all_groups = concentration(p, c)
    grp = _restrict_groups(p, r, all_groups)
    if len(all_groups.mc):  # a case the law lets move, even if the planner's changes do not
        law_moves[all_groups.mc[all_groups.tc[all_groups.mt] != p.case_court[all_groups.mc]]] = True
    # a case ordered into a 集中执行 keeps only its group's targets (where it has some)
    ordered = r.must_concentrate(p, ind.case) & np.isin(ind.case, grp.mc)
    if ordered.any():
        ind = ind.subset(np.flatnonzero(~ordered))
    ind, exceptions = _apply_hard_triggers(c, ind, grp, law_moves)
    barred = r.barred_cases(p)
    for i in [i for i in exceptions if barred[i]]:
        exceptions[i] = ("执行法院被禁止执行（规划变更 bar_executing）: no lawful 指令/提级/集中 "
                         "target inside the district; the case stays")
    return Options(
        case=ind.case, mode=ind.mode, court=ind.court, decider=ind.decider, terms=ind.terms,
        assets=ind.assets,
        target_group=grp.tg, target_court=grp.tc, target_decider=grp.td, member_case=grp.mc,
        member_target=grp.mt, member_terms=grp.terms, member_assets=grp.assets,
        lend_from=lend_from, lend_to=lend_to, lend_cost=lend_cost, lend_max=lend_max,
        exceptions=exceptions, pruned=pruned + grp.pruned,
        lend_fixed=r.loan_amount(lend_from, lend_to), restrictions=restrictions,
    )


def _individual(c: Context, r: Restrictions,
                rows: list[tuple[Mode, NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]]
                ) -> tuple[_Individual, int, NDArray[np.bool_]]:
    """The lawful individual options left by the restrictions, costed, designation targets
    pruned to the K cheapest per case (after the restrictions: a pinned target is kept); and
    per case whether the law alone would let it change court (the restrictions aside)."""
    p = c.p
    case = np.concatenate([cs for _, cs, _, _ in rows])
    mode = np.concatenate([np.full(len(cs), int(m)) for m, cs, _, _ in rows])
    court = np.concatenate([ct for _, _, ct, _ in rows])
    decider = np.concatenate([d for _, _, _, d in rows])
    legal = _lawful(c, case, mode, court)
    law_moves = np.zeros(p.n_cases, dtype=bool)
    law_moves[case[legal & (court != p.case_court[case])]] = True
    legal &= r.allows(p, case, mode, court)
    case, mode, court, decider = case[legal], mode[legal], court[legal], decider[legal]
    terms, assets = option_costs(p, case, mode, court)
    terms[:, STABILITY] = r.stability(p, case, mode, court)
    # cases outside the district are constants of nobody's plan: they cost nothing, and no
    # matter of theirs is entrusted (the dispatcher decides nothing for them)
    outside = ~p.in_district[p.case_court[case]]
    # a suspended 执转破 case (民诉法解释第511条) is not executed either: a constant, no matter
    # entrusted
    idle = outside | p.suspended[case]
    terms[idle] = 0.0
    if idle.any():
        assets = AssetPlan(assets.pair_option, assets.pair_asset,
                           assets.entrusted & ~idle[assets.pair_option])
    # prune designate targets to the K cheapest per case; keep/elevate etc. always stay
    is_d = mode == Mode.DESIGNATE
    keep = ~is_d
    keep[is_d] = top_k(case[is_d], terms[is_d].sum(axis=1), p.rules.max_candidates)
    sel = np.flatnonzero(keep)
    return (_Individual(case[sel], mode[sel], court[sel], decider[sel], terms[sel],
                        assets.subset(sel, len(case))), int((~keep).sum()), law_moves)


def _restrict_context(c: Context, r: Restrictions) -> Context:
    """A court barred from executing: its movable cases must leave, like a missed 督促
    deadline (only 指令/提级/集中 can take them elsewhere)."""
    barred = r.barred_cases(c.p) & c.movable
    if not barred.any():
        return c
    return replace(c, trig=np.where(barred, c.trig | BARRED_AS, c.trig),
                   must_move=c.must_move | barred)


def _restrict_groups(p: Problem, r: Restrictions, g: Groups) -> Groups:
    """The group targets the restrictions leave (renumbered), with the stability cost."""
    mode = np.full(len(g.mc), int(Mode.CONCENTRATE))
    terms = g.terms.copy()
    terms[:, STABILITY] = r.stability(p, g.mc, mode, g.tc[g.mt])
    keep_t = r.allows_targets(p, g.tg, g.tc, g.mc, g.mt)
    if keep_t.all():
        return replace(g, terms=terms)
    new_index = np.cumsum(keep_t) - 1
    keep_m = keep_t[g.mt]
    return Groups(g.tg[keep_t], g.tc[keep_t], g.td[keep_t], g.mc[keep_m], new_index[g.mt[keep_m]],
                  terms[keep_m], g.assets.subset(np.flatnonzero(keep_m), len(g.mc)), g.pruned)


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
                           self.terms[rows], self.assets.subset(rows, len(self.case)))


def _apply_hard_triggers(c: Context, ind: _Individual, grp: Groups, law_moves: NDArray[np.bool_]
                         ) -> tuple[_Individual, dict[int, str]]:
    """Cases a hard trigger forces to move lose their non-moving options wherever a lawful
    move exists; the others (stuck) keep. Where the law leaves no move, that is recorded as the
    case's exception; where only the planner's changes (bars, forbids, pins) take every move
    away, it is not: the rule gate then finds the hard rule broken, and the pipeline names the
    conflicting changes."""
    c0 = c.p.case_court
    moves = np.zeros(c.p.n_cases, dtype=bool)
    moves[ind.case[ind.court != c0[ind.case]]] = True
    if len(grp.mc):
        moves[grp.mc[grp.tc[grp.mt] != c0[grp.mc]]] = True
    stuck = c.must_move & ~moves
    exceptions: dict[int, str] = {}
    for i in np.flatnonzero(stuck & ~law_moves):
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


