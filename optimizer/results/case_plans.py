"""The plan's rows, one per case (`CasePlan`), built column by column.

A province's plan has 20,000 rows but few distinct texts: the recorded basis (规范性) depends
only on the mode and a handful of facts (`Situation`), the reasons (必要性) only on the trigger
bits, the wishes on three facts. Each text is made once per distinct key and shared by every
case with that key; entrusted assets are read from the records only for the cases that have
them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from optimizer.data.case_columns import case_columns
from optimizer.data.problem import Problem
from optimizer.law.bankruptcy import SUSPENDED_BASIS, SUSPENDED_NOTE, SUSPENDED_REASON
from optimizer.law.modes import (
    EARLY_REQUEST_WISH,
    OUTSIDE_DISTRICT_NOTE,
    TERMINABLE_REASON,
    TRIGGER_LABELS,
    Mode,
    Situation,
    Trigger,
    basis_for,
)
from optimizer.model.costs import CASE_TERMS
from optimizer.model.options import Options
from optimizer.results.evaluate import Evaluation
from optimizer.results.plan import CasePlan, case_plans_from_columns

T = TypeVar("T")

OBJECTS_WISH = "申请执行人反对变更执行法院"
#: `Situation.entrusted` by code: no entrusted asset, all in the province, one outside it
_ENTRUSTED = ("", "in", "out")


def _shared(keys: NDArray[np.int64], make: Callable[[int], T]) -> list[T]:
    """`make(key)` per case, computed once per distinct key (the cases of a key share it)."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    made = [make(k) for k in distinct.tolist()]
    return [made[j] for j in inverse.reshape(-1).tolist()]


def _lookup(values: tuple[str, ...], index: NDArray[np.int64]) -> list[str | None]:
    """`values[index]` per case, None where the index is −1."""
    return np.array([*values, None], dtype=object)[index].tolist()


def _entrusted(p: Problem, ev: Evaluation) -> tuple[dict[int, tuple[str, ...]], NDArray[np.int64]]:
    """Entrusted asset ids per case (only the cases with some), and per case the
    `Situation.entrusted` code: whether one lies in another province (the 委托执行规定 applies
    directly there, 参照 inside the province)."""
    code = np.zeros(p.n_cases, dtype=np.int64)
    ent = np.flatnonzero(ev.entrusted)
    if not len(ent):
        return {}, code
    cases = p.asset_case[ent]
    far = ~p.tree.same_locality(p.asset_place[ent], p.court_place[ev.court[cases]], 2)
    code[cases] = 1
    code[cases[far]] = 2
    # assets are numbered case after case (`Problem.from_scenario`), as the scenario's asset
    # columns are, so `ent` runs case by case
    owners, starts = np.unique(cases, return_index=True)
    asset_ids = case_columns(p.scenario).asset_id
    ids = [asset_ids[a] for a in ent.tolist()]
    ends = np.r_[starts[1:], len(ent)].tolist()
    return {c: tuple(ids[a:b]) for c, a, b in zip(owners.tolist(), starts.tolist(), ends,
                                                  strict=True)}, code


def _reasons(p: Problem) -> list[tuple[str, ...]]:
    """The triggers (必要性) per case in words; 终本 candidates of the district say so instead."""
    inside = p.in_district[p.case_court]
    term = p.terminable & inside

    def words(key: int) -> tuple[str, ...]:
        if key == -2:
            return (SUSPENDED_REASON,)
        if key < 0:
            return (TERMINABLE_REASON,)
        return tuple(label for t, label in TRIGGER_LABELS.items() if key & int(t))

    return _shared(np.where(p.suspended & inside, -2, np.where(term, -1, p.triggers)), words)


def _wishes(p: Problem) -> list[tuple[str, ...]]:
    """The applicant's wishes per case, in words; an early Art. 237 request is one of them.
    A case outside the district has none here: nobody here decides it."""
    cids = p.court_ids

    def words(key: int) -> tuple[str, ...]:
        out = []
        if key & 1:
            out.append(EARLY_REQUEST_WISH)
        if key & 2:
            out.append(OBJECTS_WISH)
        if key >> 2:
            out.append(f"申请执行人希望由{cids[(key >> 2) - 1]}执行")
        return tuple(out)

    keys = (p.early_request.astype(np.int64) | (p.case_objects.astype(np.int64) << 1)
            | ((p.case_preferred + 1) << 2))
    return _shared(np.where(p.in_district[p.case_court], keys, 0), words)


