"""The workbench's answers as JSON documents: one builder per question, used by the CLI
(`courtplan explain … --json`) and by the HTTP routes alike, so both give the same document for
the same scenario, plan and question.

Numbers are kept as they are, except NaN and infinities, which JSON has not: they become the
strings "nan", "inf" and "-inf" (a plan with no proven bound has bound −inf).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

from optimizer.law.errors import UserError
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams
from optimizer.workbench.compare import compare
from optimizer.workbench.explain import Explanation, Regret, exact_regret, explain
from optimizer.workbench.officers import court_estimates, exact_courts, pair_estimates
from optimizer.workbench.recommend import recommend
from optimizer.workbench.view import PlanView
from optimizer.workbench.whynot import WhyNot, why_not

#: told before each re-solve: a line for people ("re-solving … forced to …")
Say = Callable[[str], None]


def jsonable(x: Any) -> Any:
    """Dataclasses, tuples and dicts as JSON values (non-finite floats as strings)."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return jsonable(dataclasses.asdict(x))
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [jsonable(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return x


def compare_answer(a: Plan, b: Plan) -> dict[str, Any]:
    """`courtplan compare A B --json`: the diff of plan B against plan A."""
    return dict(jsonable(compare(a, b).to_dict()))


def explained(v: PlanView, cases: list[str] | None, exact: int = 0,
              params: SolveParams | None = None, say: Say | None = None
              ) -> tuple[list[Explanation], dict[str, list[Regret]]]:
    """The explanations of `cases` (all when None) and, for cases asked, the exact regret of
    their `exact` cheapest alternatives (each a re-solve)."""
    exps = explain(v, cases or None)
    regrets: dict[str, list[Regret]] = {}
    if cases and exact > 0:
        for e in exps:
            for alt in e.alternatives[:exact]:
                if say:
                    say(f"re-solving {e.case_id} forced to {alt.mode} @{alt.court_id}")
                regrets.setdefault(e.case_id, []).append(exact_regret(v, e.case_id, alt, params))
    return exps, regrets


def explain_answer(exps: list[Explanation], regrets: dict[str, list[Regret]]) -> dict[str, Any]:
    """`courtplan explain … --json`: {"cases": [...], "exact": {case: [regret, ...]}}."""
    return dict(jsonable({"cases": exps, "exact": regrets}))


def why_nots(v: PlanView, cases: list[str], court_id: str) -> list[WhyNot]:
    """`courtplan explain … CASE… --why-not COURT`: one answer per case."""
    if not cases:
        raise UserError("--why-not needs the case(s) to ask about")
    return [why_not(v, c, court_id) for c in cases]


def officer_gains(v: PlanView, top: int = 0, params: SolveParams | None = None,
                  workers: int = 1, say: Say | None = None) -> dict[str, Any]:
    """`courtplan officers … --top N`: every court's estimated fall with one more officer (the
    first `top` re-solved exactly) and every lending pair's (the first `top` with room
    re-evaluated, cases held): {"courts": [CourtGain], "pairs": [PairGain]}."""
    courts = court_estimates(v)
    if top > 0:
        if say:
            say(f"re-solving the top {top} courts with one more officer")
        courts = exact_courts(v, courts, top, params, workers)
    return {"courts": courts, "pairs": pair_estimates(v, top)}


def recommend_answer(v: PlanView, case: Any, k: int = 5) -> dict[str, Any]:
    """`courtplan recommend … CASE.json -k K --json`: the new case's best k lawful options."""
    return dict(jsonable(recommend(v, case, k)))
