"""`compare(a, b)`: one diff object between two plans — of one scenario, or a plan and its
variant (other weights, rules, officers). Works from the plan files alone.

The diff holds: objective, bound and each term (A, B, B−A); the KPIs side by side; each
court whose load or capacity differs (before and after, in both); each case whose decision
changed (old → new mode and court, with its reasons); the staff moves added and removed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from optimizer.results.plan import Plan

_TOL = 1e-6


@dataclass(frozen=True)
class Delta:
    """One number in both plans: A, B and B−A."""

    a: float
    b: float
    change: float


@dataclass(frozen=True)
class CaseChange:
    case_id: str
    mode_a: str
    court_a: str
    mode_b: str
    court_b: str
    cost_a: float
    cost_b: float
    reasons_a: tuple[str, ...]
    reasons_b: tuple[str, ...]  # differ from A's only when the variant changes the triggers


@dataclass(frozen=True)
class CourtChange:
    court_id: str
    name: str
    load_before_a: float
    load_after_a: float
    capacity_a: float
    load_before_b: float
    load_after_b: float
    capacity_b: float


@dataclass(frozen=True)
class Diff:
    scenario_a: str
    scenario_b: str
    status_a: str
    status_b: str
    objective: Delta
    bound: Delta
    terms: dict[str, Delta]
    kpis: dict[str, tuple[Any, Any]]  # every KPI (nested ones as "a.b"), A and B
    courts: tuple[CourtChange, ...]
    cases: tuple[CaseChange, ...]
    cases_only_in_a: tuple[str, ...]
    cases_only_in_b: tuple[str, ...]
    staff_added: tuple[tuple[str, str, int], ...]  # (from, to, officers) in B, not in A
    staff_removed: tuple[tuple[str, str, int], ...]
    court_names: dict[str, str] = field(default_factory=dict)  # id → name, for people
    #: what makes the comparison doubtful: plans of two scenarios (by name) or plan dates
    warnings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """No decision, load, staff move or number differs."""
        numbers = [self.objective, self.bound, *self.terms.values()]
        return (not (self.cases or self.courts or self.staff_added or self.staff_removed
                     or self.cases_only_in_a or self.cases_only_in_b)
                and all(abs(d.change) <= _TOL or d.a == d.b for d in numbers)
                and all(a == b for a, b in self.kpis.values()))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["kpis"] = {k: list(v) for k, v in self.kpis.items()}
        out["empty"] = self.is_empty
        return out


def _delta(a: float, b: float) -> Delta:
    return Delta(a, b, b - a if a != b else 0.0)


def flat_kpis(kpis: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested KPIs flattened to "outer.inner" keys."""
    out: dict[str, Any] = {}
    for k, v in kpis.items():
        if isinstance(v, dict):
            out.update(flat_kpis(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def _courts(a: Plan, b: Plan) -> tuple[CourtChange, ...]:
    by_b = {c.court_id: c for c in b.courts}
    out = []
    for ca in a.courts:
        cb = by_b.get(ca.court_id)
        if cb is None:
            continue
        if (ca.load_before, ca.load_after, ca.capacity) != (cb.load_before, cb.load_after,
                                                            cb.capacity):
            out.append(CourtChange(ca.court_id, ca.name, ca.load_before, ca.load_after,
                                   ca.capacity, cb.load_before, cb.load_after, cb.capacity))
    return tuple(out)


def _staff(a: Plan, b: Plan) -> tuple[tuple[tuple[str, str, int], ...], ...]:
    ma = Counter({(m.from_court, m.to_court): m.officers for m in a.staff_moves})
    mb = Counter({(m.from_court, m.to_court): m.officers for m in b.staff_moves})
    added = tuple(sorted((f, t, n) for (f, t), n in (mb - ma).items()))
    removed = tuple(sorted((f, t, n) for (f, t), n in (ma - mb).items()))
    return added, removed


def compare(a: Plan, b: Plan) -> Diff:
    """What changed from plan A to plan B."""
    by_b = {c.case_id: c for c in b.cases}
    changes = []
    for ca in a.cases:
        cb = by_b.get(ca.case_id)
        if cb is not None and (ca.mode != cb.mode or ca.court_id != cb.court_id):
            changes.append(CaseChange(ca.case_id, ca.mode, ca.court_id, cb.mode, cb.court_id,
                                      round(sum(ca.costs.values()), 4),
                                      round(sum(cb.costs.values()), 4), ca.reasons, cb.reasons))
    ids_a = {c.case_id for c in a.cases}
    ka, kb = flat_kpis(a.kpis), flat_kpis(b.kpis)
    added, removed = _staff(a, b)
    return Diff(
        scenario_a=a.scenario, scenario_b=b.scenario, status_a=a.status, status_b=b.status,
        objective=_delta(a.objective, b.objective), bound=_delta(a.bound, b.bound),
        terms={k: _delta(a.terms.get(k, 0.0), b.terms.get(k, 0.0))
               for k in dict.fromkeys([*a.terms, *b.terms])},
        kpis={k: (ka.get(k), kb.get(k)) for k in dict.fromkeys([*ka, *kb])},
        courts=_courts(a, b), cases=tuple(changes),
        cases_only_in_a=tuple(sorted(ids_a - by_b.keys())),
        cases_only_in_b=tuple(sorted(by_b.keys() - ids_a)),
        staff_added=added, staff_removed=removed,
        court_names={c.court_id: c.name for c in (*a.courts, *b.courts)},
        warnings=_warnings(a, b),
    )


def _warnings(a: Plan, b: Plan) -> tuple[str, ...]:
    """Plans of different scenarios or dates: the diff is shown, but it is not a what-if."""
    out = []
    if a.scenario != b.scenario:
        out.append(f"两份计划来自不同场景 the plans are of different scenarios: A {a.scenario!r}, "
                   f"B {b.scenario!r} — differences may come from the scenarios, not the plans")
    if a.plan_date != b.plan_date:
        out.append(f"规划日期不同 different plan dates: A {a.plan_date}, B {b.plan_date}")
    return tuple(out)
