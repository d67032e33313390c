"""The planner's workbench over HTTP: each answer is the document `optimizer.workbench.answers`
builds, the same the CLI prints with --json, so HTTP and CLI agree on the same inputs.

Questions answered from the plan without re-solving (explain's estimates, why-not, officers'
estimates, recommend, compare) are read in a bounded child process (`api/sandbox.py`): reading
a national scenario and its plan takes gigabytes the HTTP process must not keep. Questions that
re-solve (explain's exact regrets, officers' exact falls, sweeps) are jobs: runs of their own
kind that the workers take from the queue (`run_job`, in the worker's child process), with
progress, cancel and requeue as for any run; their answer is kept in `run_results`.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException

from api.sandbox import run_in_child
from api.settings import Settings
from optimizer.law.errors import UserError
from optimizer.law.vocabulary import PHASE_LABELS, Phase

#: what a question names, for its user errors: the library's message says which value
ASKED = {"explain": "case", "why_not": "case", "officers": "(run)", "recommend": "k",
         "projection": "months", "screening": "(run)"}
_DONE = PHASE_LABELS[Phase.DONE].both()


def _view(plan_zlib: bytes, scenario: bytes) -> Any:
    """(In a child.) The stored plan read against the scenario version it planned (its JSON)."""
    from optimizer.data.problem import Problem
    from optimizer.data.read import parse_scenario
    from optimizer.results.plan import Plan
    from optimizer.workbench.view import view

    problem = Problem.from_scenario(parse_scenario(scenario, "(stored scenario)"))
    return view(problem, Plan.from_json(zlib.decompress(plan_zlib)))


def answer(question: str, plan_zlib: bytes, scenario_zlib: bytes, args: dict[str, Any]) -> Any:
    """(In a child.) One question that needs no re-solve, answered as the CLI's JSON."""
    from optimizer.data.validate import ScenarioError
    from optimizer.workbench import answers

    try:
        if question in ("projection", "screening"):
            return _outcome(question, plan_zlib, zlib.decompress(scenario_zlib), args)
        v = _view(plan_zlib, zlib.decompress(scenario_zlib))
        if question == "explain":
            return answers.explain_answer(*answers.explained(v, args["cases"]))
        if question == "why_not":
            return answers.jsonable(answers.why_nots(v, args["cases"], args["court"]))
        if question == "officers":
            return answers.jsonable(answers.officer_gains(v))
        if question == "recommend":
            return answers.recommend_answer(v, args["case"], args["k"])
    except ScenarioError:
        raise  # (the sandbox reports its defects by field and record)
    except UserError as e:
        raise HTTPException(422, e.items(where=ASKED[question])) from None
    raise AssertionError(f"unknown question {question}")


def _outcome(question: str, plan_zlib: bytes, scenario: bytes, args: dict[str, Any]) -> Any:
    """(In a child.) `courtplan project … --json` or `courtplan screen … --json` (the stored
    plan read as it is: an overridden 执转破 group needs no lawful-option view)."""
    from optimizer.data.problem import Problem
    from optimizer.data.read import parse_scenario
    from optimizer.results.plan import Plan

    p = Problem.from_scenario(parse_scenario(scenario, "(stored scenario)"))
    plan = Plan.from_json(zlib.decompress(plan_zlib))
    if question == "projection":
        from optimizer.data.changes import ChangeSet
        from optimizer.outcomes.projection import project, to_dict
        from optimizer.pipeline import apply_changes

        # the run's what-if (officers, shocks…) sets the capacities, as when it was planned
        variant = apply_changes(p, ChangeSet.model_validate(args.get("changes") or {}))
        return to_dict(project(variant, plan, args["months"], officers=p.officers))
    from optimizer.outcomes.screening_list import screening_rows

    return {"counts": p.screening.counts(),
            "groups": screening_rows(p, include_not_applicable=args["all"], plan=plan)}


def compare_plans(a_zlib: bytes, b_zlib: bytes) -> dict[str, Any]:
    """(In a child.) `courtplan compare A B --json` of two stored plans."""
    from optimizer.results.plan import Plan
    from optimizer.workbench.answers import compare_answer

    return compare_answer(Plan.from_json(zlib.decompress(a_zlib)), Plan.from_json(zlib.decompress(b_zlib)))


def _limits(settings: Settings, what: str) -> dict[str, Any]:
    return {"memory": settings.child_memory_bytes, "seconds": settings.child_seconds,
            "slots": settings.child_slots, "status": 503, "what": what}


def ask(settings: Settings, question: str, plan_zlib: bytes, scenario_zlib: bytes,
        args: dict[str, Any]) -> Any:
    """`answer` in a bounded child process."""
    return run_in_child(answer, question, plan_zlib, scenario_zlib, args,
                        **_limits(settings, f"the {question.replace('_', '-')} answer"))


def compare_in_child(settings: Settings, a_zlib: bytes, b_zlib: bytes) -> dict[str, Any]:
    return run_in_child(compare_plans, a_zlib, b_zlib, **_limits(settings, "the comparison"))


def run_job(kind: str, body: bytes, plan_zlib: bytes | None, task: dict[str, Any],
            params: dict[str, Any], progress: Callable[[int, int, str], None]) -> dict[str, Any]:
    """(In the worker's child.) A workbench job's answer; `progress(done, total, message)`
    after each re-solve. A `UserError` names what the task asked wrongly."""
    from optimizer.solver.params import SolveParams
    from optimizer.workbench import answers

    solve = SolveParams(**params)
    if kind == "sweep":
        return _sweep(body, task, solve, progress)
    assert plan_zlib is not None, "a job on a plan needs the plan"
    v = _view(plan_zlib, body)
    if kind == "explain":
        total = len(task["cases"]) * task["exact"]
        count = iter(range(1, total + 1))
        exps, regrets = answers.explained(v, task["cases"], task["exact"], solve,
                                          lambda m: progress(next(count) - 1, total, m))
        progress(total, total, _DONE)
        return answers.explain_answer(exps, regrets)
    if kind == "officers":
        progress(0, 1, f"re-solving the top {task['top']} courts with one more officer")
        gains = answers.jsonable(answers.officer_gains(v, task["top"], solve, workers=1))
        progress(1, 1, _DONE)
        return dict(gains)
    raise AssertionError(f"unknown job kind {kind}")


def _sweep(body: bytes, task: dict[str, Any], solve: Any,
           progress: Callable[[int, int, str], None]) -> dict[str, Any]:
    from optimizer.data.problem import Problem
    from optimizer.data.read import parse_scenario
    from optimizer.workbench.answers import jsonable
    from optimizer.workbench.sweep import chart_svg, parse_axis, sweep

    axes = [parse_axis(x) for x in task["vary"]]
    problem = Problem.from_scenario(parse_scenario(body, "(stored scenario)"))
    rows = sweep(problem, axes, solve, 1, lambda k, n: progress(k, n, f"variant {k}/{n} solved 已解"))
    try:
        chart, note = chart_svg(rows, axes, task["kpi"]), None
    except UserError as e:  # a KPI the variants do not have: the table stands without a chart
        chart, note = None, str(e)
    return {"rows": jsonable(rows), "axes": [a.label for a in axes], "kpi": task["kpi"],
            "chart_svg": chart, "chart_note": note}
