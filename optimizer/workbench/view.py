"""A plan read against its scenario: the decision it encodes (rows of `Options`), its exact
evaluation, and the load-penalty arithmetic every estimate of the workbench uses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.bankruptcy import SUSPENDED_NOTE
from optimizer.law.errors import UserError
from optimizer.law.modes import MODE_BY_KEY, Mode
from optimizer.model.costs import band_penalty
from optimizer.model.decision import Decision
from optimizer.model.options import Options, build_options
from optimizer.results.evaluate import Evaluation, evaluate
from optimizer.results.plan import Plan


@dataclass(frozen=True)
class PlanView:
    """A plan of `p`: its decision over `o`'s rows and its evaluation (loads after the plan,
    staff after lending). `row_of_case` is each case's individual option row, or −1 when its
    debtor group is concentrated (then `target_of_case` is the group's target row)."""

    p: Problem
    o: Options
    plan: Plan
    decision: Decision
    ev: Evaluation
    case_index: dict[str, int]

    @property
    def row_of_case(self) -> NDArray[np.int64]:
        return self.decision.option

    @cached_property
    def target_of_case(self) -> NDArray[np.int64]:
        """Target row of each case's concentrated group, or −1."""
        grp = self.p.related_groups[0]
        gt = self.decision.group_target
        return np.where(grp >= 0, gt[np.maximum(grp, 0)] if len(gt) else -1, -1)

    @cached_property
    def case_cost(self) -> NDArray[np.float64]:
        return self.ev.case_terms.sum(axis=1)

    def penalty_at(self, courts: NDArray[np.int64], load: NDArray[np.float64]) -> NDArray[np.float64]:
        """Load penalty of `courts` were their load `load` (staff as after the plan's lending);
        courts outside the district cost nothing, as in `evaluate`."""
        return penalty_at(self.p, self.ev.staff_after, courts, load)

    def load_delta_cost(self, case: NDArray[np.int64], to: NDArray[np.int64]) -> NDArray[np.float64]:
        """Marginal load penalty of moving each case from where the plan puts it to `to`, alone
        (at the receiving court plus at the releasing one), from the plan's loads."""
        a = self.ev.court[case]
        w = self.p.case_workload[case]
        load = self.ev.load_after
        gain = self.penalty_at(to, load[to] + w) - self.penalty_at(to, load[to])
        relief = self.penalty_at(a, load[a] - w) - self.penalty_at(a, load[a])
        return np.where(a == to, 0.0, gain + relief)


def penalty_at(p: Problem, staff: NDArray[np.int64], courts: NDArray[np.int64],
               load: NDArray[np.float64]) -> NDArray[np.float64]:
    """The band penalty of `courts` at `load` with `staff` officers (per court, all courts)."""
    excess = load - p.rules.target_utilisation * p.cases_per_officer[courts] * staff[courts]
    return np.where(p.in_district[courts], band_penalty(p, courts, excess), 0.0)


class PlanMismatch(UserError):
    """The plan does not belong to the scenario (a case or court it names is not there, or its
    decision is not one of the scenario's lawful options)."""


def decision_of(p: Problem, o: Options, plan: Plan) -> tuple[Decision, dict[str, int]]:
    """The decision a plan encodes, as rows of `o`. Raises `PlanMismatch` naming the case."""
    cidx = {c: j for j, c in enumerate(p.court_ids)}
    case_index = {case_id: i for i, case_id in enumerate(p.case_ids)}
    if len(plan.cases) != p.n_cases:
        raise PlanMismatch(f"plan has {len(plan.cases)} cases, the scenario {p.n_cases}")
    mode = np.empty(p.n_cases, dtype=np.int64)
    court = np.empty(p.n_cases, dtype=np.int64)
    for n, c in enumerate(plan.cases):
        i = case_index.get(c.case_id)
        if i is None or c.court_id not in cidx or c.mode not in MODE_BY_KEY:
            raise PlanMismatch(f"plan cases[{n}] {c.case_id}: case, court '{c.court_id}' or mode "
                               f"'{c.mode}' is not in the scenario")
        mode[i], court[i] = int(MODE_BY_KEY[c.mode]), cidx[c.court_id]
    n_c, n_m = p.n_courts, len(Mode)
    key = (o.case * n_m + o.mode) * n_c + o.court
    order = np.argsort(key, kind="stable")
    want = (np.arange(p.n_cases) * n_m + mode) * n_c + court
    pos = np.minimum(np.searchsorted(key[order], want), max(len(order) - 1, 0))
    found = (key[order][pos] == want) if len(order) else np.zeros(p.n_cases, dtype=bool)
    conc = mode == Mode.CONCENTRATE
    option = np.where(found & ~conc, order[pos] if len(order) else -1, -1)
    group_target = _group_targets(p, o, conc, court, plan)
    missing = np.flatnonzero(~conc & (option < 0))
    if len(missing):
        i = int(missing[0])
        raise PlanMismatch(f"case {plan_case_id(p, i)}: the plan's {Mode(mode[i]).key} at "
                           f"{p.court_ids[court[i]]} is not a lawful option of this scenario")
    lent = np.zeros(len(o.lend_from), dtype=np.int64)
    pair = {(int(f), int(t)): q for q, (f, t) in enumerate(zip(o.lend_from, o.lend_to, strict=True))}
    for m in plan.staff_moves:
        q = pair.get((cidx.get(m.from_court, -1), cidx.get(m.to_court, -1)))
        if q is None:
            raise PlanMismatch(f"staff move {m.from_court} → {m.to_court}: not a lending pair")
        lent[q] += m.officers
    return Decision(option, group_target, lent), case_index


def plan_case_id(p: Problem, i: int) -> str:
    return p.scenario.cases[i].id


def _group_targets(p: Problem, o: Options, conc: NDArray[np.bool_], court: NDArray[np.int64],
                   plan: Plan) -> NDArray[np.int64]:
    grp = p.related_groups[0]
    n_groups = int(o.target_group.max()) + 1 if len(o.target_group) else 0
    group_target = np.full(max(n_groups, p.related_groups[1]), -1, dtype=np.int64)
    for i in np.flatnonzero(conc).tolist():
        g = int(grp[i])
        rows = (np.flatnonzero((o.target_group == g) & (o.target_court == court[i])) if g >= 0
                else np.zeros(0, dtype=np.int64))
        if not len(rows):
            raise PlanMismatch(f"case {plan_case_id(p, i)}: the plan concentrates it at "
                               f"{p.court_ids[court[i]]}, not a lawful target of its debtor group")
        group_target[g] = int(rows[0])
    return group_target[:n_groups]


def released_by(p: Problem, plan: Plan) -> Problem:
    """`p` with the 执转破 groups the plan did not suspend released, as the planner's override
    (changes.not_transfer, or a pin) released them when it was made: the plan then reads."""
    if not p.suspended.any():
        return p
    notes = {c.case_id: c.note for c in plan.cases}
    ids, cases = p.case_ids, p.scenario.cases
    released = {cases[i].debtor_id for i in np.flatnonzero(p.suspended).tolist()
                if ids[i] in notes and notes[ids[i]] != SUSPENDED_NOTE}
    return p.replace(transfer_released=p.transfer_released | released) if released else p


def view(p: Problem, plan: Plan, o: Options | None = None) -> PlanView:
    """Read `plan` against `p` (options built unless given; then the 执转破 groups the plan
    did not suspend are released, see `released_by`)."""
    if o is None:
        p = released_by(p, plan)
    o = o if o is not None else build_options(p)
    d, case_index = decision_of(p, o, plan)
    return PlanView(p, o, plan, d, evaluate(p, o, d), case_index)
