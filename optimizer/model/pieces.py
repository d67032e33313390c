"""Independent pieces of the problem: connected components of the court graph.

Courts are linked by individual options (a case's current court and the court it may go to)
and by lending pairs; a debtor group whose courts lie in several components merges them while
the merged piece stays small enough, otherwise it *links* pieces (see `linking.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from optimizer.data.problem import Problem
from optimizer.model.options import Options


@dataclass(frozen=True)
class Piece:
    """Index sets of one independent piece of the problem."""

    cases: NDArray[np.int64]
    options: NDArray[np.int64]  # rows of Options.case
    targets: NDArray[np.int64]  # rows of Options.target_group
    lends: NDArray[np.int64]  # rows of Options.lend_from
    courts: NDArray[np.int64]  # courts whose load can change


def court_components(p: Problem, o: Options, free: NDArray[np.bool_],
                     max_piece_cases: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(component per court, linking groups). Courts are linked by individual options and
    lending pairs (under the rules a case moves only inside its decider's district). A debtor
    group whose courts lie in several components merges them while the merged piece keeps at
    most `max_piece_cases` free cases; groups still spanning components are *linking*."""
    cur = p.case_court
    src = np.r_[cur[o.case], o.lend_from].astype(np.int64)
    dst = np.r_[o.court, o.lend_to].astype(np.int64)
    graph = coo_matrix((np.ones(len(src), dtype=np.int32), (src, dst)),
                       shape=(p.n_courts, p.n_courts))
    # (labels follow each component's lowest court index, as a stable numbering)
    _, labels = connected_components(graph, directed=False)
    comp = labels.astype(np.int64)
    size = np.bincount(comp[cur[free]], minlength=int(comp.max()) + 1)
    root = np.arange(len(size))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = int(root[x])
        return x

    order = np.argsort(o.target_group, kind="stable")
    member_rows = np.argsort(o.target_group[o.member_target], kind="stable")
    tg_sorted = o.target_group[order]
    mg_sorted = o.target_group[o.member_target[member_rows]]
    groups = np.unique(o.target_group)
    t_lo = np.searchsorted(tg_sorted, groups)
    t_hi = np.searchsorted(tg_sorted, groups, side="right")
    m_lo = np.searchsorted(mg_sorted, groups)
    m_hi = np.searchsorted(mg_sorted, groups, side="right")
    spans = []
    for k in range(len(groups)):
        courts = np.r_[o.target_court[order[t_lo[k]:t_hi[k]]],
                       cur[o.member_case[member_rows[m_lo[k]:m_hi[k]]]]]
        parts = {find(int(c)) for c in np.unique(comp[courts])}
        if len(parts) > 1:
            spans.append((int(groups[k]), parts))
    for _grp, parts in spans:  # merge while small enough
        roots = {find(x) for x in parts}
        if len(roots) > 1 and sum(int(size[r]) for r in roots) <= max_piece_cases:
            first, *rest = sorted(roots)
            for r in rest:
                root[r] = first
                size[first] += size[r]
    comp = np.array([find(int(c)) for c in comp], dtype=np.int64)
    linking = [grp for grp, parts in spans if len({find(x) for x in parts}) > 1]
    return comp, np.array(linking, dtype=np.int64)


def find_pieces(p: Problem, o: Options, free: NDArray[np.bool_],
                comp: NDArray[np.int64]) -> list[Piece]:
    """Independent pieces, one per component holding a free case (one with more than one
    option); the other cases are constants. A group target belongs to its members' piece."""
    cur = p.case_court
    case_comp = np.where(free, comp[cur], -1)
    busy = np.zeros(int(comp.max()) + 1 if len(comp) else 0, dtype=bool)
    busy[case_comp[free]] = True
    pieces = []
    opt_comp = case_comp[o.case]
    tgt_comp = np.full(len(o.target_group), -1, dtype=np.int64)
    tgt_comp[o.member_target] = comp[cur[o.member_case]]
    # a target none of whose members has a choice (a pinned 集中执行) is a constant, not a column
    has_free = np.bincount(o.member_target, weights=free[o.member_case],
                           minlength=len(o.target_group)) > 0
    tgt_comp[~has_free] = -1
    lend_comp = comp[o.lend_from]
    order_c = np.argsort(case_comp, kind="stable")
    order_o = np.argsort(opt_comp, kind="stable")
    for k in np.flatnonzero(busy).tolist():
        cases = order_c[np.searchsorted(case_comp[order_c], k):
                        np.searchsorted(case_comp[order_c], k, side="right")]
        opts = order_o[np.searchsorted(opt_comp[order_o], k):
                       np.searchsorted(opt_comp[order_o], k, side="right")]
        courts = np.flatnonzero((comp == k) & p.in_district)
        pieces.append(Piece(np.sort(cases), np.sort(opts), np.flatnonzero(tgt_comp == k),
                            np.flatnonzero(lend_comp == k), courts))
    return pieces


