"""Re-planning from a previous plan (`courtplan solve --previous plan.json`).

What stays fixed: the decisions already *issued* to the parties and courts — a 督促执行令, a
指令执行裁定, a 提级执行裁定 or a 集中执行裁定 once served cannot be taken back, so these cases are
pinned to their previous mode and court. What does not: keeping a case (no document), 内部交叉
(the court's own internal arrangement) and 协同执行 (a dispatch decision renewed each period), and
staff loans (借调 is an administrative arrangement for the period, not a served ruling: the
officers can be recalled); these are re-decided, every case whose decision differs paying the
`stability` weight, and the previous point warm-starts the solver.
"""

from __future__ import annotations

from optimizer.data.changes import ChangesError
from optimizer.data.problem import Problem
from optimizer.law.modes import MODE_SPECS
from optimizer.results.plan import Plan

#: modes whose decision was served as a document that cannot be taken back (the specs' `issued`)
ISSUED_MODES = tuple(s.key for s in MODE_SPECS if s.issued)


def previous_decisions(p: Problem, plan: Plan) -> tuple[dict[str, tuple[str, str]],
                                                          dict[str, tuple[str, str]],
                                                          dict[tuple[str, str], int]]:
    """(every case's previous (mode, court), the issued ones, the staff loans) of a previous
    plan of the same scenario; refuses a plan of another scenario."""
    ids = p.case_ids
    known = set(ids)
    planned = {c.case_id for c in plan.cases}
    courts = set(p.court_ids)
    missing = [i for i in ids if i not in planned]
    extra = sorted(planned - known)
    if missing or extra:
        what = (f"{len(extra)} of its cases are not in this scenario (e.g. {extra[0]})" if extra
                else f"{len(missing)} cases of this scenario are not in it (e.g. {missing[0]})")
        raise ChangesError(f"--previous: the plan of scenario {plan.scenario!r} is not a plan of "
                           f"this scenario ({p.scenario.name!r}): {what}")
    bad = [c for c in plan.cases if c.court_id not in courts]
    if bad:
        raise ChangesError(f"--previous: case {bad[0].case_id} is planned at an unknown court "
                           f"{bad[0].court_id}")
    previous = {c.case_id: (c.mode, c.court_id) for c in plan.cases}
    issued = {i: mc for i, mc in previous.items() if mc[0] in ISSUED_MODES}
    loans = {(m.from_court, m.to_court): m.officers for m in plan.staff_moves
             if m.from_court in courts and m.to_court in courts}
    return previous, issued, loans
