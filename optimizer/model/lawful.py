"""Is a planner's restriction lawful? `checked_options(p, r)` builds the options under the
restrictions and refuses (`ChangesError`) a pin to an option the law does not allow, a case
left without any option, a concentration order without a lawful target and a loan between
courts that may not lend — each message names the change and, for a pin, the rule and the
article (docs/law.md; the recorded basis in `optimizer/law/modes.py`)."""

from __future__ import annotations

import numpy as np

from optimizer.data.changes import ChangesError
from optimizer.data.problem import PRIOR_DESIGNATED, Problem
from optimizer.law.modes import MODE_SPECS, Mode, Trigger
from optimizer.model.context import Context, build_context, in_home_locality
from optimizer.model.lending import lending_pairs
from optimizer.model.options import Options, build_options
from optimizer.model.pins import conflict_text, conflicting_changes, lawful_alone, order_conflicts
from optimizer.model.restrictions import Restrictions

_SAME_COURT = tuple(s.mode for s in MODE_SPECS if not s.moves)


def why_not(p: Problem, c: Context, i: int, mode: Mode, court: int) -> str:
    """The rule (and article) that forbids case `i` the option (mode, court)."""
    c0 = int(p.case_court[i])
    if not p.in_district[c0]:
        return "the case is outside the dispatcher's district (nobody here decides it)"
    if p.suspended[i]:
        return ("执转破: the debtor group is sent to bankruptcy review and suspended in every "
                "court (民诉法解释第511条); override with changes.not_transfer")
    if p.terminable[i]:
        return ("终本候选 (no property, no act obligation): it is not moved (必要性原则, "
                "docs/law.md)")
    if mode in _SAME_COURT and court != c0:
        return f"{mode.label} executes at the case's own court {p.court_ids[c0]}"
    if mode not in _SAME_COURT and court == c0:
        return f"{mode.label} changes the executing court"
    if c.must_move[i] and court == c0:
        if c.interference[i]:
            return ("不当干预: the case must leave the debtor's home locality (执行工作规定第74条"
                    "第2款; docs/law.md 不当干预)")
        return ("督促期满未执结 (or a court barred from executing): only 指令/提级/集中 "
                "(执行程序解释第12条)")
    if c.interference[i] and in_home_locality(p, np.array([i]), np.array([court]))[0]:
        return "不当干预: never into the debtor's home locality (docs/law.md 不当干预)"
    wants = int(MODE_SPECS[mode].opened_by) | int(Trigger.INTERFERENCE | Trigger.DEADLINE_MISSED)
    if mode != Mode.KEEP and not (c.trig[i] & wants):
        return (f"必要性原则: {mode.label} remedies none of the case's triggers (docs/law.md "
                "necessity)")
    if mode == Mode.ELEVATE and court != p.court_parent[c0]:
        return "提级执行 goes exactly one level up (执行程序解释第11条第2款)"
    if mode == Mode.DESIGNATE:
        return _why_not_designate(p, i, court)
    if mode == Mode.CONCENTRATE:
        return _why_not_concentrate(p, c, i, court)
    if mode in (Mode.SUPERVISE, Mode.COORDINATE, Mode.ELEVATE) and not c.decider_ok[i]:
        return "the court one level up is outside the dispatcher's district (执行工作规定第74条)"
    return ("not among the case's lawful options (docs/law.md: e.g. 内部交叉 needs "
            "min_internal_teams teams, 提级 a court above with officers, 协同 lenders)")


def _why_not_concentrate(p: Problem, c: Context, i: int, court: int) -> str:
    """The rule on 集中执行 targets (`concentration.py`) that shuts `court` out."""
    g = p.related_groups[0][i]
    r = p.rules
    if g < 0:
        return (f"集中执行 needs the debtor's related cases: at least {r.concentrate_min_cases} "
                f"cases at {r.concentrate_min_courts} or more courts inside the district "
                "(rules.concentrate_min_cases / concentrate_min_courts)")
    members = np.flatnonzero(p.related_groups[0] == g)
    courts = p.case_court[members]
    if p.court_level[court] > p.court_level[courts].min():
        return "集中执行 never moves a case down a level (级别管辖; docs/law.md judgment call B)"
    home = c.interference[members] & in_home_locality(p, members, np.full(len(members), court))
    if home.any():
        return (f"不当干预: {p.court_ids[court]} lies in the home locality of member "
                f"{p.case_ids[int(members[home][0])]}'s debtor (docs/law.md 不当干预)")
    missed = (c.trig[members] & int(Trigger.DEADLINE_MISSED)) != 0
    if (missed & (courts == court)).any():
        return "a member's 督促 deadline passed at that court (执行程序解释第12条)"
    if ((p.case_prior[members] == PRIOR_DESIGNATED) & (courts != court)).any() \
            and not r.allow_redesignation:
        return ("a member was designated once already and may not move again (no ping-pong; "
                "the group may only gather at its court)")
    return ("not a lawful 集中执行 target of the debtor group: the common superior of its "
            "courts decides and must have the court in its district inside the dispatcher's "
            "(执行工作规定第74条第2款), a court with officers, among the K cheapest (max_candidates)")


