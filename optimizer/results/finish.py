"""From the search's candidates to the plan: the rule gate picks, the status is honest.

Every candidate decision passes `gate.check` (the hard rules, from the decision alone); the
cheapest that passes wins — the baseline too, when it is cheaper. Status: `optimal` only with a
proof, `infeasible` when no candidate meets every hard rule (the plan then lists what breaks).
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

from optimizer.data.problem import Problem
from optimizer.law.vocabulary import PlanStatus
from optimizer.model.decision import Decision
from optimizer.model.options import Options
from optimizer.results import gate
from optimizer.results.build import make_plan
from optimizer.results.evaluate import Evaluation, evaluate
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams
from optimizer.solver.piece import rel_gap, status_of
from optimizer.solver.progress import Phase, ProgressCallback, ProgressEvent
from optimizer.solver.solve import SearchOutcome


def finish(out: SearchOutcome, params: SolveParams,
           progress: ProgressCallback | None = None) -> Plan:
    """The plan of a search: gate, status, bound and gap, statistics."""
    p, o = out.problem, out.options
    say = progress or (lambda _e: None)
    say(ProgressEvent(Phase.CHECK, "checking the plan against the hard rules",
                      time.perf_counter() - out.started))
    base_ev = evaluate(p, o, out.baseline)
    decision, ev, used_base, violations, passed = _choose(
        p, o, out.candidates, out.baseline, base_ev, use_baseline=not out.infeasible)
    objective = ev.objective
    method = out.method + ("+baseline" if used_base else "")
    bound = min(out.bound, objective) if math.isfinite(out.bound) else out.bound
    gap = rel_gap(objective, bound) if math.isfinite(bound) else math.inf
    if out.infeasible or not passed:
        status = PlanStatus.INFEASIBLE
    elif not out.complete or not math.isfinite(bound):
        status = PlanStatus.FEASIBLE  # some piece kept its baseline
    else:
        status = PlanStatus(status_of(objective, bound, params.gap))
    stats = replace(out.stats, baseline_objective=base_ev.objective,
                    rule_violations=tuple(violations),
                    seconds_total=round(time.perf_counter() - out.started, 3))
    say(ProgressEvent(Phase.DONE, f"done: {status.value}", time.perf_counter() - out.started))
    plan = make_plan(p, o, decision, ev, status=status.value, objective=objective, bound=bound,
                     gap=gap, method=method, stats=stats)
    return replace(plan, warm_starts=out.warm_starts) if out.warm_starts else plan


def _choose(p: Problem, o: Options, candidates: list[Decision], base: Decision,
            base_ev: Evaluation, use_baseline: bool
            ) -> tuple[Decision, Evaluation, bool, list[str], bool]:
    """The cheapest candidate that passes the rule gate (the first on ties); the baseline when
    it is cheaper or nothing else passes. Returns (decision, evaluation, used baseline,
    violations, whether the decision passed): the violations are those turned away, or, if
    nothing passed, those of the decision returned."""
    rejected: list[str] = []
    best: tuple[Decision, Evaluation] | None = None
    for d in candidates:
        ev = evaluate(p, o, d)
        broken = gate.check(p, o, d, ev)
        if broken:
            rejected += broken
        elif best is None or ev.objective < best[1].objective:
            best = (d, ev)
    base_ok = use_baseline and not gate.check(p, o, base, base_ev)
    if base_ok and (best is None or base_ev.objective < best[1].objective - 1e-6):
        return base, base_ev, True, rejected, True
    if best is None:
        d = candidates[0]
        ev = evaluate(p, o, d)
        return d, ev, False, gate.check(p, o, d, ev), False
    return best[0], best[1], False, rejected, True


