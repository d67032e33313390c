"""The one planning pipeline: scenario (+ changes) + parameters → plan.

The CLI, the HTTP API, the benchmarks and the tests all plan through `plan_scenario` (or
`plan_problem` when they already hold the compiled arrays, e.g. for several variants of one
scenario: changes to weights and rules then reuse the travel times).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from optimizer.data.problem import Problem
from optimizer.data.read import read_scenario
from optimizer.data.scenario import Rules, Scenario, Weights
from optimizer.results.finish import finish
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams
from optimizer.solver.progress import Phase, ProgressCallback, ProgressEvent
from optimizer.solver.solve import search


@dataclass(frozen=True)
class Changes:
    """Changes to a scenario for one run (a what-if): objective weights and rule switches."""

    weights: Mapping[str, Any] = field(default_factory=dict)
    rules: Mapping[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.weights or self.rules)

    def apply_weights(self, w: Weights) -> Weights:
        return _override(Weights, w, self.weights, "weight")

    def apply_rules(self, r: Rules) -> Rules:
        return _override(Rules, r, self.rules, "rule")


def _override(model: type[Weights] | type[Rules], current: Weights | Rules,
              changes: Mapping[str, Any], what: str) -> Any:
    """A copy of `current` with `changes`, validated (names and values)."""
    unknown = sorted(set(changes) - set(model.model_fields))
    if unknown:
        raise ValueError(f"unknown {what}(s): {', '.join(unknown)}; known: "
                         f"{', '.join(model.model_fields)}")
    data = current.model_dump()
    data.update({k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()})
    return model.model_validate(data)


def apply_changes(problem: Problem, changes: Changes | None) -> Problem:
    """The problem under the changes (travel times kept unless the geometry changes)."""
    if not changes:
        return problem
    return problem.replace(weights=changes.apply_weights(problem.weights),
                           rules=changes.apply_rules(problem.rules))


def plan_problem(problem: Problem, changes: Changes | None = None,
                 params: SolveParams | None = None,
                 progress: ProgressCallback | None = None) -> Plan:
    """Plan compiled arrays (with changes applied)."""
    params = params or SolveParams()
    return finish(search(apply_changes(problem, changes), params, progress), params, progress)


def solve(problem: Problem, params: SolveParams | None = None,
          progress: ProgressCallback | None = None) -> Plan:
    """Plan compiled arrays as they are: the search, then the rule gate and the plan."""
    return plan_problem(problem, None, params, progress)


def plan_scenario(scenario: Scenario | str | Path, changes: Changes | None = None,
                  params: SolveParams | None = None,
                  progress: ProgressCallback | None = None) -> Plan:
    """Read (if a path), compile and plan a scenario. Raises `ScenarioError` for a bad file
    and `ValueError` for bad changes or parameters, before any solving."""
    t0 = time.perf_counter()
    say = progress or (lambda _e: None)
    params = params or SolveParams()
    if not isinstance(scenario, Scenario):
        say(ProgressEvent(Phase.READ, f"reading {scenario}", time.perf_counter() - t0))
        scenario = read_scenario(scenario)
    if changes:  # validate the changes before the expensive part
        changes.apply_weights(scenario.weights)
        changes.apply_rules(scenario.rules)
    say(ProgressEvent(Phase.BUILD, f"{len(scenario.courts)} courts, {len(scenario.cases)} cases; "
                      "computing travel times", time.perf_counter() - t0))
    return plan_problem(Problem.from_scenario(scenario), changes, params, progress)
