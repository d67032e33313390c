"""What a plan does over time: `project` (the backlog projection, plan against none) and
`screen` (the 执转破 screening list). Text for people; `--json` or `--out FILE` for programs."""

from __future__ import annotations

import argparse

from optimizer.cli.changes import add_change_flags
from optimizer.cli.workbench import emit_answer  # one way to print text or the JSON document
from optimizer.law.errors import UserError


def cmd_project(a: argparse.Namespace) -> int:
    from optimizer.cli.workbench import _read_plan
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario
    from optimizer.outcomes.projection import project, to_dict
    from optimizer.report.outcomes import projection_text

    plan = _read_plan(a.plan)
    scenario = read_scenario(a.scenario)
    if plan.scenario != scenario.name:
        raise UserError(f"{a.plan} is a plan of scenario {plan.scenario!r}, not of "
                         f"{a.scenario} ({scenario.name!r})")
    if not 1 <= a.months <= 60:
        raise UserError(f"--months {a.months}: the horizon is 1–60 months")
    from optimizer.cli.changes import changes_from_args
    from optimizer.pipeline import apply_changes

    # the plan's own what-if (officers, shocks…) sets the capacities it is projected with
    base = Problem.from_scenario(scenario)
    p = apply_changes(base, changes_from_args(a))
    d = to_dict(project(p, plan, a.months, officers=base.officers))
    emit_answer(a, d, projection_text(d, a.courts))
    return 0


def cmd_screen(a: argparse.Namespace) -> int:
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario
    from optimizer.outcomes.screening_list import screening_rows
    from optimizer.report.outcomes import screening_text

    p = Problem.from_scenario(read_scenario(a.scenario))
    rows = screening_rows(p, include_not_applicable=a.all)
    counts = p.screening.counts()
    emit_answer(a, {"counts": counts, "groups": rows}, screening_text(rows, counts, a.limit))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    pr = sub.add_parser("project", help="project each court's backlog month by month, with the "
                        "plan and without it (预测)")
    pr.add_argument("plan")
    pr.add_argument("--scenario", required=True, help="the plan's scenario file")
    pr.add_argument("--months", type=int, default=12, help="horizon, 1–60 months (default 12)")
    pr.add_argument("--courts", type=int, default=20, help="courts shown (0: all)")
    add_change_flags(pr)
    sc = sub.add_parser("screen", help="执转破 screening of the district's debtor groups")
    sc.add_argument("scenario")
    sc.add_argument("--all", action="store_true", help="list the not-applicable groups too")
    sc.add_argument("--limit", type=int, default=50, help="groups shown in the text (0: all)")
    for p in (pr, sc):
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        p.add_argument("--out", default=None, help="write the JSON to FILE (- for stdout)")
    pr.set_defaults(func=cmd_project)
    sc.set_defaults(func=cmd_screen)
