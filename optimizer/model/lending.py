"""协同执行's lending pairs: which courts may lend officers to which, at what cost.

协同 brings force to the court that lacks it (答记者问 四: "统一调度使用执行力量，帮助案多人少矛盾突出的
法院"): a court short of staff lends none, and only a court with staffing 协同 cases (or a planner's
fixed loan) borrows, so no court both lends and borrows and the officers-per-case ratio holds on
net borrowing. The lenders of a court are its siblings and its parent: the district of the court
one level up, which decides the 协同 (docs/law.md rule 10)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.courts import INTERMEDIATE


def lending_pairs(
    p: Problem,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
    """Allowed (lender, borrower) pairs: siblings or the parent, both inside the district;
    the K nearest lenders per borrower. Lenders keep `lending_min_keep_share` of their staff;
    a court short of staff lends none."""
    w, r = p.weights, p.rules
    lend_max = np.floor(p.officers * (1.0 - r.lending_min_keep_share) + 1e-9).astype(np.int64)
    lend_max[~p.in_district | p.understaffed_court] = 0
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
