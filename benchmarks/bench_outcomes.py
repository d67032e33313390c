"""`courtplan bench outcomes`: 执转破 screening and the 12-month backlog projection of a preset
against their budgets (`outcomes.py`), medians of --repeats."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from benchmarks import common


def bench_outcomes(a: argparse.Namespace) -> list[dict[str, Any]]:
    """执转破 screening and the projection against their budgets (`outcomes.py`)."""
    from benchmarks.outcomes import measure, plan_time_side_by_side
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario

    p = Problem.from_scenario(read_scenario(common.scenario_file(a.preset, a.seed, None)))
    print(f"{a.preset} seed {a.seed}: {p.n_courts:,} courts, {int(p.in_district.sum()):,} in the "
          f"district, {p.n_cases:,} cases", file=sys.stderr)
    rows = measure(p, a.repeats)
    if a.plan_time:
        rows += plan_time_side_by_side(p, a.repeats)
    print(common.table(rows, ["step", "seconds", "budget", "within_budget"]))
    common.save("outcomes", rows, a.json)
    return rows


def register(sub: Any) -> None:
    """The `outcomes` job and its options."""
    oc = sub.add_parser("outcomes", help="执转破 screening and the backlog projection vs budgets",
                        description="Screening (≤ 2 s) and the 12-month projection (≤ 1 s) of a "
                                    "preset, medians of --repeats.")
    oc.add_argument("--preset", choices=common.PRESETS, default="national")
    oc.add_argument("--seed", type=common.seed_arg, default=1)
    oc.add_argument("--repeats", type=lambda t: common.integer_arg(t, "--repeats", 1, 50), default=5)
    oc.add_argument("--plan-time", action="store_true",
                    help="also plan with and without the projection, alternating (slow)")
    oc.add_argument("--json", default=None, metavar="FILE")
    oc.set_defaults(func=bench_outcomes)
