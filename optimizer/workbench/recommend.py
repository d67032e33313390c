"""`recommend`: the best lawful (mode, court) options for one new case, given a plan, without
re-solving the plan.

The new case is validated like a scenario case (a defect names the field: `case.court …`). It
joins its court's open caseload. Its options come from `build_options` on a small scenario: the
scenario's courts and places, the new case and its debtor's other cases (which decide whether
it is related). Each option's incremental cost is the case's own cost terms plus the marginal
load penalty at the receiving court, from the plan's loads and staff; a 协同执行 for lack of
staff where the court has no spare lent officer also prices one more officer on the cheapest
lending pair with room. Options that would take a court above its ceiling are left out; so is
concentration unless the plan already concentrates the debtor's other cases (then the new case
may join them there). Everything else in the plan stays as it is — except, under the all-or-none
rule of 集中执行, the debtor's other cases when the plan concentrates them: an option that keeps
the new case apart dissolves their group, and is priced with the cheapest lawful way for them to
go apart (`dissolve.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from optimizer.data.problem import Problem
from optimizer.data.read import defects_from_validation
from optimizer.data.scenario import Case, Scenario
from optimizer.data.validate import Defect, ScenarioError, _check_case
from optimizer.law.errors import UserError
from optimizer.law.modes import TRIGGER_LABELS, Mode, Trigger
from optimizer.model.costs import CASE_TERMS, band_penalty
from optimizer.model.options import Options, build_options
from optimizer.workbench.dissolve import (
    Group,
    NewOption,
    Priced,
    concentrated_group,
    price,
    related_shift,
)
from optimizer.workbench.view import PlanView


@dataclass(frozen=True)
class Option:
    mode: str
    court_id: str
    decided_by: str | None
    terms: dict[str, float]
    own_cost: float
    load_cost: float  # marginal load penalty at the receiving court
    lending_cost: float  # one more officer lent (cost, lender's rise, borrower's relief), if needed
    lend_from: str | None
    incremental: float  # own + load + lending + group: what the plan's objective rises by
    #: the debtor's other cases, concentrated by the plan, go apart (集中执行 is all or none):
    #: their own costs after minus before, and the (case, mode, court) each then takes; where
    #: the plan does not concentrate them, what they cost more as planned once related
    group_cost: float = 0.0
    dissolves: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Recommendation:
    case_id: str
    reasons: tuple[str, ...]
    options: tuple[Option, ...]  # cheapest first, at most k
    excluded: tuple[str, ...]  # lawful options left out, and why
    notes: tuple[str, ...]


def parse_case(raw: Any, s: Scenario) -> Case:
    """A new case record, validated like a scenario case; `ScenarioError` names the field."""
    if not isinstance(raw, dict):
        raise ScenarioError([Defect("case", None, "a case must be a JSON object")])
    rid = raw.get("id") if isinstance(raw.get("id"), str) else None
    try:
        k = Case.model_validate(raw)
    except ValidationError as e:
        raise ScenarioError([Defect(f"case.{d.path}", rid, d.message)
                             for d in defects_from_validation(raw, e)]) from None
    courts = {c.id: c for c in s.courts}
    defects = _check_case(s, len(s.cases), k, {p.id for p in s.places}, courts)
    out = [Defect("case" + d.path.removeprefix(f"cases[{len(s.cases)}]"), d.record, d.message)
           for d in defects]
    if any(c.id == k.id for c in s.cases):
        out.append(Defect("case.id", k.id, f"case '{k.id}' is already in the scenario"))
    if out:
        raise ScenarioError(out)
    return k


def with_case(p: Problem, k: Case, related_only: bool) -> Problem:
    """The problem with `k` added (its workload joining its court's open caseload). With
    `related_only`, the other cases are only its debtor's (enough for its options)."""
    s = p.scenario
    others = tuple(c for c in s.cases if c.debtor_id == k.debtor_id) if related_only else s.cases
    courts = tuple(c.model_copy(update={"open_caseload": c.open_caseload + k.workload})
                   if c.id == k.court else c for c in s.courts)
    return Problem.from_scenario(s.model_copy(update={"cases": (*others, k), "courts": courts}))


def _lending(v: PlanView, small: Options, court: int) -> tuple[float, str] | None:
    """(lending cost + the lender's rise in load penalty, lender) of one more officer lent to
    `court` on its cheapest pair with room; None when no pair has room."""
    p, ev = v.p, v.ev
    pairs = np.flatnonzero(small.lend_to == court)
    lenders = small.lend_from[pairs]
    room = ev.lent_out[lenders] < small.lend_max[lenders]
    if not room.any():
        return None
    pairs, lenders = pairs[room], lenders[room]
    rise = _penalty(v, lenders, 0.0, -1) - _penalty(v, lenders, 0.0, 0)
    cost = small.lend_cost[pairs] + rise
    best = int(np.argmin(cost))
    return float(cost[best]), p.court_ids[int(lenders[best])]


def _penalty(v: PlanView, courts: np.ndarray, extra_load: Any, extra_staff: Any) -> np.ndarray:
    """Band penalty of `courts` at the plan's load + `extra_load` and staff + `extra_staff`."""
    p, ev = v.p, v.ev
    excess = (ev.load_after[courts] + extra_load - p.rules.target_utilisation
              * p.cases_per_officer[courts] * (ev.staff_after[courts] + extra_staff))
    return np.where(p.in_district[courts], band_penalty(p, courts, excess), 0.0)


def _rows(v: PlanView, small: Problem, o: Options, i: int) -> tuple[np.ndarray, ...]:
    """(mode, court, decider, terms) of the new case's options: its individual rows, and the
    concentration target where the plan gathers its debtor's other cases."""
    rows = np.flatnonzero(o.case == i)
    mode, court, dec, terms = o.mode[rows], o.court[rows], o.decider[rows], o.terms[rows]
    g = small.related_groups[0][i]
    mine = np.flatnonzero(o.member_case == i)
    if g >= 0 and len(mine):
        others = [c.court_id for c in v.plan.cases if c.mode == Mode.CONCENTRATE.key
                  and v.p.scenario.cases[v.case_index[c.case_id]].debtor_id
                  == small.scenario.cases[i].debtor_id]
        members = int((small.related_groups[0] == g).sum()) - 1
        if len(others) == members and len(set(others)) == 1:
            at = mine[small.court_ids.index(others[0]) == o.target_court[o.member_target[mine]]]
            t = o.member_target[at]
            mode = np.r_[mode, np.full(len(at), int(Mode.CONCENTRATE))]
            court, dec = np.r_[court, o.target_court[t]], np.r_[dec, o.target_decider[t]]
            terms = np.vstack([terms, o.member_terms[at]])
    return mode, court, dec, terms


@dataclass(frozen=True)
class _New:
    """The new case in its small problem, and what pricing its options needs from the plan."""

    case: Case
    small: Problem
    o: Options
    i: int  # its index in `small`
    workload: float
    short: bool  # short of staff: 协同执行 needs lent officers
    spare: np.ndarray  # per court: 协同 cases its lent officers could still take
    group: Group | None  # the debtor's other cases, when the plan concentrates them
    shift: float  # otherwise: what the others, as planned, cost more once related to the new case


def _new(v: PlanView, raw: Any) -> _New:
    case = parse_case(raw, v.p.scenario)
    small = with_case(v.p, case, related_only=True)
    p, ev = v.p, v.ev
    i = small.n_cases - 1
    staffing = np.bincount(ev.court[(ev.mode == Mode.COORDINATE)
                                    & ((p.triggers & int(Trigger.UNDERSTAFFED)) != 0)],
                           minlength=p.n_courts)
    o = build_options(small)
    group = concentrated_group(v, small, o, i)
    return _New(case, small, o, i, float(small.case_workload[i]),
                bool(small.triggers[i] & int(Trigger.UNDERSTAFFED)),
                p.rules.cases_per_lent_officer * ev.borrowed - staffing, group,
                0.0 if group is not None else related_shift(v, small, o, i))


def _price(v: PlanView, n: _New, m: Mode, b: int, decider: int, terms: np.ndarray
           ) -> Option | str:
    """One option priced, or why it is left out."""
    p, ev, ids = v.p, v.ev, v.p.court_ids
    cost_lend, lender = 0.0, ""
    if m is Mode.COORDINATE and n.short and n.spare[b] < 1:
        lend = _lending(v, n.o, b)
        if lend is None:
            return f"{m.label} {ids[b]}: 无可借调人员 no officer can be lent"
        cost_lend, lender = lend
    more = 1 if lender else 0
    group = _dissolve(v, n, m, b, more) if n.group is not None and m is not Mode.CONCENTRATE \
        else None
    if isinstance(group, str):
        return f"{m.label} {ids[b]}: {group}"
    c_max = p.rules.max_utilisation
    if c_max is not None and group is None:
        before = p.open_caseload[b] + (n.workload if ids[b] == n.case.court else 0.0)
        limit = max(c_max * p.cases_per_officer[b] * (ev.staff_after[b] + more), before)
        if ev.load_after[b] + n.workload > limit + 1e-6:
            return f"{m.label} {ids[b]}: 超过负荷上限 above the court's ceiling"
    jb = np.array([b])
    load = (group.load_cost if group is not None
            else float(_penalty(v, jb, n.workload, more)[0] - _penalty(v, jb, 0.0, 0)[0]))
    own = float(terms.sum())
    extra = group.group_cost if group is not None else n.shift
    return Option(
        mode=m.key, court_id=ids[b], decided_by=ids[decider] if decider >= 0 else None,
        terms=dict(zip(CASE_TERMS, np.round(terms, 4).tolist(), strict=True)),
        own_cost=round(own, 4), load_cost=round(load, 4), lending_cost=round(cost_lend, 4),
        lend_from=lender or None, incremental=round(own + load + cost_lend + extra, 4),
        group_cost=round(extra, 4), dissolves=group.moves if group is not None else ())


def _dissolve(v: PlanView, n: _New, m: Mode, b: int, more: int) -> Priced | str:
    """The option keeps the new case apart from its concentrated group: price the others'
    going apart with it."""
    assert n.group is not None
    x = NewOption(b, n.workload, more, m is Mode.COORDINATE and n.short,
                  v.p.court_ids.index(n.case.court))
    return price(v, n.small, n.o, n.group, x, n.spare)


def recommend(v: PlanView, raw: Any, k: int = 5) -> Recommendation:
    """The top-k lawful options of a new case (a record like a scenario case)."""
    if k < 1:
        raise UserError(f"-k must be at least 1, got {k}")
    n = _new(v, raw)
    mode, court, dec, terms = _rows(v, n.small, n.o, n.i)
    options: list[Option] = []
    excluded: list[str] = []
    for r in range(len(mode)):
        got = _price(v, n, Mode(int(mode[r])), int(court[r]), int(dec[r]), terms[r])
        if isinstance(got, str):
            excluded.append(got)
        else:
            options.append(got)
    options.sort(key=lambda x: x.incremental)
    reasons = tuple(label for t, label in TRIGGER_LABELS.items() if n.small.triggers[n.i] & int(t))
    return Recommendation(n.case.id, reasons, tuple(options[:k]), tuple(excluded),
                          _notes(v, n.small, n.case))


def _notes(v: PlanView, small: Problem, case: Case) -> tuple[str, ...]:
    """What the incremental cost leaves out, where it applies."""
    p = v.p
    out = []
    j = p.court_ids.index(case.court)
    before = p.utilisation_before[j]
    after = small.utilisation_before[j]
    limit = p.rules.understaffed_utilisation
    if before <= limit < after:
        out.append("新案使本院超过人手不足线：本院其他案件的事由随之变化（未计入）the new case takes "
                   "its court over the understaffed line: other cases' reasons change (not priced)")
    if small.related_groups[0][-1] >= 0:
        out.append("关联案件：集中执行全有或全无——计划已集中其他关联案件时，单独处理本案即解散该组，"
                   "其他案件另行安排（计入）；否则其他案件按计划不动 related cases: all or none — "
                   "where the plan concentrates the others, an option apart dissolves the group "
                   "and prices their going apart; otherwise the others stay as planned")
    return tuple(out)
