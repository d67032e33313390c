"""A decision: which option every case takes, which target every debtor group, how many
officers each lending pair lends (rows refer to `Options`); and what it assigns each case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode
from optimizer.model.costs import CASE_TERMS

if TYPE_CHECKING:
    from optimizer.model.options import Options


@dataclass(frozen=True)
class Decision:
    """What the plan decides: per case an individual option row (or −1 when its group is
    concentrated), per group a target row (or −1), per lending pair the officers lent."""

    option: NDArray[np.int64]
    group_target: NDArray[np.int64]
    lent: NDArray[np.int64]


@dataclass(frozen=True)
class Assignment:
    """Per case: its mode, executing court, deciding court and cost terms; per asset whether it
    is entrusted (事项委托) — everything a decision fixes case by case."""

    mode: NDArray[np.int64]
    court: NDArray[np.int64]
    decider: NDArray[np.int64]  # court deciding each case's mode (−1 for keep)
    case_terms: NDArray[np.float64]  # (cases, CASE_TERMS)
    entrusted: NDArray[np.bool_]  # per asset


def assign(p: Problem, o: Options, d: Decision) -> Assignment:
    n = p.n_cases
    mode = np.full(n, int(Mode.KEEP), dtype=np.int64)
    court = p.case_court.copy()
    decider = np.full(n, -1, dtype=np.int64)
    terms = np.zeros((n, len(CASE_TERMS)))
    entrusted = np.zeros(len(p.asset_case), dtype=bool)
    ind = np.flatnonzero(d.option >= 0)
    rows = d.option[ind]
    mode[ind] = o.mode[rows]
    court[ind] = o.court[rows]
    decider[ind] = o.decider[rows]
    terms[ind] = o.terms[rows]
    chosen = np.zeros(len(o.case), dtype=bool)
    chosen[rows] = True
    sel = chosen[o.assets.pair_option] & o.assets.entrusted
    entrusted[o.assets.pair_asset[sel]] = True
    # concentrated groups
    member_on = np.zeros(len(o.member_case), dtype=bool)
    on_targets = d.group_target[d.group_target >= 0]
    if len(on_targets):
        t_on = np.zeros(len(o.target_group), dtype=bool)
        t_on[on_targets] = True
        member_on = t_on[o.member_target]
        mc = o.member_case[member_on]
        mode[mc] = int(Mode.CONCENTRATE)
        court[mc] = o.target_court[o.member_target[member_on]]
        decider[mc] = o.target_decider[o.member_target[member_on]]
        terms[mc] = o.member_terms[member_on]
        sel = member_on[o.member_assets.pair_option] & o.member_assets.entrusted
        entrusted[o.member_assets.pair_asset[sel]] = True

    return Assignment(mode, court, decider, terms, entrusted)
