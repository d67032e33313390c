"""Options with a case forced to one of its choices: the case's other rows removed.

A case forced to an individual option loses its other rows and its debtor group's targets (a
group is concentrated all or none, so a member taken out of it dissolves the concentration). A
case forced to a group target pulls the whole group there: every member loses its individual
rows and the group's other targets. The solve of the filtered options goes through the same
`search` and `finish` as the pipeline.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.model.options import Options
from optimizer.results.finish import finish
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams
from optimizer.solver.solve import search


def keep_rows(o: Options, rows: NDArray[np.bool_], targets: NDArray[np.bool_]) -> Options:
    """`o` with only the individual rows and group targets marked (members renumbered)."""
    sel = np.flatnonzero(rows)
    t_sel = np.flatnonzero(targets)
    new_t = np.full(len(o.target_group), -1, dtype=np.int64)
    new_t[t_sel] = np.arange(len(t_sel))
    m_keep = targets[o.member_target] if len(o.member_target) else np.zeros(0, dtype=bool)
    m_sel = np.flatnonzero(m_keep)
    return replace(
        o, case=o.case[sel], mode=o.mode[sel], court=o.court[sel], decider=o.decider[sel],
        terms=o.terms[sel], assets=o.assets.subset(sel, len(o.case)),
        target_group=o.target_group[t_sel], target_court=o.target_court[t_sel],
        target_decider=o.target_decider[t_sel], member_case=o.member_case[m_sel],
        member_target=new_t[o.member_target[m_sel]], member_terms=o.member_terms[m_sel],
        member_assets=o.member_assets.subset(m_sel, len(o.member_case)),
    )


def force_option(p: Problem, o: Options, case: int, row: int) -> Options:
    """`o` with `case` forced to its individual option `row`."""
    if o.case[row] != case:
        raise ValueError(f"option row {row} belongs to case {o.case[row]}, not {case}")
    rows = (o.case != case) | (np.arange(len(o.case)) == row)
    g = p.related_groups[0][case]
    targets = np.ones(len(o.target_group), dtype=bool) if g < 0 else (o.target_group != g)
    return keep_rows(o, rows, targets)


def force_target(p: Problem, o: Options, case: int, target: int) -> Options:
    """`o` with `case` (and so its whole debtor group) forced to the group target `target`."""
    g = o.target_group[target]
    if p.related_groups[0][case] != g:
        raise ValueError(f"target row {target} is not one of case {case}'s group")
    rows = ~np.isin(o.case, o.member_case[o.member_target == target])
    targets = (o.target_group != g) | (np.arange(len(o.target_group)) == target)
    return keep_rows(o, rows, targets)


def solve_with(p: Problem, o: Options, params: SolveParams | None = None) -> Plan:
    """Plan `p` over the given options, through the pipeline's search and finish."""
    params = params or SolveParams()
    return finish(search(p, params, None, options=o), params)