def _why_not_designate(p: Problem, i: int, court: int) -> str:
    c0 = int(p.case_court[i])
    if p.court_level[court] != p.court_level[c0]:
        return "指令执行 goes to a court of the same level (执行工作规定第74条第2款)"
    if p.case_prior[i] == PRIOR_DESIGNATED and not p.rules.allow_redesignation:
        return "the case was designated once already (rules.allow_redesignation is off)"
    if p.officers[court] <= 0:
        return f"{p.court_ids[court]} has no officers"
    decider = p.tree.lowest_common_superior(np.array([c0]), np.array([court]))[0]
    if decider < 0 or not p.in_district[decider]:
        return ("the lowest common superior of the two courts, who would decide (执行工作规定"
                "第74条第2款), is outside the dispatcher's district")
    return ("not among the K nearest designation targets of the same province "
            "(rules.max_candidates)")


def _pin_error(p: Problem, c: Context, r: Restrictions, i: int, stays_put: bool) -> str:
    """The law that forbids the pinned option (a case the law makes move pinned to stay, or an
    option the law does not give), or — where it is lawful alone — the other changes that take
    it away."""
    mode, court = Mode(int(r.pin_mode[i])), int(r.pin_court[i])
    if not stays_put and lawful_alone(p, r, i):
        return conflict_text(conflicting_changes(p, c, r, i), mode)
    return why_not(p, c, i, mode, court)


def checked_options(p: Problem, r: Restrictions) -> Options:
    """The options under `r`; raises `ChangesError` naming every change that cannot hold."""
    o = build_options(p, r)
    lend_from, lend_to, _, lend_max = lending_pairs(p)
    c = build_context(p, lend_to)
    ids = p.case_ids
    errors: list[str] = []
    n_rows = (np.bincount(o.case, minlength=p.n_cases)
              + np.bincount(o.member_case, minlength=p.n_cases))
    for i in np.flatnonzero(r.pin_mode >= 0).tolist():
        mode, court = Mode(int(r.pin_mode[i])), int(r.pin_court[i])
        stays_put = court == p.case_court[i] and c.must_move[i] and i not in o.exceptions
        if n_rows[i] == 0 or stays_put or (i in o.exceptions and not r.barred_cases(p)[i]):
            errors.append(f"{r.source[('pin', i)]}: case {ids[i]} may not be {mode.spec.verb} "
                          f"{p.court_ids[court]}: {_pin_error(p, c, r, i, stays_put)}")
    for i in np.flatnonzero(r.keep).tolist():
        if c.must_move[i]:
            errors.append(f"{r.source[('keep', i)]}: case {ids[i]} may not stay at "
                          f"{p.court_ids[int(p.case_court[i])]}: "
                          f"{why_not(p, c, i, Mode.KEEP, int(p.case_court[i]))}")
    for d in np.flatnonzero(r.concentrate).tolist():
        members = np.flatnonzero(p.case_debtor == d)
        if not np.isin(members, o.member_case).any():
            against = order_conflicts(p, r, d)
            why = (conflict_text(against, Mode.CONCENTRATE) if against else
                   "it has no lawful 集中执行 target (related cases per rules.concentrate_min_cases"
                   "/min_courts inside the district; targets not barred, forbidden or pinned away)")
            errors.append(f"{r.source[('concentrate', d)]}: debtor "
                          f"{p.scenario.cases[int(members[0])].debtor_id}: {why}")
    left_without = np.flatnonzero((n_rows == 0) & (r.pin_mode < 0))
    if len(left_without):
        errors.append("changes leave case(s) without any option: "
                      + ", ".join(ids[i] for i in left_without[:20].tolist())
                      + " (forbidden or barred everywhere they could go)")
    errors += _loan_errors(p, r, lend_from, lend_to, lend_max)
    if errors:
        raise ChangesError("; ".join(errors))
    return o


def _loan_errors(p: Problem, r: Restrictions, lend_from: np.ndarray,
                 lend_to: np.ndarray, lend_max: np.ndarray) -> list[str]:
    out = []
    names = p.court_ids
    for j, (f, t, n) in enumerate(zip(r.loan_from.tolist(), r.loan_to.tolist(),
                                      r.loan_officers.tolist(), strict=True)):
        if p.understaffed_court[f] and p.in_district[f]:
            out.append(f"changes.loans[{j}]: {names[f]} is short of staff (执行力量不足: utilisation "
                       f"{p.utilisation_before[f]:.2f} > rules.understaffed_utilisation): it lends "
                       "no officer (协同执行 brings force to the court that lacks it)")
        elif f in r.loan_to.tolist():
            out.append(f"changes.loans[{j}]: {names[f]} both lends and borrows officers (another "
                       "loan brings it officers): a court that borrows lends none")
        elif not ((lend_from == f) & (lend_to == t)).any():
            out.append(f"changes.loans[{j}]: {names[f]} may not lend to {names[t]}: officers are "
                       "lent by a sibling or the parent, both inside the district, to an "
                       "intermediate or lower court (执行工作规定第74条第2款: 上级法院统一调度)")
        elif n > lend_max[f]:
            out.append(f"changes.loans[{j}]: {names[f]} may lend at most {int(lend_max[f])} "
                       "officers (rules.lending_min_keep_share)")
    total = np.bincount(r.loan_from, weights=r.loan_officers, minlength=p.n_courts)
    for f in np.flatnonzero(total > lend_max).tolist():
        if (r.loan_officers[r.loan_from == f] <= lend_max[f]).all():
            out.append(f"changes.loans: {names[f]} lends {int(total[f])} officers in all, more "
                       f"than its {int(lend_max[f])} (rules.lending_min_keep_share)")
    return out