def basis_texts(p: Problem, case: NDArray[np.int64], mode: NDArray[np.int64],
                court: NDArray[np.int64], decider: NDArray[np.int64],
                entrusted: NDArray[np.int64]) -> list[str]:
    """The document and articles (规范性) of each (case, mode, court) decision (`basis_for`):
    the plan's and the workbench's alternatives read the one table. `entrusted` is the
    `Situation.entrusted` code per row (0 none, 1 in the province, 2 outside it)."""
    requested = (p.case_flags[case] & int(Trigger.REQUEST)) != 0
    trig = p.triggers[case]
    missed = (trig & int(Trigger.DEADLINE_MISSED)) != 0
    short = (trig & int(Trigger.UNDERSTAFFED)) != 0
    # key: the mode in bits 0–2, the seven facts of `Situation` in bits 3–9, entrusted above
    facts = (p.overdue[case], requested, missed, court != p.case_court[case], court == decider,
             short, p.watch[case])
    keys = mode.astype(np.int64) | (entrusted.astype(np.int64) << 10)
    for bit, fact in enumerate(facts, start=3):
        keys |= fact.astype(np.int64) << bit
    keys = np.where(p.in_district[p.case_court[case]], keys, int(Mode.KEEP))

    def text(key: int) -> str:
        def on(bit: int) -> bool:
            return bool(key >> bit & 1)

        return basis_for(Mode(key & 7), Situation(
            overdue=on(3), applied=on(4), deadline_missed=on(5), moved=on(6), to_decider=on(7),
            officers=on(8), watch=on(9), entrusted=_ENTRUSTED[key >> 10]))

    return _shared(keys, text)


def _notes(p: Problem, o: Options) -> list[str | None]:
    """Why a rule could not be met (the options' exceptions); a case outside the district is
    listed as such and nothing else."""
    notes: list[str | None] = [None] * p.n_cases
    for i, why in o.exceptions.items():
        notes[i] = why
    for i in np.flatnonzero(p.suspended & p.in_district[p.case_court]).tolist():
        notes[i] = SUSPENDED_NOTE
    for i in np.flatnonzero(~p.in_district[p.case_court]).tolist():
        notes[i] = OUTSIDE_DISTRICT_NOTE
    return notes


def case_plans(p: Problem, o: Options, ev: Evaluation) -> list[CasePlan]:
    """One `CasePlan` per case, in case order."""
    cids = p.court_ids
    names = tuple(c.name for c in p.scenario.courts)
    entrusted, ent_code = _entrusted(p, ev)
    short = (p.triggers & int(Trigger.UNDERSTAFFED)) != 0
    coordinate = ev.mode == Mode.COORDINATE
    no_assets: tuple[str, ...] = ()
    costs = np.round(ev.case_terms, 4).T.tolist()
    basis = basis_texts(p, np.arange(p.n_cases), ev.mode, ev.court, ev.decider, ent_code)
    for i in np.flatnonzero(p.suspended & p.in_district[p.case_court]).tolist():
        basis[i] = SUSPENDED_BASIS
    return case_plans_from_columns({
        "case_id": p.case_ids,
        "mode": _lookup(tuple(m.key for m in Mode), ev.mode),
        "court_id": _lookup(cids, ev.court),
        "from_court_id": _lookup(cids, p.case_court),
        "entrusted_assets": [entrusted.get(i, no_assets) for i in range(p.n_cases)]
        if entrusted else [no_assets] * p.n_cases,
        "costs": [dict(zip(CASE_TERMS, row, strict=True)) for row in zip(*costs, strict=True)],
        "reasons": _reasons(p),
        "note": _notes(p, o),
        "decided_by": _lookup(cids, ev.decider),
        "basis": basis,
        "coordination": _lookup(("coordination", "officers"),
                                np.where(coordinate, short.astype(np.int64), -1)),
        "wishes": _wishes(p),
        "court_name": _lookup(names, ev.court),
        "from_court_name": _lookup(names, p.case_court),
        "decided_by_name": _lookup(names, ev.decider),
    })
