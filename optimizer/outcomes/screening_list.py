"""The 执转破 screening list: one row per debtor group of the district, transfers first, then the
groups to consult, largest first (docs/outcomes.md, section 1)."""

from __future__ import annotations

from typing import Any

import numpy as np

from optimizer.data.problem import Problem
from optimizer.data.screening import KIND_KEYS
from optimizer.law.bankruptcy import SUSPENDED_NOTE, Screening
from optimizer.results.plan import Plan


def screening_rows(p: Problem, include_not_applicable: bool = True,
                   plan: Plan | None = None) -> list[dict[str, Any]]:
    """The screening of `p`'s district as JSON-ready rows, with each group's open cases; a
    `transfer` group is `overridden` where the planner released it (in `p`, or in `plan`: one
    of its district cases is not recorded as suspended)."""
    r = p.screening
    order = np.lexsort((-r.open_cases, -r.status.astype(np.int64)))
    if not include_not_applicable:
        order = order[r.status[order] != Screening.NOT_APPLICABLE]
    rows_of_case = r.case_row
    by_row: dict[int, list[str]] = {}
    wanted = np.zeros(r.n, dtype=bool)
    wanted[order] = True
    ids = p.case_ids
    for i in np.flatnonzero((rows_of_case >= 0) & wanted[np.maximum(rows_of_case, 0)]).tolist():
        by_row.setdefault(int(rows_of_case[i]), []).append(ids[i])
    names = [c.name for c in p.scenario.courts]
    released = set(p.transfer_released)
    if plan is not None:
        notes = {k.case_id: k.note for k in plan.cases}
        transfer = r.transfer_cases() & p.in_district[p.case_court]
        for i in np.flatnonzero(transfer).tolist():
            if notes.get(ids[i]) != SUSPENDED_NOTE:
                released.add(p.scenario.cases[i].debtor_id)
    out = []
    for row in order.tolist():
        status = Screening(int(r.status[row]))
        court = int(r.receiving_court[row])
        out.append({
            "debtor_id": r.debtor_ids[row], "status": status.key, "status_label": status.label,
            "kind": KIND_KEYS[int(r.kind[row])], "consent": bool(r.consent[row]),
            "open_cases": int(r.open_cases[row]), "zhongben_cases": int(r.zhongben_cases[row]),
            "courts": int(r.courts[row]), "claims": round(float(r.claims[row]), 2),
            "assets": round(float(r.assets[row]), 2),
            "receiving_court": p.court_ids[court] if court >= 0 else None,
            "receiving_court_name": names[court] if court >= 0 else None,
            "reason": r.reason(row), "basis": r.basis(row),
            "overridden": status == Screening.TRANSFER and r.debtor_ids[row] in released,
            "cases": by_row.get(row, []),
        })
    return out
