"""The one planning pipeline: scenario (+ changes, + a previous plan) + parameters → plan.

The CLI, the HTTP API, the benchmarks and the tests all plan through `plan_scenario` (or
`plan_problem` when they already hold the compiled arrays, e.g. for several variants of one
scenario: the changes reuse the travel times).

A planner's changes (`ChangeSet`, see `optimizer/data/changes.py`): weights, rules, staffing
and caseloads change the problem (`Problem.replace`); pins, bars, forbidden courts,
concentration orders and loans become `Restrictions` on the options and the model. Bad changes
raise `ChangesError` (a `ValueError`) before any solving; changes that leave no feasible plan
raise `ChangesConflict`, naming the conflicting changes and the cheapest relaxation.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from optimizer.data.changes import ChangesError, ChangeSet
from optimizer.data.problem import Problem
from optimizer.data.read import read_scenario
from optimizer.data.scenario import Scenario
from optimizer.law.errors import UserError
from optimizer.law.vocabulary import PlanStatus
from optimizer.model.lawful import checked_options
from optimizer.model.options import Options
from optimizer.model.restrictions import Restrictions, restrictions_from
from optimizer.outcomes.projection import project
from optimizer.results.conflicts import QUICK, ChangesConflict, explain
from optimizer.results.finish import finish
from optimizer.results.plan import Plan
from optimizer.results.previous import previous_decisions
from optimizer.solver.params import SolveParams
from optimizer.solver.progress import Phase, ProgressCallback, ProgressEvent
from optimizer.solver.solve import search
from optimizer.solver.warm import WarmStarts

#: the former name of the changes document (weights and rules only); kept for callers
Changes = ChangeSet
__all__ = ["ChangeSet", "Changes", "ChangesConflict", "ChangesError", "apply_changes",
           "plan_problem", "plan_scenario", "solve"]


def apply_changes(problem: Problem, changes: ChangeSet | None) -> Problem:
    """The problem under the changes' weights, rules, staffing and caseloads (checked; travel
    times kept unless the geometry changes)."""
    if not changes:
        return problem
    changes.check(problem)
    return changes.apply(problem)


def _restrictions(p: Problem, changes: ChangeSet, previous: Plan | None,
                  warm_start: Plan | WarmStarts | None = None
                  ) -> tuple[Restrictions | None, Options | None]:
    """The restrictions of the changes and the previous plan (None: there are none), checked
    against the law (`ChangesError` names the change), and the options under them (the check
    builds them; the search reuses them). A warm start only seeds the solver: from a plan
    file, with its decisions as the known start point; from a plan in memory that kept its
    pieces' warm starts, with those alone (they hold its whole-officer point already)."""
    seeds = isinstance(warm_start, Plan) and not warm_start.warm_starts
    if previous is None and not seeds and not (
            changes.pins or changes.keep or changes.forbid or changes.bar_receiving
            or changes.bar_executing or changes.concentrate or changes.never_concentrate
            or changes.loans):
        return None, None
    if previous is not None:
        prev, issued, loans = previous_decisions(p, previous)
    elif isinstance(warm_start, Plan) and seeds:
        prev, _, loans = previous_decisions(p, warm_start)
        issued = {}
    else:
        prev, issued, loans = {}, {}, {}
    r = restrictions_from(p, changes, prev, issued, loans)
    if previous is None:
        r = replace(r, charge_stability=False)
    return r, checked_options(p, r)


def with_projection(p: Problem, plan: Plan, officers: NDArray[np.int64] | None = None) -> Plan:
    """The plan with its projected figures among the KPIs (`kpis.projection`: pending and the
    six-month pool at 6 and 12 months, plan and no plan, docs/outcomes.md); an infeasible plan
    has none. `officers`: the scenario's, when `p` is a what-if that changed them."""
    if plan.status == PlanStatus.INFEASIBLE or not p.in_district.any():
        return plan
    return replace(plan, kpis={**plan.kpis, "projection": project(p, plan,
                                                                  officers=officers).kpis()})


def _plan(problem: Problem, changes: ChangeSet, params: SolveParams,
          progress: ProgressCallback | None, previous: Plan | None,
          warm_start: Plan | WarmStarts | None = None) -> Plan:
    p = apply_changes(problem, changes)
    warm = warm_start.warm_starts if isinstance(warm_start, Plan) else warm_start
    restrictions, options = _restrictions(p, changes, previous, warm_start)
    return with_projection(p, finish(search(p, params, progress, restrictions, options,
                                            warm_starts=warm), params, progress),
                           problem.officers)


def plan_problem(problem: Problem, changes: ChangeSet | None = None,
                 params: SolveParams | None = None, progress: ProgressCallback | None = None,
                 previous: Plan | None = None, warm_start: Plan | WarmStarts | None = None
                 ) -> Plan:
    """Plan compiled arrays under the changes (and re-planning from `previous`, or merely
    starting the solver from `warm_start`: the base plan of a what-if, or only the warm starts
    it kept, e.g. read from its `.warm.npz`). Raises
    `ChangesConflict` when the changes leave no feasible plan."""
    params = params or SolveParams()
    changes = changes or ChangeSet()
    if previous is not None and warm_start is not None:
        raise UserError("give either a previous plan (re-planning) or a warm start, not both")
    if isinstance(warm_start, Plan) and warm_start.scenario != problem.scenario.name:
        raise ChangesError(f"--warm-start: a plan of scenario {warm_start.scenario!r}, not of "
                           f"this scenario {problem.scenario.name!r}")
    plan = _plan(problem, changes, params, progress, previous, warm_start)
    if plan.status == PlanStatus.INFEASIBLE and (changes or previous is not None):
        def trial(c: ChangeSet) -> Plan:
            return _plan(problem, c, QUICK, None, previous)
        raise ChangesConflict(explain(problem, changes, trial, QUICK))
    return plan


def solve(problem: Problem, params: SolveParams | None = None,
          progress: ProgressCallback | None = None) -> Plan:
    """Plan compiled arrays as they are: the search, then the rule gate and the plan."""
    params = params or SolveParams()
    return with_projection(problem, finish(search(problem, params, progress), params, progress))


def plan_scenario(scenario: Scenario | str | Path, changes: ChangeSet | None = None,
                  params: SolveParams | None = None,
                  progress: ProgressCallback | None = None,
                  previous: Plan | None = None,
                  warm_start: Plan | WarmStarts | None = None) -> Plan:
    """Read (if a path), compile and plan a scenario. Raises `ScenarioError` for a bad file
    and `ValueError` (`ChangesError`) for bad changes or parameters, before any solving."""
    t0 = time.perf_counter()
    say = progress or (lambda _e: None)
    params = params or SolveParams()
    if not isinstance(scenario, Scenario):
        say(ProgressEvent(Phase.READ, f"reading {scenario}", time.perf_counter() - t0))
        scenario = read_scenario(scenario)
    say(ProgressEvent(Phase.BUILD, f"{len(scenario.courts)} courts, {len(scenario.cases)} cases; "
                      "computing travel times", time.perf_counter() - t0))
    return plan_problem(Problem.from_scenario(scenario), changes, params, progress, previous,
                        warm_start)
