"""Building a plan's rows runs no cycle collection (they make containers, never cycles), and
leaves the collector as it found it."""

from __future__ import annotations

import gc

from optimizer.data.problem import Problem
from optimizer.model.options import build_options
from optimizer.results.build import make_plan
from optimizer.results.evaluate import evaluate
from optimizer.solver.baseline import baseline_decision
from optimizer.solver.stats import SolveStats


def _plan_of_baseline(lishui):
    p = Problem.from_scenario(lishui)
    o = build_options(p)
    d = baseline_decision(p, o)
    ev = evaluate(p, o, d)
    return lambda: make_plan(p, o, d, ev, status="feasible", objective=ev.objective,
                             bound=0.0, gap=1.0, method="baseline", stats=SolveStats())


def test_no_collection_while_the_rows_are_built(lishui):
    build = _plan_of_baseline(lishui)
    runs: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        plan = build()
    finally:
        gc.callbacks.remove(count)
    assert len(plan.cases) == 1500
    assert runs == []
    assert gc.isenabled()


def test_the_collector_stays_off_when_it_was_off(lishui):
    build = _plan_of_baseline(lishui)
    gc.disable()
    try:
        build()
        assert not gc.isenabled()
    finally:
        gc.enable()
