"""The rule gate: every decision that leaves the solver is checked here against the hard rules,
from the decision alone (not from the solver's word). A decision that fails is never returned
as a feasible plan.

Hard rules checked:
- each case takes exactly one option of its own, or its debtor group's target (all or none);
- officers lent are whole, non-negative, within each lender's limit; a court's 协同执行 cases for
  lack of staff have officers borrowed, net of any it lends (one per `cases_per_lent_officer`
  cases), and officers are borrowed only for them (at most one per case); no court both lends
  and borrows, a court short of staff lends none, and each lender lies in the district of the
  court deciding the borrower's 协同 (the court one level up);
- a court's load stays under its ceiling (`max_utilisation`), or no worse than before;
- interference cases that must leave their home locality are not at a court inside it, and a
  missed 督促 deadline leads to 指令/提级/集中 (unless the options record an exception);
- a planner's restrictions (`Options.restrictions`): pins (mode and court), cases that must not
  move, forbidden and barred courts, concentration orders, fixed staff loans. A pin broken is
  a hard rule broken.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import MODE_SPECS, MOVING_MODES, Decider, Mode, Trigger
from optimizer.model.decision import Decision
from optimizer.model.options import Options, in_home_locality
from optimizer.results.evaluate import Evaluation

_TOL = 1e-6
_MAX_LISTED = 20  # violations named per rule; the count is always given


def _name(kind: str, ids: NDArray[np.int64], labels: tuple[str, ...], what: str) -> list[str]:
    if not len(ids):
        return []
    shown = ", ".join(labels[i] for i in ids[:_MAX_LISTED])
    more = f" (+{len(ids) - _MAX_LISTED} more)" if len(ids) > _MAX_LISTED else ""
    return [f"{kind} {shown}{more}: {what}"]


def check(p: Problem, o: Options, d: Decision, ev: Evaluation) -> list[str]:
    """The hard rules `d` breaks (empty when it meets every one)."""
    cases = p.case_ids
    courts = p.court_ids
    out: list[str] = []
    # one option per case: its own row, or exactly one target of its group
    own = (d.option >= 0) & (o.case[np.maximum(d.option, 0)] == np.arange(p.n_cases)
                             if len(o.case) else np.zeros(p.n_cases, dtype=bool))
    bad_row = (d.option >= 0) & ~own
    on = np.zeros(len(o.target_group), dtype=bool)
    chosen = d.group_target[d.group_target >= 0]
    on[chosen] = True
    wrong_group = np.flatnonzero(o.target_group[chosen] != np.flatnonzero(d.group_target >= 0))
    covered = np.bincount(o.member_case[on[o.member_target]], minlength=p.n_cases)
    taken = own.astype(np.int64) + covered
    out += _name("cases", np.flatnonzero(bad_row), cases, "option of another case")
    out += _name("cases", np.flatnonzero(taken != 1), cases,
                 "must take exactly one option (concentration takes all of a group or none)")
    if len(wrong_group):
        out.append(f"{len(wrong_group)} debtor groups point at another group's target")
    out += _officers(p, o, d, ev)
    # ceilings
    c = p.rules.max_utilisation
    if c is not None:
        limit = np.maximum(c * p.cases_per_officer * ev.staff_after, ev.load_before)
        over = p.in_district & (ev.load_after > limit + _TOL)
        out += _name("courts", np.flatnonzero(over), courts, f"load above the ceiling {c:g}×capacity")
    # hard triggers
    exempt = np.zeros(p.n_cases, dtype=bool)
    exempt[list(o.exceptions)] = True
    trig = p.triggers
    idx = np.arange(p.n_cases)
    flagged = ((p.case_flags & int(Trigger.INTERFERENCE)) != 0) & p.in_district[p.case_court]
    flagged &= ~p.not_planned
    at_home = in_home_locality(p, idx, ev.court)
    moved = ev.court != p.case_court
    still_home = flagged & ~exempt & at_home & in_home_locality(p, idx, p.case_court)
    out += _name("cases", np.flatnonzero(p.suspended & (moved | (ev.mode != Mode.KEEP))), cases,
                 "执转破 group suspended (民诉法解释第511条) but given a mode")
    out += _name("cases", np.flatnonzero(still_home), cases,
                 "interference case left in the debtor's home locality")
    out += _name("cases", np.flatnonzero(flagged & moved & at_home), cases,
                 "interference case moved into the debtor's home locality")
    missed = ((trig & int(Trigger.DEADLINE_MISSED)) != 0) & ~exempt
    not_moved = missed & ~np.isin(ev.mode, MOVING_MODES)
    out += _name("cases", np.flatnonzero(not_moved), cases,
                 "督促期满未执结 must be designated, elevated or concentrated")
    out += _check_deciders(p, ev)
    if o.restrictions is not None:
        out += _restrictions(p, o, d, ev, exempt)
    return out


def _officers(p: Problem, o: Options, d: Decision, ev: Evaluation) -> list[str]:
    """Officers lent: whole, within limits, only for (and with) staffing 协同执行 cases."""
    courts = p.court_ids
    out: list[str] = []
    lent = d.lent
    if np.any(lent < 0):
        out.append("officers lent must not be negative")
    lent_by = np.bincount(o.lend_from, weights=lent, minlength=p.n_courts)
    out += _name("courts", np.flatnonzero(lent_by > o.lend_max + _TOL), courts,
                 "lends more officers than its limit (lending_min_keep_share)")
    short = (p.triggers & int(Trigger.UNDERSTAFFED)) != 0
    staffing = np.bincount(ev.court[(ev.mode == Mode.COORDINATE) & short], minlength=p.n_courts)
    fixed = np.maximum(o.lend_fixed, 0) if o.lend_fixed is not None else np.zeros(len(lent))
    fixed_in = np.bincount(o.lend_to, weights=fixed, minlength=p.n_courts)
    out += _name("courts", np.flatnonzero(ev.borrowed - fixed_in > staffing + _TOL), courts,
                 "borrows more officers than it has 协同执行 cases for lack of staff")
    k = p.rules.cases_per_lent_officer
    net = ev.borrowed - ev.lent_out
    out += _name("courts", np.flatnonzero((staffing > 0) & (staffing > k * net + _TOL)), courts,
                 f"协同执行 for lack of staff without officers lent, net of those it lends (one "
                 f"per {k:g} cases)")
    out += _name("courts", np.flatnonzero((ev.lent_out > 0) & (ev.borrowed > 0)), courts,
                 "both lends and borrows officers (协同 brings force to the court that lacks it)")
    out += _name("courts", np.flatnonzero((ev.lent_out > 0) & p.understaffed_court), courts,
                 "lends officers although short of staff (执行力量不足)")
    on = lent > 0
    decider = p.court_parent[o.lend_to[on]]
    level = p.court_level[np.maximum(decider, 0)]
    inside = ((decider >= 0) & p.in_district[np.maximum(decider, 0)]
              & (p.tree.ancestors[o.lend_from[on], level] == decider))
    out += _name("courts", np.unique(o.lend_from[on][~inside]), courts,
                 "lends to a court outside the district of the court deciding its 协同 (the "
                 "borrower's court one level up)")
    return out


def _restrictions(p: Problem, o: Options, d: Decision, ev: Evaluation,
                  exempt: NDArray[np.bool_]) -> list[str]:
    """The planner's restrictions `d` breaks."""
    r = o.restrictions
    assert r is not None
    cases = p.case_ids
    moved = ev.court != p.case_court
    pinned = r.pin_mode >= 0
    out = _name("cases", np.flatnonzero(pinned & ((ev.mode != r.pin_mode) | (ev.court != r.pin_court))),
                cases, "pinned to a mode and court (规划变更 pins) but planned otherwise")
    out += _name("cases", np.flatnonzero(r.keep & moved), cases,
                 "must not move (规划变更 keep) but moved")
    bad_forbid = ev.court[r.forbid_case] == r.forbid_court
    out += _name("cases", np.unique(r.forbid_case[bad_forbid]), cases,
                 "sent to a court it may not go to (规划变更 forbid)")
    barred = r.bar_receiving | r.bar_executing
    out += _name("cases", np.flatnonzero(moved & barred[ev.court]), cases,
                 "sent to a court barred from receiving cases (规划变更 bar)")
    stays = r.barred_cases(p) & ~p.not_planned & p.in_district[p.case_court] & ~moved & ~exempt
    out += _name("cases", np.flatnonzero(stays), cases,
                 "left at a court barred from executing (规划变更 bar_executing)")
    conc = ev.mode == Mode.CONCENTRATE
    ordered = r.concentrate[p.case_debtor] & ~conc & np.isin(np.arange(p.n_cases), o.member_case)
    out += _name("cases", np.flatnonzero(ordered), cases,
                 "its debtor is ordered into 集中执行 (规划变更 concentrate) but it is not")
    out += _name("cases", np.flatnonzero(r.never_concentrate[p.case_debtor] & conc), cases,
                 "concentrated although its debtor may never be (规划变更 never_concentrate)")
    if o.lend_fixed is not None:
        wrong = (o.lend_fixed >= 0) & (d.lent != o.lend_fixed)
        if wrong.any():
            out.append(f"{int(wrong.sum())} fixed staff loans (规划变更 loans) not lent as ordered")
    return out


