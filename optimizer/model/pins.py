"""Why a pin (a planner's `--pin`, or a decision already issued under `--previous`) cannot hold:
either the law forbids the option (`lawful.why_not`, with the article), or the option is lawful
and the planner's other changes take it away — then the message names those changes
(`changes.bar_receiving[1]`, `changes.forbid[0]`, another pin…), never a rule that does not apply.

集中执行 is all or none: a pin of one member to concentrate pulls the whole debtor group to
that court, so every other member's pin, keep or forbid there conflicts with it, as does an
order never to concentrate the debtor; a pin of a member to an individual option conflicts with
an order (or another member's pin) to concentrate the group.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode
from optimizer.model.context import Context
from optimizer.model.options import build_options
from optimizer.model.restrictions import Restrictions

_NONE = -1


def _alone(r: Restrictions, i: int) -> Restrictions:
    """The restrictions with only case `i`'s pin (nothing else the planner changed)."""
    n = len(r.pin_mode)
    pin_mode = np.full(n, _NONE, dtype=np.int64)
    pin_court = np.full(n, _NONE, dtype=np.int64)
    pin_mode[i], pin_court[i] = r.pin_mode[i], r.pin_court[i]
    e = np.zeros(0, dtype=np.int64)
    return replace(r, pin_mode=pin_mode, pin_court=pin_court, keep=np.zeros(n, dtype=bool),
                   forbid_case=e, forbid_court=e,
                   bar_receiving=np.zeros_like(r.bar_receiving),
                   bar_executing=np.zeros_like(r.bar_executing),
                   concentrate=np.zeros_like(r.concentrate),
                   never_concentrate=np.zeros_like(r.never_concentrate),
                   loan_from=e, loan_to=e, loan_officers=e)


def lawful_alone(p: Problem, r: Restrictions, i: int) -> bool:
    """Would case `i`'s pin hold were it the planner's only change?"""
    o = build_options(p, _alone(r, i))
    return bool((o.case == i).any() or (o.member_case == i).any())


def _court_conflicts(r: Restrictions, members: np.ndarray, court: int, c0: np.ndarray) -> list[str]:
    """Changes that keep the cases `members` (currently at `c0`) from court `court`."""
    out = []
    if (c0 != court).any():
        for kind in ("bar_receiving", "bar_executing"):
            if getattr(r, kind)[court]:
                out.append(r.source.get((kind, court), kind))
    for j in np.flatnonzero(np.isin(r.forbid_case, members) & (r.forbid_court == court)).tolist():
        out.append(r.source.get(("forbid", j), "forbid"))
    for m in members[r.keep[members] & (c0 != court)].tolist():
        out.append(r.source.get(("keep", m), "keep"))
    return out


def _group_conflicts(p: Problem, r: Restrictions, i: int, court: int) -> list[str]:
    """For a pin of case `i` to concentrate at `court`: the changes that break all-or-none."""
    members = np.flatnonzero(p.case_debtor == p.case_debtor[i])
    out = _court_conflicts(r, members, court, p.case_court[members])
    for m in members[members != i].tolist():
        if r.pin_mode[m] >= 0 and (r.pin_mode[m] != int(Mode.CONCENTRATE) or r.pin_court[m] != court):
            out.append(r.source.get(("pin", m), "pin"))
    d = int(p.case_debtor[i])
    if r.never_concentrate[d]:
        out.append(r.source.get(("never_concentrate", d), "never_concentrate"))
    return out


def _member_conflicts(p: Problem, r: Restrictions, i: int) -> list[str]:
    """For a pin of a group member to an individual option: the orders to concentrate it."""
    d = int(p.case_debtor[i])
    out = [r.source.get(("concentrate", d), "concentrate")] if r.concentrate[d] else []
    others = np.flatnonzero((p.case_debtor == d) & (r.pin_mode == int(Mode.CONCENTRATE)))
    out += [r.source.get(("pin", m), "pin") for m in others.tolist() if m != i]
    return out


def conflicting_changes(p: Problem, c: Context, r: Restrictions, i: int) -> list[str]:
    """The other changes that take case `i`'s (lawful) pin away, by name."""
    mode, court = Mode(int(r.pin_mode[i])), int(r.pin_court[i])
    c0 = int(p.case_court[i])
    if mode is Mode.CONCENTRATE:
        return _group_conflicts(p, r, i, court)
    out = _court_conflicts(r, np.array([i]), court, np.array([c0]))
    out += _member_conflicts(p, r, i)
    if court == c0 and r.bar_executing[c0]:  # a barred court's cases must leave
        out.append(r.source.get(("bar_executing", c0), "bar_executing"))
    return list(dict.fromkeys(out))


def order_conflicts(p: Problem, r: Restrictions, debtor: int) -> list[str]:
    """For an order to concentrate `debtor`'s cases: the members' pins to an individual option
    (all or none: one member kept out dissolves the group)."""
    members = np.flatnonzero(p.case_debtor == debtor)
    pinned = members[(r.pin_mode[members] >= 0)
                     & (r.pin_mode[members] != int(Mode.CONCENTRATE))]
    return [r.source.get(("pin", m), "pin") for m in pinned.tolist()]


def conflict_text(names: list[str], mode: Mode) -> str:
    """The named conflicts in words (one or several)."""
    rule = (" (集中执行 takes all of a debtor's related cases or none)"
            if mode is Mode.CONCENTRATE or any("concentrate" in n for n in names) else "")
    if not names:
        return "it conflicts with the other changes" + rule
    if len(names) == 1:
        return f"it conflicts with {names[0]}{rule}"
    return f"it conflicts with {', '.join(names[:-1])} and {names[-1]}{rule}"