def _check_deciders(p: Problem, ev: Evaluation) -> list[str]:
    """Who decides, per the mode's spec (`law/modes.py`): nobody for keep, the court itself for
    内部交叉, the court one level up for 督促/提级/协同, the lowest common superior of the two
    courts for 指令, a common superior of the group's courts (and of the target) for 集中 — always
    inside the dispatcher's district."""
    c0, court, who = p.case_court, ev.court, ev.decider
    deciders = list(Decider)
    # the decider kind per case as its index in `Decider` (integers compare fast, strings not)
    kind = np.array([deciders.index(spec.decider) for spec in MODE_SPECS])[ev.mode]
    none, own, parent, superior = (deciders.index(k) for k in (
        Decider.NONE, Decider.SELF, Decider.PARENT, Decider.SUPERIOR))
    anc = p.tree.ancestors
    level = p.court_level[np.maximum(who, 0)]
    above = ((who >= 0) & (anc[c0, level] == who) & (anc[court, level] == who)
             & (level < p.court_level[c0]))
    expected_ok = np.select(
        [kind == none, kind == own, kind == parent, kind == superior],
        [who == -1, who == c0, who == p.court_parent[c0],
         who == p.tree.lowest_common_superior(c0, court)],
        default=above)
    inside = (who < 0) | p.in_district[np.maximum(who, 0)]
    bad = np.flatnonzero(p.in_district[c0] & ~(expected_ok & inside))
    return _name("cases", bad, p.case_ids, "decided by a court the law does not empower for the mode")
